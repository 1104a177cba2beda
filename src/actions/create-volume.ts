// CreateVolume: a blank volume (unformatted until mkfs in a guest) or one made from a snapshot
// (copy on write: it stores only its own changes). `creating` → `available` after the storage delay.
import { Ec2Error } from '../errors/ec2-error.js';
import { checkKeyNeedsEncryption, isKmsKeyIdForm, resolveVolumeEncryption } from '../compute/ebs-encryption.js';
import type { SnapshotRecord, VolumeRecord } from '../store/port.js';
import { ebsDefaults } from './ebs-defaults.js';
import { sharedSnapshot } from './snapshot-views.js';
import { refuseArchived } from './archived-snapshots.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { tagsFor } from './tag-specifications.js';
import { isSnapshotId, volumeItem } from './volume-views.js';

export const VOLUME_TYPES = ['standard', 'io1', 'io2', 'gp2', 'sc1', 'st1', 'gp3'] as const;

/** GiB limits per type (the CreateVolume API reference). */
export const SIZE_LIMITS: Record<(typeof VOLUME_TYPES)[number], [number, number]> = {
  gp2: [1, 16384],
  gp3: [1, 65536],
  io1: [4, 16384],
  io2: [4, 65536],
  st1: [125, 16384],
  sc1: [125, 16384],
  standard: [1, 1024],
};

/**
 * Which performance members each type takes (observed texts: "The parameter iops is not supported for
 * gp2 volumes." kubernetes-retired/kube-aws#1208; "The parameter iops must be specified for io2
 * volumes." velero-io/velero-plugin-for-aws#119; "throughput can only be specified for volumeType
 * gp3." runs-on/runs-on#426). Multi-Attach: io1/io2 only (CreateVolume reference).
 */
export function checkVolumePerformance(volumeType: string, p: { iops?: number; throughput?: number; multiAttachEnabled?: boolean }): void {
  const provisioned = volumeType === 'io1' || volumeType === 'io2';
  if (p.iops !== undefined && !provisioned && volumeType !== 'gp3') {
    throw new Ec2Error('InvalidParameterCombination', `The parameter iops is not supported for ${volumeType} volumes.`);
  }
  if (p.iops === undefined && provisioned) throw new Ec2Error('InvalidParameterCombination', `The parameter iops must be specified for ${volumeType} volumes.`);
  if (p.throughput !== undefined && volumeType !== 'gp3') throw new Ec2Error('InvalidParameterCombination', 'throughput can only be specified for volumeType gp3.');
  // moto's code and shape (no AWS capture found); the rule itself is the CreateVolume reference's
  if (p.multiAttachEnabled && !provisioned) throw new Ec2Error('InvalidParameterDependency', 'MultiAttachEnabled', 'VolumeType');
}

export default defineAction(
  'CreateVolume',
  {
    availabilityZone: fields.string('AvailabilityZone'),
    availabilityZoneId: fields.string('AvailabilityZoneId'),
    size: fields.integer('Size'),
    snapshotId: fields.string('SnapshotId'),
    volumeType: fields.enum('VolumeType', VOLUME_TYPES),
    iops: fields.integer('Iops'),
    throughput: fields.integer('Throughput'),
    encrypted: fields.boolean('Encrypted'),
    kmsKeyId: fields.string('KmsKeyId'),
    multiAttachEnabled: fields.boolean('MultiAttachEnabled'),
    outpostArn: fields.string('OutpostArn'),
    tagSpecifications: fields.tagSpecifications(),
    clientToken: fields.string('ClientToken'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    const zone = input.availabilityZone;
    if (!zone) throw new Ec2Error('MissingParameter', 'AvailabilityZone');
    if (!new RegExp(`^${ctx.scope.region.replace(/-/g, '\\-')}[a-f]$`).test(zone)) {
      throw new Ec2Error('InvalidParameterValue', `Invalid availability zone: [${zone}]`);
    }
    if (input.size === undefined && !input.snapshotId) throw new Ec2Error('MissingParameter', 'size/snapshot');
    if (input.snapshotId && !isSnapshotId(input.snapshotId)) throw new Ec2Error('InvalidSnapshot.Malformed', input.snapshotId);
    const volumeType = input.volumeType ?? 'gp2';
    if (input.size !== undefined) {
      const [min, max] = SIZE_LIMITS[volumeType];
      if (input.size < min || input.size > max) {
        throw new Ec2Error('InvalidParameterValue', `Volume of ${input.size}GiB is out of range for ${volumeType}; valid sizes are ${min}-${max}GiB.`);
      }
    }
    checkVolumePerformance(volumeType, input);
    checkKeyNeedsEncryption(input);
    const tags = tagsFor(input.tagSpecifications, ['volume'], 'volume');
    checkDryRun(input.dryRun);

    let size = input.size;
    let snap: SnapshotRecord | undefined;
    if (input.snapshotId) {
      // Own snapshots, or another account's shared through createVolumePermission.
      snap = (await ctx.store.snapshots.list(ctx.scope, [input.snapshotId]))[0] ?? (await sharedSnapshot(ctx, input.snapshotId));
      // observed: "InvalidSnapshot.NotFound: Snapshot does not exist" (kvnn/OrdControl#13)
      if (!snap) throw new Ec2Error('InvalidSnapshot.NotFound', '');
      refuseArchived(snap, ctx.now(), 'creating a volume from it');
      size ??= snap.volumeSize;
      if (size < snap.volumeSize) {
        // wording of the RunInstances block-device case (scylladb/scylladb#6999)
        throw new Ec2Error('InvalidParameterValue', `Volume of size ${size}GB is smaller than snapshot '${snap.snapshotId}', expect size >= ${snap.volumeSize}GB`);
      }
    }
    const encryption = resolveVolumeEncryption(ctx.scope, input, snap, await ebsDefaults(ctx));
    const now = ctx.now();
    const volume: VolumeRecord = {
      volumeId: ctx.ids.next('vol'),
      size: size!,
      snapshotId: input.snapshotId,
      availabilityZone: zone,
      volumeType,
      iops: input.iops,
      throughput: input.throughput,
      createTime: now,
      state: 'creating',
      settlesAt: new Date(now.getTime() + ctx.runtime.storageDelayMs),
      tags,
      ...encryption,
      ...(encryption.kmsKeyId !== undefined && !isKmsKeyIdForm(encryption.kmsKeyId) ? { keyUnusable: true } : {}),
      ...(input.multiAttachEnabled ? { multiAttachEnabled: true } : {}),
    };
    // Contents first: a listed volume always has them.
    await ctx.runtime.volumes.create(volume.volumeId, input.snapshotId);
    await ctx.store.volumes.insert(ctx.scope, volume);
    return volumeItem(volume);
  },
);
