// Shared by the volume actions: id and device-name checks, lookups that fail as AWS does, and
// the XML shape of a volume and of an attachment.
import { Ec2Error } from '../errors/ec2-error.js';
import { attachmentsOf, settled } from '../compute/volume-state.js';
import { tagSet } from '../domain/tags.js';
import type { ActionOutput } from './output.js';
import type { VolumeModificationRecord, VolumeRecord } from '../store/port.js';
import { modificationProgress, modificationState } from '../compute/volume-modification.js';
import type { ActionContext } from './context.js';
import { isVolumeId } from './instance-views.js';
import { wholeSeconds } from '../domain/aws-time.js';

export const isSnapshotId = (id: string): boolean => /^snap-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(id);

export function checkVolumeId(id: string): void {
  if (!isVolumeId(id)) throw new Ec2Error('InvalidVolumeID.Malformed', id);
}

/**
 * EBS device names on HVM instances (AWS's device naming page): /dev/sd[a-z], /dev/xvd[a-z],
 * /dev/xvd[b-c][a-z], and /dev/sda1 for roots. Trailing digits are refused otherwise.
 */
export const isEbsDeviceName = (d: string): boolean => /^\/dev\/(?:sd[a-z]|xvd[a-z]|xvd[bc][a-z]|sda1)$/.test(d);

/** The disk a device name reaches inside the guest: /dev/sdf and /dev/xvdf are the same xvdf. */
export const attachmentPoint = (device: string): string => device.replace(/^\/dev\/(?:xv|s)d([a-z]+)\d*$/, 'xvd$1');

export function checkDeviceName(device: string): void {
  if (!isEbsDeviceName(device)) {
    // observed: sous-chefs/aws#134, kubernetes/kubernetes#42293
    throw new Ec2Error('InvalidParameterValue', `Value (${device}) for parameter device is invalid. ${device} is not a valid EBS device name.`);
  }
}

/** A visible EBS volume of the caller, as of now; instance-store roots and deleted volumes do not exist. */
export async function findVolume(ctx: ActionContext, volumeId: string): Promise<VolumeRecord> {
  const [stored] = await ctx.store.volumes.list(ctx.scope, [volumeId]);
  const v = stored && settled(stored, ctx.now());
  if (!v || !v.volumeId.startsWith('vol-') || v.state === 'deleted') throw new Ec2Error('InvalidVolume.NotFound', volumeId);
  return releaseIfUnmounted(ctx, v);
}

/**
 * A `busy` detach goes on once the guest no longer has the volume mounted (umount, reboot, stop):
 * the device leaves the guest and the attachment is `detaching` from now on.
 */
export async function releaseIfUnmounted(ctx: ActionContext, v: VolumeRecord): Promise<VolumeRecord> {
  const a = v.attachment;
  if (a?.state !== 'busy' || (await ctx.runtime.isMountedInGuest(a.instanceId, v.volumeId))) return v;
  await ctx.runtime.detachFromGuest(a.instanceId, v.volumeId);
  const now = ctx.now();
  const next = await ctx.store.volumes.update(ctx.scope, v.volumeId, (x) =>
    x.attachment?.state === 'busy' && x.attachment.instanceId === a.instanceId
      ? { ...x, settlesAt: new Date(now.getTime() + ctx.runtime.storageDelayMs), attachment: { ...x.attachment, state: 'detaching' } }
      : x,
  );
  return next ? settled(next, now) : v;
}

/** gp3 has a 3,000 IOPS baseline; gp2 3 IOPS per GiB between 100 and 16,000; io1/io2 what was asked. */
function iopsOf(v: VolumeRecord): number | undefined {
  if (v.volumeType === 'gp3') return v.iops ?? 3000;
  if (v.volumeType === 'gp2') return Math.min(16000, Math.max(100, v.size * 3));
  if (v.volumeType === 'io1' || v.volumeType === 'io2') return v.iops;
  return undefined;
}

export function attachmentItem(v: VolumeRecord): ActionOutput {
  const a = v.attachment!;
  return {
    volumeId: v.volumeId,
    instanceId: a.instanceId,
    device: a.device,
    status: a.state,
    attachTime: wholeSeconds(a.attachTime),
    deleteOnTermination: a.deleteOnTermination,
  };
}

/** One volume as EC2 writes it (DescribeVolumes item, CreateVolume response), members in the model's order. */
export function volumeItem(v: VolumeRecord): ActionOutput {
  return {
    volumeId: v.volumeId,
    size: v.size,
    snapshotId: v.snapshotId ?? '',
    availabilityZone: v.availabilityZone,
    status: v.state,
    createTime: v.createTime,
    attachmentSet: attachmentsOf(v).map((a) => attachmentItem({ ...v, attachment: a })),
    tagSet: v.tags.length ? tagSet(v.tags) : undefined,
    volumeType: v.volumeType,
    iops: iopsOf(v),
    encrypted: v.encrypted ?? false,
    kmsKeyId: v.kmsKeyId,
    throughput: v.volumeType === 'gp3' ? (v.throughput ?? 125) : undefined,
    multiAttachEnabled: v.multiAttachEnabled ?? false,
  };
}

/** One ModifyVolume request as EC2 writes it (ModifyVolume, DescribeVolumesModifications), as of now. */
export function volumeModificationItem(volumeId: string, m: VolumeModificationRecord, now: Date): ActionOutput {
  const state = modificationState(m, now);
  return {
    volumeId,
    modificationState: state,
    targetSize: m.targetSize,
    targetIops: m.targetIops,
    targetVolumeType: m.targetVolumeType,
    targetThroughput: m.targetThroughput,
    targetMultiAttachEnabled: m.targetMultiAttachEnabled,
    originalSize: m.originalSize,
    originalIops: m.originalIops,
    originalVolumeType: m.originalVolumeType,
    originalThroughput: m.originalThroughput,
    originalMultiAttachEnabled: m.originalMultiAttachEnabled,
    progress: modificationProgress(m, now),
    startTime: wholeSeconds(m.startTime),
    endTime: state === 'completed' ? m.completedAt : undefined,
  };
}
