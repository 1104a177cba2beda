// Real key tools (ssh-keygen, openssl, puttygen) and temporary directories for tests. In CI a missing tool fails the test
// run, never a silent skip.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  readonly path: string;
  /** Absolute path of a file in the directory. */
  file(name: string): string;
  /** Writes a file with mode 0600 (ssh-keygen refuses private keys readable by others); returns its path. */
  write(name: string, content: string | Buffer): string;
  read(name: string): Buffer;
  readText(name: string): string;
  cleanup(): void;
}

/** A fresh private temporary directory; the caller removes it with cleanup(). */
export function tempDir(prefix = 'ec2lite-test-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  const file = (name: string) => join(path, name);
  return {
    path,
    file,
    write: (name, content) => writePrivate(file(name), content),
    read: (name) => readFileSync(file(name)),
    readText: (name) => readFileSync(file(name), 'utf8'),
    cleanup: () => rmSync(path, { recursive: true, force: true }),
  };
}

export interface ProcessResult {
  /** Exit status; -1 when the process was ended by a signal. */
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command without blocking the event loop (the server under test usually lives in this
 * process), collecting its output. stdin gets `input`, or nothing.
 */
export function runAsync(
  cmd: string,
  args: string[],
  opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<ProcessResult> {
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  if (opts.input !== undefined) child.stdin!.end(opts.input);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Fails the test file at once when a required tool is missing: in CI a missing tool is a failure, not a skip. */
export function requireTools(paths: readonly string[], purpose: string): void {
  for (const bin of paths) {
    if (!existsSync(bin)) throw new Error(`${bin} is required for ${purpose} (install openssh-client)`);
  }
}

/** Runs a tool and returns its stdout; a non-zero exit throws with the tool's stderr in the message. */
export function runBuffer(cmd: string, args: string[], opts: { input?: string | Buffer; cwd?: string } = {}): Buffer {
  try {
    return execFileSync(cmd, args, { input: opts.input, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000 });
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.stderr?.toString() || e.message}`);
  }
}

export function run(cmd: string, args: string[], opts: { input?: string | Buffer; cwd?: string } = {}): string {
  return runBuffer(cmd, args, opts).toString('utf8');
}

/** Runs a shell pipeline (for the AWS doc commands that pipe openssl into openssl). */
export function sh(script: string, cwd?: string): string {
  return run('sh', ['-c', script], { cwd });
}

/** The base64 key field of an OpenSSH public key line. */
export function keyField(line: string): string {
  const f = line.trim().split(/\s+/)[1];
  if (f === undefined) throw new Error(`not a public key line: ${line}`);
  return f;
}

/** ssh-keygen a key pair: returns the private key path and the .pub file's bytes. */
export function sshKeygen(dir: string, name: string, type: 'rsa' | 'ed25519' | 'ecdsa' | 'dsa', bits?: number): { path: string; pub: Buffer } {
  const path = join(dir, name);
  const args = ['-q', '-t', type, '-N', '', '-C', `${name}@test`, '-f', path];
  if (bits) args.push('-b', String(bits));
  run('ssh-keygen', args);
  return { path, pub: readFileSync(`${path}.pub`) };
}

export function writePrivate(path: string, contents: string | Buffer): string {
  writeFileSync(path, contents, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

/** `aa:bb:…` from openssl's `-c` digest output ("(stdin)= aa:bb…" or "SHA1(stdin)= …"). */
export const opensslDigest = (output: string): string => output.trim().split('= ').pop()!.trim();
