// User data end to end: RunInstances with each format (script, cloud-config, MIME multi-part,
// gzip), then the real OpenSSH client checks what cloud-init did, its log and `cloud-init status`,
// and that a stop/start does not run it again.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import {
  DescribeInstanceAttributeCommand,
  ImportKeyPairCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { images, waitForState, type Images } from '../helpers/instances.js';
import { requireTools, runAsync, tempDir } from '../helpers/tools.js';
import { sshInstance } from '../helpers/ssh.js';

requireTools(['/usr/bin/ssh', '/usr/bin/ssh-keygen'], 'the user data end-to-end tests');

const dir = tempDir('ec2lite-ud-e2e-');
let server: TestServer;
let client: EC2Client;
let img: Images;
const key = dir.file('id');
const deployKey = dir.file('deploy');

before(async () => {
  server = await startTestServer({ instanceDelays: { start: 20, stop: 20, terminate: 20 } });
  client = server.client();
  img = await images(client);
  for (const k of [key, deployKey]) assert.equal((await runAsync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'ud', '-f', k])).code, 0);
  await client.send(new ImportKeyPairCommand({ KeyName: 'ud', PublicKeyMaterial: await readFile(`${key}.pub`) }));
});
after(async () => {
  await server.close();
  dir.cleanup();
});

async function launch(userData: Buffer, imageId = img.al2023): Promise<string> {
  const r = await client.send(
    new RunInstancesCommand({ ImageId: imageId, MinCount: 1, MaxCount: 1, KeyName: 'ud', UserData: userData.toString('base64') }),
  );
  const id = r.Instances![0]!.InstanceId!;
  await waitForState(client, id, 'running');
  return id;
}

const ssh = (id: string, command: string, opts: { user?: string; identity?: string } = {}) =>
  sshInstance(server.url, id, command, { key: opts.identity ?? key, knownHosts: dir.file(`kh_${id}`), hostKeys: 'accept-new', user: opts.user });

describe('user data at first boot, through SSH', () => {
  it('a #!/bin/bash script runs as root; output in cloud-init-output.log; status done', async () => {
    const id = await launch(Buffer.from('#!/bin/bash\necho "ran as $(whoami)" | tee /var/tmp/ran\n'));
    const r = await ssh(id, 'cloud-init status --wait; cat /var/tmp/ran; grep "^ran as" /var/log/cloud-init-output.log; sudo ls /var/lib/cloud/instance/scripts');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '\nstatus: done\nran as root\nran as root\npart-001\n');
    await client.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await waitForState(client, id, 'stopped');
    await ssh(id, 'true').catch(() => undefined);
    await client.send(new StartInstancesCommand({ InstanceIds: [id] }));
    await waitForState(client, id, 'running');
    const again = await ssh(id, 'cloud-init status --wait; grep -c "^ran as" /var/log/cloud-init-output.log');
    assert.equal(again.stdout, '\nstatus: done\n1\n', 'not run again after stop/start');
  });

  it('#cloud-config creates a user who logs in with its key and has sudo', async () => {
    const pub = (await readFile(`${deployKey}.pub`, 'utf8')).trim();
    const id = await launch(
      Buffer.from(`#cloud-config\nusers:\n  - default\n  - name: deploy\n    groups: wheel\n    sudo: ALL=(ALL) NOPASSWD:ALL\n    shell: /bin/bash\n    ssh_authorized_keys: ['${pub}']\nruncmd:\n  - echo configured > /etc/motd\n`),
    );
    await ssh(id, 'cloud-init status --wait');
    const r = await ssh(id, 'whoami; sudo whoami; cat /etc/motd; id -nG', { user: 'deploy', identity: deployKey });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'deploy\nroot\nconfigured\ndeploy wheel\n');
    assert.equal((await ssh(id, 'whoami')).stdout, 'ec2-user\n', 'the default user keeps the launch key');
  });

  it('gzip-compressed MIME multi-part: cloud-config then a shell script, on Ubuntu', async () => {
    const mime = [
      'Content-Type: multipart/mixed; boundary="//"',
      'MIME-Version: 1.0',
      '',
      '--//',
      'Content-Type: text/cloud-config; charset="us-ascii"',
      'Content-Disposition: attachment; filename="cloud-config.txt"',
      '',
      '#cloud-config',
      'hostname: app-1',
      'write_files:',
      '  - path: /opt/app/env',
      '    content: "MODE=prod"',
      '    permissions: "0600"',
      '',
      '--//',
      'Content-Type: text/x-shellscript; charset="us-ascii"',
      'Content-Disposition: attachment; filename="userdata.txt"',
      '',
      '#!/bin/bash',
      'cat /opt/app/env > /opt/app/seen',
      '--//--',
      '',
    ].join('\n');
    const id = await launch(gzipSync(Buffer.from(mime)), img.ubuntu);
    const r = await ssh(id, 'cloud-init status --wait >/dev/null; hostname; sudo cat /opt/app/seen; echo; sudo stat -c %a /opt/app/env; sudo ls /var/lib/cloud/instance/scripts');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'app-1\nMODE=prod\n600\nuserdata.txt\n');
  });

  it('survives a server restart, and cloud-init does not run again after it', async () => {
    const data = tempDir('ec2lite-userdata-restart-');
    try {
      const first = await startTestServer({ ephemeral: false, dataDir: data.path, instanceDelays: { start: 20, stop: 20, terminate: 20 } });
      const c1 = first.client();
      const ami = (await images(c1)).al2023;
      const r = await c1.send(new RunInstancesCommand({ ImageId: ami, MinCount: 1, MaxCount: 1, UserData: Buffer.from('#!/bin/sh\necho run >> /root/runs\n').toString('base64') }));
      const id = r.Instances![0]!.InstanceId!;
      await waitForState(c1, id, 'running');
      await first.app.runtime.guest(id)!.cloudInit;
      await first.close();
      const second = await startTestServer({ ephemeral: false, dataDir: data.path });
      const c2 = second.client();
      const ud = (await c2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'userData' }))).UserData;
      assert.deepEqual(ud, { Value: Buffer.from('#!/bin/sh\necho run >> /root/runs\n').toString('base64') });
      await waitForState(c2, id, 'running');
      const guest = second.app.runtime.guest(id)!;
      await guest.cloudInit;
      assert.equal((await guest.exec('root', 'cat /root/runs')).stdout, 'run\n');
      await second.close();
    } finally {
      data.cleanup();
    }
  });
});
