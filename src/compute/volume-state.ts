// States that pass with time: volumes creating → available, attaching → attached,
// detaching → (detached) available; snapshots pending → completed; images pending → available. A transitional state carries `settlesAt`; every reader sees
// the record as of now (`settled`), so no timer has to survive a restart or run on one node.
import type { ImageRecord, SnapshotRecord, VolumeAttachmentRecord, VolumeRecord } from '../store/port.js';

export function settled(v: VolumeRecord, now: Date): VolumeRecord {
  if (!v.settlesAt || now.getTime() < v.settlesAt.getTime()) return v;
  const next: VolumeRecord = { ...v, settlesAt: undefined };
  // A key id of no key form: AWS accepts the volume, then it is gone (compute/ebs-encryption.ts).
  if (next.state === 'creating') next.state = v.keyUnusable ? 'deleted' : 'available';
  if (next.attachment?.state === 'attaching') next.attachment = { ...next.attachment, state: 'attached' };
  if (next.attachment?.state === 'detaching') {
    // Multi-Attach: another instance's attachment becomes the first one; the volume stays in use.
    const [first, ...rest] = next.moreAttachments ?? [];
    next.attachment = first;
    next.moreAttachments = rest.length ? rest : undefined;
    next.state = first ? 'in-use' : 'available';
  }
  return next;
}

/** Every attachment of a volume: one, or several for a Multi-Attach volume. */
export const attachmentsOf = (v: VolumeRecord): VolumeAttachmentRecord[] => (v.attachment ? [v.attachment, ...(v.moreAttachments ?? [])] : []);

/** The volume as one instance sees it (its own attachment in `attachment`), or undefined when not attached there. */
export function asAttachedTo(v: VolumeRecord, instanceId: string): VolumeRecord | undefined {
  if (v.attachment?.instanceId === instanceId) return v;
  const a = v.moreAttachments?.find((x) => x.instanceId === instanceId);
  return a ? { ...v, attachment: a } : undefined;
}

/** Whether the volume is (still) attached to that instance, as of now. */
export const attachedTo = (v: VolumeRecord, instanceId: string, now: Date): boolean => {
  const s = settled(v, now);
  return s.state !== 'deleted' && asAttachedTo(s, instanceId) !== undefined;
};

/** A snapshot as of now: `pending` → `completed`. */
export function settledSnapshot(s: SnapshotRecord, now: Date): SnapshotRecord {
  if (!s.settlesAt || now.getTime() < s.settlesAt.getTime()) return s;
  return { ...s, settlesAt: undefined, state: s.state === 'pending' ? (s.keyUnusable ? 'error' : 'completed') : s.state };
}

/** An image as of now: `pending` → `available`. */
export function settledImage(i: ImageRecord, now: Date): ImageRecord {
  if (!i.settlesAt || now.getTime() < i.settlesAt.getTime()) return i;
  return { ...i, settlesAt: undefined, state: i.state === 'pending' ? 'available' : i.state };
}
