// One volume = one inode tree (what a block device's filesystem holds).
// Paths, mounts and permission checks live in vfs.ts; this file only owns
// inodes, their accounting against limits, and the JSON snapshot format the
// store persists.
import { FsError } from './errors.js';

export type InodeType = 'file' | 'dir';
export type FsType = 'xfs' | 'ext4';

export interface Inode {
  readonly ino: number;
  readonly type: InodeType;
  /** Permission bits including setuid/setgid/sticky (0o7777). */
  mode: number;
  uid: number;
  gid: number;
  /** Milliseconds since the epoch. */
  mtime: number;
  ctime: number;
  /** File contents (type 'file'). */
  data: Buffer;
  /** Directory entries name → ino (type 'dir'). */
  entries: Map<string, number>;
}

/**
 * What a file inode holds as `entries` and a directory as `data`: one shared instance of each
 * instead of an empty Map per file and an empty Buffer per directory (~8 KB of a booted guest's
 * ~27 KB filesystem). The map refuses changes, so a stray write can never reach another instance.
 */
class NoEntries extends Map<string, number> {
  override set(): this {
    throw new Error('a file has no directory entries');
  }
  override delete(): boolean {
    throw new Error('a file has no directory entries');
  }
  override clear(): void {
    throw new Error('a file has no directory entries');
  }
}
const NO_ENTRIES: Map<string, number> = new NoEntries();
const NO_DATA = Buffer.alloc(0); // zero length: nothing can be written into it

/** Limits that keep one instance from exhausting the server. */
export interface FsLimits {
  maxFileBytes: number;
  maxVolumeBytes: number;
  maxInodes: number;
}

export const DEFAULT_FS_LIMITS: FsLimits = {
  maxFileBytes: 8 * 1024 * 1024,
  maxVolumeBytes: 64 * 1024 * 1024,
  maxInodes: 20_000,
};

/** JSON-able form of a volume, what `VolumeStore` saves and loads. */
export interface FsSnapshot {
  format: 'ec2lite-fs/1';
  /** Whether the block device carries a partition table (xvdf → xvdf1), as image root volumes do. */
  partitioned: boolean;
  /** The filesystem mkfs made (absent: xfs, as on the images that predate this field). */
  fsType?: FsType;
  /** Filesystem UUID (blkid); absent on old snapshots. */
  uuid?: string;
  /** A blank volume that was never formatted: no filesystem to mount until mkfs. */
  unformatted?: boolean;
  rootIno: number;
  nextIno: number;
  inodes: SnapshotInode[];
}

/** A volume's own fields, without its inodes. */
export type FsHeader = Omit<FsSnapshot, 'inodes'>;

/**
 * What changed since the last takeChanges(): the inodes to write and the numbers no longer in
 * use, or `full` when the volume must be written whole (new, formatted, or a save failed).
 */
export interface VolumeChanges {
  full: boolean;
  header: FsHeader;
  changed: SnapshotInode[];
  removed: number[];
}

export interface SnapshotInode {
  ino: number;
  type: InodeType;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  ctime: number;
  /** base64 contents, files only. */
  data?: string;
  /** [name, ino] pairs, directories only. */
  entries?: [string, number][];
}

function snapshotInode(n: Inode): SnapshotInode {
  const si: SnapshotInode = { ino: n.ino, type: n.type, mode: n.mode, uid: n.uid, gid: n.gid, mtime: n.mtime, ctime: n.ctime };
  if (n.type === 'file') si.data = n.data.toString('base64');
  else si.entries = [...n.entries];
  return si;
}

export class Volume {
  /**
   * Inodes by number: a freed number is given to the next new inode, as filesystems reuse them. A Map keyed by ever-growing numbers held the ~90 inodes of a booted
   * guest in a hash table that V8 doubled (128 → 256 entries, +3.6 KB) once ~40 files had come and
   * gone, which every instance of a soak reached after a few minutes of SSH sessions: RSS crept
   * (docs/scaling.md, "soak"). The array is ~0.7 KB and stays the size of the most inodes held. A
   * freed slot keeps its index (set to undefined, not deleted), so even an array V8 keeps sparse
   * (a volume saved by older versions, numbered up to thousands) never churns its keys.
   */
  private readonly inodes: (Inode | undefined)[] = [];
  /** Numbers freed here; the last one freed is reused first. */
  private free: number[] = [];
  /** Numbers below this one that a loaded snapshot left unused have not been looked for yet. */
  private scan: number;
  private live = 0;
  /** The number after the highest one in use (or ever used since load). */
  private nextIno: number;
  private bytes = 0;
  rootIno: number;
  partitioned: boolean;
  fsType: FsType = 'xfs';
  uuid = '';
  unformatted = false;
  /** Bumped on every change; the guest saves a volume when it moved. */
  generation = 0;
  /** Inode numbers changed (or freed) since the last takeChanges(): a save writes only these. */
  private dirty = new Set<number>();
  /** The next save must write the whole volume. */
  private dirtyAll = true;

  private constructor(
    readonly limits: FsLimits,
    partitioned: boolean,
    rootIno: number,
    nextIno: number,
  ) {
    this.partitioned = partitioned;
    this.rootIno = rootIno;
    this.nextIno = nextIno;
    this.scan = nextIno;
  }

  /** An empty filesystem: a root directory 0755 owned by root, as mkfs leaves it. */
  static empty(opts: { partitioned?: boolean; limits?: FsLimits; now?: number; unformatted?: boolean; fsType?: FsType; uuid?: string } = {}): Volume {
    const v = new Volume(opts.limits ?? DEFAULT_FS_LIMITS, opts.partitioned ?? false, 1, 2);
    v.unformatted = opts.unformatted ?? false;
    v.fsType = opts.fsType ?? 'xfs';
    v.uuid = opts.uuid ?? '';
    v.addRoot(opts.now ?? Date.now());
    v.dirtyAll = true;
    return v;
  }

  /** mkfs: a new, empty filesystem of `fsType` replaces whatever the device held (on the raw disk: no partition table any more). */
  format(fsType: FsType, uuid: string, now: number, partitioned = this.partitioned): void {
    this.partitioned = partitioned;
    this.inodes.length = 0;
    this.free = [];
    this.live = 0;
    this.bytes = 0;
    this.rootIno = 1;
    this.nextIno = 2;
    this.scan = 2;
    this.fsType = fsType;
    this.uuid = uuid;
    this.unformatted = false;
    this.addRoot(now);
    this.changedAll();
  }

  private addRoot(now: number): void {
    this.put({
      ino: 1,
      type: 'dir',
      mode: 0o755,
      uid: 0,
      gid: 0,
      mtime: now,
      ctime: now,
      data: NO_DATA,
      entries: new Map(),
    });
  }

  private put(n: Inode): void {
    if (!this.inodes[n.ino]) this.live++;
    this.inodes[n.ino] = n;
  }

  /** A number for a new inode: one freed here, else a gap a loaded snapshot left, else the next. */
  private allocate(): number {
    for (let f = this.free.pop(); f !== undefined; f = this.free.pop()) if (!this.inodes[f]) return f;
    while (this.scan < this.nextIno) {
      const ino = this.scan++;
      if (!this.inodes[ino]) return ino;
    }
    return this.nextIno++;
  }

  static fromSnapshot(s: FsSnapshot, limits: FsLimits = DEFAULT_FS_LIMITS): Volume {
    if (s.format !== 'ec2lite-fs/1') throw new Error(`unknown filesystem snapshot format ${String(s.format)}`);
    const v = new Volume(limits, s.partitioned, s.rootIno, s.nextIno);
    v.fsType = s.fsType ?? 'xfs';
    v.uuid = s.uuid ?? '';
    v.unformatted = s.unformatted ?? false;
    for (const si of s.inodes) {
      const data = si.data ? Buffer.from(si.data, 'base64') : NO_DATA;
      v.bytes += data.length;
      v.put({
        ino: si.ino,
        type: si.type,
        mode: si.mode,
        uid: si.uid,
        gid: si.gid,
        mtime: si.mtime,
        ctime: si.ctime,
        data,
        entries: si.type === 'dir' ? new Map(si.entries ?? []) : NO_ENTRIES,
      });
    }
    if (!v.inodes[s.rootIno]) throw new Error('filesystem snapshot has no root inode');
    v.dirtyAll = false; // what was loaded is what is stored
    // Numbers freed before the snapshot was taken are free again (found as needed, lowest first);
    // new ones continue after the highest in use.
    v.nextIno = Math.max(2, v.inodes.length);
    v.scan = 1;
    return v;
  }

  private header(): FsHeader {
    const out: FsHeader = { format: 'ec2lite-fs/1', partitioned: this.partitioned, rootIno: this.rootIno, nextIno: this.nextIno };
    if (this.fsType !== 'xfs') out.fsType = this.fsType;
    if (this.uuid) out.uuid = this.uuid;
    if (this.unformatted) out.unformatted = true;
    return out;
  }

  /**
   * The changes since the last call, and forgets them: a `touch` on a full volume yields two
   * inodes, not the volume. If writing them fails, call changedAll() so the next save is whole.
   */
  takeChanges(): VolumeChanges {
    const full = this.dirtyAll;
    const changed: SnapshotInode[] = [];
    const removed: number[] = [];
    if (!full) {
      for (const ino of this.dirty) {
        const n = this.inodes[ino];
        if (n) changed.push(snapshotInode(n));
        else removed.push(ino);
      }
    }
    this.dirty.clear();
    this.dirtyAll = false;
    return { full, header: this.header(), changed, removed };
  }

  toSnapshot(): FsSnapshot {
    const inodes: SnapshotInode[] = [];
    for (const n of this.inodes) {
      if (!n) continue;
      inodes.push(snapshotInode(n));
    }
    return { ...this.header(), inodes };
  }

  get usedBytes(): number {
    return this.bytes;
  }
  get inodeCount(): number {
    return this.live;
  }

  get(ino: number): Inode {
    const n = this.inodes[ino];
    if (!n) throw new Error(`dangling inode ${ino}`);
    return n;
  }

  /** Create an inode and link it into `dir` under `name`. */
  create(dir: Inode, name: string, type: InodeType, mode: number, uid: number, gid: number, now: number, path: string): Inode {
    if (this.live >= this.limits.maxInodes) throw new FsError('ENOSPC', path);
    const n: Inode = {
      ino: this.allocate(),
      type,
      mode: mode & 0o7777,
      uid,
      gid,
      mtime: now,
      ctime: now,
      data: NO_DATA,
      entries: type === 'dir' ? new Map() : NO_ENTRIES,
    };
    this.put(n);
    dir.entries.set(name, n.ino);
    dir.mtime = now;
    this.changed(n.ino, dir.ino);
    return n;
  }

  /** Remove `name` from `dir` and free the inode (no hard links, so nlink is always 1). */
  remove(dir: Inode, name: string, now: number): void {
    const ino = dir.entries.get(name);
    if (ino === undefined) return;
    dir.entries.delete(name);
    dir.mtime = now;
    this.release(ino);
    this.changed(dir.ino);
  }

  /** Move an entry (rename within this volume); an existing target entry is freed. */
  move(fromDir: Inode, fromName: string, toDir: Inode, toName: string, now: number): void {
    const ino = fromDir.entries.get(fromName);
    if (ino === undefined) return;
    const old = toDir.entries.get(toName);
    if (old === ino) return;
    fromDir.entries.delete(fromName);
    if (old !== undefined) this.release(old);
    toDir.entries.set(toName, ino);
    fromDir.mtime = now;
    toDir.mtime = now;
    this.changed(fromDir.ino, toDir.ino);
  }

  private release(ino: number): void {
    const n = this.inodes[ino];
    if (!n) return;
    for (const child of n.entries.values()) this.release(child);
    this.bytes -= n.data.length;
    this.inodes[ino] = undefined;
    this.live--;
    this.free.push(ino);
    this.dirty.add(ino);
  }

  /** Replace a file's contents, enforcing the file and volume size limits. */
  setData(n: Inode, data: Buffer, now: number, path: string): void {
    if (data.length > this.limits.maxFileBytes) throw new FsError('EFBIG', path);
    if (this.bytes - n.data.length + data.length > this.limits.maxVolumeBytes) throw new FsError('ENOSPC', path);
    this.bytes += data.length - n.data.length;
    n.data = data;
    n.mtime = now;
    n.ctime = now;
    this.changed(n.ino);
  }

  /** Something changed: the inodes given (a save writes them), or with none given, the whole volume. */
  changed(...inos: number[]): void {
    this.generation++;
    if (inos.length === 0) this.dirtyAll = true;
    for (const ino of inos) this.dirty.add(ino);
  }

  /** The next save writes the whole volume (after format, or when writing changes failed). */
  changedAll(): void {
    this.generation++;
    this.dirtyAll = true;
  }
}
