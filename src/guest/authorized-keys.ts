// sshd's StrictModes at login: the target user's authorized_keys lines, read at each attempt from
// the guest's files. The file and every directory from it up to the home directory must be owned
// by the user or root and not writable by group or others; the file is read with the user's own
// rights. Over GuestFiles, so a real engine's root filesystem gets the same checks.
import { trimEndOf } from '../domain/trim.js';
import { FsError } from './fs/errors.js';
import type { GuestFiles } from './guest-files.js';
import type { PasswdEntry, UserDb } from './users.js';

/** Why an authorized_keys lookup refused, in sshd's words (for logs). */
export type AuthorizedKeys = { ok: true; user: PasswdEntry; lines: string[] } | { ok: false; reason: string; unknownUser?: boolean };

export function authorizedKeysOf(files: GuestFiles, users: UserDb, userName: string): AuthorizedKeys {
  const user = users.user(userName);
  if (!user) return { ok: false, reason: `Invalid user ${userName}`, unknownUser: true };
  const file = `${trimEndOf(user.home, '/')}/.ssh/authorized_keys`;
  const bad = (st: { uid: number; mode: number }) => (st.uid !== 0 && st.uid !== user.uid) || (st.mode & 0o022) !== 0;
  try {
    const st = files.stat(file);
    if (st.type !== 'file') return { ok: false, reason: `${file} is not a regular file` };
    if (bad(st)) return { ok: false, reason: `Authentication refused: bad ownership or modes for file ${file}` };
    let dir = file.slice(0, file.lastIndexOf('/'));
    for (;;) {
      const ds = files.stat(dir || '/');
      if (bad(ds)) return { ok: false, reason: `Authentication refused: bad ownership or modes for directory ${dir}` };
      if (dir === user.home || dir === '' || dir === '/') break;
      dir = dir.slice(0, dir.lastIndexOf('/'));
    }
    const text = files.readFileAs(users.credOf(user), file).toString('utf8');
    return { ok: true, user, lines: text.split('\n') };
  } catch (e) {
    if (e instanceof FsError) return { ok: false, reason: `Could not open user '${userName}' authorized keys '${file}': ${e.text}` };
    throw e;
  }
}
