// Volume contents with copy on write. Each volume or snapshot id holds one document in the
// block-data port: either a whole filesystem (`FsSnapshot`), or the inodes that differ from a
// `base` (a snapshot id, or `image:<template>` for an image's pristine root). A volume made from
// a snapshot, or an instance's root made from an image, therefore stores only what changed:
// 200 instances of one image hold 200 small deltas, not 200 copies.
//
// This is the one place that knows where a volume's bytes live; the API, attachment rules and
// snapshots only call `VolumeContents`. A guest engine that keeps bytes in host directories can
// implement the same interface.
import type { FsSnapshot, SnapshotInode } from './volume.js';
import type { VolumeStore } from './volume-store.js';

/** The persistence port this builds on (the store's BlockDataRepository has this shape). */
export interface BlockData {
  load(id: string): Promise<{ base?: string; data: unknown; released?: boolean } | undefined>;
  save(id: string, record: { base?: string; data: unknown }): Promise<void>;
  remove(id: string): Promise<void>;
  release(id: string): Promise<void>;
  hasDependents(id: string): Promise<boolean>;
  size(id: string): Promise<number>;
}

/** What a layer stores on top of its base. */
interface FsDelta {
  format: 'ec2lite-fs-delta/1';
  partitioned: boolean;
  fsType?: FsSnapshot['fsType'];
  uuid?: string;
  unformatted?: boolean;
  rootIno: number;
  nextIno: number;
  changed: SnapshotInode[];
  removed: number[];
}

/** Volume-level operations the compute layer needs, on top of the guest's load/save. */
export interface VolumeContents extends VolumeStore {
  /** A new volume whose contents are `source`'s (snapshot id or `image:<template>`), sharing its bytes; no source: blank and unformatted. */
  create(volumeId: string, source?: string): Promise<void>;
  /** Freezes a volume's current contents under a snapshot id (shares the volume's base). */
  snapshot(volumeId: string, snapshotId: string): Promise<void>;
  /** A new snapshot id with the same contents as another (CopyImage); stores nothing but a link. */
  copySnapshot(fromId: string, toId: string): Promise<void>;
  /** Forgets a volume's or snapshot's bytes (kept while another layer is built on them). */
  remove(id: string): Promise<void>;
  /** Bytes stored for this id alone (its base not counted). */
  storedBytes(id: string): Promise<number>;
}

const isImmutable = (id: string): boolean => id.startsWith('snap-') || id.startsWith('image:');

export class LayeredVolumeStore implements VolumeContents {
  /** Resolved snapshots and templates (immutable), with each inode's JSON for diffing. */
  private readonly cache = new Map<string, { fs: FsSnapshot; byIno: Map<number, string> }>();
  private static readonly CACHE_LIMIT = 64;

  constructor(
    private readonly data: BlockData,
    /** The pristine root filesystem of a built-in image, by template key. */
    private readonly template: (key: string) => FsSnapshot | undefined,
  ) {}

  async load(id: string): Promise<FsSnapshot | undefined> {
    return (await this.resolve(id))?.fs;
  }

  /** Each volume's base, once read (it never changes after create). */
  private readonly bases = new Map<string, string | undefined>();

  async save(id: string, fs: FsSnapshot): Promise<void> {
    let base = this.bases.get(id);
    if (!this.bases.has(id)) {
      base = (await this.data.load(id))?.base;
      if (this.bases.size > 10_000) this.bases.clear();
      this.bases.set(id, base);
    }
    if (!base) return this.data.save(id, { data: fs });
    const under = await this.resolve(base);
    if (!under) return this.data.save(id, { data: fs });
    await this.data.save(id, { base, data: diff(under.byIno, fs) });
  }

  async create(volumeId: string, source?: string): Promise<void> {
    if (!source) {
      const blank: FsSnapshot = { format: 'ec2lite-fs/1', partitioned: false, unformatted: true, rootIno: 1, nextIno: 2, inodes: [] };
      blank.inodes.push({ ino: 1, type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 0, ctime: 0, entries: [] });
      this.bases.set(volumeId, undefined);
      return this.data.save(volumeId, { data: blank });
    }
    this.bases.set(volumeId, source);
    const under = await this.resolve(source);
    if (!under) throw new Error(`no contents for ${source}`);
    await this.data.save(volumeId, { base: source, data: diff(under.byIno, under.fs) });
  }

  async snapshot(volumeId: string, snapshotId: string): Promise<void> {
    const row = await this.data.load(volumeId);
    if (!row) throw new Error(`no contents for ${volumeId}`);
    await this.data.save(snapshotId, row);
  }

  async copySnapshot(fromId: string, toId: string): Promise<void> {
    const under = await this.resolve(fromId);
    if (!under) throw new Error(`no contents for ${fromId}`);
    await this.data.save(toId, { base: fromId, data: diff(under.byIno, under.fs) });
  }

  async remove(id: string): Promise<void> {
    if (await this.data.hasDependents(id)) return;
    const row = await this.data.load(id);
    await this.data.remove(id);
    this.cache.delete(id);
    this.bases.delete(id);
    // A snapshot kept only because this layer was built on it goes now, if it was deleted.
    if (row?.base?.startsWith('snap-') && (await this.data.load(row.base))?.released) await this.remove(row.base);
  }

  /** DeleteSnapshot: bytes go now, or (durably marked) when the last layer built on them goes. */
  async forgetSnapshot(id: string): Promise<void> {
    if (await this.data.hasDependents(id)) await this.data.release(id);
    else await this.remove(id);
  }

  storedBytes(id: string): Promise<number> {
    return this.data.size(id);
  }

  private async resolve(id: string, depth = 0): Promise<{ fs: FsSnapshot; byIno: Map<number, string> } | undefined> {
    if (depth > 64) throw new Error(`volume layers of ${id} are too deep`);
    const hit = this.cache.get(id);
    if (hit) return hit;
    let fs: FsSnapshot | undefined;
    if (id.startsWith('image:')) fs = this.template(id.slice('image:'.length));
    else {
      const row = await this.data.load(id);
      if (!row) return undefined;
      const doc = row.data as FsSnapshot | FsDelta;
      if (doc.format === 'ec2lite-fs-delta/1') {
        const under = row.base ? await this.resolve(row.base, depth + 1) : undefined;
        if (!under) throw new Error(`the base ${row.base ?? '(none)'} of ${id} is missing`);
        fs = apply(under.fs, doc);
      } else fs = doc;
    }
    if (!fs) return undefined;
    const entry = { fs, byIno: new Map(fs.inodes.map((n) => [n.ino, JSON.stringify(n)])) };
    if (isImmutable(id)) {
      if (this.cache.size >= LayeredVolumeStore.CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(id, entry);
    }
    return entry;
  }
}

function diff(base: Map<number, string>, fs: FsSnapshot): FsDelta {
  const changed: SnapshotInode[] = [];
  const present = new Set<number>();
  for (const n of fs.inodes) {
    present.add(n.ino);
    if (base.get(n.ino) !== JSON.stringify(n)) changed.push(n);
  }
  const removed = [...base.keys()].filter((ino) => !present.has(ino));
  const d: FsDelta = { format: 'ec2lite-fs-delta/1', partitioned: fs.partitioned, rootIno: fs.rootIno, nextIno: fs.nextIno, changed, removed };
  if (fs.fsType) d.fsType = fs.fsType;
  if (fs.uuid) d.uuid = fs.uuid;
  if (fs.unformatted) d.unformatted = true;
  return d;
}

function apply(base: FsSnapshot, d: FsDelta): FsSnapshot {
  const byIno = new Map(base.inodes.map((n) => [n.ino, n]));
  for (const ino of d.removed) byIno.delete(ino);
  for (const n of d.changed) byIno.set(n.ino, n);
  const fs: FsSnapshot = { format: 'ec2lite-fs/1', partitioned: d.partitioned, rootIno: d.rootIno, nextIno: d.nextIno, inodes: [...byIno.values()] };
  if (d.fsType) fs.fsType = d.fsType;
  if (d.uuid) fs.uuid = d.uuid;
  if (d.unformatted) fs.unformatted = true;
  return fs;
}
