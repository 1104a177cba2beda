// States that pass with time: volumes creating → available, attaching → attached,
// detaching → (detached) available; snapshots pending → completed; images pending → available. A transitional state carries `settlesAt`; every reader sees
// the record as of now (`settled`), so no timer has to survive a restart or run on one node.
import type { ImageRecord, SnapshotRecord, VolumeRecord } from '../store/port.js';

export function settled(v: VolumeRecord, now: Date): VolumeRecord {
  if (!v.settlesAt || now.getTime() < v.settlesAt.getTime()) return v;
  const next: VolumeRecord = { ...v, settlesAt: undefined };
  if (next.state === 'creating') next.state = 'available';
  if (next.attachment?.state === 'attaching') next.attachment = { ...next.attachment, state: 'attached' };
  if (next.attachment?.state === 'detaching') {
    next.attachment = undefined;
    next.state = 'available';
  }
  return next;
}

/** Whether the volume is (still) attached to that instance, as of now. */
export const attachedTo = (v: VolumeRecord, instanceId: string, now: Date): boolean => {
  const s = settled(v, now);
  return s.state !== 'deleted' && s.attachment?.instanceId === instanceId;
};

/** A snapshot as of now: `pending` → `completed`. */
export function settledSnapshot(s: SnapshotRecord, now: Date): SnapshotRecord {
  if (!s.settlesAt || now.getTime() < s.settlesAt.getTime()) return s;
  return { ...s, settlesAt: undefined, state: s.state === 'pending' ? 'completed' : s.state };
}

/** An image as of now: `pending` → `available`. */
export function settledImage(i: ImageRecord, now: Date): ImageRecord {
  if (!i.settlesAt || now.getTime() < i.settlesAt.getTime()) return i;
  return { ...i, settlesAt: undefined, state: i.state === 'pending' ? 'available' : i.state };
}
