// The volume records of one launched instance, from the launch's planned block devices: the root
// (an EBS volume, or the instance-store root DescribeVolumes never shows) and the extra EBS volumes,
// each attached at its device with its DeleteOnTermination, and where each one's contents come from.
import type { ImageInfo } from '../compute/images.js';
import type { Tag } from '../domain/tags.js';
import type { VolumeRecord } from '../store/port.js';
import type { LaunchBlockDevices } from './block-device-mappings.js';
import type { ActionContext } from './context.js';

export function instanceVolumes(
  ctx: ActionContext,
  o: { instanceId: string; rootVolumeId: string; zone: string; now: Date; tags: Tag[]; image: ImageInfo; devices: LaunchBlockDevices },
): { volumes: VolumeRecord[]; contents: { volumeId: string; source?: string }[] } {
  const { instanceId, zone, now } = o;
  const volumes: VolumeRecord[] = [];
  const contents: { volumeId: string; source?: string }[] = [];
  if (o.image.rootDeviceType !== 'ebs') {
    contents.push({ volumeId: o.rootVolumeId, source: o.image.rootSource });
    volumes.push({
      volumeId: o.rootVolumeId,
      size: 8,
      availabilityZone: zone,
      volumeType: 'instance-store',
      createTime: now,
      state: 'in-use',
      attachment: { instanceId, device: o.image.rootDeviceName, state: 'attached', attachTime: now, deleteOnTermination: true },
      tags: [],
    });
  }
  for (const p of o.devices.volumes) {
    const volumeId = p.isRoot ? o.rootVolumeId : ctx.ids.next('vol');
    contents.push({ volumeId, source: p.source });
    volumes.push({
      volumeId,
      size: p.size,
      snapshotId: p.snapshotId,
      availabilityZone: zone,
      volumeType: p.volumeType,
      iops: p.iops,
      throughput: p.throughput,
      encrypted: p.encrypted || undefined,
      kmsKeyId: p.kmsKeyId,
      createTime: now,
      state: 'in-use',
      attachment: { instanceId, device: p.deviceName, state: 'attached', attachTime: now, deleteOnTermination: p.deleteOnTermination },
      tags: o.tags,
    });
  }
  return { volumes, contents };
}
