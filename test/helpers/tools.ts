// Real key tools (ssh-keygen, openssl, puttygen) for tests. In CI a missing tool fails the test
// run, never a silent skip.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(prefix = 'ec2lite-test-'): { path: string; file(name: string): string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, file: (name) => join(path, name), cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

export function run(cmd: string, args: string[], opts: { input?: string | Buffer; cwd?: string } = {}): string {
  return execFileSync(cmd, args, { input: opts.input, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}

export function runBuffer(cmd: string, args: string[], input?: Buffer): Buffer {
  return execFileSync(cmd, args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
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
