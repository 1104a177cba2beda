// The few file operations first boot, cloud-init, the user database and sshd's StrictModes check
// need from a guest's root filesystem, all as root except one read with a user's rights. The
// simulated engine implements it over its Vfs (vfsFiles); a real engine implements it over the
// instance's root directory on the host, so those modules run unchanged on a real filesystem.
// Errors are FsError (fs/errors.ts): a real implementation maps errno to the same codes.
import { ROOT_CRED, type Vfs } from './fs/vfs.js';

export interface GuestFileStat {
  type: 'file' | 'dir' | 'symlink' | 'other';
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Milliseconds since the epoch. */
  mtime: number;
}

/** A user's rights for one read (uid, primary and supplementary groups). */
export interface FileReader {
  uid: number;
  gid: number;
  groups: readonly number[];
}

export interface GuestFiles {
  exists(path: string): boolean;
  /** Follows symlinks, as stat(2). */
  stat(path: string): GuestFileStat;
  readFile(path: string): Buffer;
  /** Reads with a user's own rights (sshd reads authorized_keys as the user). */
  readFileAs(user: FileReader, path: string): Buffer;
  readdir(path: string): string[];
  writeFile(path: string, data: string | Buffer, opts?: { append?: boolean; mode?: number }): void;
  mkdir(path: string, mode?: number): void;
  unlink(path: string): void;
  chmod(path: string, mode: number): void;
  /** undefined leaves that id as it is. */
  chown(path: string, uid: number | undefined, gid: number | undefined): void;
}

/** The simulated engine's root filesystem as GuestFiles. */
export function vfsFiles(vfs: Vfs): GuestFiles {
  return {
    exists: (path) => vfs.exists(ROOT_CRED, path),
    stat: (path) => {
      const st = vfs.stat(ROOT_CRED, path);
      return { type: st.type, mode: st.mode, uid: st.uid, gid: st.gid, size: st.size, mtime: st.mtime };
    },
    readFile: (path) => vfs.readFile(ROOT_CRED, path),
    readFileAs: (user, path) => vfs.readFile(user, path),
    readdir: (path) => vfs.readdir(ROOT_CRED, path),
    writeFile: (path, data, opts) => vfs.writeFile(ROOT_CRED, path, data, opts),
    mkdir: (path, mode) => vfs.mkdir(ROOT_CRED, path, mode),
    unlink: (path) => vfs.unlink(ROOT_CRED, path),
    chmod: (path, mode) => vfs.chmod(ROOT_CRED, path, mode),
    chown: (path, uid, gid) => vfs.chown(ROOT_CRED, path, uid, gid),
  };
}
