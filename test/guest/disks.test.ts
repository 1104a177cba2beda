// The guest's disk tools over copy-on-write volumes: lsblk/blkid/file -s/mkfs/mount/umount/fsck/df
// on a blank volume and on another instance's root, with numeric owners kept on disk.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LayeredVolumeStore } from '../../src/guest/fs/layered-store.js';
import { MemoryBlockData } from '../helpers/block-data.js';
import { imageTemplate } from '../../src/guest/images.js';
import { InstanceGuest } from '../../src/guest/instance-guest.js';
import { Input } from '../../src/guest/shell/streams.js';
import { SAMPLE_KEY, sampleMetadata } from '../helpers/guest.js';

async function boot(volumes: LayeredVolumeStore, instanceId: string, rootVolumeId: string): Promise<InstanceGuest> {
  if (!(await volumes.load(rootVolumeId))) await volumes.create(rootVolumeId, 'image:al2023');
  return InstanceGuest.start({
    instanceId,
    image: imageTemplate('al2023'),
    rootVolume: { volumeId: rootVolumeId },
    volumes,
    metadata: sampleMetadata({ instanceId, launchKey: { name: 'k', publicKey: `${SAMPLE_KEY} k` } }),
  });
}

describe('copy-on-write volumes', () => {
  it('a root made from an image stores only its changes; a snapshot of it and a volume from the snapshot read the same files', async () => {
    const data = new MemoryBlockData();
    const volumes = new LayeredVolumeStore(data, (k) => imageTemplate(k).rootSnapshot());
    const g = await boot(volumes, 'i-0000000000000000a', 'vol-a');
    const whole = JSON.stringify(imageTemplate('al2023').rootSnapshot()).length;
    // first boot wrote authorized_keys, hostname and the semaphore: a few inodes, not the image
    assert.ok((await volumes.storedBytes('vol-a')) * 5 < whole, `delta ${await volumes.storedBytes('vol-a')} vs image ${whole}`);
    await g.exec('ec2-user', 'echo hello > note && sudo rm /etc/motd');
    await g.stop();
    await volumes.snapshot('vol-a', 'snap-0000000000000000a');
    await volumes.create('vol-b', 'snap-0000000000000000a');
    const b = await boot(volumes, 'i-0000000000000000b', 'vol-b');
    assert.equal((await b.exec('ec2-user', 'cat note; test -e /etc/motd || echo gone')).stdout, 'hello\ngone\n');
    // both launch keys: the carried one and the new instance's (first boot runs again for it)
    const keys = (await b.exec('ec2-user', 'cat .ssh/authorized_keys')).stdout.trim().split('\n');
    assert.equal(keys.length, 2);
    // the original keeps its own contents
    const a2 = await boot(volumes, 'i-0000000000000000a', 'vol-a');
    assert.equal((await a2.exec('ec2-user', 'cat note')).stdout, 'hello\n');
    await b.exec('ec2-user', 'echo b > note');
    assert.equal((await a2.exec('ec2-user', 'cat note')).stdout, 'hello\n');
    // a snapshot with a volume built on it keeps its bytes until that volume goes
    await volumes.forgetSnapshot('snap-0000000000000000a');
    assert.ok(data.rows.has('snap-0000000000000000a'));
    await b.stop();
    await volumes.remove('vol-b');
    assert.ok(!data.rows.has('snap-0000000000000000a'));
  });
});

describe('guest disk tools', () => {
  it('blank volume: lsblk shows no partition, file -s says data, mount fails until mkfs, then it holds files', async () => {
    const volumes = new LayeredVolumeStore(new MemoryBlockData(), (k) => imageTemplate(k).rootSnapshot());
    const g = await boot(volumes, 'i-0000000000000000c', 'vol-c');
    await volumes.create('vol-blank');
    await g.attachVolume('vol-blank', '/dev/sdg', 4);
    const sh = (cmd: string) => g.exec('ec2-user', cmd);
    assert.match((await sh('lsblk')).stdout, /^xvdg +202:96 +0 +4G +0 disk $/m);
    assert.doesNotMatch((await sh('lsblk')).stdout, /xvdg1/);
    assert.equal((await sh('sudo file -s /dev/xvdg')).stdout, '/dev/xvdg: data\n');
    assert.equal((await sh('sudo blkid /dev/xvdg')).exitCode, 2);
    const early = await sh('sudo mkdir /data && sudo mount /dev/xvdg /data');
    assert.equal(early.exitCode, 32);
    assert.match(early.stderr, /^mount: \/data: wrong fs type, bad option, bad superblock on \/dev\/xvdg/);
    const mk = await sh('sudo mkfs -t xfs /dev/xvdg');
    assert.equal(mk.exitCode, 0, mk.stderr);
    assert.match(mk.stdout, /^meta-data=\/dev\/xvdg +isize=512/);
    assert.match((await sh('sudo file -s /dev/xvdg')).stdout, /SGI XFS filesystem data/);
    assert.match((await sh('sudo blkid /dev/xvdg')).stdout, /^\/dev\/xvdg: UUID="[0-9a-f-]{36}" BLOCK_SIZE="512" TYPE="xfs"$/m);
    // an existing filesystem is not overwritten without -f
    const again = await sh('sudo mkfs.xfs /dev/xvdg');
    assert.equal(again.exitCode, 1);
    assert.match(again.stderr, /appears to contain an existing filesystem \(xfs\)/);
    assert.equal((await sh('sudo mount -t ext4 /dev/xvdg /data')).exitCode, 32);
    assert.equal((await sh('sudo mount -t xfs /dev/xvdg /data && sudo chown ec2-user /data && echo x > /data/f')).exitCode, 0);
    assert.match((await sh('df -hT /data')).stdout, /^\/dev\/xvdg +xfs .* \/data$/m);
    assert.match((await sh('mount')).stdout, /^\/dev\/xvdg on \/data type xfs /m);
    // busy while a shell sits in it
    const s = g.openSession('ec2-user', { input: Input.empty(), out: { write() {} }, err: { write() {} }, tty: false }, { interactive: false });
    await s.run('cd /data');
    const busy = await sh('sudo umount /data');
    assert.equal(busy.exitCode, 32);
    assert.equal(busy.stderr, 'umount: /data: target is busy.\n');
    s.close();
    assert.equal((await sh('sudo umount /data')).exitCode, 0);
    // ext4 over it with -F; fsck finds it clean; mounted, e2fsck refuses
    const ext = await sh('sudo mkfs.ext4 -F /dev/xvdg');
    assert.match(ext.stdout, /Writing superblocks and filesystem accounting information: done/);
    assert.match((await sh('sudo fsck /dev/xvdg')).stdout, /^\/dev\/xvdg: clean, /m);
    assert.equal((await sh('sudo mount /dev/xvdg /data && ls -a /data')).stdout, '.\n..\nlost+found\n');
    assert.equal((await sh('sudo fsck.ext4 /dev/xvdg')).exitCode, 8);
    // hot detach: the mount vanishes, contents saved
    await g.detachVolume('vol-blank');
    assert.doesNotMatch((await sh('mount')).stdout, /\/data/);
    assert.equal((await volumes.load('vol-blank'))?.fsType, 'ext4');
  });

  it("another instance's root: partitioned, XFS duplicate UUID needs nouuid, numeric owners, sudo cp and chown", async () => {
    const volumes = new LayeredVolumeStore(new MemoryBlockData(), (k) => imageTemplate(k).rootSnapshot());
    const orig = await boot(volumes, 'i-0000000000000000d', 'vol-orig');
    // give the original's user another uid than the temporary instance knows, as in the AWS guide (222:500)
    await orig.exec('ec2-user', "sudo sed -i 's/^ec2-user:x:1000:1000:/ec2-user:x:222:500:/' /etc/passwd && sudo chown -R 222:500 /home/ec2-user");
    await orig.stop();
    const temp = await boot(volumes, 'i-0000000000000000e', 'vol-temp');
    await temp.attachVolume('vol-orig', '/dev/sdf', 8);
    const sh = (cmd: string) => temp.exec('ec2-user', cmd);
    assert.match((await sh('lsblk')).stdout, /^└─xvdf1 +202:81 /m);
    assert.match((await sh('sudo file -s /dev/xvdf1')).stdout, /^\/dev\/xvdf1: SGI XFS filesystem data/);
    assert.match((await sh('sudo file -s /dev/xvdf')).stdout, /DOS\/MBR boot sector; partition 1 : ID=0xee/);
    assert.equal((await sh('sudo mkdir /mnt/tempvol && sudo mount /dev/xvdf1 /mnt/tempvol')).exitCode, 32);
    assert.equal((await sh('sudo mount -o nouuid /dev/xvdf1 /mnt/tempvol')).exitCode, 0);
    assert.match((await sh('sudo ls -ln /mnt/tempvol/home/ec2-user/.ssh')).stdout, / 222 500 .* authorized_keys$/m);
    const denied = await sh('cp .ssh/authorized_keys /mnt/tempvol/home/ec2-user/.ssh/authorized_keys');
    assert.notEqual(denied.exitCode, 0);
    const fix = await sh(
      'sudo cp .ssh/authorized_keys /mnt/tempvol/home/ec2-user/.ssh/authorized_keys && ' +
        'sudo ls -ln /mnt/tempvol/home/ec2-user/.ssh/authorized_keys && ' +
        'sudo chown 222:500 /mnt/tempvol/home/ec2-user/.ssh/authorized_keys && ' +
        'sudo ls -ln /mnt/tempvol/home/ec2-user/.ssh/authorized_keys && sudo umount /mnt/tempvol',
    );
    assert.equal(fix.exitCode, 0, fix.stderr);
    const lines = fix.stdout.trim().split('\n');
    assert.match(lines[0]!, / 222 500 /, 'cp onto an existing file keeps its owner');
    assert.match(lines[1]!, / 222 500 /);
    assert.match((await sh('sudo fsck /dev/xvdf1')).stdout, /see xfs_repair\(8\)/);
    assert.match((await sh('sudo xfs_repair /dev/xvdf1')).stdout, /^done$/m);
    await temp.detachVolume('vol-orig');
    const back = await boot(volumes, 'i-0000000000000000d', 'vol-orig');
    const keys = back.authorizedKeys('ec2-user');
    assert.ok(keys.ok, keys.ok ? '' : keys.reason);
    assert.equal(keys.lines.filter((l) => l.startsWith('ssh-ed25519')).length, 1);
  });
});
