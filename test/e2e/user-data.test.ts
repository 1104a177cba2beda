// User data end to end: RunInstances with each format (script, cloud-config, MIME multi-part,
// gzip), then the real OpenSSH client checks what cloud-init did, its log and `cloud-init status`,
// and that neither a stop/start nor a server restart runs it again. Every test runs on both guest
// engines (test/helpers/engine-variants.ts): on a real Debian instance the image's own cloud-init
// does the work, and the test waits for it with `cloud-init status --wait` as a user would.
import { after, before, it } from 'node:test';
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
import { allowSsh } from '../helpers/network.js';
import { bothEnginesServer, forEachEngine } from '../helpers/engine-variants.js';

requireTools(['/usr/bin/ssh', '/usr/bin/ssh-keygen'], 'the user data end-to-end tests');

const dir = tempDir('ec2lite-ud-e2e-');
let server: TestServer;
let client: EC2Client;
let img: Images;
const key = dir.file('id');
const deployKey = dir.file('deploy');

before(async () => {
  server = await startTestServer({ instanceDelays: { start: 20, stop: 20, terminate: 20 }, ...bothEnginesServer() });
  client = server.client();
  img = await images(client);
  for (const k of [key, deployKey]) assert.equal((await runAsync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'ud', '-f', k])).code, 0);
  await client.send(new ImportKeyPairCommand({ KeyName: 'ud', PublicKeyMaterial: await readFile(`${key}.pub`) }));
});
after(async () => {
  await server.close();
  dir.cleanup();
});

async function launch(userData: Buffer, imageId: string): Promise<string> {
  const r = await client.send(
    new RunInstancesCommand({ ImageId: imageId, MinCount: 1, MaxCount: 1, KeyName: 'ud', UserData: userData.toString('base64') }),
  );
  const id = r.Instances![0]!.InstanceId!;
  await waitForState(client, id, 'running');
  await allowSsh(client, id);
  return id;
}

const ssh = (id: string, command: string, opts: { user?: string; identity?: string } = {}) =>
  sshInstance(server.url, id, command, { key: opts.identity ?? key, knownHosts: dir.file(`kh_${id}`), hostKeys: 'accept-new', user: opts.user });

/** `cloud-init status --wait` prints a dot per poll while cloud-init runs, then a newline and the status. */
const DONE = /^\.*\nstatus: done\n/;

forEachEngine('user data at first boot, through SSH', (engine) => {
  let imageId = '';
  before(async () => {
    imageId = await engine.imageId(client);
  });

  it('a #!/bin/bash script runs as root; output in cloud-init-output.log; status done', async () => {
    const id = await launch(Buffer.from('#!/bin/bash\necho "ran as $(whoami)" | tee /var/tmp/ran\n'), imageId);
    const r = await ssh(id, 'cloud-init status --wait; cat /var/tmp/ran; grep "^ran as" /var/log/cloud-init-output.log; sudo ls /var/lib/cloud/instance/scripts');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, DONE);
    assert.equal(r.stdout.replace(DONE, ''), 'ran as root\nran as root\npart-001\n');
    if (engine.name === 'real') {
      // cloud-init kept the instance's host key (the one the client pinned with accept-new) rather than generating others
      const pinned = (await runAsync('/usr/bin/ssh-keygen', ['-l', '-f', dir.file(`kh_${id}`)])).stdout.split(' ')[1]!;
      const own = await ssh(id, 'ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub; ls /etc/ssh | grep "^ssh_host_"');
      assert.match(pinned, /^SHA256:/);
      assert.equal(own.stdout.replace(/ root@ip-[0-9-]+ /, ' root@host '), `256 ${pinned} root@host (ED25519)\nssh_host_ed25519_key\nssh_host_ed25519_key.pub\n`);
    }
    await client.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await waitForState(client, id, 'stopped');
    await ssh(id, 'true').catch(() => undefined);
    await client.send(new StartInstancesCommand({ InstanceIds: [id] }));
    await waitForState(client, id, 'running');
    const again = await ssh(id, 'cloud-init status --wait; grep -c "^ran as" /var/log/cloud-init-output.log');
    assert.match(again.stdout, DONE);
    assert.equal(again.stdout.replace(DONE, ''), '1\n', 'not run again after stop/start');
  });

  it('#cloud-config creates a user who logs in with its key and has sudo', async () => {
    const pub = (await readFile(`${deployKey}.pub`, 'utf8')).trim();
    const id = await launch(
      Buffer.from(`#cloud-config\nusers:\n  - default\n  - name: deploy\n    groups: ${engine.sudoGroup}\n    sudo: ALL=(ALL) NOPASSWD:ALL\n    shell: /bin/bash\n    ssh_authorized_keys: ['${pub}']\nruncmd:\n  - echo configured > /etc/motd\n`),
      imageId,
    );
    assert.equal((await ssh(id, 'cloud-init status --wait')).code, 0);
    const r = await ssh(id, 'whoami; sudo whoami; cat /etc/motd; id -nG', { user: 'deploy', identity: deployKey });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `deploy\nroot\nconfigured\ndeploy ${engine.sudoGroup}\n`);
    assert.equal((await ssh(id, 'whoami')).stdout, `${engine.user}\n`, 'the default user keeps the launch key');
  });

  it('gzip-compressed MIME multi-part: cloud-config then a shell script (Ubuntu on the simulated engine)', async () => {
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
    const id = await launch(gzipSync(Buffer.from(mime)), engine.name === 'simulated' ? img.ubuntu : imageId);
    const r = await ssh(id, 'cloud-init status --wait >/dev/null; hostname; sudo cat /opt/app/seen; echo; sudo stat -c %a /opt/app/env; sudo ls /var/lib/cloud/instance/scripts');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'app-1\nMODE=prod\n600\nuserdata.txt\n');
  });

  it('survives a server restart, and cloud-init does not run again after it', async () => {
    const data = tempDir('ec2lite-userdata-restart-');
    const ownEngine = engine.name === 'real' ? bothEnginesServer() : {}; // (crun loads only where it is used)
    try {
      const first = await startTestServer({ ephemeral: false, dataDir: data.path, instanceDelays: { start: 20, stop: 20, terminate: 20 }, ...ownEngine });
      const c1 = first.client();
      const ami = await engine.imageId(c1);
      await c1.send(new ImportKeyPairCommand({ KeyName: 'ud', PublicKeyMaterial: await readFile(`${key}.pub`) }));
      const r = await c1.send(new RunInstancesCommand({ ImageId: ami, MinCount: 1, MaxCount: 1, KeyName: 'ud', UserData: Buffer.from('#!/bin/sh\necho run >> /root/runs\n').toString('base64') }));
      const id = r.Instances![0]!.InstanceId!;
      await waitForState(c1, id, 'running');
      await allowSsh(c1, id);
      const probe = (url: string, command: string) => sshInstance(url, id, command, { key, knownHosts: dir.file(`kh_restart_${id}`), hostKeys: 'accept-new' });
      assert.equal((await probe(first.url, 'cloud-init status --wait >/dev/null')).code, 0);
      await first.close();
      const second = await startTestServer({ ephemeral: false, dataDir: data.path, ...ownEngine });
      const c2 = second.client();
      const ud = (await c2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'userData' }))).UserData;
      assert.deepEqual(ud, { Value: Buffer.from('#!/bin/sh\necho run >> /root/runs\n').toString('base64') });
      await waitForState(c2, id, 'running');
      // the same host key after the restart (accept-new pinned it): the instance, not a new one
      const runs = await probe(second.url, 'cloud-init status --wait >/dev/null; sudo cat /root/runs');
      assert.equal(runs.code, 0, runs.stderr);
      assert.equal(runs.stdout, 'run\n');
      await second.close();
    } finally {
      data.cleanup();
    }
  });
});
