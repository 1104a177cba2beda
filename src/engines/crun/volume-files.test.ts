// First boot's reads and writes of an instance's volume never follow the guest's symlinks: they
// would resolve against the host's root (the host runs them as root). A symlink where a file is
// read refuses, one where a file is written is replaced, one on the way to it refuses.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnsafeGuestPathError, VolumeFiles } from './volume-files.js';

const root = process.getuid?.() === 0;

function layout() {
  const dir = mkdtempSync(join(tmpdir(), 'ec2lite-volfiles-'));
  const lower = join(dir, 'lower');
  const upper = join(dir, 'upper');
  const host = join(dir, 'host');
  for (const d of [lower, upper, host, join(lower, 'etc'), join(upper, 'etc'), join(lower, 'etc/skel')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(host, 'secret'), 'host-only\n');
  writeFileSync(join(lower, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
  writeFileSync(join(lower, 'etc/skel/.bashrc'), '# skel\n');
  return { dir, lower, upper, host, files: new VolumeFiles(lower, upper), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('first-boot files of a real instance', { skip: !root && 'needs root (owners in the instances’ uid range)' }, () => {
  it('reads refuse a symlink the guest left: the host file is never read', () => {
    const l = layout();
    try {
      symlinkSync(join(l.host, 'secret'), join(l.upper, 'etc/shadow'));
      assert.throws(() => l.files.read('etc/shadow'), UnsafeGuestPathError);
      symlinkSync(l.host, join(l.upper, 'var'));
      assert.throws(() => l.files.read('var/secret'), UnsafeGuestPathError);
      assert.equal(l.files.read('etc/passwd'), 'root:x:0:0:root:/root:/bin/bash\n', 'the image’s file where the volume has none');
    } finally {
      l.cleanup();
    }
  });

  it('a write replaces a symlink at its place and refuses one on its way: the host is untouched', () => {
    const l = layout();
    try {
      symlinkSync(join(l.host, 'secret'), join(l.upper, 'etc/hosts'));
      l.files.write('etc/hosts', '127.0.0.1 localhost\n');
      assert.equal(readFileSync(join(l.host, 'secret'), 'utf8'), 'host-only\n');
      assert.ok(lstatSync(join(l.upper, 'etc/hosts')).isFile());
      assert.equal(readFileSync(join(l.upper, 'etc/hosts'), 'utf8'), '127.0.0.1 localhost\n');
      assert.equal(lstatSync(join(l.upper, 'etc/hosts')).uid, 100000, 'owned by guest root');

      mkdirSync(join(l.upper, 'var/lib'), { recursive: true });
      symlinkSync(l.host, join(l.upper, 'var/lib/cloud'));
      assert.throws(() => l.files.write('var/lib/cloud/seed/nocloud/user-data', '#!/bin/sh\n'), UnsafeGuestPathError);
      assert.deepEqual(readdirSync(l.host), ['secret']);
    } finally {
      l.cleanup();
    }
  });

  it('copying /etc/skel into a home replaces a symlinked dotfile instead of writing through it', () => {
    const l = layout();
    try {
      l.files.mkdir('home/admin', 0o755, 1000, 1000);
      symlinkSync(join(l.host, 'secret'), join(l.upper, 'home/admin/.bashrc'));
      l.files.copyFiles('etc/skel', 'home/admin', 1000, 1000);
      assert.equal(readFileSync(join(l.host, 'secret'), 'utf8'), 'host-only\n');
      assert.equal(readFileSync(join(l.upper, 'home/admin/.bashrc'), 'utf8'), '# skel\n');
    } finally {
      l.cleanup();
    }
  });
});
