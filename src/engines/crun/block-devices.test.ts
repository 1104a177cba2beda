// The block sysfs a real instance's lsblk reads (block-devices.ts): util-linux's own lsblk, pointed
// at the bundle's directories laid out as the guest sees them (bind mounts in a private mount
// namespace, as crun binds them), lists the disks, partitions and sizes EC2 would show.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { blockDirs, hideDisk, kernelName, makeBlockDirs, minorOf, showDisk } from './block-devices.js';

describe('crun block devices', () => {
  it('maps API device names to the kernel names and Xen numbers lsblk shows', () => {
    assert.equal(kernelName('/dev/sdf'), 'xvdf');
    assert.equal(kernelName('/dev/xvdf'), 'xvdf');
    assert.equal(kernelName('/dev/sda1'), 'xvda');
    assert.equal(kernelName('xvdg'), 'xvdg');
    assert.deepEqual(['xvda', 'xvdb', 'xvdf', 'xvdz'].map(minorOf), [0, 16, 80, 400]);
  });

  it('lsblk lists the disks written into the bundle, with a partition for AMI roots, and forgets detached ones', { skip: process.getuid?.() !== 0 && !process.env.CI ? 'needs root (bind mounts; CI runs it)' : false }, () => {
    const bundle = mkdtempSync(join(tmpdir(), 'ec2lite-blk-'));
    try {
      makeBlockDirs(bundle);
      const d = blockDirs(bundle);
      showDisk(d, { name: 'xvda', sizeGiB: 8, partitioned: true });
      showDisk(d, { name: 'xvdf', sizeGiB: 8, partitioned: true });
      showDisk(d, { name: 'xvdg', sizeGiB: 1, partitioned: false });
      assert.ok(statSync(join(d.blk, 'dev', 'xvdf1')).isBlockDevice());
      const root = join(bundle, 'root');
      for (const p of ['sys/block', 'sys/dev/block', 'sys/class/block', 'sys/devices/virtual/block']) mkdirSync(join(root, p), { recursive: true });
      const lsblk = () => {
        const script = [
          `mount --bind ${d.sysBlock} ${root}/sys/block`,
          `mount --bind ${d.sysDev} ${root}/sys/dev/block`,
          `mount --bind ${d.sysClass} ${root}/sys/class/block`,
          `mount --bind ${d.sysDevices} ${root}/sys/devices/virtual/block`,
          `LANG=C lsblk --sysroot ${root} -o NAME,MAJ:MIN,RM,SIZE,RO,TYPE`,
        ].join(' && ');
        const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], { encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        return r.stdout;
      };
      const out = lsblk();
      assert.match(out, /^xvda +202:0 +0 +8G +0 disk$/m);
      assert.match(out, /^`-xvda1 +202:1 +0 +8G +0 part$/m);
      assert.match(out, /^xvdf +202:80 +0 +8G +0 disk$/m);
      assert.match(out, /^`-xvdf1 +202:81 +0 +8G +0 part$/m);
      assert.match(out, /^xvdg +202:96 +0 +1G +0 disk$/m);
      assert.doesNotMatch(out, /xvdg1/);
      hideDisk(d, { name: 'xvdf' });
      assert.doesNotMatch(lsblk(), /xvdf/);
    } finally {
      rmSync(bundle, { recursive: true, force: true });
    }
  });
});
