// DescribeSnapshotAttribute: who may create volumes from the caller's snapshot (createVolumePermission),
// or its product codes (none here).
import { checkDryRun, defineAction } from './action.js';
import { findSnapshots, snapshotAttributeFields } from './snapshot-views.js';

export default defineAction(
  'DescribeSnapshotAttribute',
  snapshotAttributeFields,
  async (ctx, input) => {
    checkDryRun(input.dryRun);
    const [snap] = await findSnapshots(ctx, [input.snapshotId]);
    if (input.attribute === 'productCodes') return { snapshotId: snap!.snapshotId, productCodes: [] };
    return {
      snapshotId: snap!.snapshotId,
      createVolumePermission: (snap!.createVolumePermissions ?? []).map((p) => (p.userId ? { userId: p.userId } : { group: p.group })),
    };
  },
);
