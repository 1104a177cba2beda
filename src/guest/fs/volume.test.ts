import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROOT_CRED, Vfs } from './vfs.js';
import { Volume } from './volume.js';

// Files that come and go (every soak SSH session writes one and removes it) must not grow what a
// volume holds: inode numbers are reused, and the table of inodes is indexed by them, so its size
// is bounded by the highest number in use (docs/scaling.md, "soak").
describe('Volume inode numbers', () => {
  const at = () => 1_700_000_000_000;
  const fresh = () => {
    const vol = Volume.empty();
    const vfs = new Vfs(vol, '/dev/xvda1', at);
    vfs.mkdir(ROOT_CRED, '/tmp', 0o1777);
    for (let i = 0; i < 20; i++) vfs.writeFile(ROOT_CRED, `/etc-${i}`, `file ${i}\n`);
    return { vol, vfs };
  };
  const ino = (vfs: Vfs, path: string) => vfs.stat(ROOT_CRED, path).ino;

  it('reuses the number of a removed file: 1,000 files written and removed one at a time use one number', () => {
    const { vol, vfs } = fresh();
    const before = vol.toSnapshot();
    const numbers = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      vfs.writeFile(ROOT_CRED, `/tmp/soak-${i}`, `${i}\n`);
      numbers.add(ino(vfs, `/tmp/soak-${i}`));
      vfs.unlink(ROOT_CRED, `/tmp/soak-${i}`);
    }
    assert.deepEqual([...numbers], [before.nextIno]);
    const after = vol.toSnapshot();
    assert.equal(after.inodes.length, before.inodes.length);
    assert.equal(after.nextIno, before.nextIno + 1);
  });

  it('after a reload, numbers freed before the snapshot are reused first, then numbers continue after the highest', () => {
    const { vol, vfs } = fresh();
    const freed = [ino(vfs, '/etc-3'), ino(vfs, '/etc-7')];
    vfs.unlink(ROOT_CRED, '/etc-3');
    vfs.unlink(ROOT_CRED, '/etc-7');
    const highest = Math.max(...vol.toSnapshot().inodes.map((n) => n.ino));
    const again = new Vfs(Volume.fromSnapshot(JSON.parse(JSON.stringify(vol.toSnapshot()))), '/dev/xvda1', at);
    again.writeFile(ROOT_CRED, '/a', 'a');
    again.writeFile(ROOT_CRED, '/b', 'b');
    again.writeFile(ROOT_CRED, '/c', 'c');
    assert.deepEqual([ino(again, '/a'), ino(again, '/b')].sort(), [...freed].sort());
    assert.equal(ino(again, '/c'), highest + 1);
    assert.equal(again.readFile(ROOT_CRED, '/etc-4').toString(), 'file 4\n', 'the other files are intact');
  });

  it('loads a volume numbered far apart (saved by an older version) and fills its gaps from the lowest', () => {
    const snap = {
      format: 'ec2lite-fs/1' as const,
      partitioned: false,
      rootIno: 1,
      nextIno: 9001,
      inodes: [
        { ino: 1, type: 'dir' as const, mode: 0o755, uid: 0, gid: 0, mtime: 0, ctime: 0, entries: [['late', 9000]] as [string, number][] },
        { ino: 9000, type: 'file' as const, mode: 0o644, uid: 0, gid: 0, mtime: 0, ctime: 0, data: Buffer.from('kept').toString('base64') },
      ],
    };
    const vol = Volume.fromSnapshot(snap);
    const vfs = new Vfs(vol, '/dev/xvda1', at);
    vfs.writeFile(ROOT_CRED, '/new', 'n');
    assert.equal(ino(vfs, '/new'), 2);
    assert.equal(vfs.readFile(ROOT_CRED, '/late').toString(), 'kept');
    assert.equal(vol.inodeCount, 3);
    const again = vol.toSnapshot();
    assert.deepEqual(again.inodes.map((n) => n.ino).sort((x, y) => x - y), [1, 2, 9000]);
    assert.equal(again.nextIno, 9001);
  });

  it('a file replaced by a rename gives its number back', () => {
    const { vfs } = fresh();
    vfs.writeFile(ROOT_CRED, '/tmp/new', 'new');
    vfs.writeFile(ROOT_CRED, '/tmp/old', 'old');
    const replaced = ino(vfs, '/tmp/old');
    vfs.rename(ROOT_CRED, '/tmp/new', '/tmp/old');
    assert.equal(vfs.readFile(ROOT_CRED, '/tmp/old').toString(), 'new');
    vfs.writeFile(ROOT_CRED, '/tmp/next', 'next');
    assert.equal(ino(vfs, '/tmp/next'), replaced);
  });
});
