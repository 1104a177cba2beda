// The crun helper compiles once per source: concurrent first uses in one process (two launches at
// once) share one compile instead of writing the same files twice; the binary runs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helperBinary } from './helper.js';

describe('helperBinary', { skip: existsSync('/usr/bin/cc') ? false : 'needs cc' }, () => {
  it('three concurrent first uses: one binary, no leftovers, it runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crun-helper-'));
    try {
      const bins = await Promise.all([helperBinary(dir), helperBinary(dir), helperBinary(dir)]);
      assert.equal(new Set(bins).size, 1);
      assert.deepEqual(readdirSync(dir), [bins[0]!.slice(dir.length + 1)]);
      const r = spawnSync(bins[0]!, [], { encoding: 'utf8' });
      assert.equal(r.status, 2);
      assert.match(r.stderr, /usage: ec2lite-crun-helper ptyrelay\|userns-exec/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
