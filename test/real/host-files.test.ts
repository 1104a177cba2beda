// A real instance's root cannot reach the host's files through symlinks the server follows. The
// server reads guest files (motd at login, passwd and authorized_keys at each SSH attempt) and
// writes them at boot (hosts, the NoCloud seed with the user data): a guest symlink such as
// `/etc/motd -> /etc/shadow` once resolved against the HOST's root, as root — a login printed the
// host's file. Now reads resolve inside the instance and boot writes replace the symlink. And
// what the server runs as guest root (device links, the runlevel record) runs inside the instance,
// never in the host's network namespace.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import {
  AttachVolumeCommand,
  CreateVolumeCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  ImportKeyPairCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  waitUntilVolumeAvailable,
  waitUntilVolumeInUse,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitForState } from '../helpers/instances.js';
import { realImageCache } from '../helpers/real-images.js';
import { allowSsh } from '../helpers/network.js';
import { sshInstance, sshTarget } from '../helpers/ssh.js';
import { requireTools, runAsync, tempDir } from '../helpers/tools.js';

requireTools(['/usr/bin/ssh', '/usr/bin/ssh-keygen'], 'the host-file tests');

const cache = realImageCache();
const dir = tempDir('ec2lite-hostfiles-');
const key = dir.file('id');
/** Host files a guest must never read or write: paths that do not exist inside the instance. */
const secret = dir.file('host-secret.txt');
const target = dir.file('written-by-boot.txt');
let server: TestServer;
let client: EC2Client;
let id = '';

before(async () => {
  server = await startTestServer({ dataDir: dir.file('data'), realImages: ['debian-12'], imageCache: cache, instanceDelays: { start: 0, stop: 0, terminate: 0 } });
  client = server.client();
  assert.equal((await runAsync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'hf', '-f', key])).code, 0);
  await client.send(new ImportKeyPairCommand({ KeyName: 'hf', PublicKeyMaterial: await readFile(`${key}.pub`) }));
  writeFileSync(secret, `HOST-ONLY-${process.pid}\n${await readFile(`${key}.pub`, 'utf8')}`, { mode: 0o600 });
  const ami = (await client.send(new DescribeImagesCommand({ Owners: ['136693071363'] }))).Images![0]!.ImageId!;
  id = (await client.send(new RunInstancesCommand({ ImageId: ami, MinCount: 1, MaxCount: 1, KeyName: 'hf', UserData: Buffer.from('#!/bin/sh\necho user-data-ran\n').toString('base64') }))).Instances![0]!.InstanceId!;
  await allowSsh(client, id);
  await waitForState(client, id, 'running');
});
after(async () => {
  await server.close();
  dir.cleanup();
});

const ssh = (command: string) => sshInstance(server.url, id, command, { key, knownHosts: dir.file('known_hosts'), hostKeys: 'accept-new' });

/** An interactive login (ssh -tt), which prints the motd, typing `exit`. */
async function loginScreen(): Promise<string> {
  const t = await sshTarget(server.url, id);
  const p = spawn('/usr/bin/ssh', ['-tt', '-o', `UserKnownHostsFile=${dir.file('known_hosts')}`, '-o', 'StrictHostKeyChecking=accept-new', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', '-i', key, '-p', String(t.port), `${t.user}@${t.host}`]);
  let out = '';
  p.stdout.on('data', (d: Buffer) => (out += d.toString()));
  p.stderr.on('data', (d: Buffer) => (out += d.toString()));
  setTimeout(() => p.stdin.end('exit\n'), 1500);
  await new Promise((r) => p.on('close', r));
  return out;
}

describe('guest symlinks never lead the server to host files', () => {
  it('a motd symlinked to a host path shows nothing of the host at login', async () => {
    const set = await ssh(`sudo ln -sf ${secret} /etc/motd && test ! -e ${secret} && echo absent-inside`);
    assert.equal(set.stdout, 'absent-inside\n', set.stderr);
    const screen = await loginScreen();
    assert.match(screen, /admin@ip-/, 'the login shell ran');
    assert.doesNotMatch(screen, /HOST-ONLY/);
    // kernel pseudo-files show the host's state to a host-root reader (/proc/kmsg: its kernel log): refused
    assert.equal((await ssh('sudo ln -sf /proc/version /etc/motd && echo relinked')).stdout, 'relinked\n');
    const again = await loginScreen();
    assert.match(again, /admin@ip-/);
    assert.doesNotMatch(again, /Linux version/);
  });

  it('authorized_keys symlinked to a host file holding the key does not let the key in', async () => {
    const set = await ssh(`mv ~/.ssh/authorized_keys ~/.ssh/keys.bak && ln -s ${secret} ~/.ssh/authorized_keys && echo linked`);
    assert.equal(set.stdout, 'linked\n', set.stderr);
    const refused = await ssh('whoami');
    assert.equal(refused.code, 255);
    assert.match(refused.stderr, /Permission denied \(publickey\)/);
    // the key back, through the guest's own root (not the host's view of the guest)
    const back = await runAsync('/usr/bin/nsenter', ['-t', String(guestPid()), '-a', '/bin/sh', '-c', 'rm /home/admin/.ssh/authorized_keys && mv /home/admin/.ssh/keys.bak /home/admin/.ssh/authorized_keys && echo ok']);
    assert.equal(back.stdout, 'ok\n', back.stderr);
    assert.equal((await ssh('whoami')).stdout, 'admin\n');
  });

  it('commands the server runs as guest root run inside the instance: its pid and network namespaces, not the host’s', async () => {
    // Guest root shadows ln (AttachVolume links /dev/xvdf) and chgrp (boot marks the runlevel) with
    // wrappers that note which namespaces they run in. Through nsenter -U -m they would run in the
    // host's network namespace, with the host's loopback services in reach.
    const shim = (name: string) =>
      `printf '#!/bin/sh\\necho "$(readlink /proc/self/ns/net) $(readlink /proc/1/ns/net)" >> /root/ran-${name}\\nexec /bin/${name} "$@"\\n' | sudo tee /usr/local/sbin/${name} >/dev/null && sudo chmod 755 /usr/local/sbin/${name}`;
    const set = await ssh(`${shim('ln')} && ${shim('chgrp')} && echo shims`);
    assert.equal(set.stdout, 'shims\n', set.stderr);
    const zone = (await client.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!.Placement!.AvailabilityZone!;
    const vol = await client.send(new CreateVolumeCommand({ AvailabilityZone: zone, Size: 1 }));
    await waitUntilVolumeAvailable({ client, maxWaitTime: 60 }, { VolumeIds: [vol.VolumeId!] });
    await client.send(new AttachVolumeCommand({ VolumeId: vol.VolumeId!, InstanceId: id, Device: '/dev/sdf' }));
    await waitUntilVolumeInUse({ client, maxWaitTime: 60 }, { VolumeIds: [vol.VolumeId!] });
    let ran = '';
    for (let i = 0; i < 100 && !ran; i++) {
      ran = (await ssh('sudo cat /root/ran-ln 2>/dev/null')).stdout;
      if (!ran) await new Promise((r) => setTimeout(r, 100));
    }
    const [self, init] = ran.trim().split('\n')[0]!.split(' ');
    assert.match(self ?? '', /^net:\[\d+\]$/, `the attach's ln ran where /proc/self is its own: ${ran}`);
    assert.equal(self, init, 'in the instance’s network namespace');
    assert.equal(self, (await ssh('sudo readlink /proc/1/ns/net')).stdout.trim(), 'the instance’s own, as its PID 1 shows it');
  });

  it('boot writes replace symlinks the guest left (hosts, the user-data seed): the host is not written', async () => {
    const set = await ssh(`sudo ln -sf ${target} /etc/hosts && sudo ln -sf ${target} /var/lib/cloud/seed/nocloud/user-data && echo ok`);
    assert.equal(set.stdout, 'ok\n', set.stderr);
    await client.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await waitForState(client, id, 'stopped');
    await client.send(new StartInstancesCommand({ InstanceIds: [id] }));
    await waitForState(client, id, 'running');
    assert.equal(existsSync(target), false, 'the host path the symlinks named was not created');
    const r = await ssh('test -L /etc/hosts && echo link || head -1 /etc/hosts; sudo cat /var/lib/cloud/seed/nocloud/user-data');
    assert.equal(r.stdout, '127.0.0.1 localhost\n#!/bin/sh\necho user-data-ran\n', r.stderr);
    assert.match(readFileSync(secret, 'utf8'), /^HOST-ONLY-/);
    // the boot's runlevel record was written by guest root inside the instance too
    const boot = (await ssh('sudo cat /root/ran-chgrp')).stdout.trim().split('\n').pop()!.split(' ');
    assert.match(boot[0] ?? '', /^net:\[\d+\]$/);
    assert.equal(boot[0], boot[1]);
    await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
  });
});

/** The instance's PID 1 on the host (its tini): the lowest pid in its cgroup. */
function guestPid(): number {
  const inInstance = (p: string) => {
    try {
      return readFileSync(`/proc/${p}/cgroup`, 'utf8').includes(`/ec2lite/${id}`);
    } catch {
      return false;
    }
  };
  return Math.min(...readdirSync('/proc').filter((p) => /^\d+$/.test(p) && inInstance(p)).map(Number));
}
