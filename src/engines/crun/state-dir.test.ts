// A real-engine state directory belongs to one live server: a persistent one is refused to a
// second process, each ephemeral server and PostgreSQL node gets a run directory of its own, and
// run directories of dead owners come back as stale (ephemeral ones to be removed).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimStateDir, ownerLine, StateDirInUseError } from './state-dir.js';

const base = () => mkdtempSync(join(tmpdir(), 'ec2lite-state-'));

/** A process that has exited: its owner line names no live process any more. */
async function deadOwnerLine(): Promise<string> {
  const p = spawn('sleep', ['0.05']);
  const line = ownerLine(p.pid!);
  await new Promise((r) => p.once('exit', r));
  assert.ok(line);
  return line;
}

describe('real-engine state directories', () => {
  it('a persistent directory is refused while another live process owns it, and taken over once it is gone', async () => {
    const dir = base();
    try {
      const other = spawn('sleep', ['30']);
      try {
        writeFileSync(join(dir, 'owner'), `${ownerLine(other.pid!)}\n`);
        assert.throws(() => claimStateDir(dir, { kind: 'persistent' }), (e: Error) => e instanceof StateDirInUseError && e.message.includes(`pid ${other.pid}`) && e.message.includes(dir));
      } finally {
        other.kill();
        await new Promise((r) => other.once('exit', r));
      }
      const claim = claimStateDir(dir, { kind: 'persistent' });
      assert.equal(claim.dir, dir);
      // the same process may claim it again (a server restarted in-process)
      assert.equal(claimStateDir(dir, { kind: 'persistent' }).dir, dir);
      claim.release();
      assert.equal(existsSync(join(dir, 'owner')), false);
      assert.equal(existsSync(dir), true, 'a persistent directory keeps its instances’ bytes');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('each ephemeral server gets its own directory, removed at release; a reused pid does not pass for the owner', async () => {
    const dir = base();
    try {
      const a = claimStateDir(dir, { kind: 'ephemeral' });
      const b = claimStateDir(dir, { kind: 'ephemeral' });
      assert.notEqual(a.dir, b.dir);
      assert.ok(a.dir.startsWith(join(dir, 'runs', 'ephemeral-')));
      assert.deepEqual(b.stale, [], 'a live server’s directory is never stale');
      b.release();
      assert.equal(existsSync(b.dir), false);
      assert.equal(existsSync(a.dir), true);
      // this pid with another start time: a different process
      writeFileSync(join(dir, 'owner'), `${process.pid} 1\n`);
      assert.equal(claimStateDir(dir, { kind: 'persistent' }).dir, dir);
      a.release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('run directories of dead owners are stale: ephemeral ones to be removed, a node’s kept', async () => {
    const dir = base();
    try {
      const dead = await deadOwnerLine();
      for (const name of ['ephemeral-1-aaaaaa', 'node-n1']) {
        mkdirSync(join(dir, 'runs', name), { recursive: true });
        writeFileSync(join(dir, 'runs', name, 'owner'), `${dead}\n`);
      }
      mkdirSync(join(dir, 'runs', 'ephemeral-2-bbbbbb'));
      const live = claimStateDir(dir, { kind: 'node', nodeId: 'n2' });
      assert.equal(live.dir, join(dir, 'runs', 'node-n2'));
      const stale = [...live.stale].sort((x, y) => x.dir.localeCompare(y.dir));
      assert.deepEqual(stale, [
        { dir: join(dir, 'runs', 'ephemeral-1-aaaaaa'), removeAfter: true },
        { dir: join(dir, 'runs', 'ephemeral-2-bbbbbb'), removeAfter: true },
        { dir: join(dir, 'runs', 'node-n1'), removeAfter: false },
      ]);
      live.release();
      assert.deepEqual(readdirSync(join(dir, 'runs')).sort(), ['ephemeral-1-aaaaaa', 'ephemeral-2-bbbbbb', 'node-n1', 'node-n2']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
