// CrunVolumeBytes on real directories: a root volume over its image, a snapshot that keeps the
// volume's files (owners and modes included) and its image, a copy of it, and removal.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CrunVolumeBytes } from './volume-bytes.js';
import { inDisk, loopsUnder } from './volume-disk.js';

const root = process.getuid?.() === 0;

describe('CrunVolumeBytes', { skip: root ? false : 'needs root (chown to the guest uid range)' }, () => {
  it('create from an image, snapshot, copy, create from the snapshot, remove', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crun-vb-'));
    try {
      const vb = new CrunVolumeBytes(dir);
      await vb.create('vol-1', 'image:debian-12');
      assert.equal(await vb.exists('vol-1'), true);
      assert.equal(vb.origin('vol-1'), 'debian-12');
      assert.equal(statSync(join(vb.volumeDir('vol-1'), 'upper')).uid, 100000);
      const f = join(vb.volumeDir('vol-1'), 'upper', 'kept.txt');
      writeFileSync(f, 'kept\n', { mode: 0o600 });
      chownSync(f, 101000, 101000);
      await vb.snapshot('vol-1', 'snap-1');
      await vb.copySnapshot('snap-1', 'snap-2');
      await vb.forgetSnapshot('snap-1');
      await vb.create('vol-2', 'snap-2');
      const g = join(vb.volumeDir('vol-2'), 'upper', 'kept.txt');
      assert.equal(readFileSync(g, 'utf8'), 'kept\n');
      assert.equal(statSync(g).uid, 101000);
      assert.equal(statSync(g).mode & 0o777, 0o600);
      assert.equal(vb.origin('vol-2'), 'debian-12');
      assert.ok((await vb.storedBytes('vol-2')) > 0);
      await vb.remove('vol-1');
      assert.equal(await vb.exists('vol-1'), false);
      await assert.rejects(vb.create('vol-3', 'snap-1'), /no contents for snap-1/);
      assert.equal(existsSync(join(dir, 'snapshots', 'snap-1')), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a blank volume is unformatted until format(); its snapshots and copies keep the filesystem; holds() answers for volumes and snapshots', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crun-vb-'));
    try {
      const vb = new CrunVolumeBytes(dir);
      assert.equal(await vb.holds('vol-b'), false);
      await vb.create('vol-b');
      assert.equal(await vb.holds('vol-b'), true);
      assert.equal(vb.formatted('vol-b'), false);
      writeFileSync(join(vb.volumeDir('vol-b'), 'upper', 'junk'), 'x');
      await vb.format('vol-b', 1);
      assert.equal(vb.formatted('vol-b'), true);
      assert.equal(vb.hasDisk('vol-b'), true, 'a 1 GiB disk');
      assert.equal(statSync(join(vb.volumeDir('vol-b'), 'disk')).size, 2 ** 30);
      assert.equal(existsSync(join(vb.volumeDir('vol-b'), 'upper', 'junk')), false, 'mkfs empties it');
      await vb.snapshot('vol-b', 'snap-b');
      assert.equal(await vb.holds('snap-b'), true);
      assert.equal(statSync(join(dir, 'snapshots', 'snap-b', 'upper')).uid, 100000, 'the disk’s upper directory, owned by guest root');
      assert.equal(await vb.holds('snap-other'), false);
      await vb.create('vol-c', 'snap-b');
      assert.equal(vb.formatted('vol-c'), true);
      assert.equal(vb.origin('vol-c'), undefined);
      await vb.create('vol-d', 'image:debian-12');
      assert.equal(vb.formatted('vol-d'), true, 'an image root holds a filesystem');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a volume’s files move into an ext4 disk of its size at its first mount: bounded (ENOSPC), grown, snapshotted, no loop device left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crun-vb-'));
    try {
      const vb = new CrunVolumeBytes(dir);
      await vb.create('vol-1', 'image:debian-12');
      const f = join(vb.volumeDir('vol-1'), 'upper', 'kept.txt');
      writeFileSync(f, 'kept\n', { mode: 0o600 });
      chownSync(f, 101000, 101000);
      await vb.ensureDisk('vol-1', 1);
      assert.equal(vb.hasDisk('vol-1'), true);
      assert.equal(existsSync(join(vb.volumeDir('vol-1'), 'upper')), false, 'the pending directory moved into the disk');
      const disk = join(vb.volumeDir('vol-1'), 'disk');
      assert.ok(statSync(disk).blocks * 512 < 64 * 2 ** 20, 'sparse: a 1 GiB disk costs a few MB');
      // Writing past its size fails inside; the disk file keeps its size.
      const full = await runIn(vb.volumeDir('vol-1'), 'df -B1 --output=size "$F" | tail -1; fallocate -l 900M "$F/upper/big"; dd if=/dev/zero of="$F/upper/fill" bs=1M 2>&1 || true; rm "$F/upper/fill" "$F/upper/big"');
      assert.match(full, /No space left on device/);
      assert.ok(Number(full.split('\n')[0]) > 0.9 * 2 ** 30 && Number(full.split('\n')[0]) <= 2 ** 30, full.split('\n')[0]);
      assert.equal(statSync(disk).size, 2 ** 30);
      await vb.ensureDisk('vol-1', 2);
      assert.equal(statSync(disk).size, 2 * 2 ** 30, 'grown');
      assert.match(await runIn(vb.volumeDir('vol-1'), 'df -B1G --output=size "$F" | tail -1'), /^\s*2\s*$/);
      await vb.snapshot('vol-1', 'snap-1');
      const g = join(dir, 'snapshots', 'snap-1', 'upper', 'kept.txt');
      assert.equal(readFileSync(g, 'utf8'), 'kept\n');
      assert.equal(statSync(g).uid, 101000);
      assert.deepEqual(loopsUnder(dir), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A script's output with the volume's disk mounted at $F (in a throw-away namespace, as the engine does). */
async function runIn(volDir: string, script: string): Promise<string> {
  const out = join(volDir, 'out');
  await inDisk(volDir, `{ ${script}; } > "$1"`, [out]);
  return readFileSync(out, 'utf8').trim();
}
