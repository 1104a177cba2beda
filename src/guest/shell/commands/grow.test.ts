// Growing into a disk that ModifyVolume made larger: lsblk shows the disk first, growpart the
// partition, resize2fs/xfs_growfs the filesystem (df), as AWS's "Extend the file system" page does.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bootGuest } from '../../../../test/helpers/guest.js';

describe('growpart, resize2fs, xfs_growfs', () => {
  it('an XFS root: disk grows, then the partition, then the filesystem', async () => {
    const { guest } = await bootGuest();
    guest.resizeVolume('vol-root1', 30);
    const before = await guest.exec('ec2-user', 'lsblk');
    assert.match(before.stdout, /^xvda +202:0 +0 +30G +0 disk $/m);
    assert.match(before.stdout, /^└─xvda1 +202:1 +0 +8G +0 part \/$/m);
    assert.match((await guest.exec('ec2-user', 'df -h /')).stdout, /\/dev\/xvda1 +8\.0G/);
    const grow = await guest.exec('ec2-user', 'sudo growpart /dev/xvda 1');
    assert.equal(grow.exitCode, 0);
    assert.match(grow.stdout, /^CHANGED: partition=1 start=4096 old: size=16773087 end=16777183 new: size=62910431 end=62914527$/m);
    assert.match((await guest.exec('ec2-user', 'lsblk')).stdout, /^└─xvda1 +202:1 +0 +30G +0 part \/$/m);
    const again = await guest.exec('ec2-user', 'sudo growpart /dev/xvda 1');
    assert.equal(again.exitCode, 1);
    assert.match(again.stdout, /^NOCHANGE: partition 1 is size 62910431\. it cannot be grown$/m);
    // resize2fs does not know XFS; xfs_growfs does it by mount point.
    const wrong = await guest.exec('ec2-user', 'sudo resize2fs /dev/xvda1');
    assert.equal(wrong.exitCode, 1);
    assert.match(wrong.stderr, /Bad magic number in super-block/);
    const xfs = await guest.exec('ec2-user', 'sudo xfs_growfs -d /');
    assert.equal(xfs.exitCode, 0);
    assert.match(xfs.stdout, /^data blocks changed from 2097152 to 7864320$/m);
    assert.match((await guest.exec('ec2-user', 'df -h /')).stdout, /\/dev\/xvda1 +30\.0G/);
  });

  it('an ext4 data disk without a partition: resize2fs grows it, and says when there is nothing to do', async () => {
    const { guest } = await bootGuest();
    await guest.attachVolume('vol-data', '/dev/sdf', 2);
    assert.equal((await guest.exec('ec2-user', 'sudo mkfs -t ext4 /dev/xvdf && sudo mkdir /data && sudo mount /dev/xvdf /data')).exitCode, 0);
    guest.resizeVolume('vol-data', 4);
    assert.match((await guest.exec('ec2-user', 'lsblk')).stdout, /^xvdf +202:80 +0 +4G +0 disk \/data$/m);
    assert.match((await guest.exec('ec2-user', 'df -h /data')).stdout, /\/dev\/xvdf +2\.0G/);
    const r = await guest.exec('ec2-user', 'sudo resize2fs /dev/xvdf');
    assert.equal(r.exitCode, 0);
    assert.match(r.stderr, /Filesystem at \/dev\/xvdf is mounted on \/data; on-line resizing required/);
    assert.match(r.stdout, /The filesystem on \/dev\/xvdf is now 1048576 \(4k\) blocks long\./);
    assert.match((await guest.exec('ec2-user', 'df -h /data')).stdout, /\/dev\/xvdf +4\.0G/);
    assert.match((await guest.exec('ec2-user', 'sudo resize2fs /dev/xvdf')).stderr, /already 1048576 \(4k\) blocks long\.  Nothing to do!/);
  });
});
