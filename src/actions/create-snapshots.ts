// CreateSnapshots: one crash-consistent set of snapshots of an instance's EBS volumes (all of them,
// or without the root, or without some data volumes), taken at one moment after the guest's
// unsaved changes are flushed. Each snapshot is encrypted as its volume is; tags from
// TagSpecifications, and the volume's own tags with CopyTagsFromSource=volume.
import { Ec2Error } from '../errors/ec2-error.js';
import { asAttachedTo, attachedTo, settled } from '../compute/volume-state.js';
import type { SnapshotRecord } from '../store/port.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { findInstances } from './instance-views.js';
import { tagsFor } from './tag-specifications.js';
import { tagSet } from '../domain/tags.js';
import { checkVolumeId } from './volume-views.js';

export default defineAction(
  'CreateSnapshots',
  {
    instanceSpecification: fields.struct('InstanceSpecification', {
      instanceId: fields.string('InstanceId'),
      excludeBootVolume: fields.boolean('ExcludeBootVolume'),
    }),
    excludeDataVolumeIds: fields.list('InstanceSpecification.ExcludeDataVolumeId'),
    description: fields.string('Description'),
    outpostArn: fields.string('OutpostArn'),
    location: fields.enum('Location', ['regional', 'local'] as const),
    copyTagsFromSource: fields.enum('CopyTagsFromSource', ['volume'] as const),
    tagSpecifications: fields.tagSpecifications(),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    const instanceId = input.instanceSpecification?.instanceId;
    if (!instanceId) throw new Ec2Error('MissingParameter', 'InstanceSpecification');
    // Outposts and Local Zones are not modelled: their members are refused rather than ignored.
    if (input.outpostArn !== undefined) throw new Ec2Error('InvalidParameterValue', `Invalid value '${input.outpostArn}' for OutpostArn.`);
    if (input.location === 'local') throw new Ec2Error('InvalidParameterValue', "Invalid value 'local' for Location. The instance is not on an Outpost.");
    input.excludeDataVolumeIds.forEach(checkVolumeId);
    const tags = tagsFor(input.tagSpecifications, ['snapshot'], 'snapshot');
    checkDryRun(input.dryRun);
    const [instance] = await findInstances(ctx, [instanceId]);
    const now = ctx.now();
    let volumes = (await ctx.store.volumes.attachedTo(ctx.scope, [instance!.instanceId]))
      .filter((v) => v.volumeId.startsWith('vol-') && attachedTo(v, instance!.instanceId, now))
      .map((v) => asAttachedTo(settled(v, now), instance!.instanceId)!);
    const root = volumes.find((v) => v.attachment!.device === instance!.rootDeviceName);
    if (input.instanceSpecification?.excludeBootVolume) volumes = volumes.filter((v) => v !== root);
    if (input.excludeDataVolumeIds.length) {
      const notData = input.excludeDataVolumeIds.find((id) => !volumes.some((v) => v.volumeId === id && v !== root));
      // The API reference: "You can't specify the root volume ID"; wording unconfirmed
      if (notData !== undefined) throw new Ec2Error('InvalidParameterValue', `Invalid value '${notData}' for ExcludeDataVolumeId. It is not a data volume attached to ${instance!.instanceId}.`);
      volumes = volumes.filter((v) => !input.excludeDataVolumeIds.includes(v.volumeId));
    }
    await ctx.runtime.flush(instance!.instanceId);
    const settlesAt = new Date(now.getTime() + ctx.runtime.storageDelayMs);
    const snaps: SnapshotRecord[] = [];
    for (const v of volumes) {
      const snapshotId = ctx.ids.next('snap');
      await ctx.runtime.volumes.snapshot(v.volumeId, snapshotId);
      const copied = input.copyTagsFromSource === 'volume' ? v.tags.filter((t) => !tags.some((x) => x.key === t.key)) : [];
      snaps.push({
        snapshotId,
        volumeId: v.volumeId,
        volumeSize: v.size,
        description: input.description ?? '',
        state: 'pending',
        startTime: now,
        settlesAt,
        ownerId: ctx.scope.accountId,
        tags: [...copied, ...tags],
        ...(v.encrypted ? { encrypted: true, kmsKeyId: v.kmsKeyId } : {}),
      });
    }
    await ctx.store.snapshots.insert(ctx.scope, snaps);
    return {
      snapshotSet: snaps.map((s) => ({
        description: s.description,
        // written even when empty: CreateSnapshots' SnapshotInfo always carries its tag set (moto's tests read it)
        tagSet: tagSet(s.tags),
        encrypted: s.encrypted ?? false,
        volumeId: s.volumeId,
        state: s.state,
        volumeSize: s.volumeSize,
        startTime: s.startTime,
        progress: '',
        ownerId: s.ownerId,
        snapshotId: s.snapshotId,
        availabilityZone: volumes.find((v) => v.volumeId === s.volumeId)!.availabilityZone,
      })),
    };
  },
);
