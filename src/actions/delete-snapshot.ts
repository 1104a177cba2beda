// DeleteSnapshot: refused while one of the caller's images uses it; its bytes stay as long as a
// volume made from it still reads through them.
import { Ec2Error } from '../errors/ec2-error.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { checkSnapshotId, findSnapshots } from './snapshot-views.js';

export default defineAction(
  'DeleteSnapshot',
  {
    snapshotId: fields.string('SnapshotId', { required: true }),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkSnapshotId(input.snapshotId);
    checkDryRun(input.dryRun);
    const [snap] = await findSnapshots(ctx, [input.snapshotId]);
    const user = (await ctx.store.images.listVisible(ctx.scope)).find(
      (i) => i.ownerId === ctx.scope.accountId && i.blockDeviceMappings.some((m) => m.snapshotId === snap!.snapshotId),
    );
    if (user) throw new Ec2Error('InvalidSnapshot.InUse', snap!.snapshotId, user.imageId);
    await ctx.store.snapshots.remove(ctx.scope, snap!.snapshotId);
    await ctx.runtime.volumes.forgetSnapshot(snap!.snapshotId);
    return { return: true };
  },
);
