import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FsError } from './errors.js';
import { type Cred, ROOT_CRED, Vfs } from './vfs.js';
import { Volume } from './volume.js';

const alice: Cred = { uid: 1000, gid: 1000, groups: [1000] };
const bob: Cred = { uid: 1001, gid: 1001, groups: [1001, 10] };

function fresh(limits?: { maxFileBytes: number; maxVolumeBytes: number; maxInodes: number }) {
  const vol = Volume.empty({ limits });
  const vfs = new Vfs(vol, '/dev/xvda1', () => 1_700_000_000_000);
  vfs.mkdir(ROOT_CRED, '/home');
  vfs.mkdir(ROOT_CRED, '/home/alice', 0o700);
  vfs.chown(ROOT_CRED, '/home/alice', 1000, 1000);
  return { vol, vfs };
}

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof FsError) return e.code;
    throw e;
  }
  return 'ok';
};

describe('Vfs permissions', () => {
  it('lets the owner write in a 0700 home and keeps others out', () => {
    const { vfs } = fresh();
    vfs.writeFile(alice, '/home/alice/notes', 'hi', { mode: 0o600 });
    assert.equal(vfs.readFile(alice, '/home/alice/notes').toString(), 'hi');
    assert.equal(code(() => vfs.readFile(bob, '/home/alice/notes')), 'EACCES');
    assert.equal(code(() => vfs.readdir(bob, '/home/alice')), 'EACCES');
    assert.equal(code(() => vfs.writeFile(bob, '/home/bob', 'x')), 'EACCES');
    // root bypasses read/write checks
    assert.equal(vfs.readFile(ROOT_CRED, '/home/alice/notes').toString(), 'hi');
  });

  it('uses group bits for supplementary groups', () => {
    const { vfs } = fresh();
    vfs.writeFile(ROOT_CRED, '/shared', 'x', { mode: 0o640 });
    vfs.chown(ROOT_CRED, '/shared', 0, 10);
    assert.equal(vfs.readFile(bob, '/shared').toString(), 'x');
    assert.equal(code(() => vfs.readFile(alice, '/shared')), 'EACCES');
  });

  it('only root changes owners; owners may chmod', () => {
    const { vfs } = fresh();
    vfs.writeFile(alice, '/home/alice/f', '');
    assert.equal(code(() => vfs.chown(alice, '/home/alice/f', 1001, undefined)), 'EPERM');
    vfs.chmod(alice, '/home/alice/f', 0o666);
    assert.equal(vfs.stat(alice, '/home/alice/f').mode, 0o666);
    assert.equal(code(() => vfs.chmod(bob, '/home/alice/f', 0o600)), 'EACCES');
    vfs.chown(ROOT_CRED, '/home/alice/f', 1001, 1001);
    assert.equal(vfs.stat(ROOT_CRED, '/home/alice/f').uid, 1001);
  });

  it('honours the sticky bit', () => {
    const { vfs } = fresh();
    vfs.mkdir(ROOT_CRED, '/tmp', 0o1777);
    vfs.writeFile(alice, '/tmp/a', 'a');
    assert.equal(code(() => vfs.unlink(bob, '/tmp/a')), 'EPERM');
    vfs.unlink(alice, '/tmp/a');
  });

  it('normalises paths lexically and never leaves the tree', () => {
    const { vfs } = fresh();
    vfs.writeFile(ROOT_CRED, '/etc', 'not a dir');
    assert.equal(vfs.stat(ROOT_CRED, '/../../etc').type, 'file');
  });
});

describe('Vfs mounts', () => {
  it('grafts another volume and hides the mount point underneath', () => {
    const { vfs } = fresh();
    vfs.mkdir(ROOT_CRED, '/mnt');
    vfs.mkdir(ROOT_CRED, '/mnt/tempvol');
    const other = Volume.empty({ partitioned: true });
    const ovfs = new Vfs(other, '/dev/xvdf1');
    ovfs.mkdir(ROOT_CRED, '/home');
    vfs.mount('/dev/xvdf1', other, '/mnt/tempvol');
    assert.deepEqual(vfs.readdir(ROOT_CRED, '/mnt/tempvol'), ['home']);
    vfs.writeFile(ROOT_CRED, '/mnt/tempvol/home/x', 'y');
    assert.equal(ovfs.readFile(ROOT_CRED, '/home/x').toString(), 'y');
    assert.equal(vfs.stat(ROOT_CRED, '/mnt/tempvol/home/x').device, '/dev/xvdf1');
    assert.equal(code(() => vfs.rename(ROOT_CRED, '/mnt/tempvol/home/x', '/x')), 'EXDEV');
    assert.equal(code(() => vfs.rmdir(ROOT_CRED, '/mnt/tempvol')), 'EBUSY');
    vfs.umount('/mnt/tempvol');
    assert.deepEqual(vfs.readdir(ROOT_CRED, '/mnt/tempvol'), []);
  });
});

describe('Volume snapshots and limits', () => {
  it('round-trips through JSON', () => {
    const { vol, vfs } = fresh();
    vfs.writeFile(alice, '/home/alice/bin', Buffer.from([0, 1, 2, 255]), { mode: 0o600 });
    const copy = Volume.fromSnapshot(JSON.parse(JSON.stringify(vol.toSnapshot())));
    const v2 = new Vfs(copy, '/dev/xvda1');
    assert.deepEqual([...v2.readFile(alice, '/home/alice/bin')], [0, 1, 2, 255]);
    const st = v2.stat(ROOT_CRED, '/home/alice');
    assert.deepEqual([st.mode, st.uid, st.gid], [0o700, 1000, 1000]);
    assert.equal(copy.usedBytes, 4);
  });

  it('enforces file, volume and inode limits', () => {
    const { vfs } = fresh({ maxFileBytes: 10, maxVolumeBytes: 15, maxInodes: 5 });
    assert.equal(code(() => vfs.writeFile(ROOT_CRED, '/big', Buffer.alloc(11))), 'EFBIG');
    assert.equal(vfs.exists(ROOT_CRED, '/big'), false);
    vfs.writeFile(ROOT_CRED, '/a', Buffer.alloc(10));
    assert.equal(code(() => vfs.writeFile(ROOT_CRED, '/b', Buffer.alloc(6))), 'ENOSPC');
    vfs.writeFile(ROOT_CRED, '/c', '');
    assert.equal(code(() => vfs.writeFile(ROOT_CRED, '/d', '')), 'ENOSPC');
  });

  it('counts changes so the guest knows what to save', () => {
    const { vol, vfs } = fresh();
    const g = vol.generation;
    vfs.readdir(ROOT_CRED, '/');
    assert.equal(vol.generation, g);
    vfs.writeFile(ROOT_CRED, '/x', 'y');
    assert.ok(vol.generation > g);
  });
});
