// The seed's "Connecting to your Linux instance if you lose your private key" on real Debian
// instances (crun, issue 24), step by step with the AWS SDK and the real OpenSSH client: stop the
// original, detach its root, attach it to a temporary instance as /dev/sdf, find it with `lsblk`,
// `sudo mount /dev/xvdf1 /mnt/tempvol` (and with -o nouuid), put the new key in the original's
// authorized_keys, unmount, detach, reattach at the root device, start, log in with the new key.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import {
  AttachVolumeCommand,
  CreateKeyPairCommand,
  DeleteKeyPairCommand,
  DescribeImagesCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type EC2Client,
  type Volume,
} from '@aws-sdk/client-ec2';
import { awsError, startTestServer, type TestServer } from '../helpers/server.js';
import { describe as describeInstance, waitForState } from '../helpers/instances.js';
import { realImageCache } from '../helpers/real-images.js';
import { allowSsh } from '../helpers/network.js';
import { sshInstance } from '../helpers/ssh.js';
import { requireTools, tempDir } from '../helpers/tools.js';

requireTools(['/usr/bin/ssh', '/usr/bin/crun', '/usr/bin/slirp4netns'], 'the real-instance recovery test');

const cache = realImageCache();
const dir = tempDir('ec2lite-real-recovery-');
let server: TestServer;
let client: EC2Client;
let ami: string;

before(async () => {
  server = await startTestServer({ dataDir: dir.file('data'), realImages: ['debian-12'], imageCache: cache, instanceDelays: { start: 0, stop: 0, terminate: 0 }, storageDelayMs: 50 });
  client = server.client();
  ami = (await client.send(new DescribeImagesCommand({ Owners: ['136693071363'] }))).Images![0]!.ImageId!;
});
after(async () => {
  await server.close();
  dir.cleanup();
});

async function createKey(name: string, file: string): Promise<string> {
  const k = await client.send(new CreateKeyPairCommand({ KeyName: name }));
  const path = dir.file(file);
  await writeFile(path, k.KeyMaterial!, { mode: 0o600 });
  return path;
}

const ssh = (id: string, key: string, command: string) => sshInstance(server.url, id, command, { key, knownHosts: dir.file('known_hosts') });
async function sshOk(id: string, key: string, command: string): Promise<string> {
  const r = await ssh(id, key, command);
  assert.equal(r.code, 0, `${command}: ${r.stderr}`);
  return r.stdout;
}

const volume = async (id: string): Promise<Volume> => (await client.send(new DescribeVolumesCommand({ VolumeIds: [id] }))).Volumes![0]!;
async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for: ${what}`);
}

async function launch(keyName: string, zone?: string): Promise<string> {
  const r = await client.send(
    new RunInstancesCommand({ ImageId: ami, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, KeyName: keyName, Placement: zone ? { AvailabilityZone: zone } : undefined }),
  );
  const id = r.Instances![0]!.InstanceId!;
  await allowSsh(client, id);
  await waitForState(client, id, 'running');
  return id;
}

describe('lost private key recovery on real instances (crun)', () => {
  it('stop → temporary instance → move the root → mount /dev/xvdf1 → new authorized_keys → move it back → log in with the new key', async () => {
    const lostKey = await createKey('my-key', 'lost.pem');
    const original = await launch('my-key');
    assert.equal(await sshOk(original, lostKey, 'echo precious > ~/data.txt && whoami'), 'admin\n');

    // The key is lost; a new pair under the same name.
    await client.send(new DeleteKeyPairCommand({ KeyName: 'my-key' }));
    const newKey = await createKey('my-key', 'new.pem');
    assert.notEqual((await ssh(original, newKey, 'true')).code, 0, 'the new key does not open the original yet');

    const info = await describeInstance(client, original);
    const zone = info.Placement!.AvailabilityZone!;
    const rootDevice = info.RootDeviceName!;
    const rootVolume = info.BlockDeviceMappings!.find((m) => m.DeviceName === rootDevice)!.Ebs!.VolumeId!;
    assert.equal(rootDevice, '/dev/xvda');
    // A running instance's root cannot be detached.
    const e = await awsError(() => client.send(new DetachVolumeCommand({ VolumeId: rootVolume })));
    assert.equal(e.name, 'IncorrectState');

    await client.send(new StopInstancesCommand({ InstanceIds: [original] }));
    await waitForState(client, original, 'stopped');

    const temporary = await launch('my-key', zone);
    // The temporary instance's own root shows as xvda with its partition.
    const own = await sshOk(temporary, newKey, 'lsblk');
    assert.match(own, /^xvda +202:0 +0 +8G +0 disk *$/m);
    assert.doesNotMatch(own, /xvdf/);

    await client.send(new DetachVolumeCommand({ VolumeId: rootVolume }));
    await until('the root volume available', async () => (await volume(rootVolume)).State === 'available');
    await client.send(new AttachVolumeCommand({ VolumeId: rootVolume, InstanceId: temporary, Device: '/dev/sdf' }));
    await until('attached', async () => (await volume(rootVolume)).Attachments?.[0]?.State === 'attached');

    // Hot plug: lsblk shows the disk and its partition at once; /dev has the device nodes.
    const lsblk = await sshOk(temporary, newKey, 'lsblk');
    assert.match(lsblk, /^xvdf +202:80 +0 +8G +0 disk *$/m);
    assert.match(lsblk, /^└─xvdf1 +202:81 +0 +8G +0 part *$/m);
    assert.equal(await sshOk(temporary, newKey, 'stat -L -c %F /dev/xvdf1'), 'block special file\n');

    await sshOk(temporary, newKey, 'sudo mkdir /mnt/tempvol');
    // Without sudo (util-linux's own mount: /usr/local/sbin is not on a user's PATH); the raw disk
    // holds no filesystem (the partition does).
    const notRoot = await ssh(temporary, newKey, 'mount /dev/xvdf1 /mnt/tempvol');
    assert.equal(notRoot.code, 32, notRoot.stderr);
    assert.match(notRoot.stderr, /must be superuser to use mount/);
    const raw = await ssh(temporary, newKey, 'sudo mount /dev/xvdf /mnt/tempvol');
    assert.equal(raw.code, 32);
    assert.match(raw.stderr, /wrong fs type, bad option, bad superblock on \/dev\/xvdf/);

    // The guide's command as written, then its XFS variant.
    await sshOk(temporary, newKey, 'sudo mount /dev/xvdf1 /mnt/tempvol');
    assert.equal(await sshOk(temporary, newKey, 'cat /mnt/tempvol/home/admin/data.txt'), 'precious\n');
    await sshOk(temporary, newKey, 'sudo umount /mnt/tempvol');
    await sshOk(temporary, newKey, 'sudo mount -o nouuid /dev/xvdf1 /mnt/tempvol');

    // While mounted, a plain DetachVolume leaves the attachment busy, as AWS does.
    await client.send(new DetachVolumeCommand({ VolumeId: rootVolume }));
    assert.equal((await volume(rootVolume)).Attachments?.[0]?.State, 'busy');

    // The new key into the original's authorized_keys (same uid on both: no sudo needed).
    await sshOk(temporary, newKey, 'cp .ssh/authorized_keys /mnt/tempvol/home/admin/.ssh/authorized_keys');
    assert.match(await sshOk(temporary, newKey, 'ls -ln /mnt/tempvol/home/admin/.ssh/authorized_keys'), /^-rw------- 1 1000 1000 /);
    // The guide's sudo path: copy with sudo, restore the owner.
    await sshOk(temporary, newKey, 'sudo cp .ssh/authorized_keys /mnt/tempvol/home/admin/.ssh/authorized_keys && sudo chown 1000:1000 /mnt/tempvol/home/admin/.ssh/authorized_keys');
    const busy = await ssh(temporary, newKey, 'cd /mnt/tempvol && sudo umount /mnt/tempvol');
    assert.equal(busy.code, 32);
    assert.match(busy.stderr, /target is busy/);
    await sshOk(temporary, newKey, 'sudo umount /mnt/tempvol');

    await client.send(new DetachVolumeCommand({ VolumeId: rootVolume }));
    await until('the root volume available again', async () => (await volume(rootVolume)).State === 'available');
    assert.doesNotMatch(await sshOk(temporary, newKey, 'lsblk; ls /dev'), /xvdf/);

    await client.send(new AttachVolumeCommand({ VolumeId: rootVolume, InstanceId: original, Device: rootDevice }));
    await until('reattached', async () => (await volume(rootVolume)).Attachments?.[0]?.State === 'attached');
    await client.send(new StartInstancesCommand({ InstanceIds: [original] }));
    await waitForState(client, original, 'running');
    assert.equal(await sshOk(original, newKey, 'cat data.txt && whoami'), 'precious\nadmin\n');
    // The original's authorized_keys is the temporary's (the new key), owned as before.
    assert.equal(await sshOk(original, newKey, 'stat -c "%a %U" ~/.ssh/authorized_keys'), '600 admin\n');
    assert.notEqual((await ssh(original, lostKey, 'true')).code, 0, 'the lost key no longer opens it');

    await client.send(new TerminateInstancesCommand({ InstanceIds: [original, temporary] }));
    await waitForState(client, temporary, 'terminated');
  });
});
