// The port through which volumes are persisted. The store layer (SQLite or
// PostgreSQL) implements it; the guest saves a volume after every command
// that changed it, so a command's effects survive a restart once it returned.
import type { FsSnapshot, VolumeChanges } from './volume.js';

export interface VolumeStore {
  load(volumeId: string): Promise<FsSnapshot | undefined>;
  save(volumeId: string, snapshot: FsSnapshot): Promise<void>;
  /** Writes only what changed (Volume.takeChanges()); a store without it gets whole snapshots. */
  saveChanges?(volumeId: string, changes: VolumeChanges): Promise<void>;
}

/** Keeps snapshots in memory (deep-copied through JSON, as a real store would). */
export class MemoryVolumeStore implements VolumeStore {
  private readonly data = new Map<string, string>();
  saves = 0;

  async load(volumeId: string): Promise<FsSnapshot | undefined> {
    const s = this.data.get(volumeId);
    return s === undefined ? undefined : (JSON.parse(s) as FsSnapshot);
  }

  async save(volumeId: string, snapshot: FsSnapshot): Promise<void> {
    this.saves++;
    this.data.set(volumeId, JSON.stringify(snapshot));
  }

  has(volumeId: string): boolean {
    return this.data.has(volumeId);
  }
}
