// Reading and writing the file an editor edits, the way vim and nano do it on
// Linux: an existing file is rewritten in place (same inode, so its owner,
// group and mode stay), a new file is created with 0666 & ~umask, and what
// went wrong comes back as an errno for the editor to word its own way.
import { isFsError, type Errno } from '../../../fs/errors.js';
import { R, W, dirname, resolvePath } from '../../../fs/vfs.js';
import type { CommandContext } from '../../types.js';

export interface LoadedFile {
  /** Absolute path. */
  path: string;
  /** Lines without their newlines ([''] for an empty or new file). */
  lines: string[];
  /** The file exists (as a file). */
  exists: boolean;
  /** Bytes read. */
  bytes: number;
  /** The last line had no newline. */
  noEol: boolean;
  /** It exists but this user may not write it. */
  unwritable: boolean;
  /** Why it could not be read (EACCES, EISDIR…), if so. */
  error?: Errno;
}

/** What one buffer may hold: files larger than this are refused as "too large" by the editors. */
export const MAX_EDIT_BYTES = 16 * 1024 * 1024;

export function loadFile(ctx: CommandContext, name: string): LoadedFile {
  const path = resolvePath(ctx.proc.cwd, name);
  const vfs = ctx.sys.vfs;
  const cred = ctx.proc.cred;
  const empty = { path, lines: [''], bytes: 0, noEol: false, unwritable: false };
  let st;
  try {
    st = vfs.stat(cred, path);
  } catch (e) {
    if (isFsError(e)) return { ...empty, exists: false, error: e.code === 'ENOENT' ? undefined : e.code };
    throw e;
  }
  if (st.type === 'dir') return { ...empty, exists: false, error: 'EISDIR' };
  if (!vfs.access(cred, path, R)) return { ...empty, exists: true, error: 'EACCES', unwritable: !vfs.access(cred, path, W) };
  if (st.size > MAX_EDIT_BYTES) return { ...empty, exists: true, error: 'EFBIG' };
  const text = vfs.readFile(cred, path).toString('utf8');
  const noEol = text.length > 0 && !text.endsWith('\n');
  const lines = text.length ? (noEol ? text : text.slice(0, -1)).split('\n') : [''];
  return { path, lines, exists: true, bytes: st.size, noEol, unwritable: !vfs.access(cred, path, W) };
}

export type SaveResult = { ok: true; created: boolean; bytes: number } | { ok: false; code: Errno };

/** Write `text` to `name`: in place when it exists (owner and mode kept), else created with 0666 & ~umask. */
export function saveFile(ctx: CommandContext, name: string, text: string, opts: { force?: boolean } = {}): SaveResult {
  const path = resolvePath(ctx.proc.cwd, name);
  const vfs = ctx.sys.vfs;
  const cred = ctx.proc.cred;
  const data = Buffer.from(text, 'utf8');
  let existed = false;
  let restoreMode: number | undefined;
  try {
    const st = vfs.stat(cred, path);
    if (st.type === 'dir') return { ok: false, code: 'EISDIR' };
    existed = true;
    // `:w!` on one's own read-only file: vim makes it writable for the write, then puts the mode back
    if (opts.force && st.uid === cred.uid && !vfs.access(cred, path, W)) {
      restoreMode = st.mode;
      vfs.chmod(cred, path, st.mode | 0o200);
    }
  } catch (e) {
    if (!isFsError(e)) throw e;
    if (e.code !== 'ENOENT') return { ok: false, code: e.code };
    if (!vfs.exists(cred, dirname(path))) return { ok: false, code: 'ENOENT' };
  }
  try {
    vfs.writeFile(cred, path, data, { mode: 0o666 & ~ctx.proc.umask });
    return { ok: true, created: !existed, bytes: data.length };
  } catch (e) {
    if (isFsError(e)) return { ok: false, code: e.code };
    throw e;
  } finally {
    if (restoreMode !== undefined) vfs.chmod(cred, path, restoreMode);
  }
}

/** A path as vim shows it: under $HOME as ~/…, otherwise as given. */
export function displayName(ctx: CommandContext, name: string): string {
  const home = ctx.proc.env.get('HOME');
  const abs = resolvePath(ctx.proc.cwd, name);
  if (name.startsWith('/') && home && home !== '/' && abs.startsWith(`${home}/`)) return `~/${abs.slice(home.length + 1)}`;
  return name;
}
