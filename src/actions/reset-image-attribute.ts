// ResetImageAttribute: launchPermission back to none (the image is private again).
import { checkDryRun, defineAction } from './action.js';
import { findOwnImage } from './image-views.js';
import { fields } from './input.js';

export default defineAction(
  'ResetImageAttribute',
  {
    imageId: fields.string('ImageId', { required: true }),
    attribute: fields.enum('Attribute', ['launchPermission'] as const, { required: true }),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkDryRun(input.dryRun);
    const image = await findOwnImage(ctx, input.imageId);
    await ctx.store.images.update(ctx.scope, image.imageId, (r) => ({ ...r, launchPermissions: [] }));
    return { return: true };
  },
);
