// Real instances with systemd as PID 1 (serve --real-init systemd, issue 24): the image's systemd
// boots, runs cloud-init's own units (user data's write_files and runcmd), and `systemctl` manages
// units as on an EC2 Debian instance; a unit enabled inside starts again after stop/start; stop halts
// systemd; terminate leaves no process and no cgroup (systemd's own slices included).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DescribeImagesCommand,
  ImportKeyPairCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitForState } from '../helpers/instances.js';
import { realImageCache } from '../helpers/real-images.js';
import { allowSsh } from '../helpers/network.js';
import { sshInstance } from '../helpers/ssh.js';
import { requireTools, runAsync, tempDir } from '../helpers/tools.js';

requireTools(['/usr/bin/ssh', '/usr/bin/ssh-keygen'], 'the systemd instance tests');

const cache = realImageCache();
const dir = tempDir('ec2lite-systemd-');
const key = dir.file('id');
let server: TestServer;
let client: EC2Client;
let ami: string;

before(async () => {
  server = await startTestServer({ dataDir: dir.file('data'), realImages: ['debian-12'], imageCache: cache, realInit: 'systemd', instanceDelays: { start: 0, stop: 0, terminate: 0 } });
  client = server.client();
  assert.equal((await runAsync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'sd', '-f', key])).code, 0);
  await client.send(new ImportKeyPairCommand({ KeyName: 'sd', PublicKeyMaterial: await readFile(`${key}.pub`) }));
  ami = (await client.send(new DescribeImagesCommand({ Owners: ['136693071363'] }))).Images![0]!.ImageId!;
});
after(async () => {
  await server.close();
  dir.cleanup();
});

const ssh = (id: string, command: string) => sshInstance(server.url, id, command, { key, knownHosts: dir.file(`kh_${id}`), hostKeys: 'accept-new' });

/** The instance's cgroup directories on the host (any hierarchy). */
function cgroupsOf(instanceId: string): string[] {
  const found: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 6) return;
    for (const e of (() => {
      try {
        return readdirSync(d, { withFileTypes: true });
      } catch {
        return [];
      }
    })()) {
      if (!e.isDirectory()) continue;
      const p = join(d, e.name);
      if (e.name === instanceId) found.push(p);
      else walk(p, depth + 1);
    }
  };
  walk('/sys/fs/cgroup', 0);
  return found;
}

/** Host processes in the instance's cgroup. */
function processesOf(instanceId: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cgroup`, 'utf8').includes(`/ec2lite/${instanceId}`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const USER_DATA = `#cloud-config
write_files:
  - path: /etc/systemd/system/hello.service
    content: |
      [Unit]
      Description=hello from user data
      [Service]
      ExecStart=/usr/bin/python3 -m http.server 8080 --directory /etc
      [Install]
      WantedBy=multi-user.target
runcmd:
  - [systemctl, enable, --now, hello.service]
`;

describe('real instances with systemd as PID 1 (--real-init systemd)', () => {
  let id = '';

  it('boots systemd; cloud-init’s units run the user data; systemctl manages a unit', async () => {
    const r = await client.send(
      new RunInstancesCommand({ ImageId: ami, MinCount: 1, MaxCount: 1, KeyName: 'sd', UserData: Buffer.from(USER_DATA).toString('base64') }),
    );
    id = r.Instances![0]!.InstanceId!;
    await allowSsh(client, id);
    await waitForState(client, id, 'running');
    const pid1 = await ssh(id, 'ps -p 1 -o comm=');
    assert.equal(pid1.stdout, 'systemd\n', pid1.stderr);
    // degraded would name a unit that cannot work in a container
    const state = await ssh(id, 'systemctl is-system-running --wait; systemctl --failed --no-legend --plain');
    assert.equal(state.stdout, 'running\n', state.stdout + state.stderr);
    const init = await ssh(id, 'cloud-init status --wait >/dev/null; cloud-init status; systemctl is-active cloud-init.service cloud-final.service hello.service');
    assert.equal(init.stdout, 'status: done\nactive\nactive\nactive\n', init.stderr);
    assert.match((await ssh(id, 'curl -s http://localhost:8080/hostname')).stdout, /^ip-172-31-/);
    const stop = await ssh(id, 'sudo systemctl stop hello.service; systemctl is-active hello.service; systemctl is-enabled hello.service');
    assert.equal(stop.stdout, 'inactive\nenabled\n', stop.stderr);
  });

  it('stop halts systemd and start boots it again: the enabled unit comes back', async () => {
    const before = processesOf(id);
    assert.ok(before.length >= 3, `systemd, journald and the unit's python run in the instance: ${before.join(' ')}`);
    await client.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await waitForState(client, id, 'stopped');
    assert.deepEqual(processesOf(id), []);
    await client.send(new StartInstancesCommand({ InstanceIds: [id] }));
    await waitForState(client, id, 'running');
    const back = await ssh(id, 'systemctl is-system-running --wait; systemctl is-active hello.service');
    assert.equal(back.stdout, 'running\nactive\n', back.stderr);
    assert.ok(processesOf(id).every((p) => !before.includes(p)), 'a new process tree');
  });

  it('terminate leaves no process and no cgroup, systemd’s slices included', async () => {
    assert.ok(cgroupsOf(id).length > 0, 'the instance has cgroups while it runs');
    await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    await waitForState(client, id, 'terminated');
    assert.deepEqual(processesOf(id), []);
    assert.deepEqual(cgroupsOf(id), []);
    assert.equal(existsSync(join(dir.file('data'), 'crun', 'runs')), true);
  });
});
