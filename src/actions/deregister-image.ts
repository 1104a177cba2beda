// DeregisterImage: the caller's image leaves the catalogue; instances launched from it keep
// running. With DeleteAssociatedSnapshots its snapshots go too. For a while its id is remembered
// (image-views.ts): DescribeImages leaves it out without an error, launches get InvalidAMIID.Unavailable.
import { checkDryRun, defineAction } from './action.js';
import { findOwnImage, rememberDeregistered } from './image-views.js';
import { fields } from './input.js';

export default defineAction(
  'DeregisterImage',
  {
    imageId: fields.string('ImageId', { required: true }),
    deleteAssociatedSnapshots: fields.boolean('DeleteAssociatedSnapshots'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkDryRun(input.dryRun);
    const image = await findOwnImage(ctx, input.imageId);
    await ctx.store.images.remove(ctx.scope, image.imageId);
    await rememberDeregistered(ctx, image.imageId);
    const results = [];
    if (input.deleteAssociatedSnapshots) {
      for (const m of image.blockDeviceMappings) {
        await ctx.store.snapshots.remove(ctx.scope, m.snapshotId);
        await ctx.runtime.volumes.forgetSnapshot(m.snapshotId);
        results.push({ snapshotId: m.snapshotId, returnCode: 'success' });
      }
    }
    return { return: true, deleteSnapshotResultSet: input.deleteAssociatedSnapshots ? results : undefined };
  },
);
