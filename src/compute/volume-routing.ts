// Volume bytes across engines (issue 24): each engine keeps its own volumes' and snapshots'
// contents (the simulated engine in the store's block data, crun in host directories), and the
// API's volume, snapshot and image actions see one VolumeBytes. An operation goes to the engine
// that holds the id's bytes: engines that are not the default home answer `holds`; the default
// engine (the first wired) holds the rest. New contents go where their source is: an image's root
// to the engine that runs the image, a snapshot's copy beside the snapshot, a blank volume to the
// default engine (a real engine makes its own blank disk when the volume is first attached to one
// of its instances).
import type { GuestEngine } from './guest-engine.js';
import type { VolumeBytes } from './volume-bytes.js';

export function routedVolumeBytes(engines: readonly GuestEngine[], engineForImage: (imageKey: string) => GuestEngine): VolumeBytes {
  const fallback = engines[0]!.volumes;
  /** The engine holding an id's bytes. */
  const owner = async (id: string): Promise<VolumeBytes> => {
    for (const e of engines) if (e.volumes.holds && (await e.volumes.holds(id))) return e.volumes;
    return fallback;
  };
  /** Every engine that may hold the id's bytes: those that say so, and the default (which cannot tell). */
  const holders = async (id: string): Promise<VolumeBytes[]> => {
    const out = new Set<VolumeBytes>([fallback]);
    for (const e of engines) if (e.volumes.holds && (await e.volumes.holds(id))) out.add(e.volumes);
    return [...out];
  };
  return {
    async create(volumeId, source) {
      if (source?.startsWith('image:')) return engineForImage(source.slice('image:'.length)).volumes.create(volumeId, source);
      return (source ? await owner(source) : fallback).create(volumeId, source);
    },
    exists: async (id) => (await owner(id)).exists(id),
    snapshot: async (volumeId, snapshotId) => (await owner(volumeId)).snapshot(volumeId, snapshotId),
    copySnapshot: async (from, to) => (await owner(from)).copySnapshot(from, to),
    // Removals reach every engine with bytes for the id (a blank volume may have been made in two).
    forgetSnapshot: async (id) => {
      for (const v of await holders(id)) await v.forgetSnapshot(id);
    },
    remove: async (id) => {
      for (const v of await holders(id)) await v.remove(id);
    },
    storedBytes: async (id) => (await owner(id)).storedBytes(id),
    holds: async (id) => {
      for (const e of engines) if (!e.volumes.holds || (await e.volumes.holds(id))) return true;
      return false;
    },
  };
}
