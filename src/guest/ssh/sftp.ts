// The SFTP subsystem over the guest filesystem, with the logged-in user's
// rights (so scp, which speaks SFTP in OpenSSH ≥ 9, and sftp both work).
// Relative paths are relative to the user's home, as with sftp-server; new
// files get the requested mode less sftp-server's umask (022). Written files
// are saved when their handle is closed; other changes before replying.
import ssh2 from 'ssh2';
import type { SFTPWrapper, Attributes, FileEntry } from 'ssh2';
import { isFsError } from '../fs/errors.js';
import { type Cred, type FileHandle, type StatInfo, type Vfs, resolvePath } from '../fs/vfs.js';
import { lsDate, modeString } from '../shell/commands/util.js';
import type { UserDb } from '../users.js';

const { STATUS_CODE, OPEN_MODE } = ssh2.utils.sftp;

const SFTP_UMASK = 0o022;
const MAX_HANDLES = 256;
const MAX_READ = 256 * 1024;

export interface SftpContext {
  vfs: Vfs;
  users: UserDb;
  cred: Cred;
  home: string;
  persist(): Promise<void>;
  now(): number;
}

type Handle = { kind: 'file'; fh: FileHandle; dirty: boolean } | { kind: 'dir'; path: string; sent: boolean };

function attrsOf(st: StatInfo): Attributes {
  return {
    mode: (st.type === 'dir' ? 0o040000 : 0o100000) | st.mode,
    uid: st.uid,
    gid: st.gid,
    size: st.size,
    atime: Math.floor(st.mtime / 1000),
    mtime: Math.floor(st.mtime / 1000),
  };
}

export function serveSftp(sftp: SFTPWrapper, c: SftpContext): void {
  const handles = new Map<number, Handle>();
  let next = 1;
  const abs = (p: string) => resolvePath(c.home, p || '.');
  const newHandle = (h: Handle): Buffer | undefined => {
    if (handles.size >= MAX_HANDLES) return undefined;
    const id = next++;
    handles.set(id, h);
    const b = Buffer.alloc(4);
    b.writeUInt32BE(id);
    return b;
  };
  const get = (b: Buffer): Handle | undefined => (b.length === 4 ? handles.get(b.readUInt32BE(0)) : undefined);
  const fail = (reqid: number, e: unknown) => {
    if (!isFsError(e)) {
      sftp.status(reqid, STATUS_CODE.FAILURE);
      return;
    }
    const code = e.code === 'ENOENT' ? STATUS_CODE.NO_SUCH_FILE : e.code === 'EACCES' || e.code === 'EPERM' ? STATUS_CODE.PERMISSION_DENIED : STATUS_CODE.FAILURE;
    sftp.status(reqid, code, e.text);
  };
  const ok = (reqid: number) => sftp.status(reqid, STATUS_CODE.OK);
  const changed = (reqid: number) => {
    c.persist().then(
      () => ok(reqid),
      () => sftp.status(reqid, STATUS_CODE.FAILURE),
    );
  };
  const longname = (name: string, st: StatInfo) =>
    `${modeString(st.type, st.mode)} ${String(st.nlink).padStart(3)} ${c.users.userName(st.uid).padEnd(8)} ${c.users.groupName(st.gid).padEnd(8)} ${String(st.size).padStart(8)} ${lsDate(st.mtime, c.now())} ${name}`;
  const setAttrs = (path: string, a: Attributes) => {
    if (a.size !== undefined) c.vfs.truncate(c.cred, path, a.size);
    if (a.uid !== undefined || a.gid !== undefined) {
      const st = c.vfs.stat(c.cred, path);
      if (a.uid !== st.uid || a.gid !== st.gid) c.vfs.chown(c.cred, path, a.uid, a.gid);
    }
    if (a.mode !== undefined) c.vfs.chmod(c.cred, path, a.mode & 0o7777);
    if (a.mtime !== undefined) c.vfs.utimes(c.cred, path, Number(a.mtime) * 1000);
  };

  sftp.on('OPEN', (reqid, filename, flags, attrs) => {
    try {
      const mode = attrs.mode !== undefined ? attrs.mode & 0o7777 & ~SFTP_UMASK : 0o666 & ~SFTP_UMASK;
      const fh = c.vfs.open(
        c.cred,
        abs(filename),
        {
          read: !!(flags & OPEN_MODE.READ),
          write: !!(flags & OPEN_MODE.WRITE),
          append: !!(flags & OPEN_MODE.APPEND),
          create: !!(flags & OPEN_MODE.CREAT),
          trunc: !!(flags & OPEN_MODE.TRUNC),
          excl: !!(flags & OPEN_MODE.EXCL),
        },
        mode,
      );
      const h = newHandle({ kind: 'file', fh, dirty: !!(flags & (OPEN_MODE.CREAT | OPEN_MODE.TRUNC)) });
      if (!h) return sftp.status(reqid, STATUS_CODE.FAILURE, 'too many open handles');
      sftp.handle(reqid, h);
    } catch (e) {
      fail(reqid, e);
    }
  });

  sftp.on('READ', (reqid, handle, offset, length) => {
    const h = get(handle);
    if (!h || h.kind !== 'file') return sftp.status(reqid, STATUS_CODE.FAILURE);
    try {
      const data = c.vfs.readAt(h.fh, offset, Math.min(length, MAX_READ));
      if (!data.length) return sftp.status(reqid, STATUS_CODE.EOF);
      sftp.data(reqid, data);
    } catch (e) {
      fail(reqid, e);
    }
  });

  sftp.on('WRITE', (reqid, handle, offset, data) => {
    const h = get(handle);
    if (!h || h.kind !== 'file') return sftp.status(reqid, STATUS_CODE.FAILURE);
    try {
      c.vfs.writeAt(h.fh, offset, data);
      h.dirty = true;
      ok(reqid);
    } catch (e) {
      fail(reqid, e);
    }
  });

  sftp.on('FSTAT', (reqid, handle) => {
    const h = get(handle);
    if (!h) return sftp.status(reqid, STATUS_CODE.FAILURE);
    try {
      sftp.attrs(reqid, attrsOf(c.vfs.stat(c.cred, h.kind === 'file' ? h.fh.path : h.path)));
    } catch (e) {
      fail(reqid, e);
    }
  });

  sftp.on('FSETSTAT', (reqid, handle, attrs) => {
    const h = get(handle);
    if (!h) return sftp.status(reqid, STATUS_CODE.FAILURE);
    try {
      setAttrs(h.kind === 'file' ? h.fh.path : h.path, attrs);
      changed(reqid);
    } catch (e) {
      fail(reqid, e);
    }
  });

  sftp.on('CLOSE', (reqid, handle) => {
    const h = get(handle);
    if (!h) return sftp.status(reqid, STATUS_CODE.FAILURE);
    handles.delete(handle.readUInt32BE(0));
    if (h.kind === 'file' && h.dirty) changed(reqid);
    else ok(reqid);
  });

  sftp.on('OPENDIR', (reqid, path) => {
    try {
      const p = abs(path);
      c.vfs.readdir(c.cred, p);
      const h = newHandle({ kind: 'dir', path: p, sent: false });
      if (!h) return sftp.status(reqid, STATUS_CODE.FAILURE, 'too many open handles');
      sftp.handle(reqid, h);
    } catch (e) {
      fail(reqid, e);
    }
  });

  sftp.on('READDIR', (reqid, handle) => {
    const h = get(handle);
    if (!h || h.kind !== 'dir') return sftp.status(reqid, STATUS_CODE.FAILURE);
    if (h.sent) return sftp.status(reqid, STATUS_CODE.EOF);
    h.sent = true;
    try {
      const names = ['.', '..', ...c.vfs.readdir(c.cred, h.path)];
      const entries: FileEntry[] = [];
      for (const n of names) {
        const p = n === '.' ? h.path : n === '..' ? resolvePath(h.path, '..') : resolvePath(h.path, n);
        try {
          const st = c.vfs.stat(c.cred, p);
          entries.push({ filename: n, longname: longname(n, st), attrs: attrsOf(st) as FileEntry['attrs'] });
        } catch {
          // vanished or not searchable: skip, as readdir+stat would
        }
      }
      sftp.name(reqid, entries);
    } catch (e) {
      fail(reqid, e);
    }
  });

  const stat = (reqid: number, path: string) => {
    try {
      sftp.attrs(reqid, attrsOf(c.vfs.stat(c.cred, abs(path))));
    } catch (e) {
      fail(reqid, e);
    }
  };
  sftp.on('STAT', stat);
  sftp.on('LSTAT', stat);

  sftp.on('SETSTAT', (reqid, path, attrs) => {
    try {
      setAttrs(abs(path), attrs);
      changed(reqid);
    } catch (e) {
      fail(reqid, e);
    }
  });

  sftp.on('REALPATH', (reqid, path) => {
    const p = abs(path);
    sftp.name(reqid, [{ filename: p, longname: p, attrs: {} as FileEntry['attrs'] }]);
  });

  sftp.on('MKDIR', (reqid, path, attrs) => {
    try {
      c.vfs.mkdir(c.cred, abs(path), (attrs.mode ?? 0o777) & 0o7777 & ~SFTP_UMASK);
      changed(reqid);
    } catch (e) {
      fail(reqid, e);
    }
  });

  sftp.on('RMDIR', (reqid, path) => {
    try {
      c.vfs.rmdir(c.cred, abs(path));
      changed(reqid);
    } catch (e) {
      fail(reqid, e);
    }
  });

  sftp.on('REMOVE', (reqid, path) => {
    try {
      c.vfs.unlink(c.cred, abs(path));
      changed(reqid);
    } catch (e) {
      fail(reqid, e);
    }
  });

  sftp.on('RENAME', (reqid, from, to) => {
    try {
      // SFTPv3 rename does not overwrite (sftp-server links then unlinks)
      if (c.vfs.exists(c.cred, abs(to))) return sftp.status(reqid, STATUS_CODE.FAILURE);
      c.vfs.rename(c.cred, abs(from), abs(to));
      changed(reqid);
    } catch (e) {
      fail(reqid, e);
    }
  });

  sftp.on('READLINK', (reqid) => sftp.status(reqid, STATUS_CODE.OP_UNSUPPORTED));
  sftp.on('SYMLINK', (reqid) => sftp.status(reqid, STATUS_CODE.OP_UNSUPPORTED));
  sftp.on('close', () => {
    handles.clear();
    void c.persist().catch(() => {});
  });
}
