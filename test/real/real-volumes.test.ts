// crun (issue 24): EBS volumes, snapshots and AMIs of real instances hold the instances' real
// files. Files written over SSH survive CreateImage, CopyImage and sharing into new instances;
// volumes from snapshots and blank volumes appear in `lsblk` at launch and when attached to a
// running instance, and `sudo mount` reaches their files. AWS SDK + OpenSSH.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  AttachVolumeCommand,
  CopyImageCommand,
  CreateImageCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  ImportKeyPairCommand,
  ModifyImageAttributeCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type BlockDeviceMapping,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { describe as describeInstance, waitForState } from '../helpers/instances.js';
import { realImageCache } from '../helpers/real-images.js';
import { allowSsh } from '../helpers/network.js';
import { sshInstance } from '../helpers/ssh.js';
import { requireTools, runAsync, tempDir } from '../helpers/tools.js';

requireTools(['/usr/bin/ssh', '/usr/bin/ssh-keygen', '/usr/bin/crun', '/usr/bin/slirp4netns'], 'the real-volume tests');

const FRIEND = '111111111111';
const cache = realImageCache();
const dir = tempDir('ec2lite-real-vol-');
const key = dir.file('id');
let server: TestServer;
let client: EC2Client;
let ami: string;

before(async () => {
  server = await startTestServer({ dataDir: dir.file('data'), realImages: ['debian-12'], imageCache: cache, instanceDelays: { start: 0, stop: 0, terminate: 0 }, storageDelayMs: 50 });
  client = server.client();
  assert.equal((await runAsync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'vol', '-f', key])).code, 0);
  for (const c of [client, server.client({ accessKeyId: FRIEND })]) await c.send(new ImportKeyPairCommand({ KeyName: 'vol', PublicKeyMaterial: await readFile(`${key}.pub`) }));
  ami = (await client.send(new DescribeImagesCommand({ Owners: ['136693071363'] }))).Images![0]!.ImageId!;
});
after(async () => {
  await server.close();
  dir.cleanup();
});

async function launch(imageId: string, c = client, mappings?: BlockDeviceMapping[]): Promise<string> {
  const r = await c.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, KeyName: 'vol', BlockDeviceMappings: mappings }));
  const id = r.Instances![0]!.InstanceId!;
  await allowSsh(c, id);
  await waitForState(c, id, 'running');
  return id;
}

async function sshOk(id: string, command: string): Promise<string> {
  const r = await sshInstance(server.url, id, command, { key, knownHosts: dir.file('known_hosts') });
  assert.equal(r.code, 0, `${command}: ${r.stderr}`);
  return r.stdout;
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for: ${what}`);
}

const imageState = async (c: EC2Client, id: string) => (await c.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images?.[0]?.State;
const PART = '(└─|`-)';

describe('volumes, snapshots and AMIs of real instances', () => {
  let made: string;
  let source: string;

  it('CreateImage captures the files written over SSH: an instance of the new AMI reads them', async () => {
    source = await launch(ami);
    await sshOk(source, 'echo from-source | sudo tee /etc/ec2lite-marker >/dev/null && echo mine > ~/mine.txt');
    made = (await client.send(new CreateImageCommand({ InstanceId: source, Name: 'captured' }))).ImageId!;
    await until('the image available', async () => (await imageState(client, made)) === 'available');
    const copy = await launch(made);
    assert.equal(await sshOk(copy, 'cat /etc/ec2lite-marker ~/mine.txt && whoami'), 'from-source\nmine\nadmin\n');
    // Its own identity: first boot ran again for the new instance (hostname is its own).
    const inst = await describeInstance(client, copy);
    assert.equal(await sshOk(copy, 'hostname'), `${inst.PrivateDnsName!.split('.')[0]}\n`);
    await client.send(new TerminateInstancesCommand({ InstanceIds: [copy] }));
  });

  it('CopyImage and a launch permission for another account carry the files too', async () => {
    const copied = (await client.send(new CopyImageCommand({ SourceImageId: made, SourceRegion: 'us-east-1', Name: 'captured-copy' }))).ImageId!;
    await until('the copy available', async () => (await imageState(client, copied)) === 'available');
    await client.send(new ModifyImageAttributeCommand({ ImageId: copied, LaunchPermission: { Add: [{ UserId: FRIEND }] } }));
    const friend = server.client({ accessKeyId: FRIEND });
    const id = await launch(copied, friend);
    assert.equal(await sshOk(id, 'cat /etc/ec2lite-marker'), 'from-source\n');
    await friend.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
  });

  it('volumes at launch: one from the AMI’s snapshot (partitioned) and a blank one (no filesystem yet)', async () => {
    const img = (await client.send(new DescribeImagesCommand({ ImageIds: [made] }))).Images![0]!;
    const snap = img.BlockDeviceMappings!.find((m) => m.DeviceName === img.RootDeviceName)!.Ebs!.SnapshotId!;
    const id = await launch(ami, client, [
      { DeviceName: '/dev/sdf', Ebs: { SnapshotId: snap, VolumeType: 'gp3' } },
      { DeviceName: '/dev/sdg', Ebs: { VolumeSize: 1, VolumeType: 'gp3' } },
    ]);
    const lsblk = await sshOk(id, 'lsblk');
    assert.match(lsblk, /^xvdf +202:80 +0 +8G +0 disk *$/m);
    assert.match(lsblk, new RegExp(`^${PART}xvdf1 +202:81 `, 'm'));
    assert.match(lsblk, /^xvdg +202:96 +0 +1G +0 disk *$/m);
    assert.doesNotMatch(lsblk, /xvdg1/);
    await sshOk(id, 'sudo mkdir -p /mnt/f /mnt/g && sudo mount /dev/xvdf1 /mnt/f');
    assert.equal(await sshOk(id, 'cat /mnt/f/etc/ec2lite-marker'), 'from-source\n');
    const blank = await sshInstance(server.url, id, 'sudo mount /dev/xvdg /mnt/g', { key, knownHosts: dir.file('known_hosts') });
    assert.equal(blank.code, 32);
    assert.match(blank.stderr, /wrong fs type, bad option, bad superblock on \/dev\/xvdg/);
    // mkfs gives the blank volume a filesystem; its files last across mounts; a mounted one is not reformatted.
    assert.match(await sshOk(id, 'sudo mkfs -t ext4 /dev/xvdg'), /done/);
    await sshOk(id, 'sudo mount /dev/xvdg /mnt/g && echo kept | sudo tee /mnt/g/f >/dev/null && sudo umount /mnt/g && sudo mount /dev/xvdg /mnt/g');
    assert.equal(await sshOk(id, 'cat /mnt/g/f'), 'kept\n');
    // Bounded at its size as the root is: df shows 1 GiB, a filler gets ENOSPC, removing it frees the space.
    const size = Number((await sshOk(id, 'df -B1 --output=size /mnt/g | tail -1')).trim());
    assert.ok(size > 0.9 * 2 ** 30 && size <= 2 ** 30, `df /mnt/g size ${size}`);
    const fill = await sshInstance(server.url, id, 'sudo dd if=/dev/zero of=/mnt/g/fill bs=1M count=2048 2>&1; echo rc=$?', { key, knownHosts: dir.file('known_hosts') });
    assert.match(fill.stdout, /No space left on device[\s\S]*rc=1/);
    assert.equal(await sshOk(id, 'sudo rm /mnt/g/fill && echo more | sudo tee /mnt/g/more'), 'more\n');
    const again = await sshInstance(server.url, id, 'sudo mkfs.ext4 /dev/xvdg', { key, knownHosts: dir.file('known_hosts') });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /\/dev\/xvdg is mounted; will not make a filesystem here!/);
    // A read-only mount refuses writes.
    await sshOk(id, 'sudo umount /mnt/f && sudo mount -o ro /dev/xvdf1 /mnt/f');
    const ro = await sshInstance(server.url, id, 'sudo touch /mnt/f/x', { key, knownHosts: dir.file('known_hosts') });
    assert.notEqual(ro.code, 0);
    assert.match(ro.stderr, /Read-only file system/);
    await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
  });

  it('CreateSnapshot of a running real instance’s root, CreateVolume from it, hot attach: the files are there; detach takes it away', async () => {
    const root = (await describeInstance(client, source)).BlockDeviceMappings![0]!.Ebs!.VolumeId!;
    await sshOk(source, 'echo after-image > ~/later.txt');
    const snap = (await client.send(new CreateSnapshotCommand({ VolumeId: root }))).SnapshotId!;
    await until('the snapshot completed', async () => (await client.send(new DescribeSnapshotsCommand({ SnapshotIds: [snap] }))).Snapshots![0]!.State === 'completed');
    const inst = await describeInstance(client, source);
    const vol = (await client.send(new CreateVolumeCommand({ SnapshotId: snap, AvailabilityZone: inst.Placement!.AvailabilityZone! }))).VolumeId!;
    await until('the volume available', async () => (await client.send(new DescribeVolumesCommand({ VolumeIds: [vol] }))).Volumes![0]!.State === 'available');
    await client.send(new AttachVolumeCommand({ VolumeId: vol, InstanceId: source, Device: '/dev/sdh' }));
    assert.match(await sshOk(source, 'lsblk'), /^xvdh +202:112 /m);
    await sshOk(source, 'sudo mkdir -p /mnt/h && sudo mount /dev/xvdh1 /mnt/h');
    assert.equal(await sshOk(source, 'cat /mnt/h/home/admin/later.txt'), 'after-image\n');
    // Writes to the attached copy stay off the instance's own root.
    await sshOk(source, 'echo only-on-copy | sudo tee /mnt/h/home/admin/later.txt >/dev/null');
    assert.equal(await sshOk(source, 'cat ~/later.txt'), 'after-image\n');
    await sshOk(source, 'sudo umount /mnt/h');
    await client.send(new DetachVolumeCommand({ VolumeId: vol }));
    await until('detached', async () => (await client.send(new DescribeVolumesCommand({ VolumeIds: [vol] }))).Volumes![0]!.State === 'available');
    assert.doesNotMatch(await sshOk(source, 'lsblk; ls /dev'), /xvdh/);
    await client.send(new TerminateInstancesCommand({ InstanceIds: [source] }));
  });
});
