// Volumes of one snapshot share the empty parts of their inodes (volume.ts): nothing one guest
// does to its files or directories may show in another's.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ROOT_CRED, Vfs } from './vfs.js';
import { Volume } from './volume.js';

it('two volumes from one snapshot stay independent through writes, truncates, mkdir and rm', () => {
  const base = Volume.empty();
  const seed = new Vfs(base, '/dev/xvda1', () => 1_700_000_000_000);
  seed.mkdir(ROOT_CRED, '/etc');
  seed.writeFile(ROOT_CRED, '/etc/empty', Buffer.alloc(0));
  seed.writeFile(ROOT_CRED, '/etc/motd', Buffer.from('hello\n'));
  const snapshot = base.toSnapshot();
  const a = new Vfs(Volume.fromSnapshot(snapshot), '/dev/xvda1', () => 1_700_000_000_000);
  const b = new Vfs(Volume.fromSnapshot(snapshot), '/dev/xvda1', () => 1_700_000_000_000);

  a.writeFile(ROOT_CRED, '/etc/empty', Buffer.from('now full'));
  a.mkdir(ROOT_CRED, '/etc/conf.d');
  a.writeFile(ROOT_CRED, '/etc/conf.d/x', Buffer.from('x'));
  a.truncate(ROOT_CRED, '/etc/motd', 2);
  a.mkdir(ROOT_CRED, '/srv');
  a.writeFile(ROOT_CRED, '/srv/new', Buffer.alloc(0));
  a.writeFile(ROOT_CRED, '/srv/other', Buffer.from('y'));

  assert.equal(a.readFile(ROOT_CRED, '/etc/empty').toString(), 'now full');
  assert.equal(b.readFile(ROOT_CRED, '/etc/empty').length, 0);
  assert.equal(b.readFile(ROOT_CRED, '/etc/motd').toString(), 'hello\n');
  assert.equal(a.readFile(ROOT_CRED, '/etc/motd').toString(), 'he');
  assert.throws(() => b.readFile(ROOT_CRED, '/etc/conf.d/x'));
  assert.throws(() => b.readFile(ROOT_CRED, '/srv/new'));
  assert.equal(a.readFile(ROOT_CRED, '/srv/other').toString(), 'y');
  // A file is no directory, in either volume.
  assert.throws(() => a.writeFile(ROOT_CRED, '/etc/motd/inside', Buffer.from('z')));
  assert.throws(() => b.mkdir(ROOT_CRED, '/etc/empty/sub'));
  assert.equal(Volume.fromSnapshot(snapshot).toSnapshot().inodes.length, snapshot.inodes.length);
});
