// crun (issue 24): `ssh host 'cmd >/dev/null 2>&1 &'` returns at once, as with OpenSSH on EC2: the
// exit status goes when the command's shell exits and the channel closes when its stdout/stderr
// reach EOF; a background child that redirected its output keeps running in the instance.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { DescribeImagesCommand, ImportKeyPairCommand, RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitForState } from '../helpers/instances.js';
import { realImageCache } from '../helpers/real-images.js';
import { allowSsh } from '../helpers/network.js';
import { sshInstance, sshTarget } from '../helpers/ssh.js';
import { requireTools, runAsync, tempDir } from '../helpers/tools.js';

requireTools(['/usr/bin/ssh', '/usr/bin/ssh-keygen', '/usr/bin/crun', '/usr/bin/slirp4netns'], 'the real-instance tests');

const cache = realImageCache();
const dir = tempDir('ec2lite-bgexec-');
const key = dir.file('id');
let server: TestServer;
let client: EC2Client;
let id: string;

before(async () => {
  server = await startTestServer({ dataDir: dir.file('data'), realImages: ['debian-12'], imageCache: cache, instanceDelays: { start: 0, stop: 0, terminate: 0 } });
  client = server.client();
  assert.equal((await runAsync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bg', '-f', key])).code, 0);
  await client.send(new ImportKeyPairCommand({ KeyName: 'bg', PublicKeyMaterial: await readFile(`${key}.pub`) }));
  const ami = (await client.send(new DescribeImagesCommand({ Owners: ['136693071363'] }))).Images![0]!.ImageId!;
  const r = await client.send(new RunInstancesCommand({ ImageId: ami, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, KeyName: 'bg' }));
  id = r.Instances![0]!.InstanceId!;
  await allowSsh(client, id);
  await waitForState(client, id, 'running');
});
after(async () => {
  await server.close();
  dir.cleanup();
});

const ssh = (command: string) => sshInstance(server.url, id, command, { key, knownHosts: dir.file('kh'), hostKeys: 'accept-new' });

describe('SSH exec with a background child on a real instance', () => {
  it('`cmd >/dev/null 2>&1 &` returns with status 0 and the server keeps running', { timeout: 60_000 }, async () => {
    const r = await ssh('python3 -m http.server 8080 >/dev/null 2>&1 &');
    assert.equal(r.code, 0, r.stderr);
    let served = '';
    for (let i = 0; i < 100 && !served.includes('Directory listing'); i++) {
      served = (await ssh('curl -s http://127.0.0.1:8080/')).stdout;
      if (!served.includes('Directory listing')) await new Promise((res) => setTimeout(res, 100));
    }
    assert.match(served, /Directory listing/);
    const p = await ssh('pgrep -f http.server');
    assert.equal(p.code, 0);
    assert.match(p.stdout, /^\d+/);
  });

  it('`sleep 100 & echo started` prints, returns with the exit status, sleep still runs', { timeout: 60_000 }, async () => {
    const r = await ssh('sleep 100 >/dev/null 2>&1 & echo started; exit 3');
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, 'started\n');
    // (PID 2 is tini's `sleep infinity`: match this sleep by its whole command line)
    const p = await ssh("pgrep -f '^sleep 100$'");
    assert.equal(p.code, 0, 'the background sleep outlived its session');
  });

  it('a background child that keeps stdout holds the channel until it ends (as sshd does)', { timeout: 60_000 }, async () => {
    const r = await ssh('sleep 2.5 & echo started');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'started\n');
    const p = await ssh("pgrep -f '^sleep 2.5$'");
    assert.equal(p.code, 1, 'the channel closed only once the child holding stdout had ended');
  });

  it('with a terminal, the session ends when its shell does, even if a background process still holds the terminal (as sshd does)', { timeout: 60_000 }, async () => {
    // setsid: its own session, so the shell's exit sends it no SIGHUP; its stdio is still the pty. The
    // shell waits until setsid has run: one that exits first hangs up its process group, the child's too.
    const t = await sshTarget(server.url, id);
    const r = await runAsync('/usr/bin/ssh', [
      '-tt', '-o', `UserKnownHostsFile=${dir.file('kh')}`, '-o', 'StrictHostKeyChecking=accept-new', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR',
      '-i', key, '-p', String(t.port), `${t.user}@${t.host}`,
      "setsid sleep 300 & until pgrep -f '^sleep 300$' >/dev/null; do sleep 0.1; done; echo started; exit 4",
    ], { input: '' });
    assert.equal(r.code, 4, r.stderr);
    assert.equal(r.stdout, 'started\r\n');
    const p = await ssh("pgrep -f '^sleep 300$'");
    assert.equal(p.code, 0, 'the background process outlived the session');
  });
});

