// The block-data port in memory, for guest tests over copy-on-write volumes (the store's own is
// tested in test/store).
import type { BlockData } from '../../src/guest/fs/layered-store.js';

export class MemoryBlockData implements BlockData {
  readonly rows = new Map<string, string>();
  /** Inode rows by layer id (the store's block_inodes). */
  readonly inodes = new Map<string, Map<number, string | null>>();
  /** Rows written, over all saves: what an incremental save costs. */
  rowsWritten = 0;
  async saveRows(id: string, record: { base?: string; data: unknown }, rows: readonly { ino: number; doc: string | null }[], deletes: readonly number[], replace: boolean) {
    this.rows.set(id, JSON.stringify(record));
    if (replace || !this.inodes.has(id)) this.inodes.set(id, new Map());
    const m = this.inodes.get(id)!;
    for (const r of rows) m.set(r.ino, r.doc);
    for (const ino of deletes) m.delete(ino);
    this.rowsWritten += rows.length;
  }
  async loadRows(id: string) {
    return [...(this.inodes.get(id) ?? new Map<number, string | null>())].map(([ino, doc]) => ({ ino, doc }));
  }
  async copy(fromId: string, toId: string) {
    const r = this.rows.get(fromId);
    if (r !== undefined) this.rows.set(toId, r);
    this.inodes.set(toId, new Map(this.inodes.get(fromId) ?? []));
  }
  async load(id: string) {
    const r = this.rows.get(id);
    return r === undefined ? undefined : (JSON.parse(r) as { base?: string; data: unknown });
  }
  async save(id: string, record: { base?: string; data: unknown }) {
    this.rows.set(id, JSON.stringify(record));
  }
  async remove(id: string) {
    this.rows.delete(id);
    this.inodes.delete(id);
  }
  async release(id: string) {
    const r = this.rows.get(id);
    if (r !== undefined) this.rows.set(id, JSON.stringify({ ...(JSON.parse(r) as object), released: true }));
  }
  async hasDependents(id: string) {
    return [...this.rows.values()].some((r) => (JSON.parse(r) as { base?: string }).base === id);
  }
  async size(id: string) {
    let n = this.rows.get(id)?.length ?? 0;
    for (const doc of this.inodes.get(id)?.values() ?? []) n += (doc?.length ?? 0) + 8;
    return n;
  }
}

