// CreateImage: an AMI of an EBS-backed instance, running or stopped. Every EBS volume attached
// to it becomes a snapshot (copy on write: no bytes are copied) in the image's block device
// mapping; a running instance is rebooted first unless NoReboot. `pending` → `available`.
// RunInstances from the image gives new volumes with the snapshots' contents, so the
// authorized_keys inside travels with it (first boot appends the new launch key).
import { Ec2Error } from '../errors/ec2-error.js';
import { asAttachedTo, attachedTo, settled } from '../compute/volume-state.js';
import type { ImageBlockDeviceMapping, ImageRecord, SnapshotRecord } from '../store/port.js';
import { checkDryRun, defineAction } from './action.js';
import { checkImageName, insertImage } from './image-views.js';
import { fields } from './input.js';
import { findInstances } from './instance-views.js';
import { tagsFor } from './tag-specifications.js';

export default defineAction(
  'CreateImage',
  {
    instanceId: fields.string('InstanceId', { required: true }),
    name: fields.string('Name', { required: true }),
    description: fields.string('Description'),
    noReboot: fields.boolean('NoReboot'),
    blockDeviceMappings: fields.structList('BlockDeviceMapping', {
      deviceName: fields.string('DeviceName'),
      noDevice: fields.string('NoDevice'),
      virtualName: fields.string('VirtualName'),
      deleteOnTermination: fields.boolean('Ebs.DeleteOnTermination'),
      volumeSize: fields.integer('Ebs.VolumeSize'),
      volumeType: fields.string('Ebs.VolumeType'),
      encrypted: fields.boolean('Ebs.Encrypted'),
      snapshotId: fields.string('Ebs.SnapshotId'),
      iops: fields.integer('Ebs.Iops'),
      throughput: fields.integer('Ebs.Throughput'),
    }),
    tagSpecifications: fields.tagSpecifications(),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkImageName(input.name);
    const imageTags = tagsFor(input.tagSpecifications, ['image', 'snapshot'], 'image');
    const snapshotTags = tagsFor(input.tagSpecifications, ['image', 'snapshot'], 'snapshot');
    checkDryRun(input.dryRun);
    const [instance] = await findInstances(ctx, [input.instanceId]);
    const r = instance!;
    if (r.rootDeviceType !== 'ebs') {
      // unconfirmed wording, by analogy with StopInstances' refusal of instance-store roots
      throw new Ec2Error('UnsupportedOperation', `The instance '${r.instanceId}' does not have an 'ebs' root device type and cannot be imaged.`);
    }
    if (r.state !== 'running' && r.state !== 'stopped') {
      throw new Ec2Error('IncorrectInstanceState', `The instance '${r.instanceId}' is not in a state from which it can be imaged.`);
    }
    const now = ctx.now();
    const volumes = (await ctx.store.volumes.list(ctx.scope))
      .filter((v) => v.volumeId.startsWith('vol-') && attachedTo(v, r.instanceId, now))
      .map((v) => asAttachedTo(settled(v, now), r.instanceId)!);
    if (!volumes.some((v) => v.attachment!.device === r.rootDeviceName)) {
      throw new Ec2Error('InvalidParameterValue', `Invalid value '${r.instanceId}' for instanceId. Instance does not have a volume attached at root (${r.rootDeviceName})`);
    }
    const asked = new Map(input.blockDeviceMappings.map((m) => [m.deviceName, m]));
    for (const m of input.blockDeviceMappings) {
      if (!m.deviceName) throw new Ec2Error('MissingParameter', 'BlockDeviceMapping.DeviceName');
      const known = volumes.some((v) => v.attachment!.device === m.deviceName);
      if (known && m.volumeSize !== undefined && m.volumeSize < volumes.find((v) => v.attachment!.device === m.deviceName)!.size) {
        throw new Ec2Error('InvalidBlockDeviceMapping', `Volume of size ${m.volumeSize}GB is smaller than the volume at ${m.deviceName}`);
      }
    }
    const existing = (await ctx.store.images.listVisible(ctx.scope)).find((i) => i.ownerId === ctx.scope.accountId && i.name === input.name);
    if (existing) throw new Ec2Error('InvalidAMIName.Duplicate', input.name, existing.imageId);

    const settlesAt = new Date(now.getTime() + ctx.runtime.storageDelayMs);
    const imageId = ctx.ids.next('ami');
    const snapshots: SnapshotRecord[] = [];
    const mappings: ImageBlockDeviceMapping[] = [];
    const taken = volumes.filter((v) => asked.get(v.attachment!.device)?.noDevice === undefined || v.attachment!.device === r.rootDeviceName);
    const snapshotIds = taken.map(() => ctx.ids.next('snap'));
    const takeSnapshots = async () => {
      for (const [i, v] of taken.entries()) await ctx.runtime.volumes.snapshot(v.volumeId, snapshotIds[i]!);
    };
    // NoReboot=false: as on EC2, the instance shuts down, its volumes are snapshotted, then it
    // boots (sessions end): the disks hold no half-written files. NoReboot: taken while it runs.
    if (!input.noReboot && r.state === 'running') await ctx.runtime.rebootAround(ctx.scope, r.instanceId, takeSnapshots);
    else {
      await ctx.runtime.flush(r.instanceId);
      await takeSnapshots();
    }
    for (const [i, v] of taken.entries()) {
      const m = asked.get(v.attachment!.device);
      const snapshotId = snapshotIds[i]!;
      snapshots.push({
        snapshotId,
        volumeId: v.volumeId,
        volumeSize: v.size,
        description: `Created by CreateImage(${r.instanceId}) for ${imageId}`,
        state: 'pending',
        startTime: now,
        settlesAt,
        ownerId: ctx.scope.accountId,
        tags: snapshotTags,
        ...(v.encrypted ? { encrypted: true, kmsKeyId: v.kmsKeyId } : {}),
      });
      mappings.push({
        deviceName: v.attachment!.device,
        snapshotId,
        volumeSize: m?.volumeSize ?? v.size,
        volumeType: v.volumeType,
        deleteOnTermination: m?.deleteOnTermination ?? v.attachment!.deleteOnTermination,
        ...(v.encrypted ? { encrypted: true, kmsKeyId: v.kmsKeyId } : {}),
      });
    }
    const image: ImageRecord = {
      imageId,
      ownerId: ctx.scope.accountId,
      name: input.name,
      description: input.description ?? '',
      state: 'pending',
      creationDate: now,
      settlesAt,
      rootDeviceName: r.rootDeviceName,
      template: r.imageTemplate,
      blockDeviceMappings: mappings,
      sourceInstanceId: r.instanceId,
      launchPermissions: [],
      tags: imageTags,
    };
    await insertImage(ctx, image, snapshots);
    return { imageId };
  },
);
