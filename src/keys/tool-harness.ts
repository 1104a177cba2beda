// Test support (not a test file itself): run the real openssl / ssh-keygen / puttygen on files in
// a fresh private temporary directory, which is removed afterwards.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class TempDir {
  readonly path: string;
  constructor() {
    this.path = mkdtempSync(join(tmpdir(), 'ec2lite-keys-'));
  }
  /** Absolute path of a file in the directory. */
  file(name: string): string {
    return join(this.path, name);
  }
  /** Write a file with mode 0600 (ssh-keygen refuses private keys readable by others). */
  write(name: string, content: string | Buffer): string {
    const p = this.file(name);
    writeFileSync(p, content, { mode: 0o600 });
    return p;
  }
  read(name: string): Buffer {
    return readFileSync(this.file(name));
  }
  readText(name: string): string {
    return readFileSync(this.file(name), 'utf8');
  }
  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** Run fn with a fresh temp dir, always deleting it afterwards. */
export async function withTempDir<T>(fn: (dir: TempDir) => T | Promise<T>): Promise<T> {
  const dir = new TempDir();
  try {
    return await fn(dir);
  } finally {
    dir.remove();
  }
}

/** Run a tool and return its stdout (throws with stderr in the message on a non-zero exit). */
export function run(cmd: string, args: string[], opts: { input?: string | Buffer; cwd?: string } = {}): Buffer {
  try {
    return execFileSync(cmd, args, { input: opts.input, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000 });
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.stderr?.toString() || e.message}`);
  }
}

export function runText(cmd: string, args: string[], opts: { input?: string | Buffer; cwd?: string } = {}): string {
  return run(cmd, args, opts).toString('utf8');
}

/** Run a shell pipeline (for the AWS doc commands that pipe openssl into openssl). */
export function sh(script: string, cwd?: string): string {
  return runText('sh', ['-c', script], { cwd });
}

/** The base64 key field of an OpenSSH public key line. */
export function keyField(line: string): string {
  const f = line.trim().split(/\s+/)[1];
  if (f === undefined) throw new Error(`not a public key line: ${line}`);
  return f;
}
