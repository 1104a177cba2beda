// ModifyVolume (Elastic Volumes): grow a volume, change its type, IOPS, throughput or Multi-Attach
// while it is available or in use. The volume shows the targets at once (AWS sets them while the
// modification runs: aws-ebs-csi-driver#552) and a running guest sees the larger disk at once
// (lsblk); its partition and filesystem grow with growpart and resize2fs/xfs_growfs.
import { Ec2Error } from '../errors/ec2-error.js';
import { modificationState } from '../compute/volume-modification.js';
import type { VolumeModificationRecord, VolumeRecord } from '../store/port.js';
import { checkDryRun, defineAction } from './action.js';
import { checkVolumePerformance, SIZE_LIMITS, VOLUME_TYPES } from './create-volume.js';
import { fields } from './input.js';
import { checkVolumeId, findVolume, volumeModificationItem } from './volume-views.js';

export default defineAction(
  'ModifyVolume',
  {
    volumeId: fields.string('VolumeId', { required: true }),
    size: fields.integer('Size'),
    volumeType: fields.enum('VolumeType', VOLUME_TYPES),
    iops: fields.integer('Iops'),
    throughput: fields.integer('Throughput'),
    multiAttachEnabled: fields.boolean('MultiAttachEnabled'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkVolumeId(input.volumeId);
    if (input.size === undefined && input.volumeType === undefined && input.iops === undefined && input.throughput === undefined && input.multiAttachEnabled === undefined) {
      // moto's wording (its tests were checked against AWS for this one)
      throw new Ec2Error('InvalidParameterValue', 'Invalid input: Must specify at least one of size, type, iops, throughput, multi_attach_enabled');
    }
    checkDryRun(input.dryRun);
    const v = await findVolume(ctx, input.volumeId);
    const now = ctx.now();
    const last = v.modifications?.at(-1);
    if (last && modificationState(last, now) !== 'completed') {
      // observed: kubernetes/kubernetes#69434, sodafoundation/strato#1120
      throw new Ec2Error('IncorrectModificationState', `Volume ${v.volumeId} cannot be modified in modification state ${modificationState(last, now).toUpperCase()}`);
    }
    if (v.state !== 'available' && v.state !== 'in-use') throw new Ec2Error('IncorrectState', `Volume '${v.volumeId}' is in the '${v.state}' state.`);
    const type = input.volumeType ?? v.volumeType;
    const size = input.size ?? v.size;
    // observed: aws/aws-cli#4216
    if (size < v.size) throw new Ec2Error('InvalidParameterValue', 'New size cannot be smaller than existing size');
    const [min, max] = SIZE_LIMITS[type as keyof typeof SIZE_LIMITS];
    if (size < min || size > max) throw new Ec2Error('InvalidParameterValue', `Volume of ${size}GiB is out of range for ${type}; valid sizes are ${min}-${max}GiB.`);
    // Defaults (ModifyVolume reference): IOPS are kept for the same type, else 3,000 for io1/io2/gp3;
    // throughput is kept gp3 to gp3, else 125 for gp3.
    const iops = input.iops ?? (type === v.volumeType ? v.iops : type === 'io1' || type === 'io2' || type === 'gp3' ? 3000 : undefined);
    const throughput = input.throughput ?? (type !== 'gp3' ? undefined : v.volumeType === 'gp3' ? v.throughput : 125);
    const multiAttach = input.multiAttachEnabled ?? v.multiAttachEnabled ?? false;
    checkVolumePerformance(type, { iops, throughput, multiAttachEnabled: multiAttach });
    if (input.multiAttachEnabled !== undefined && input.multiAttachEnabled !== (v.multiAttachEnabled ?? false) && v.state === 'in-use') {
      // AWS: Multi-Attach can be switched only while the volume is not attached (EBS user guide); wording unconfirmed
      throw new Ec2Error('IncorrectState', `Volume '${v.volumeId}' must be detached to change Multi-Attach.`);
    }
    const delay = ctx.runtime.storageDelayMs;
    const mod: VolumeModificationRecord = {
      originalSize: v.size,
      targetSize: size,
      originalVolumeType: v.volumeType,
      targetVolumeType: type,
      originalIops: v.iops,
      targetIops: iops,
      originalThroughput: v.throughput,
      targetThroughput: throughput,
      originalMultiAttachEnabled: v.multiAttachEnabled ?? false,
      targetMultiAttachEnabled: multiAttach,
      startTime: now,
      optimizingAt: new Date(now.getTime() + delay),
      completedAt: new Date(now.getTime() + 2 * delay),
    };
    const updated = await ctx.store.volumes.update(ctx.scope, v.volumeId, (r): VolumeRecord => ({
      ...r,
      size,
      volumeType: type,
      iops,
      throughput,
      multiAttachEnabled: multiAttach || undefined,
      // the newest few are enough for DescribeVolumesModifications (AWS keeps history too)
      modifications: [...(r.modifications ?? []).slice(-9), mod],
    }));
    if (!updated) throw new Ec2Error('InvalidVolume.NotFound', v.volumeId);
    if (size > v.size) {
      for (const a of [v.attachment, ...(v.moreAttachments ?? [])]) if (a) await ctx.runtime.resizeInGuest(a.instanceId, v.volumeId, size);
    }
    return { volumeModification: volumeModificationItem(updated.volumeId, mod, now) };
  },
);
