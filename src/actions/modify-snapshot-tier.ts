// ModifySnapshotTier: moves a completed snapshot to the archive tier. AWS takes 24 to 72 hours;
// here the storage delay, during which it stays `standard` with archival-in-progress.
import { tierState } from '../compute/snapshot-tier.js';
import { Ec2Error } from '../errors/ec2-error.js';
import { refuseImageSnapshot } from './archived-snapshots.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { findSnapshots } from './snapshot-views.js';

export default defineAction(
  'ModifySnapshotTier',
  {
    snapshotId: fields.string('SnapshotId', { required: true }),
    storageTier: fields.enum('StorageTier', ['archive'] as const),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkDryRun(input.dryRun);
    const [snap] = await findSnapshots(ctx, [input.snapshotId]);
    const now = ctx.now();
    // Codes and wording unconfirmed against AWS (its error reference names no tiering errors);
    // IncorrectState is EC2's code for "not in a state that allows this".
    if (snap!.state !== 'completed') throw new Ec2Error('IncorrectState', `Snapshot '${snap!.snapshotId}' is not in the 'completed' state.`);
    const tier = tierState(snap!, now);
    if (tier.operationStatus?.endsWith('-in-progress')) throw new Ec2Error('IncorrectState', `Snapshot '${snap!.snapshotId}' has a tiering operation in progress.`);
    if (tier.storageTier === 'archive') throw new Ec2Error('IncorrectState', `Snapshot '${snap!.snapshotId}' is already archived.`);
    await refuseImageSnapshot(ctx, snap!.snapshotId);
    await ctx.store.snapshots.update(ctx.scope, snap!.snapshotId, (r) => ({
      ...r,
      tiering: { operation: 'archival', startTime: now, completesAt: new Date(now.getTime() + ctx.runtime.storageDelayMs) },
    }));
    return { snapshotId: snap!.snapshotId, tieringStartTime: now };
  },
);
