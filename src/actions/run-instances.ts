// RunInstances: launches MaxCount instances of a built-in image in one reservation. Each gets a
// root volume (EBS images), a loopback public address, the key pair's public key as its launch
// key, and boots after the start delay (the runtime brings up its guest and SSH endpoint).
import { Ec2Error } from '../errors/ec2-error.js';
import { privateAddress, publicAddress } from '../compute/addresses.js';
import { newHostKeySeed } from '../compute/host-key.js';
import { resolveImage } from '../compute/images.js';
import { keyPairNotFound } from '../domain/key-pair.js';
import { decodeUserData } from '../domain/user-data.js';
import type { InstanceRecord, VolumeRecord } from '../store/port.js';
import { checkDryRun, defineAction } from './action.js';
import type { ActionContext } from './context.js';
import { fields } from './input.js';
import { attachedVolumes, instanceItem, isImageId } from './instance-views.js';
import { DEFAULT_METADATA_OPTIONS, IMDS_V2_DEFAULT_METADATA_OPTIONS, mergeMetadataOptions, metadataOptionMembers } from './metadata-options.js';
import { tagsFor } from './tag-specifications.js';
import { withLaunchTemplate } from './launch-templates/apply-launch-template.js';

/** Launched instances per request; AWS's real ceiling is the account's vCPU quota. */
const MAX_PER_REQUEST = 1000;
const ROOT_VOLUME_GIB = 8;

export default defineAction(
  'RunInstances',
  {
    imageId: fields.string('ImageId'),
    instanceType: fields.string('InstanceType'),
    minCount: fields.integer('MinCount', { required: true }),
    maxCount: fields.integer('MaxCount', { required: true }),
    keyName: fields.string('KeyName'),
    placement: fields.struct('Placement', {
      availabilityZone: fields.string('AvailabilityZone'),
      tenancy: fields.enum('Tenancy', ['default', 'dedicated', 'host'] as const),
    }),
    metadataOptions: fields.struct('MetadataOptions', metadataOptionMembers),
    tagSpecifications: fields.tagSpecifications(),
    clientToken: fields.string('ClientToken'),
    userData: fields.string('UserData'),
    disableApiTermination: fields.boolean('DisableApiTermination'),
    instanceInitiatedShutdownBehavior: fields.enum('InstanceInitiatedShutdownBehavior', ['stop', 'terminate'] as const),
    dryRun: fields.boolean('DryRun'),
    launchTemplate: fields.struct('LaunchTemplate', {
      launchTemplateId: fields.string('LaunchTemplateId'),
      launchTemplateName: fields.string('LaunchTemplateName'),
      version: fields.string('Version'),
    }),
  },
  async (ctx, request) => {
    const input = await withLaunchTemplate(ctx, request); // the template's members, then the request's
    // Validation, in the order AWS reports it: counts, image id shape, type, zone, options, tags.
    if (input.maxCount < 1) throw new Ec2Error('InvalidParameterValue', 'Maximum instance count must be greater than zero');
    if (input.minCount < 1) throw new Ec2Error('InvalidParameterValue', 'Minimum instance count must be greater than zero');
    if (input.minCount > input.maxCount) {
      throw new Ec2Error('InvalidParameterValue', 'Minimum instance count must be less than or equal to maximum instance count');
    }
    if (input.imageId === undefined || input.imageId === '') throw new Ec2Error('MissingParameter', 'ImageId');
    if (!isImageId(input.imageId)) throw new Ec2Error('InvalidAMIID.Malformed', input.imageId);
    const instanceType = input.instanceType ?? 'm1.small';
    if (!/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/.test(instanceType)) {
      throw new Ec2Error('InvalidParameterValue', `Invalid value '${instanceType}' for InstanceType.`);
    }
    const zone = input.placement?.availabilityZone || `${ctx.scope.region}a`;
    if (!new RegExp(`^${ctx.scope.region.replace(/-/g, '\\-')}[a-f]$`).test(zone)) {
      // observed: newsapps/beeswithmachineguns#90
      throw new Ec2Error('InvalidParameterValue', `Invalid availability zone: [${zone}]`);
    }
    mergeMetadataOptions(DEFAULT_METADATA_OPTIONS, input.metadataOptions ?? {}); // validates before the image lookup
    const userData = input.userData ? decodeUserData(input.userData).toString('base64') : undefined;
    const instanceTags = tagsFor(input.tagSpecifications, ['instance', 'volume'], 'instance');
    const volumeTags = tagsFor(input.tagSpecifications, ['instance', 'volume'], 'volume');
    if (input.maxCount > MAX_PER_REQUEST && input.minCount > MAX_PER_REQUEST) {
      throw new Ec2Error('InstanceLimitExceeded', `Your quota allows for 0 more running instance(s). You requested at least ${input.minCount}`);
    }
    checkDryRun(input.dryRun);

    // Idempotency: a repeated ClientToken answers with the instances it launched the first time.
    if (input.clientToken) {
      const earlier = (await ctx.store.instances.list(ctx.scope)).filter((r) => r.clientToken === input.clientToken);
      if (earlier.length) {
        if (earlier[0]!.imageId !== input.imageId || earlier.length !== Math.min(input.maxCount, MAX_PER_REQUEST)) {
          throw new Ec2Error('IdempotentParameterMismatch', 'Arguments on this idempotent request are inconsistent with arguments used in previous request(s).');
        }
        return reservation(ctx, earlier);
      }
    }

    const image = await resolveImage(ctx.store, ctx.scope, input.imageId);
    if (!image) throw new Ec2Error('InvalidAMIID.NotFound', input.imageId);
    // observed: aws-samples/amazon-s3-datalake-handson#10
    if (image === 'denied') throw new Ec2Error('AuthFailure', `Not authorized for images: [${input.imageId}]`);
    // An image's extra EBS volumes (CreateImage of an instance with data volumes) come along.
    const mappings = image.record?.blockDeviceMappings ?? [];
    const rootMapping = mappings.find((m) => m.deviceName === image.rootDeviceName);
    const metadataOptions = mergeMetadataOptions(
      image.imdsSupport === 'v2.0' ? IMDS_V2_DEFAULT_METADATA_OPTIONS : DEFAULT_METADATA_OPTIONS,
      input.metadataOptions ?? {},
    );
    let launchKey: InstanceRecord['launchKey'];
    if (input.keyName !== undefined) {
      const [pair] = await ctx.store.keyPairs.list(ctx.scope, { names: [input.keyName] });
      if (!pair) throw keyPairNotFound(input.keyName);
      launchKey = { name: pair.keyName, publicKey: pair.publicKey };
    }

    const count = Math.min(input.maxCount, MAX_PER_REQUEST);
    const reservationId = ctx.ids.next('r');
    const now = ctx.now();
    const instances: InstanceRecord[] = [];
    const volumes: VolumeRecord[] = [];
    const contents: { volumeId: string; source: string }[] = [];
    for (let i = 0; i < count; i++) {
      const instanceId = ctx.ids.next('i');
      const ebs = image.rootDeviceType === 'ebs';
      // Instance-store roots are not EBS volumes: their filesystem is kept under an id DescribeVolumes never shows.
      const rootVolumeId = ebs ? ctx.ids.next('vol') : ctx.ids.next('ephemeral');
      instances.push({
        instanceId,
        reservationId,
        imageId: image.imageId,
        instanceType,
        keyName: input.keyName,
        launchKey,
        state: 'pending',
        stateTransitionReason: '',
        launchTime: now,
        availabilityZone: zone,
        privateIp: privateAddress(await ctx.store.nextSequence('private-ip')),
        publicIp: publicAddress(await ctx.store.nextSequence('public-ip')),
        rootDeviceName: image.rootDeviceName,
        rootDeviceType: image.rootDeviceType,
        rootVolumeId,
        amiLaunchIndex: i,
        clientToken: input.clientToken,
        metadataOptions,
        hostKeySeed: newHostKeySeed(),
        imageTemplate: image.template,
        disableApiTermination: input.disableApiTermination,
        instanceInitiatedShutdownBehavior: input.instanceInitiatedShutdownBehavior,
        rootSource: image.rootSource,
        tags: instanceTags,
      });
      contents.push({ volumeId: rootVolumeId, source: image.rootSource });
      volumes.push({
        volumeId: rootVolumeId,
        size: rootMapping?.volumeSize ?? ROOT_VOLUME_GIB,
        snapshotId: rootMapping?.snapshotId,
        availabilityZone: zone,
        volumeType: ebs ? 'gp3' : 'instance-store',
        createTime: now,
        state: 'in-use',
        attachment: { instanceId, device: image.rootDeviceName, state: 'attached', attachTime: now, deleteOnTermination: rootMapping?.deleteOnTermination ?? true },
        tags: ebs ? volumeTags : [],
      });
      for (const m of mappings) {
        if (m === rootMapping) continue;
        const volumeId = ctx.ids.next('vol');
        contents.push({ volumeId, source: m.snapshotId });
        volumes.push({
          volumeId,
          size: m.volumeSize,
          snapshotId: m.snapshotId,
          availabilityZone: zone,
          volumeType: m.volumeType,
          createTime: now,
          state: 'in-use',
          attachment: { instanceId, device: m.deviceName, state: 'attached', attachTime: now, deleteOnTermination: m.deleteOnTermination },
          tags: volumeTags,
        });
      }
    }
    // Contents first (copy-on-write layers on the image's snapshots): a volume is never listed without them.
    for (const c of contents) await ctx.runtime.volumes.create(c.volumeId, c.source);
    const userDataById = userData === undefined ? undefined : new Map(instances.map((r) => [r.instanceId, userData]));
    await ctx.store.instances.insert(ctx.scope, instances, volumes, userDataById);
    await Promise.all(instances.map((r) => ctx.runtime.boot(ctx.scope, r.instanceId, r.launchTime)));
    return reservation(ctx, instances);
  },
);

async function reservation(ctx: ActionContext, instances: InstanceRecord[]) {
  const volumes = await attachedVolumes(ctx, instances);
  return {
    reservationId: instances[0]!.reservationId,
    ownerId: ctx.scope.accountId,
    groupSet: [],
    instancesSet: instances.map((r) => instanceItem(r, ctx.scope, volumes.get(r.instanceId) ?? [])),
  };
}
