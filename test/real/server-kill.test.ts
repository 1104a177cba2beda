// crun (issue 24): a server killed with SIGKILL leaves no instance process, mount or network helper
// behind (the parent-death chain ends them), and the restarted server clears crun's leftover state
// and cgroups and brings the instance back running with its disk, as AWS would show it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { DescribeImagesCommand, EC2Client, ImportKeyPairCommand, RunInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { waitForState } from '../helpers/instances.js';
import { realImageCache } from '../helpers/real-images.js';
import { allowSsh } from '../helpers/network.js';
import { startServeNode, stopServeNode, type ServeNode } from '../helpers/serve-node.js';
import { loopsUnder } from '../../src/engines/crun/volume-disk.js';
import { sshInstance } from '../helpers/ssh.js';
import { requireTools, runAsync, tempDir } from '../helpers/tools.js';

requireTools(['/usr/bin/ssh', '/usr/bin/ssh-keygen', '/usr/bin/crun'], 'the server-kill test');

const cache = realImageCache();
const dir = tempDir('ec2lite-real-kill-');
const data = dir.file('data');
const key = dir.file('id');
let node: ServeNode | undefined;

const start = () => startServeNode('sqlite', { args: ['--data-dir', data, '--real-images', 'debian-12', '--quiet'], env: { EC2LITE_IMAGE_CACHE: cache } });
const clientOf = (n: ServeNode) => new EC2Client({ endpoint: n.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 's' }, maxAttempts: 1 });

before(async () => {
  assert.equal((await runAsync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key])).code, 0);
});
after(async () => {
  await stopServeNode(node);
  dir.cleanup();
});

const state = (pid: number): string | undefined => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
  } catch {
    return undefined;
  }
};
/** Live (not zombie) host processes in the instance's cgroup. */
const processesOf = (id: string): number[] =>
  readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .map(Number)
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cgroup`, 'utf8').includes(`/ec2lite/${id}`) && state(p) !== 'Z';
      } catch {
        return false;
      }
    });
const childrenOf = (pid: number): number[] => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
};
const alive = (pid: number) => {
  const s = state(pid);
  return s !== undefined && s !== 'Z';
};

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for: ${what}`);
}

describe('kill -9 of the server', () => {
  it('leaves nothing running or mounted; the restarted server resumes the instance with its disk', async () => {
    node = await start();
    let client = clientOf(node);
    await client.send(new ImportKeyPairCommand({ KeyName: 'k', PublicKeyMaterial: await readFile(`${key}.pub`) }));
    const ami = (await client.send(new DescribeImagesCommand({ Owners: ['136693071363'] }))).Images![0]!.ImageId!;
    const id = (await client.send(new RunInstancesCommand({ ImageId: ami, MinCount: 1, MaxCount: 1, KeyName: 'k', InstanceType: 't3.micro' }))).Instances![0]!.InstanceId!;
    await allowSsh(client, id);
    await waitForState(client, id, 'running');
    const ssh = (cmd: string) => sshInstance(node!.url, id, cmd, { key, knownHosts: dir.file('kh') });
    const wrote = await ssh('echo survived > ~/disk.txt');
    assert.equal(wrote.code, 0, wrote.stderr);
    const instanceProcs = processesOf(id);
    assert.ok(instanceProcs.length >= 2, 'tini and its child run in the instance cgroup');
    const helpers = childrenOf(node.child.pid!); // crun run monitors and slirp4netns
    assert.ok(helpers.length >= 2, `the server's helper processes: ${helpers.join(' ')}`);
    client.destroy();

    await stopServeNode(node, 'SIGKILL');
    await until('every instance process and helper ends', () => processesOf(id).length === 0 && helpers.every((p) => !alive(p)));
    // The overlay lived in a private mount namespace that died with crun: nothing on the host mentions the data dir.
    assert.equal(readFileSync('/proc/self/mountinfo', 'utf8').includes(data), false);
    // The root volume's disk was loop-mounted there too, with autoclear: its loop device went with the mount (before any restart sweep).
    await until('no loop device holds a volume disk', () => loopsUnder(data).length === 0);

    node = await start();
    client = clientOf(node);
    const back = await waitForState(client, id, 'running');
    assert.equal(back.State!.Name, 'running');
    assert.equal((await ssh('cat ~/disk.txt')).stdout, 'survived\n');
    // crun's state holds only the resumed instance; no cgroup of the dead run is left beside its own.
    assert.deepEqual(readdirSync(`${data}/crun/crun`), [id]);
    assert.ok(processesOf(id).every((p) => !instanceProcs.includes(p)));
    await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    await waitForState(client, id, 'terminated');
    await until('no process after terminate', () => processesOf(id).length === 0);
    assert.equal(existsSync(`${data}/crun/crun/${id}`), false);
    assert.deepEqual(loopsUnder(data), []);
    client.destroy();
  });
});
