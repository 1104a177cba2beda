// Key files on disk for the CLI: reading private keys (with OpenSSH's permission rule and
// passphrases) or public keys, and writing new key files without ever overwriting one.

import { chmod, lstat, readFile, stat, writeFile } from 'node:fs/promises';
import {
  InvalidPublicKeyError,
  PassphraseRequiredError,
  parseImportedPublicKey,
  readPrivateKeyFile,
  type PrivateKeyFile,
  type PublicKeyInfo,
} from '../keys/index.js';
import { CliError } from './errors.js';
import type { CommandIo } from './io.js';

/** A path quoted for a shell command line, only when it needs it. */
export function shellQuote(path: string): string {
  return /^[A-Za-z0-9_./@%+=:,-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

function fsMessage(e: unknown, path: string, verb: string): CliError {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return new CliError(`cannot ${verb} '${path}': no such file`);
  if (code === 'EISDIR') return new CliError(`cannot ${verb} '${path}': it is a directory`);
  if (code === 'EACCES') return new CliError(`cannot ${verb} '${path}': permission denied`);
  return new CliError(`cannot ${verb} '${path}': ${(e as Error).message}`);
}

export async function readInputFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    throw fsMessage(e, path, 'read');
  }
}

/**
 * OpenSSH's rule (sshkey_perm_ok): a private key file owned by the user must not be accessible by
 * group or others at all (mode & 077). Files owned by someone else are not checked, as in OpenSSH.
 */
export async function checkPrivateKeyPermissions(path: string): Promise<void> {
  if (typeof process.getuid !== 'function') return; // Windows: no POSIX modes
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    throw fsMessage(e, path, 'read');
  }
  if (st.uid !== process.getuid() || (st.mode & 0o077) === 0) return;
  const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
  throw new CliError(
    `permissions ${mode} for '${path}' are too open.\n` +
      `A private key file must not be accessible by group or others: ssh refuses such a key ` +
      `("UNPROTECTED PRIVATE KEY FILE") and so does ec2lite.\n` +
      `Fix it with:  chmod 400 ${shellQuote(path)}`,
  );
}

export interface PassphraseSource {
  /** --passphrase-file: the passphrase is the file's first line. */
  passphraseFile?: string;
  io: CommandIo;
}

async function obtainPassphrase(path: string, src: PassphraseSource): Promise<string> {
  if (src.passphraseFile !== undefined) {
    const text = (await readInputFile(src.passphraseFile)).toString('utf8');
    return text.split(/\r?\n/)[0] ?? '';
  }
  const secret = src.io.readSecret ? await src.io.readSecret(`Enter passphrase for '${path}': `) : undefined;
  if (secret === undefined) {
    throw new CliError(`'${path}' is encrypted: give its passphrase with --passphrase-file FILE (no terminal to ask on)`);
  }
  return secret;
}

/** Read and decode a private key file, after the permission check, asking for a passphrase if needed. */
export async function readPrivateKeyPath(path: string, src: PassphraseSource, data?: Buffer): Promise<PrivateKeyFile> {
  await checkPrivateKeyPermissions(path);
  const bytes = data ?? (await readInputFile(path));
  try {
    try {
      return readPrivateKeyFile(bytes);
    } catch (e) {
      if (!(e instanceof PassphraseRequiredError)) throw e;
    }
    return readPrivateKeyFile(bytes, await obtainPassphrase(path, src));
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`'${path}': ${(e as Error).message}`);
  }
}

export type KeyInput = { kind: 'private'; key: PrivateKeyFile } | { kind: 'public'; info: PublicKeyInfo };

function looksPrivate(data: Buffer): boolean {
  if (data[0] === 0x30) return true; // DER that is not a public key: try it as a private key
  const text = data.toString('utf8', 0, Math.min(data.length, 64 * 1024));
  return /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text) || /^\ufeff?PuTTY-User-Key-File-/.test(text.trimStart());
}

/** A private key file (PEM, OpenSSH, PPK) or a public key in any format ImportKeyPair accepts. */
export async function readKeyInput(path: string, src: PassphraseSource): Promise<KeyInput> {
  const data = await readInputFile(path);
  let publicError: Error;
  try {
    return { kind: 'public', info: parseImportedPublicKey(data) };
  } catch (e) {
    if (!(e instanceof InvalidPublicKeyError)) throw e;
    publicError = e;
  }
  if (looksPrivate(data)) return { kind: 'private', key: await readPrivateKeyPath(path, src, data) };
  throw new CliError(`'${path}' is neither a private key (PEM, OpenSSH, PuTTY) nor a public key ImportKeyPair accepts: ${publicError.message}`);
}

/** Fails with a clear message if something exists at `path` (ec2lite never overwrites a key file). */
export async function assertAbsent(path: string): Promise<void> {
  try {
    await lstat(path);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return;
    throw fsMessage(e, path, 'write');
  }
  throw new CliError(`'${path}' already exists; ec2lite never overwrites a key file (remove it or choose another name with -o)`);
}

/** Create `path` with exactly `mode` (O_EXCL: an existing file is never overwritten). */
export async function writeNewFile(path: string, data: string | Buffer, mode: number): Promise<void> {
  try {
    await writeFile(path, data, { flag: 'wx', mode });
  } catch (e) {
    if ((e as { code?: string }).code === 'EEXIST') {
      throw new CliError(`'${path}' already exists; ec2lite never overwrites a key file (remove it or choose another name with -o)`);
    }
    throw fsMessage(e, path, 'write');
  }
  await chmod(path, mode); // the umask may have cleared bits we want (0644 public keys)
}

export const PRIVATE_KEY_MODE = 0o400;
export const PUBLIC_KEY_MODE = 0o644;
