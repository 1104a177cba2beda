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
    const found = await findVolume(ctx, input.volumeId);
    if (found.moreAttachments?.length) {
      // Multi-Attach: the API reference requires the instance for a volume attached to several
      // (wording of the missing parameter as EC2 writes it).
      if (input.instanceId === undefined) throw new Ec2Error('MissingParameter', 'InstanceId');
      const extra = found.moreAttachments.find((x) => x.instanceId === input.instanceId);
      if (extra) {
        if (input.device !== undefined && input.device !== extra.device) {
          throw new Ec2Error('InvalidAttachment.NotFound', `The volume ${found.volumeId} is not attached to instance ${extra.instanceId} as device ${input.device}`);
        }
        await ctx.runtime.detachFromGuest(extra.instanceId, found.volumeId);
        await ctx.store.volumes.update(ctx.scope, found.volumeId, (x) => {
          const rest = (x.moreAttachments ?? []).filter((y) => y.instanceId !== extra.instanceId);
          return { ...x, moreAttachments: rest.length ? rest : undefined };
        });
        return attachmentItem({ ...found, attachment: { ...extra, state: 'detaching' } });
      }
    }
    const volume = found;
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
    // A volume the guest still has mounted: AWS's DetachVolume answers `detaching`, and the
    // attachment then stays `busy` until the guest unmounts it (or Force, or a reboot/stop): the
    // API reference's "stuck in the busy state". The unmount is noticed when the volume is next read.
    if (!input.force && a.device !== undefined && (await ctx.runtime.isMountedInGuest(a.instanceId, volume.volumeId))) {
      const busy = await ctx.store.volumes.update(ctx.scope, volume.volumeId, (x) =>
        x.attachment?.instanceId === a.instanceId ? { ...x, attachment: { ...x.attachment, state: 'busy' } } : x,
      );
      return { ...attachmentItem(busy ?? volume), status: 'detaching' };
    }
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
      // (a `busy` attachment that is forced, or whose guest let go, goes on detaching now)
      return { ...cur, settlesAt: new Date(now.getTime() + ctx.runtime.storageDelayMs), attachment: { ...cur.attachment, state: 'detaching' } };
    });
    return attachmentItem(next?.attachment ? next : volume);
  },
);
