// ResetSnapshotAttribute: createVolumePermission back to none (only the owner may use it).
import { checkDryRun, defineAction } from './action.js';
import { findSnapshots, snapshotAttributeFields } from './snapshot-views.js';

export default defineAction(
  'ResetSnapshotAttribute',
  snapshotAttributeFields,
  async (ctx, input) => {
    checkDryRun(input.dryRun);
    const [snap] = await findSnapshots(ctx, [input.snapshotId]);
    await ctx.store.snapshots.update(ctx.scope, snap!.snapshotId, (r) => ({ ...r, createVolumePermissions: [] }));
    return { return: true };
  },
);
