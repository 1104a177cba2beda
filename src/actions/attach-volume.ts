// AttachVolume: an available volume joins a running or stopped instance in the same zone at a
// free device name. A running guest sees the device at once (/dev/sdf → xvdf); the attachment
// shows `attaching`, then `attached`. A volume attached this way has DeleteOnTermination false.
import { Ec2Error } from '../errors/ec2-error.js';
import { asAttachedTo, attachmentsOf, settled } from '../compute/volume-state.js';
import { AttachmentConflictError } from '../store/port.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { checkInstanceIds, findInstances } from './instance-views.js';
import { isNitroType } from '../domain/instance-types.js';
import { attachmentItem, attachmentPoint, checkDeviceName, checkVolumeId, findVolume } from './volume-views.js';

/** Instances one Multi-Attach enabled volume can be attached to at once. */
export const MAX_MULTI_ATTACH = 16;

export default defineAction(
  'AttachVolume',
  {
    volumeId: fields.string('VolumeId', { required: true }),
    instanceId: fields.string('InstanceId', { required: true }),
    device: fields.string('Device', { required: true }),
    ebsCardIndex: fields.integer('EbsCardIndex'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkVolumeId(input.volumeId);
    checkInstanceIds([input.instanceId]);
    checkDryRun(input.dryRun);
    const volume = await findVolume(ctx, input.volumeId);
    const [instance] = await findInstances(ctx, [input.instanceId]);
    checkDeviceName(input.device);
    // Multi-Attach (io1/io2 with MultiAttachEnabled): a volume in use joins further instances.
    const multi = !!volume.attachment && !!volume.multiAttachEnabled && !attachmentsOf(volume).some((a) => a.instanceId === input.instanceId);
    if (volume.attachment && !multi) {
      // observed: aws/aws-sdk-java#1623, hashicorp/terraform-provider-aws#8565
      throw new Ec2Error('VolumeInUse', `${volume.volumeId} is already attached to an instance`);
    }
    if (volume.state !== 'available' && !multi) throw new Ec2Error('IncorrectState', `Volume '${volume.volumeId}' is in the '${volume.state}' state.`);
    if (volume.availabilityZone !== instance!.availabilityZone) throw new Ec2Error('InvalidVolume.ZoneMismatch', volume.volumeId, instance!.instanceId);
    if (instance!.state !== 'running' && instance!.state !== 'stopped') {
      // observed: ansible-collections/amazon.aws#497 (a pending instance)
      throw new Ec2Error('IncorrectState', `Instance '${instance!.instanceId}' is not 'running'.`);
    }
    // Multi-Attach's limits (EBS user guide, "Amazon EBS Multi-Attach"): instances built on the
    // Nitro System only, at most 16 of them per volume. Wording unconfirmed (no public AWS capture).
    if (volume.multiAttachEnabled && !isNitroType(instance!.instanceType)) {
      throw new Ec2Error('UnsupportedOperation', `The instance type ${instance!.instanceType} does not support Multi-Attach enabled volumes. Use an instance built on the Nitro System.`);
    }
    if (multi && attachmentsOf(volume).length >= MAX_MULTI_ATTACH) {
      throw new Ec2Error('AttachmentLimitExceeded', `Volume ${volume.volumeId} is attached to ${MAX_MULTI_ATTACH} instances, the most a Multi-Attach enabled volume can be attached to.`);
    }
    const inUse = () =>
      // observed: nanovms/ops#1189, mantl/mantl#819
      new Ec2Error('InvalidParameterValue', `Invalid value '${input.device}' for unixDevice. Attachment point ${input.device} is already in use`);
    const now = ctx.now();
    // Attachments on the instance that have finished detaching give their device back first; a
    // device is in use under either of its names (/dev/sdf and /dev/xvdf reach the same xvdf).
    for (const other of await ctx.store.volumes.list(ctx.scope)) {
      if (!attachmentsOf(other).some((a) => a.instanceId === instance!.instanceId)) continue;
      const s = settled(other, now);
      const mine = asAttachedTo(s, instance!.instanceId);
      if (!mine) await ctx.store.volumes.update(ctx.scope, other.volumeId, (x) => settled(x, now));
      else if (attachmentPoint(mine.attachment!.device) === attachmentPoint(input.device)) throw inUse();
    }
    if (multi) {
      // A further attachment: its device is checked above (the unique index covers first attachments only).
      const attachment = { instanceId: instance!.instanceId, device: input.device, state: 'attached' as const, attachTime: now, deleteOnTermination: false };
      const next = await ctx.store.volumes.update(ctx.scope, volume.volumeId, (x) => {
        const cur = settled(x, now);
        // Re-checked under the row's lock: two attachments racing for the 16th place take one.
        if (!cur.attachment || attachmentsOf(cur).some((a) => a.instanceId === attachment.instanceId) || attachmentsOf(cur).length >= MAX_MULTI_ATTACH) return x;
        return { ...cur, moreAttachments: [...(cur.moreAttachments ?? []), attachment] };
      });
      if (!next?.moreAttachments?.some((a) => a.instanceId === attachment.instanceId && a.attachTime.getTime() === now.getTime())) {
        throw new Ec2Error('VolumeInUse', `${volume.volumeId} is already attached to an instance`);
      }
      await ctx.runtime.attachToGuest(instance!.instanceId, volume.volumeId, input.device, volume.size);
      return attachmentItem({ ...next, attachment });
    }
    let next;
    try {
      next = await ctx.store.volumes.update(ctx.scope, volume.volumeId, (x) => {
        const cur = settled(x, now);
        if (cur.attachment || cur.state !== 'available') return x;
        return {
          ...cur,
          state: 'in-use',
          settlesAt: new Date(now.getTime() + ctx.runtime.storageDelayMs),
          attachment: { instanceId: instance!.instanceId, device: input.device, state: 'attaching', attachTime: now, deleteOnTermination: false },
        };
      });
    } catch (e) {
      if (e instanceof AttachmentConflictError) throw inUse();
      throw e;
    }
    if (!next?.attachment || next.attachment.instanceId !== instance!.instanceId || next.attachment.attachTime.getTime() !== now.getTime()) {
      throw new Ec2Error('VolumeInUse', `${volume.volumeId} is already attached to an instance`);
    }
    await ctx.runtime.attachToGuest(instance!.instanceId, volume.volumeId, input.device, volume.size);
    return attachmentItem(next);
  },
);
