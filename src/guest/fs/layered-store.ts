// Volume contents with copy on write. Each volume or snapshot id holds one document in the
// block-data port: either a whole filesystem (`FsSnapshot`), or the inodes that differ from a
// `base` (a snapshot id, or `image:<template>` for an image's pristine root). A volume made from
// a snapshot, or an instance's root made from an image, therefore stores only what changed:
// 200 instances of one image hold 200 small deltas, not 200 copies.
//
// A volume's own layer is kept as rows, one per inode (`ec2lite-fs-rows/1`, the header in the
// layer's document): a command that changed two inodes writes two rows, where re-serialising a
// 62 MB volume stalled the whole server for seconds (issue 19). Snapshots copy the rows in the
// database. Layers stored as one document (`FsSnapshot`, `FsDelta`) by earlier versions are read
// as before and turned into rows at their first incremental save.
//
// This is the simulated engine's implementation of the volume-bytes port (compute/volume-bytes.ts):
// the API, attachment rules and snapshots call only that port, and another engine keeps its
// bytes in its own format and place. The guest itself loads and saves through `VolumeStore`.
import type { VolumeBytes } from '../../compute/volume-bytes.js';
import type { FsHeader, FsSnapshot, SnapshotInode, VolumeChanges } from './volume.js';
import type { VolumeStore } from './volume-store.js';

/** The persistence port this builds on (the store's BlockDataRepository has this shape). */
export interface BlockData {
  load(id: string): Promise<{ base?: string; data: unknown; released?: boolean } | undefined>;
  save(id: string, record: { base?: string; data: unknown }): Promise<void>;
  remove(id: string): Promise<void>;
  release(id: string): Promise<void>;
  hasDependents(id: string): Promise<boolean>;
  size(id: string): Promise<number>;
  saveRows(id: string, record: { base?: string; data: unknown }, rows: readonly { ino: number; doc: string | null }[], deletes: readonly number[], replace: boolean): Promise<void>;
  loadRows(id: string): Promise<{ ino: number; doc: string | null }[]>;
  copy(fromId: string, toId: string): Promise<void>;
}

/** A layer whose inodes are rows: this document holds the volume's own fields. */
interface FsRowsHeader extends Omit<FsHeader, 'format'> {
  format: 'ec2lite-fs-rows/1';
}

const rowsHeader = (h: FsHeader): FsRowsHeader => ({ ...h, format: 'ec2lite-fs-rows/1' });

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

/** The volume-bytes port plus the guest's load/save, over one store. */
export type VolumeContents = VolumeBytes & VolumeStore;

const isImmutable = (id: string): boolean => id.startsWith('snap-') || id.startsWith('image:');

export class LayeredVolumeStore implements VolumeContents {
  /** Resolved snapshots and templates (immutable), with each inode's JSON for diffing. */
  private readonly cache = new Map<string, Resolved>();
  /** Volumes known to be stored as rows already. */
  private readonly asRows = new Set<string>();
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

  private async baseOf(id: string): Promise<string | undefined> {
    if (this.bases.has(id)) return this.bases.get(id);
    const base = (await this.data.load(id))?.base;
    this.learn(id, base, false);
    return base;
  }

  /** A volume's base (fixed at create), and that it is stored as rows (it stays so), as read. */
  private learn(id: string, base: string | undefined, rows: boolean): void {
    if (this.bases.size > 10_000) this.bases.clear();
    this.bases.set(id, base);
    if (!rows) return;
    if (this.asRows.size > 10_000) this.asRows.clear();
    this.asRows.add(id);
  }

  /** Writes a whole volume: as rows, those that differ from its base. */
  async save(id: string, fs: FsSnapshot): Promise<void> {
    const base = await this.baseOf(id);
    const under = base ? await this.resolve(base) : undefined;
    const { inodes: _all, ...header } = fs;
    const d = under ? diff(byInoOf(under), fs) : { changed: fs.inodes, removed: [] as number[] };
    const rows = [...d.changed.map((n) => ({ ino: n.ino, doc: JSON.stringify(n) })), ...d.removed.map((ino) => ({ ino, doc: null }))];
    await this.data.saveRows(id, { ...(under ? { base } : {}), data: rowsHeader(header) }, rows, [], true);
    if (this.asRows.size > 10_000) this.asRows.clear();
    this.asRows.add(id);
  }

  /** Writes the inodes a volume changed (and its header): what a command did, not the volume. */
  async saveChanges(id: string, ch: VolumeChanges): Promise<void> {
    if (!this.asRows.has(id)) {
      // a layer stored whole by an earlier version: rewrite it as rows once, then apply the change
      const row = await this.data.load(id);
      if ((row?.data as { format?: string } | undefined)?.format !== 'ec2lite-fs-rows/1') {
        const current = await this.load(id);
        if (!current) throw new Error(`no contents for ${id}`);
        await this.save(id, current);
      }
      this.asRows.add(id);
    }
    const base = await this.baseOf(id);
    const rows: { ino: number; doc: string | null }[] = ch.changed.map((n) => ({ ino: n.ino, doc: JSON.stringify(n) }));
    // on a base, a freed inode must hide the base's; on none, its row simply goes
    if (base) for (const ino of ch.removed) rows.push({ ino, doc: null });
    await this.data.saveRows(id, { ...(base ? { base } : {}), data: rowsHeader(ch.header) }, rows, base ? [] : ch.removed, false);
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
    const { inodes: _all, ...header } = under.fs;
    await this.data.saveRows(volumeId, { base: source, data: rowsHeader(header) }, [], [], true);
    this.asRows.add(volumeId);
  }

  async exists(volumeId: string): Promise<boolean> {
    return (await this.data.load(volumeId)) !== undefined;
  }

  /** Shares the volume's base: a snapshot stores only the volume's own layer. */
  async snapshot(volumeId: string, snapshotId: string): Promise<void> {
    const row = await this.data.load(volumeId);
    if (!row) throw new Error(`no contents for ${volumeId}`);
    // the database copies the layer's rows: nothing of the volume passes through the event loop
    await this.data.copy(volumeId, snapshotId);
  }

  async copySnapshot(fromId: string, toId: string): Promise<void> {
    const under = await this.resolve(fromId);
    if (!under) throw new Error(`no contents for ${fromId}`);
    const { inodes: _all, ...header } = under.fs;
    await this.data.saveRows(toId, { base: fromId, data: rowsHeader(header) }, [], [], true);
  }

  async remove(id: string): Promise<void> {
    if (await this.data.hasDependents(id)) return;
    const row = await this.data.load(id);
    await this.data.remove(id);
    this.cache.delete(id);
    this.bases.delete(id);
    this.asRows.delete(id);
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

  private async resolve(id: string, depth = 0): Promise<Resolved | undefined> {
    if (depth > 64) throw new Error(`volume layers of ${id} are too deep`);
    const hit = this.cache.get(id);
    if (hit) return hit;
    let fs: FsSnapshot | undefined;
    if (id.startsWith('image:')) fs = this.template(id.slice('image:'.length));
    else {
      const row = await this.data.load(id);
      if (!row) return undefined;
      const doc = row.data as FsSnapshot | FsDelta | FsRowsHeader;
      // What the first save after a load asks (base, rows or not) is known now: a guest in a
      // worker process would ask it again over IPC, a round trip each at every boot.
      if (!isImmutable(id)) this.learn(id, row.base, doc.format === 'ec2lite-fs-rows/1');
      if (doc.format === 'ec2lite-fs-rows/1') {
        const under = row.base ? await this.resolve(row.base, depth + 1) : undefined;
        if (row.base && !under) throw new Error(`the base ${row.base} of ${id} is missing`);
        fs = applyRows(under?.fs, doc, await this.data.loadRows(id));
      } else if (doc.format === 'ec2lite-fs-delta/1') {
        const under = row.base ? await this.resolve(row.base, depth + 1) : undefined;
        if (!under) throw new Error(`the base ${row.base ?? '(none)'} of ${id} is missing`);
        fs = apply(under.fs, doc);
      } else fs = doc;
    }
    if (!fs) return undefined;
    const entry: Resolved = { fs };
    if (isImmutable(id)) {
      if (this.cache.size >= LayeredVolumeStore.CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(id, entry);
    }
    return entry;
  }
}

/** A resolved layer; each inode's JSON is computed when a diff first needs it. */
interface Resolved {
  fs: FsSnapshot;
  byIno?: Map<number, string>;
}

function byInoOf(r: Resolved): Map<number, string> {
  r.byIno ??= new Map(r.fs.inodes.map((n) => [n.ino, JSON.stringify(n)]));
  return r.byIno;
}

/** A rows layer on its base (or on nothing): rows replace or (null) remove the base's inodes. */
function applyRows(base: FsSnapshot | undefined, h: FsRowsHeader, rows: { ino: number; doc: string | null }[]): FsSnapshot {
  const byIno = new Map((base?.inodes ?? []).map((n) => [n.ino, n]));
  for (const r of rows) {
    if (r.doc === null) byIno.delete(r.ino);
    else byIno.set(r.ino, JSON.parse(r.doc) as SnapshotInode);
  }
  return { ...h, format: 'ec2lite-fs/1', inodes: [...byIno.values()] };
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
