// An archived snapshot cannot be used until it is restored (EBS user guide, "Archive an Amazon EBS
// snapshot": "As soon as the snapshot tiering status reaches the archival-complete state, you can
// no longer use the snapshot"), and a snapshot an AMI uses cannot be archived ("If the snapshot is
// associated with one or more AMIs, then you must first disable those associated AMIs before you
// can archive the snapshot"). AWS's error codes for both are unconfirmed (its error reference names
// no tiering errors): IncorrectState is EC2's code for "not in a state that allows this", and the
// AMI case answers as DeleteSnapshot does for a snapshot an AMI uses.
import { tierState } from '../compute/snapshot-tier.js';
import { Ec2Error } from '../errors/ec2-error.js';
import type { SnapshotRecord } from '../store/port.js';
import type { ActionContext } from './context.js';

/** Refuses to make a volume (CreateVolume, a launch mapping) from a snapshot in the archive tier. */
export function refuseArchived(snap: SnapshotRecord, now: Date, use: 'creating a volume from it' | 'launching an instance with it'): void {
  if (tierState(snap, now).storageTier === 'archive') {
    throw new Ec2Error('IncorrectState', `Snapshot '${snap.snapshotId}' is archived; restore it before ${use}.`);
  }
}

/** Refuses to archive a snapshot one of the caller's images uses. */
export async function refuseImageSnapshot(ctx: ActionContext, snapshotId: string): Promise<void> {
  const user = (await ctx.store.images.listVisible(ctx.scope)).find(
    (i) => i.ownerId === ctx.scope.accountId && i.blockDeviceMappings.some((m) => m.snapshotId === snapshotId),
  );
  if (user) throw new Ec2Error('InvalidSnapshot.InUse', snapshotId, user.imageId);
}
