// The strict-mode credentials file: a JSON array of access keys, each bound to an account.
// It holds secrets, so it is written 0600 and atomically (temp file + rename), and never logged.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';

/** How the signature check finds a secret (implemented by CredentialsFile; tests pass a literal). */
export interface CredentialLookup {
  find(accessKeyId: string): { secretAccessKey: string; accountId: string; sessionToken?: string } | undefined;
}

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  name?: string;
  /** Optional: makes the key behave like temporary credentials whose token must accompany each request. */
  sessionToken?: string;
}

export const DEFAULT_CREDENTIALS_FILE = join('.ec2lite', 'credentials.json');
export const credentialsPath = (explicit?: string): string =>
  explicit ?? process.env.EC2LITE_CREDENTIALS ?? DEFAULT_CREDENTIALS_FILE;

export class CredentialsFileError extends Error {}

/** Validates parsed JSON; messages name the entry and field so a hand-edited file is easy to fix. */
export function parseCredentials(text: string, source: string): Credential[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    // V8's message quotes the text around the error, which may be a secret: keep the position only.
    const position = /position (\d+)/.exec((e as Error).message)?.[1];
    throw new CredentialsFileError(`${source}: not valid JSON${position ? ` (at character ${position})` : ''}`);
  }
  if (!Array.isArray(data)) throw new CredentialsFileError(`${source}: expected a JSON array of credentials`);
  const seen = new Set<string>();
  return data.map((raw, i) => {
    const where = `${source}: entry ${i}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new CredentialsFileError(`${where}: expected an object`);
    const r = raw as Record<string, unknown>;
    for (const key of Object.keys(r)) {
      if (!['accessKeyId', 'secretAccessKey', 'accountId', 'name', 'sessionToken'].includes(key)) {
        throw new CredentialsFileError(`${where}: unknown field "${key}"`);
      }
    }
    const str = (k: string, required: boolean): string | undefined => {
      const v = r[k];
      if (v === undefined && !required) return undefined;
      if (typeof v !== 'string' || v === '') throw new CredentialsFileError(`${where}: "${k}" must be a non-empty string`);
      return v;
    };
    const accessKeyId = str('accessKeyId', true)!;
    // The key id travels inside "AKID/date/region/ec2/aws4_request", so '/' and spaces would break it.
    if (!/^[A-Za-z0-9_]{1,128}$/.test(accessKeyId)) {
      throw new CredentialsFileError(`${where}: "accessKeyId" must be 1-128 letters, digits or underscores`);
    }
    if (seen.has(accessKeyId)) throw new CredentialsFileError(`${where}: duplicate accessKeyId ${accessKeyId}`);
    seen.add(accessKeyId);
    const secretAccessKey = str('secretAccessKey', true)!;
    const accountId = str('accountId', true)!;
    if (!/^\d{12}$/.test(accountId)) throw new CredentialsFileError(`${where}: "accountId" must be 12 digits`);
    const name = str('name', false);
    const sessionToken = str('sessionToken', false);
    return {
      accessKeyId,
      secretAccessKey,
      accountId,
      ...(name !== undefined && { name }),
      ...(sessionToken !== undefined && { sessionToken }),
    };
  });
}

/** Reads the file; a missing file is an empty list (so `credentials add` can create it). */
export function readCredentials(path: string): Credential[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new CredentialsFileError(`${path}: ${(e as Error).message}`);
  }
  return parseCredentials(text, path);
}

/** Writes via a 0600 temp file in the same directory, fsynced, then renamed over the target. */
export function writeCredentials(path: string, creds: readonly Credential[]): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(creds, null, 2)}\n`);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
}

/** A warning when the file is readable by group or others (as ssh does for private keys). */
export function permissionWarning(path: string): string | undefined {
  try {
    const mode = statSync(path).mode & 0o777;
    return mode & 0o077 ? `${path} is accessible by other users (mode ${mode.toString(8)}); run: chmod 600 ${path}` : undefined;
  } catch {
    return undefined;
  }
}

const ALNUM_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Unbiased random characters from an alphabet (rejection sampling over random bytes). */
function randomChars(alphabet: string, n: number): string {
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < n) {
    for (const b of randomBytes(n * 2)) {
      if (b < limit && out.length < n) out += alphabet[b % alphabet.length];
    }
  }
  return out;
}

/** New credentials shaped like AWS's: AKIA + 16 upper-case alphanumerics, a 40-character base64 secret. */
export function generateCredential(accountId: string, name?: string): Credential {
  return {
    accessKeyId: `AKIA${randomChars(ALNUM_UPPER, 16)}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    accountId,
    ...(name !== undefined && { name }),
  };
}

export const generateAccountId = (): string => randomChars('0123456789', 12);

/**
 * CredentialLookup over the file. Re-reads it when its mtime changes (checked at most once a
 * second), so `ec2lite credentials add` takes effect on a running server without a restart.
 */
export class CredentialsFile implements CredentialLookup {
  private byId = new Map<string, Credential>();
  private mtimeMs = -1;
  private checkedAt = 0;

  constructor(
    readonly path: string,
    private readonly clock: () => number = Date.now,
  ) {
    this.reload();
  }

  find(accessKeyId: string): Credential | undefined {
    const now = this.clock();
    if (now - this.checkedAt >= 1000) {
      this.checkedAt = now;
      try {
        if (statSync(this.path).mtimeMs !== this.mtimeMs) this.reload();
      } catch {
        // A file that vanished or became invalid keeps the last good keys until it is fixed.
      }
    }
    return this.byId.get(accessKeyId);
  }

  get size(): number {
    return this.byId.size;
  }

  private reload(): void {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(this.path).mtimeMs;
    } catch (e) {
      const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
      throw new CredentialsFileError(
        missing ? `${this.path}: no such file; create it with: ec2lite credentials add --file ${this.path}` : `${this.path}: ${(e as Error).message}`,
      );
    }
    this.byId = new Map(readCredentials(this.path).map((c) => [c.accessKeyId, c]));
    this.mtimeMs = mtimeMs;
  }
}
