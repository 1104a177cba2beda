// DetachVolume: the attachment goes `detaching`, then the volume is `available`. A running
// guest loses the device at once (its mounts vanish; the contents are saved). The root volume of
// an instance that is not stopped cannot be detached, Force or not.
import { Ec2Error } from '../errors/ec2-error.js';
import { settled } from '../compute/volume-state.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { checkInstanceIds } from './instance-views.js';
import { attachmentItem, checkVolumeId, findVolume } from './volume-views.js';

export default defineAction(
  'DetachVolume',
  {
    volumeId: fields.string('VolumeId', { required: true }),
    instanceId: fields.string('InstanceId'),
    device: fields.string('Device'),
    force: fields.boolean('Force'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkVolumeId(input.volumeId);
    if (input.instanceId !== undefined) checkInstanceIds([input.instanceId]);
    checkDryRun(input.dryRun);
    const volume = await findVolume(ctx, input.volumeId);
    const a = volume.attachment;
    if (!a) {
      // observed: hashicorp/terraform#9023 (sic: no space before "is")
      throw new Ec2Error('IncorrectState', `Volume '${volume.volumeId}'is in the '${volume.state}' state.`);
    }
    if (input.instanceId !== undefined && input.instanceId !== a.instanceId) {
      throw new Ec2Error('InvalidAttachment.NotFound', `Volume ${volume.volumeId} can not be detached from ${input.instanceId} because it is not attached`);
    }
    if (input.device !== undefined && input.device !== a.device) {
      throw new Ec2Error('InvalidAttachment.NotFound', `The volume ${volume.volumeId} is not attached to instance ${a.instanceId} as device ${input.device}`);
    }
    if (a.state === 'detaching') return attachmentItem(volume);
    const [instance] = await ctx.store.instances.list(ctx.scope, [a.instanceId]);
    if (instance && a.device === instance.rootDeviceName && instance.state !== 'stopped') {
      // observed: Terraform output, console "Failed to force detach volume" (Force does not help)
      throw new Ec2Error('IncorrectState', `Unable to detach root volume '${volume.volumeId}' from instance '${a.instanceId}'`);
    }
    const now = ctx.now();
    // The guest lets go first, so the contents it saves are complete before anyone else attaches.
    await ctx.runtime.detachFromGuest(a.instanceId, volume.volumeId);
    const next = await ctx.store.volumes.update(ctx.scope, volume.volumeId, (x) => {
      const cur = settled(x, now);
      if (cur.attachment?.instanceId !== a.instanceId || cur.attachment.state === 'detaching') return cur;
      return { ...cur, settlesAt: new Date(now.getTime() + ctx.runtime.storageDelayMs), attachment: { ...cur.attachment, state: 'detaching' } };
    });
    return attachmentItem(next?.attachment ? next : volume);
  },
);
