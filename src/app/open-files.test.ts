import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { it } from 'node:test';
import { openFilesLimit } from './open-files.js';

it('openFilesLimit reads the soft limit a child process inherits', () => {
  const shell = execFileSync('/bin/sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
  const limit = openFilesLimit();
  assert.equal(limit === Number.POSITIVE_INFINITY ? 'unlimited' : String(limit), shell);
});
