// The volume-bytes port: where an engine keeps the contents of volumes and snapshots, named by
// operation only. The API's volume, snapshot and image actions call it; each engine owns the
// format and the storage behind it (the simulated engine: copy-on-write JSON layers in the
// store's block data, guest/fs/layered-store.ts; a real engine: files or filesystem images on
// its host). Contents sources are a snapshot id or `image:<key>` (an image's pristine root).

export interface VolumeBytes {
  /** A new volume whose contents are `source`'s, sharing its bytes where the format can; no source: blank and unformatted. */
  create(volumeId: string, source?: string): Promise<void>;
  /** Whether contents were ever written for the volume (a crash between RunInstances' writes can leave none). */
  exists(volumeId: string): Promise<boolean>;
  /** Freezes a volume's current contents under a snapshot id (CreateSnapshot, CreateImage). */
  snapshot(volumeId: string, snapshotId: string): Promise<void>;
  /** A new snapshot id with the same contents as another (CopyImage). */
  copySnapshot(fromSnapshotId: string, toSnapshotId: string): Promise<void>;
  /** DeleteSnapshot/DeregisterImage: the bytes go now, or when the last volume built on them goes. */
  forgetSnapshot(snapshotId: string): Promise<void>;
  /** DeleteVolume, DeleteOnTermination: a volume's bytes go (kept while a layer is built on them). */
  remove(volumeId: string): Promise<void>;
  /** Bytes stored for this id alone (bench and docs figures). */
  storedBytes(id: string): Promise<number>;
  /**
   * Whether this engine holds bytes for the volume or snapshot id. An engine that is not every
   * volume's default home (crun) answers it, so the runtime routes operations on an id to the
   * engine that has its bytes (volume-routing.ts).
   */
  holds?(id: string): Promise<boolean>;
}

/** The contents source of a catalogue image's root volume (resolved by the engine's volume bytes). */
export const imageSource = (imageKey: string): string => `image:${imageKey}`;
