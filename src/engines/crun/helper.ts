// Compiles ec2lite-crun-helper (helper-source.ts) once per machine into the engine's directory,
// named by the source's hash so an upgraded ec2lite never runs a stale build.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HELPER_C } from './helper-source.js';

const run = promisify(execFile);

/** One compile per binary in this process: concurrent first uses (two launches at once) share it. */
const compiling = new Map<string, Promise<string>>();

export function helperBinary(binDir: string): Promise<string> {
  const hash = createHash('sha256').update(HELPER_C).digest('hex').slice(0, 12);
  const bin = join(binDir, `ec2lite-crun-helper-${hash}`);
  if (existsSync(bin)) return Promise.resolve(bin);
  let p = compiling.get(bin);
  if (!p) {
    p = compile(binDir, hash, bin).finally(() => compiling.delete(bin));
    compiling.set(bin, p);
  }
  return p;
}

async function compile(binDir: string, hash: string, bin: string): Promise<string> {
  mkdirSync(binDir, { recursive: true });
  // Names of this compile alone (other processes may compile the same source now: the rename is atomic).
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const src = join(binDir, `helper-${hash}-${tag}.c`);
  writeFileSync(src, HELPER_C);
  const tmp = `${bin}.${tag}.tmp`;
  try {
    await run('cc', ['-O2', '-o', tmp, src]);
  } catch (e) {
    throw new Error(`cannot compile the crun helper with cc: ${(e as { stderr?: string }).stderr ?? String(e)}`);
  } finally {
    rmSync(src, { force: true });
  }
  renameSync(tmp, bin);
  return bin;
}
