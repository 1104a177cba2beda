// Shared by the volume actions: id and device-name checks, lookups that fail as AWS does, and
// the XML shape of a volume and of an attachment.
import { Ec2Error } from '../errors/ec2-error.js';
import { settled } from '../compute/volume-state.js';
import { tagSet } from '../domain/tags.js';
import type { ActionOutput } from './output.js';
import type { VolumeRecord } from '../store/port.js';
import type { ActionContext } from './context.js';
import { isVolumeId } from './instance-views.js';

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
  const [v] = await ctx.store.volumes.list(ctx.scope, [volumeId]);
  if (!v || !v.volumeId.startsWith('vol-') || v.state === 'deleted') throw new Ec2Error('InvalidVolume.NotFound', volumeId);
  return settled(v, ctx.now());
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
    attachTime: a.attachTime,
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
    attachmentSet: v.attachment ? [attachmentItem(v)] : [],
    tagSet: v.tags.length ? tagSet(v.tags) : undefined,
    volumeType: v.volumeType,
    iops: iopsOf(v),
    encrypted: false,
    throughput: v.volumeType === 'gp3' ? (v.throughput ?? 125) : undefined,
    multiAttachEnabled: false,
  };
}
