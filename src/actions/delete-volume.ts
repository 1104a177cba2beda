// DeleteVolume: only a volume that is not attached; its record and its own bytes go (the
// snapshot it was made from stays).
import { Ec2Error } from '../errors/ec2-error.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { checkVolumeId, findVolume } from './volume-views.js';

export default defineAction(
  'DeleteVolume',
  {
    volumeId: fields.string('VolumeId', { required: true }),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkVolumeId(input.volumeId);
    checkDryRun(input.dryRun);
    const volume = await findVolume(ctx, input.volumeId);
    if (volume.attachment) {
      // observed: NixOS/nixops-aws#104 (a real EC2 error body)
      throw new Ec2Error('VolumeInUse', `Volume ${volume.volumeId} is currently attached to ${volume.attachment.instanceId}`);
    }
    await ctx.store.volumes.remove(ctx.scope, volume.volumeId);
    await ctx.runtime.volumes.remove(volume.volumeId);
    return { return: true };
  },
);
