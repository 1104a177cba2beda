// RunInstances' `BlockDeviceMapping.N`: the request's mappings laid over the image's, validated as
// EC2 validates them, and turned into the volumes an instance launches with (root size, type,
// IOPS, throughput, encryption, DeleteOnTermination; extra EBS volumes; `NoDevice` removals;
// instance-store `ephemeralN` names, which EC2 keeps only on types that have instance storage).
import { builtInRootSnapshot } from '../compute/images.js';
import { refuseArchived } from './archived-snapshots.js';
import { Ec2Error } from '../errors/ec2-error.js';
import { checkKeyNeedsEncryption, type EbsEncryptionDefaults, resolveVolumeEncryption } from '../compute/ebs-encryption.js';
import type { ImageInfo } from '../compute/images.js';
import type { Scope, SnapshotRecord } from '../store/port.js';
import type { ActionContext } from './context.js';
import { checkVolumePerformance, SIZE_LIMITS, VOLUME_TYPES } from './create-volume.js';
import { ebsDefaults } from './ebs-defaults.js';
import { fields, type InputOf, type StructListField } from './input.js';
import { attachmentPoint, isSnapshotId } from './volume-views.js';

// One table of volume types and sizes for CreateVolume, ModifyVolume and launches.
export { SIZE_LIMITS, VOLUME_TYPES };
export type VolumeType = (typeof VOLUME_TYPES)[number];

/** Provisioned IOPS: range and the most IOPS per GiB (EBS volume types page). */
const IOPS_LIMITS: Partial<Record<VolumeType, { min: number; max: number; perGiB: number }>> = {
  gp3: { min: 3000, max: 16000, perGiB: 500 },
  io1: { min: 100, max: 64000, perGiB: 50 },
  io2: { min: 100, max: 256000, perGiB: 1000 },
};

/** The members of one mapping, on the wire under `BlockDeviceMapping.N.` (EC2 model `BlockDeviceMapping`). */
export const blockDeviceMappingMembers = {
  deviceName: fields.string('DeviceName'),
  virtualName: fields.string('VirtualName'),
  noDevice: fields.string('NoDevice'),
  deleteOnTermination: fields.boolean('Ebs.DeleteOnTermination'),
  iops: fields.integer('Ebs.Iops'),
  snapshotId: fields.string('Ebs.SnapshotId'),
  volumeSize: fields.integer('Ebs.VolumeSize'),
  volumeType: fields.enum('Ebs.VolumeType', VOLUME_TYPES),
  kmsKeyId: fields.string('Ebs.KmsKeyId'),
  throughput: fields.integer('Ebs.Throughput'),
  encrypted: fields.boolean('Ebs.Encrypted'),
  volumeInitializationRate: fields.integer('Ebs.VolumeInitializationRate'),
};

export const blockDeviceMappingsField = (wire = 'BlockDeviceMapping'): StructListField<typeof blockDeviceMappingMembers> =>
  fields.structList(wire, blockDeviceMappingMembers);

export type BlockDeviceMappingInput = InputOf<{ m: ReturnType<typeof blockDeviceMappingsField> }>['m'][number];

/** One EBS volume an instance launches with. */
export interface PlannedVolume {
  deviceName: string;
  isRoot: boolean;
  size: number;
  volumeType: VolumeType;
  iops?: number;
  throughput?: number;
  encrypted: boolean;
  kmsKeyId?: string;
  deleteOnTermination: boolean;
  snapshotId?: string;
  /** Where the contents come from: a snapshot id, `image:<template>`, or nothing (a blank volume). */
  source?: string;
  volumeInitializationRate?: number;
}

/** What the launch keeps beside the volumes: instance-store names and suppressed image devices. */
export interface LaunchBlockDevices {
  volumes: PlannedVolume[];
  /** `ephemeralN` mappings (device → virtual name) the instance type has storage for. */
  ephemeral: { deviceName: string; virtualName: string }[];
}

/** Device names EC2 takes in a block device mapping on HVM (device naming page): sd[a-z], xvd[a-z], xvd[b-c][a-z], sda1/sda2. */
const isMappingDeviceName = (d: string): boolean => /^\/dev\/(?:sd[a-z]|xvd[a-z]|xvd[bc][a-z]|sda[12])$/.test(d) || /^xvd[a-z]$/.test(d);

/**
 * Instance-store volumes per type family (how many `ephemeralN` a type exposes). EC2 ignores
 * `ephemeralN` mappings beyond what the type has, and types without instance storage ignore them all.
 */
function instanceStoreCount(instanceType: string): number {
  const [family = '', size = ''] = instanceType.split('.');
  if (family === 'm1') return size === 'small' ? 1 : size === 'medium' ? 1 : size === 'large' ? 2 : 4;
  if (/^(m3|c3|r3|i2|d2|x1|x1e|h1|i3|i3en|f1|p3dn|m5d|m5ad|m5dn|m6gd|m6id|m6idn|c5d|c5ad|c6gd|c6id|r5d|r5ad|r5dn|r6gd|r6id|z1d|g4dn|g5|im4gn|is4gen|i4i|c1|cc2|cr1|hs1|hi1|m2)$/.test(family)) {
    return /^(2xlarge|4xlarge|8xlarge|12xlarge|16xlarge|24xlarge|metal)/.test(size) ? 2 : 1;
  }
  return 0;
}

const badMapping = (message: string) => new Ec2Error('InvalidBlockDeviceMapping', message);

/** The request's mappings, checked on their own (before any lookup), in EC2's order. */
export function checkBlockDeviceMappings(mappings: readonly BlockDeviceMappingInput[]): void {
  const seen = new Set<string>();
  for (const m of mappings) {
    // observed: hashicorp/packer#6138 ("Missing device name")
    if (!m.deviceName) throw badMapping('Missing device name');
    // observed: aws/aws-cli#1071 ("Invalid device name /dev/sde1")
    if (!isMappingDeviceName(m.deviceName)) throw badMapping(`Invalid device name ${m.deviceName}`);
    const name = norm(m.deviceName);
    // observed (Terraform issues, root and ebs_block_device on one name): "The device 'xvda' is used in more than one block-device mapping"
    if (seen.has(name)) throw badMapping(`The device '${m.deviceName.replace(/^\/dev\//, '')}' is used in more than one block-device mapping`);
    seen.add(name);
    const ebs = hasEbs(m);
    if (m.virtualName !== undefined && (m.noDevice !== undefined || ebs)) {
      throw badMapping(`The block device mapping for ${m.deviceName} can only contain one of NoDevice, VirtualName or Ebs`);
    }
    if (m.noDevice !== undefined && ebs) throw badMapping(`The block device mapping for ${m.deviceName} can only contain one of NoDevice, VirtualName or Ebs`);
    if (m.virtualName !== undefined && !/^ephemeral([0-9]|1[0-9]|2[0-3])$/.test(m.virtualName)) {
      throw badMapping(`Invalid virtual name ${m.virtualName}`);
    }
    if (m.snapshotId !== undefined && !isSnapshotId(m.snapshotId)) throw new Ec2Error('InvalidSnapshot.Malformed', m.snapshotId);
    // AWS's CreateVolume/RunInstances rule: a key needs Encrypted=true (validation: before DryRun)
    checkKeyNeedsEncryption(m);
  }
}

const hasEbs = (m: BlockDeviceMappingInput): boolean =>
  m.deleteOnTermination !== undefined ||
  m.iops !== undefined ||
  m.snapshotId !== undefined ||
  m.volumeSize !== undefined ||
  m.volumeType !== undefined ||
  m.kmsKeyId !== undefined ||
  m.throughput !== undefined ||
  m.encrypted !== undefined ||
  m.volumeInitializationRate !== undefined;

/** Checks one volume's type, size, IOPS and throughput as EC2 does for a launch. */
function checkVolume(v: PlannedVolume, asked: { iops?: number; throughput?: number; size?: number }): void {
  const type = v.volumeType;
  // The IOPS rules are CreateVolume's (observed: boto/boto3#2474, kubernetes-retired/kube-aws#1208, aws/aws-sdk#542 (st1)).
  checkVolumePerformance(type, { iops: asked.iops });
  if (asked.throughput !== undefined && type !== 'gp3') {
    // A launch words it per device (observed: gardener/machine-controller-manager-provider-aws#95);
    // CreateVolume's own wording is checkVolumePerformance's.
    throw badMapping(`throughput cannot be specified with the volumeType of device '${v.deviceName}'`);
  }
  const [min, max] = SIZE_LIMITS[type];
  if (v.size < min || v.size > max) {
    throw new Ec2Error('InvalidParameterValue', `Volume of ${v.size}GiB is out of range for ${type}; valid sizes are ${min}-${max}GiB.`);
  }
  const limits = IOPS_LIMITS[type];
  if (limits && asked.iops !== undefined) {
    if (asked.iops < limits.min || asked.iops > limits.max) {
      throw new Ec2Error('InvalidParameterValue', `Volume iops of ${asked.iops} is too ${asked.iops < limits.min ? 'low' : 'high'}; valid range is ${limits.min}-${limits.max}.`);
    }
    const ratio = asked.iops / v.size;
    if (ratio > limits.perGiB) {
      // observed: rocicorp/mono#4410 ("Iops to volume size ratio of 750.000000 is too high; maximum is 500")
      throw new Ec2Error('InvalidParameterValue', `Iops to volume size ratio of ${ratio.toFixed(6)} is too high; maximum is ${limits.perGiB}`);
    }
  }
  if (type === 'gp3' && asked.throughput !== undefined) {
    if (asked.throughput < 125 || asked.throughput > 1000) {
      throw new Ec2Error('InvalidParameterValue', `Volume throughput of ${asked.throughput} is out of range; valid range is 125-1000 MiBps.`);
    }
    const ratio = asked.throughput / (v.iops ?? 3000);
    if (ratio > 0.25) {
      // observed: runs-on/runs-on#260
      throw new Ec2Error('InvalidParameterValue', `Throughput (MiBps) to iops ratio of ${ratio.toFixed(6)} is too high; maximum is 0.250000 MiBps per iops`);
    }
  }
}

/**
 * The volumes of one launch: the image's mappings (root first), each changed by a request mapping
 * of the same device, then the request's new devices. Snapshots are looked up here (sizes, the
 * snapshot's encryption).
 */
export async function planBlockDevices(
  ctx: ActionContext,
  image: ImageInfo,
  requested: readonly BlockDeviceMappingInput[],
  instanceType: string,
  defaultRootGiB: number,
): Promise<LaunchBlockDevices> {
  // A request mapping changes the image's mapping of the same device name (EC2 compares names as given).
  const byName = new Map(requested.map((m) => [norm(m.deviceName!), m]));
  const volumes: PlannedVolume[] = [];
  const used = new Set<string>();
  const imageMappings =
    image.record?.blockDeviceMappings.map((m) => ({ ...m, source: m.snapshotId as string | undefined })) ??
    (image.rootDeviceType === 'ebs'
      ? [{ deviceName: image.rootDeviceName, snapshotId: builtInRootSnapshot(image), volumeSize: defaultRootGiB, volumeType: 'gp3', deleteOnTermination: true, source: image.rootSource }]
      : []);
  const snapshotsOf = image.record ? await ctx.store.snapshots.list({ accountId: image.ownerId, region: ctx.scope.region }, imageMappings.map((m) => m.snapshotId)) : [];
  // Encryption by default and its key (compute/ebs-encryption.ts decides each volume's encryption).
  const defaults = await ebsDefaults(ctx);
  for (const im of imageMappings) {
    const m = byName.get(norm(im.deviceName));
    used.add(norm(im.deviceName));
    const isRoot = im.deviceName === image.rootDeviceName;
    if (m?.noDevice !== undefined) {
      if (isRoot) throw badMapping(`The device '${im.deviceName.replace(/^\/dev\//, '')}' is the root device and cannot be removed`);
      continue; // the image's device is suppressed
    }
    if (m?.virtualName !== undefined) throw badMapping(`The device '${im.deviceName.replace(/^\/dev\//, '')}' of the image is an EBS volume and cannot be mapped to ${m.virtualName}`);
    if (m?.snapshotId !== undefined && m.snapshotId !== im.snapshotId) {
      throw badMapping(`The snapshot of device '${im.deviceName}' is defined by the image and cannot be changed`);
    }
    const snapshot = snapshotsOf.find((s) => s.snapshotId === im.snapshotId);
    if (snapshot) refuseArchived(snapshot, ctx.now(), 'launching an instance with it');
    const size = m?.volumeSize ?? im.volumeSize;
    if (size < im.volumeSize) {
      // observed: scylladb/scylladb#6999, openshift/origin-ci-tool#153 (two spaces before "snapshot", sic)
      throw badMapping(`Volume of size ${size}GB is smaller than  snapshot '${im.snapshotId}', expect size >= ${im.volumeSize}GB`);
    }
    const v = volume(ctx.scope, {
      deviceName: im.deviceName,
      isRoot,
      size,
      volumeType: (m?.volumeType ?? im.volumeType) as VolumeType,
      m,
      deleteOnTermination: m?.deleteOnTermination ?? im.deleteOnTermination,
      snapshotId: im.snapshotId,
      source: im.source,
      snapshot,
      defaults,
    });
    volumes.push(v);
  }
  const ephemeral: LaunchBlockDevices['ephemeral'] = [];
  const storeCount = instanceStoreCount(instanceType);
  for (const m of requested) {
    const deviceName = m.deviceName!;
    if (used.has(norm(deviceName))) continue;
    if (m.noDevice !== undefined) continue; // nothing to suppress: EC2 accepts and ignores it
    if (m.virtualName !== undefined) {
      if (Number(m.virtualName.slice('ephemeral'.length)) < storeCount) ephemeral.push({ deviceName, virtualName: m.virtualName });
      continue;
    }
    let size = m.volumeSize;
    let snapshot: SnapshotRecord | undefined;
    if (m.snapshotId !== undefined) {
      const [snap] = await ctx.store.snapshots.list(ctx.scope, [m.snapshotId]);
      // observed: aws/aws-sdk-ruby#615 ("Invalid snapshot")
      if (!snap) throw new Ec2Error('InvalidSnapshot.NotFound', m.snapshotId);
      refuseArchived(snap, ctx.now(), 'launching an instance with it');
      snapshot = snap;
      size ??= snap.volumeSize;
      if (size < snap.volumeSize) {
        throw badMapping(`Volume of size ${size}GB is smaller than  snapshot '${snap.snapshotId}', expect size >= ${snap.volumeSize}GB`);
      }
    }
    // observed: nortontruter/infracoders-workshop#3
    if (size === undefined) throw badMapping(`Either snapshot ID or volume size must be provided for: ${deviceName}`);
    volumes.push(
      volume(ctx.scope, {
        deviceName,
        isRoot: false,
        size,
        volumeType: m.volumeType ?? 'gp2',
        m,
        deleteOnTermination: m.deleteOnTermination ?? true,
        snapshotId: m.snapshotId,
        source: m.snapshotId,
        snapshot,
        defaults,
      }),
    );
  }
  // Two names of one disk (/dev/sdf and /dev/xvdf, /dev/sda1 and /dev/xvda) would be one device in the guest.
  const points = new Map<string, string>();
  for (const v of volumes) {
    const point = attachmentPoint(norm(v.deviceName));
    const other = points.get(point);
    // unconfirmed wording: EC2's code for mappings that cannot be attached as asked
    if (other) throw badMapping(`The device '${v.deviceName}' and the device '${other}' name the same disk (${point})`);
    points.set(point, v.deviceName);
  }
  return { volumes, ephemeral };
}

const norm = (d: string) => (d.startsWith('/dev/') ? d : `/dev/${d}`);

function volume(
  scope: Scope,
  o: {
    deviceName: string;
    isRoot: boolean;
    size: number;
    volumeType: VolumeType;
    m: BlockDeviceMappingInput | undefined;
    deleteOnTermination: boolean;
    snapshotId?: string;
    source?: string;
    /** The snapshot the volume is made from (its encryption carries over). */
    snapshot: SnapshotRecord | undefined;
    defaults: EbsEncryptionDefaults;
  },
): PlannedVolume {
  const m = o.m;
  if (o.snapshot?.encrypted && m?.encrypted === false) {
    // an encrypted snapshot's volume is encrypted (EBS encryption docs)
    throw new Ec2Error('InvalidParameterCombination', `Volumes created from encrypted snapshots are always encrypted; Encrypted=false is not allowed for ${o.deviceName}.`);
  }
  // The request's mapping (over the template's and the image's), the snapshot's encryption and the account's defaults.
  const { encrypted, kmsKeyId } = resolveVolumeEncryption(scope, { encrypted: m?.encrypted, kmsKeyId: m?.kmsKeyId }, o.snapshot, o.defaults);
  const v: PlannedVolume = {
    deviceName: o.deviceName,
    isRoot: o.isRoot,
    size: o.size,
    volumeType: o.volumeType,
    iops: m?.iops,
    throughput: m?.throughput,
    encrypted,
    kmsKeyId,
    deleteOnTermination: o.deleteOnTermination,
    snapshotId: o.snapshotId,
    source: o.source,
    volumeInitializationRate: m?.volumeInitializationRate,
  };
  checkVolume(v, { iops: m?.iops, throughput: m?.throughput, size: m?.volumeSize });
  return v;
}
