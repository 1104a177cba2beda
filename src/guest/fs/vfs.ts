// The instance's view of its filesystems: the root volume at "/", other
// volumes grafted in by `mount`, and Unix permission checks for a given
// credential on every path walk (search permission on each directory, read or
// write on the target). Root bypasses read/write checks, as on Linux.
//
// Paths are normalised lexically (there are no symlinks), so ".." never
// escapes a mount in a surprising way and nothing here can reach host files.
import { FsError } from './errors.js';
import { type Inode, type InodeType, Volume } from './volume.js';

export interface Cred {
  uid: number;
  gid: number;
  /** Supplementary groups (may include gid). */
  groups: readonly number[];
}

export const ROOT_CRED: Cred = Object.freeze({ uid: 0, gid: 0, groups: [0] });

export const R = 4;
export const W = 2;
export const X = 1;

export interface StatInfo {
  type: InodeType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  ctime: number;
  ino: number;
  nlink: number;
  /** Source device of the filesystem holding the file, e.g. /dev/xvda1. */
  device: string;
}

interface Node {
  vol: Volume;
  inode: Inode;
}

interface Walked {
  path: string;
  node: Node | undefined;
  parent: Node | undefined;
  name: string;
}

export interface MountEntry {
  target: string;
  source: string;
  volume: Volume;
}

/** An open file, for SFTP handles. */
export interface FileHandle {
  readonly path: string;
  readonly vol: Volume;
  readonly inode: Inode;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly append: boolean;
}

/** An absolute path with no empty, `.` or `..` component and no trailing slash: already normal. */
const NOT_NORMAL = /\/\/|\/\.\.?(\/|$)|.\/$/;

export function normalizePath(p: string): string {
  // Most paths a guest walks (cloud-init, the shell) are already normal: no split and join for them.
  if (p.startsWith('/') && !NOT_NORMAL.test(p)) return p;
  const out: string[] = [];
  for (const c of p.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') out.pop();
    else out.push(c);
  }
  return '/' + out.join('/');
}

export function resolvePath(cwd: string, p: string): string {
  return normalizePath(p.startsWith('/') ? p : `${cwd}/${p}`);
}

export function dirname(p: string): string {
  const n = normalizePath(p);
  const i = n.lastIndexOf('/');
  return i <= 0 ? '/' : n.slice(0, i);
}

export function basename(p: string): string {
  const n = normalizePath(p);
  return n.slice(n.lastIndexOf('/') + 1);
}

export function permits(cred: Cred, n: Inode, want: number): boolean {
  if (cred.uid === 0) {
    if (want & X) return n.type === 'dir' || (n.mode & 0o111) !== 0;
    return true;
  }
  let bits: number;
  if (cred.uid === n.uid) bits = (n.mode >> 6) & 7;
  else if (cred.gid === n.gid || cred.groups.includes(n.gid)) bits = (n.mode >> 3) & 7;
  else bits = n.mode & 7;
  return (bits & want) === want;
}

export class Vfs {
  private readonly mounts = new Map<string, MountEntry>();

  constructor(
    readonly root: Volume,
    readonly rootSource: string,
    private readonly now: () => number = Date.now,
  ) {
    this.mounts.set('/', { target: '/', source: rootSource, volume: root });
  }

  // ---- mounts -------------------------------------------------------------

  mountTable(): MountEntry[] {
    return [...this.mounts.values()];
  }

  mountOf(volume: Volume): MountEntry | undefined {
    for (const m of this.mounts.values()) if (m.volume === volume) return m;
    return undefined;
  }

  /** Volumes currently visible (root plus mounted ones), for saving. */
  volumes(): Volume[] {
    return [...new Set([...this.mounts.values()].map((m) => m.volume))];
  }

  mount(source: string, volume: Volume, target: string): void {
    const t = normalizePath(target);
    const w = this.walk(ROOT_CRED, t);
    if (!w.node) throw new FsError('ENOENT', t);
    if (w.node.inode.type !== 'dir') throw new FsError('ENOTDIR', t);
    if (this.mounts.has(t) || this.mountOf(volume)) throw new FsError('EBUSY', t);
    this.mounts.set(t, { target: t, source, volume });
  }

  umount(target: string): MountEntry {
    const t = normalizePath(target);
    const m = this.mounts.get(t);
    if (!m || t === '/') throw new FsError('EINVAL', t);
    for (const other of this.mounts.keys()) if (other !== t && other.startsWith(t + '/')) throw new FsError('EBUSY', t);
    this.mounts.delete(t);
    return m;
  }

  // ---- path walking -------------------------------------------------------

  private walk(cred: Cred, path: string): Walked {
    const p = normalizePath(path);
    const root = this.mounts.get('/')!;
    let node: Node = { vol: root.volume, inode: root.volume.get(root.volume.rootIno) };
    if (p === '/') return { path: p, node, parent: undefined, name: '' };
    const comps = p.slice(1).split('/');
    let cur = '';
    for (let i = 0; i < comps.length; i++) {
      const c = comps[i]!;
      if (node.inode.type !== 'dir') throw new FsError('ENOTDIR', p);
      if (!permits(cred, node.inode, X)) throw new FsError('EACCES', p);
      const ino = node.inode.entries.get(c);
      const last = i === comps.length - 1;
      if (ino === undefined) {
        if (last) return { path: p, node: undefined, parent: node, name: c };
        throw new FsError('ENOENT', p);
      }
      cur += '/' + c;
      const m = this.mounts.get(cur);
      const next: Node = m ? { vol: m.volume, inode: m.volume.get(m.volume.rootIno) } : { vol: node.vol, inode: node.vol.get(ino) };
      if (last) return { path: p, node: next, parent: node, name: c };
      node = next;
    }
    throw new Error('unreachable');
  }

  private existing(cred: Cred, path: string): Walked & { node: Node } {
    const w = this.walk(cred, path);
    if (!w.node) throw new FsError('ENOENT', w.path);
    return w as Walked & { node: Node };
  }

  private deviceOf(vol: Volume): string {
    return this.mountOf(vol)?.source ?? '?';
  }

  // ---- queries ------------------------------------------------------------

  stat(cred: Cred, path: string): StatInfo {
    const { node } = this.existing(cred, path);
    const n = node.inode;
    return {
      type: n.type,
      mode: n.mode,
      uid: n.uid,
      gid: n.gid,
      size: n.type === 'file' ? n.data.length : 4096,
      mtime: n.mtime,
      ctime: n.ctime,
      ino: n.ino,
      nlink: n.type === 'dir' ? 2 + [...n.entries.values()].filter((i) => node.vol.get(i).type === 'dir').length : 1,
      device: this.deviceOf(node.vol),
    };
  }

  exists(cred: Cred, path: string): boolean {
    try {
      return this.walk(cred, path).node !== undefined;
    } catch {
      return false;
    }
  }

  /** access(2): may `cred` read/write/search `path`? */
  access(cred: Cred, path: string, want: number): boolean {
    try {
      const { node } = this.existing(cred, path);
      return permits(cred, node.inode, want);
    } catch {
      return false;
    }
  }

  isMountPoint(path: string): boolean {
    return this.mounts.has(normalizePath(path));
  }

  readFile(cred: Cred, path: string): Buffer {
    const { node, path: p } = this.existing(cred, path);
    if (node.inode.type === 'dir') throw new FsError('EISDIR', p);
    if (!permits(cred, node.inode, R)) throw new FsError('EACCES', p);
    return node.inode.data;
  }

  readdir(cred: Cred, path: string): string[] {
    const { node, path: p } = this.existing(cred, path);
    if (node.inode.type !== 'dir') throw new FsError('ENOTDIR', p);
    if (!permits(cred, node.inode, R)) throw new FsError('EACCES', p);
    return [...node.inode.entries.keys()].sort();
  }

  // ---- changes ------------------------------------------------------------

  private checkCreate(cred: Cred, w: Walked): Node {
    const parent = w.parent;
    if (!parent) throw new FsError('EEXIST', w.path);
    if (!permits(cred, parent.inode, W | X)) throw new FsError('EACCES', w.path);
    return parent;
  }

  private newOwner(cred: Cred, parent: Node): { uid: number; gid: number } {
    // setgid directories hand their group to new entries
    return { uid: cred.uid, gid: parent.inode.mode & 0o2000 ? parent.inode.gid : cred.gid };
  }

  /** Write (create, truncate or append) a whole file. `mode` applies on creation only. */
  writeFile(cred: Cred, path: string, data: Buffer | string, opts: { append?: boolean; mode?: number } = {}): void {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    const w = this.walk(cred, path);
    const now = this.now();
    if (w.node) {
      const n = w.node.inode;
      if (n.type === 'dir') throw new FsError('EISDIR', w.path);
      if (!permits(cred, n, W)) throw new FsError('EACCES', w.path);
      w.node.vol.setData(n, opts.append ? Buffer.concat([n.data, buf]) : buf, now, w.path);
      return;
    }
    const parent = this.checkCreate(cred, w);
    const o = this.newOwner(cred, parent);
    const n = parent.vol.create(parent.inode, w.name, 'file', opts.mode ?? 0o644, o.uid, o.gid, now, w.path);
    if (buf.length) {
      try {
        parent.vol.setData(n, buf, now, w.path);
      } catch (e) {
        parent.vol.remove(parent.inode, w.name, now);
        throw e;
      }
    }
  }

  mkdir(cred: Cred, path: string, mode = 0o755): void {
    const w = this.walk(cred, path);
    if (w.node) throw new FsError('EEXIST', w.path);
    const parent = this.checkCreate(cred, w);
    const o = this.newOwner(cred, parent);
    const setgid = parent.inode.mode & 0o2000;
    parent.vol.create(parent.inode, w.name, 'dir', mode | setgid, o.uid, o.gid, this.now(), w.path);
  }

  private checkRemove(cred: Cred, w: Walked & { node: Node }): Node {
    const parent = w.parent;
    if (!parent || this.mounts.has(w.path)) throw new FsError('EBUSY', w.path);
    if (!permits(cred, parent.inode, W | X)) throw new FsError('EACCES', w.path);
    // sticky directories (/tmp): only the owner of the entry or directory may remove
    if (parent.inode.mode & 0o1000 && cred.uid !== 0 && cred.uid !== w.node.inode.uid && cred.uid !== parent.inode.uid) {
      throw new FsError('EPERM', w.path);
    }
    return parent;
  }

  unlink(cred: Cred, path: string): void {
    const w = this.existing(cred, path);
    if (w.node.inode.type === 'dir') throw new FsError('EISDIR', w.path);
    const parent = this.checkRemove(cred, w);
    parent.vol.remove(parent.inode, w.name, this.now());
  }

  rmdir(cred: Cred, path: string): void {
    const w = this.existing(cred, path);
    if (w.node.inode.type !== 'dir') throw new FsError('ENOTDIR', w.path);
    const parent = this.checkRemove(cred, w);
    if (w.node.inode.entries.size > 0) throw new FsError('ENOTEMPTY', w.path);
    parent.vol.remove(parent.inode, w.name, this.now());
  }

  rename(cred: Cred, from: string, to: string): void {
    const a = this.existing(cred, from);
    const b = this.walk(cred, to);
    const pa = this.checkRemove(cred, a);
    if (b.node && b.node.inode === a.node.inode) return;
    const pb = this.checkCreate(cred, b);
    if (pa.vol !== pb.vol || this.mounts.has(b.path)) throw new FsError(this.mounts.has(b.path) ? 'EBUSY' : 'EXDEV', b.path);
    if (a.node.inode.type === 'dir' && (b.path + '/').startsWith(a.path + '/')) throw new FsError('EINVAL', b.path);
    if (b.node) {
      if (b.node.inode.type === 'dir' && a.node.inode.type !== 'dir') throw new FsError('EISDIR', b.path);
      if (b.node.inode.type !== 'dir' && a.node.inode.type === 'dir') throw new FsError('ENOTDIR', b.path);
      if (b.node.inode.type === 'dir' && b.node.inode.entries.size > 0) throw new FsError('ENOTEMPTY', b.path);
    }
    pa.vol.move(pa.inode, a.name, pb.inode, b.name, this.now());
  }

  chmod(cred: Cred, path: string, mode: number): void {
    const { node, path: p } = this.existing(cred, path);
    if (cred.uid !== 0 && cred.uid !== node.inode.uid) throw new FsError('EPERM', p);
    node.inode.mode = mode & 0o7777;
    node.inode.ctime = this.now();
    node.vol.changed(node.inode.ino);
  }

  /** chown(2): only root changes the owner; an owner may change the group to one of their own. */
  chown(cred: Cred, path: string, uid: number | undefined, gid: number | undefined): void {
    const { node, path: p } = this.existing(cred, path);
    const n = node.inode;
    if (cred.uid !== 0) {
      const ownerOk = uid === undefined || uid === n.uid;
      const groupOk = gid === undefined || gid === n.gid || cred.gid === gid || cred.groups.includes(gid);
      if (cred.uid !== n.uid || !ownerOk || !groupOk) throw new FsError('EPERM', p);
    }
    if (uid !== undefined) n.uid = uid;
    if (gid !== undefined) n.gid = gid;
    // chown clears setuid/setgid on files, as Linux does
    if (n.type === 'file' && (uid !== undefined || gid !== undefined)) n.mode &= ~0o6000;
    n.ctime = this.now();
    node.vol.changed(n.ino);
  }

  utimes(cred: Cred, path: string, mtime: number): void {
    const { node, path: p } = this.existing(cred, path);
    if (cred.uid !== 0 && cred.uid !== node.inode.uid && !permits(cred, node.inode, W)) throw new FsError('EACCES', p);
    node.inode.mtime = mtime;
    node.vol.changed(node.inode.ino);
  }

  // ---- open files (SFTP) --------------------------------------------------

  open(
    cred: Cred,
    path: string,
    flags: { read?: boolean; write?: boolean; create?: boolean; trunc?: boolean; excl?: boolean; append?: boolean },
    mode = 0o644,
  ): FileHandle {
    let w = this.walk(cred, path);
    if (w.node && flags.create && flags.excl) throw new FsError('EEXIST', w.path);
    if (!w.node) {
      if (!flags.create) throw new FsError('ENOENT', w.path);
      this.writeFile(cred, w.path, Buffer.alloc(0), { mode });
      w = this.walk(cred, path);
    } else {
      const n = w.node.inode;
      if (n.type === 'dir') throw new FsError('EISDIR', w.path);
      if (flags.read && !permits(cred, n, R)) throw new FsError('EACCES', w.path);
      if ((flags.write || flags.append) && !permits(cred, n, W)) throw new FsError('EACCES', w.path);
      if (flags.trunc && n.data.length) w.node.vol.setData(n, Buffer.alloc(0), this.now(), w.path);
    }
    const node = w.node!;
    return {
      path: w.path,
      vol: node.vol,
      inode: node.inode,
      readable: !!flags.read,
      writable: !!(flags.write || flags.append),
      append: !!flags.append,
    };
  }

  readAt(h: FileHandle, offset: number, length: number): Buffer {
    if (!h.readable) throw new FsError('EACCES', h.path);
    return h.inode.data.subarray(offset, offset + length);
  }

  writeAt(h: FileHandle, offset: number, data: Buffer): void {
    if (!h.writable) throw new FsError('EACCES', h.path);
    const cur = h.inode.data;
    const at = h.append ? cur.length : offset;
    const end = at + data.length;
    const next = Buffer.alloc(Math.max(cur.length, end));
    cur.copy(next, 0);
    data.copy(next, at);
    h.vol.setData(h.inode, next, this.now(), h.path);
  }

  truncate(cred: Cred, path: string, size: number): void {
    const { node, path: p } = this.existing(cred, path);
    if (node.inode.type === 'dir') throw new FsError('EISDIR', p);
    if (!permits(cred, node.inode, W)) throw new FsError('EACCES', p);
    const next = Buffer.alloc(size);
    node.inode.data.copy(next, 0, 0, Math.min(size, node.inode.data.length));
    node.vol.setData(node.inode, next, this.now(), p);
  }
}
