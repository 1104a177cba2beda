// RunInstances: launches MaxCount instances of a built-in image in one reservation. Each gets a
// root volume (EBS images), a loopback public address, the key pair's public key as its launch
// key, and boots after the start delay (the runtime brings up its guest and SSH endpoint).
import { missingImageError } from './image-views.js';
import { Ec2Error } from '../errors/ec2-error.js';
import { publicAddress } from '../compute/addresses.js';
import { newHostKeySeed } from '../compute/host-key.js';
import { resolveImage } from '../compute/images.js';
import { keyPairNotFound } from '../domain/key-pair.js';
import { decodeUserData } from '../domain/user-data.js';
import { DuplicateClientTokenError, type InstanceRecord, type VolumeRecord } from '../store/port.js';
import { checkDryRun, defineAction } from './action.js';
import type { ActionContext } from './context.js';
import { fields } from './input.js';
import { attachedVolumes, instanceItem, isImageId } from './instance-views.js';
import { DEFAULT_METADATA_OPTIONS, IMDS_V2_DEFAULT_METADATA_OPTIONS, mergeMetadataOptions, metadataOptionMembers } from './metadata-options.js';
import { tagsFor } from './tag-specifications.js';
import { withLaunchTemplate } from './launch-templates/apply-launch-template.js';
import { failLaunch, launchFailureOf } from './launch-failure.js';
import { networkMembers, readNetworkInput } from './run-instances-network.js';
import { instanceNetworks, placeInstances, releasePlacements } from '../compute/network/instance-network.js';
import { blockDeviceMappingsField, checkBlockDeviceMappings, planBlockDevices } from './block-device-mappings.js';
import { instanceVolumes } from './launch-volumes.js';
import { forInstance, launchOptionFields, launchOptions, placementField, serviceTags } from './launch-options.js';

/** Launched instances per request; AWS's real ceiling is the account's vCPU quota. */
const MAX_PER_REQUEST = 1000;
const ROOT_VOLUME_GIB = 8;

/** RunInstances' input table (a launch template's members are read through it too). */
const runInstancesTable = {
  imageId: fields.string('ImageId'),
  instanceType: fields.string('InstanceType'),
  minCount: fields.integer('MinCount', { required: true }),
  maxCount: fields.integer('MaxCount', { required: true }),
  keyName: fields.string('KeyName'),
  placement: placementField,
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
  blockDeviceMappings: blockDeviceMappingsField(),
  ...launchOptionFields,
  // net (issue 20): SubnetId, SecurityGroupId.N, SecurityGroup.N, PrivateIpAddress, NetworkInterface.N.*
  ...networkMembers,
};

export default defineAction(
  'RunInstances',
  runInstancesTable,
  async (ctx, request) => {
    const input = await withLaunchTemplate(ctx, request, runInstancesTable); // the template's members, then the request's
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
    let zone = input.placement?.availabilityZone || `${ctx.scope.region}a`;
    if (!new RegExp(`^${ctx.scope.region.replace(/-/g, '\\-')}[a-f]$`).test(zone)) {
      // observed: newsapps/beeswithmachineguns#90
      throw new Ec2Error('InvalidParameterValue', `Invalid availability zone: [${zone}]`);
    }
    mergeMetadataOptions(DEFAULT_METADATA_OPTIONS, input.metadataOptions ?? {}); // validates before the image lookup
    const blockDeviceMappings = input.blockDeviceMappings ?? []; // absent when another service builds the request
    checkBlockDeviceMappings(blockDeviceMappings);
    const options = launchOptions(ctx.scope, input, instanceType);
    const userData = input.userData ? decodeUserData(input.userData).toString('base64') : undefined;
    const instanceTags = [...tagsFor(input.tagSpecifications, ['instance', 'volume'], 'instance'), ...serviceTags(input.launchTemplateUsed, request)];
    const volumeTags = tagsFor(input.tagSpecifications, ['instance', 'volume'], 'volume');
    if (input.maxCount > MAX_PER_REQUEST && input.minCount > MAX_PER_REQUEST) {
      throw new Ec2Error('InstanceLimitExceeded', `Your quota allows for 0 more running instance(s). You requested at least ${input.minCount}`);
    }
    const networkRequest = readNetworkInput(input);
    checkDryRun(input.dryRun);

    // Idempotency: a repeated ClientToken answers with the instances it launched the first time.
    const earlier = await launchedWithToken(ctx, input.clientToken, input.imageId, input.maxCount);
    if (earlier) return earlier;

    const image = await resolveImage(ctx.store, ctx.scope, input.imageId);
    if (!image) throw await missingImageError(ctx, input.imageId);
    // observed: aws-samples/amazon-s3-datalake-handson#10
    if (image === 'denied') throw new Ec2Error('AuthFailure', `Not authorized for images: [${input.imageId}]`);
    // The image's mappings (its extra EBS volumes come along) changed by the request's; a built-in
    // image's root defaults to its snapshot's size (Windows roots: 30 GiB).
    // Each volume's encryption: compute/ebs-encryption.ts (the snapshot's, asked for, or by default).
    const devices = await planBlockDevices(ctx, image, blockDeviceMappings, instanceType, image.rootVolumeGiB ?? ROOT_VOLUME_GIB);
    const failure = launchFailureOf(devices); // accepted, then pending → terminated (launch-failure.ts)
    const metadataOptions = mergeMetadataOptions(
      image.imdsSupport === 'v2.0' ? IMDS_V2_DEFAULT_METADATA_OPTIONS : DEFAULT_METADATA_OPTIONS,
      input.metadataOptions ?? {},
    );
    let launchKey: InstanceRecord['launchKey'];
    if (input.keyName !== undefined) {
      const [pair] = await ctx.store.keyPairs.list(ctx.scope, { names: [input.keyName] });
      if (!pair) throw keyPairNotFound(input.keyName);
      launchKey = { name: pair.keyName, publicKey: pair.publicKey };
      // Windows decrypts its password with the key: RSA only (observed: splunk/attack_range#901).
      if (image.platform === 'windows' && pair.keyType === 'ed25519') {
        throw new Ec2Error('Unsupported', 'ED25519 key pairs are not supported with Windows AMIs. Choose a different key pair type and try again.');
      }
    }

    // crun (issue 24): a real image this host cannot run is refused before anything is created.
    const unfit = ctx.runtime.cannotRun(image.template);
    if (unfit) throw new Ec2Error('InsufficientInstanceCapacity', instanceType, zone, unfit);

    const count = Math.min(input.maxCount, MAX_PER_REQUEST);
    const reservationId = ctx.ids.next('r');
    const now = ctx.now();
    // The subnet (named, or the default one of the zone), groups and a primary interface each.
    const instanceIds = Array.from({ length: count }, () => ctx.ids.next('i'));
    const placements = await placeInstances(ctx.store, ctx.ids, ctx.scope, { ...networkRequest, zone: input.placement?.availabilityZone || undefined }, instanceIds, now);
    zone = placements[0]!.availabilityZone;
    const instances: InstanceRecord[] = [];
    const volumes: VolumeRecord[] = [];
    const contents: { volumeId: string; source?: string }[] = [];
    for (let i = 0; i < count; i++) {
      const instanceId = instanceIds[i]!;
      const placed = placements[i]!;
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
        privateIp: placed.privateIp,
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
        vpcId: placed.vpcId,
        subnetId: placed.subnetId,
        networkInterfaceId: placed.networkInterfaceId,
        ...(placed.publicIp ? {} : { noPublicIp: true }),
        options: { ...forInstance(ctx, options), ...(devices.ephemeral.length ? { ephemeral: devices.ephemeral } : {}) },
        tags: instanceTags,
      });
      const made = instanceVolumes(ctx, { instanceId, rootVolumeId, zone, now, tags: volumeTags, image, devices });
      volumes.push(...made.volumes);
      contents.push(...made.contents);
    }
    // Contents first (copy-on-write layers on the image's snapshots): a volume is never listed without them.
    const userDataById = userData === undefined ? undefined : new Map(instances.map((r) => [r.instanceId, userData]));
    const made: string[] = [];
    try {
      // Each volume's contents go where its source's bytes are (an image's root: its engine; a snapshot's: beside it).
      for (const c of contents) {
        await ctx.runtime.volumes.create(c.volumeId, c.source);
        made.push(c.volumeId);
      }
      await ctx.store.instances.insert(ctx.scope, instances, volumes, userDataById);
    } catch (e) {
      await releasePlacements(ctx.store, ctx.scope, placements).catch(() => {});
      // The same token committed by a concurrent request meanwhile: this one's work is undone
      // and the first launch is the answer (the database claims the token, store/port.ts).
      if (e instanceof DuplicateClientTokenError) {
        for (const id of made) await ctx.runtime.volumes.remove(id).catch(() => {});
        const first = await launchedWithToken(ctx, input.clientToken, input.imageId, input.maxCount);
        if (first) return first;
      }
      throw e;
    }
    if (failure) {
      const answer = await reservation(ctx, instances); // AWS answers pending; the failure shows after
      await failLaunch(ctx, instances, failure);
      return answer;
    }
    await Promise.all(instances.map((r) => ctx.runtime.boot(ctx.scope, r.instanceId, r.launchTime)));
    return reservation(ctx, instances);
  },
);

/** The reservation an earlier RunInstances with `token` made; IdempotentParameterMismatch when it asked for other things. */
async function launchedWithToken(ctx: ActionContext, token: string | undefined, imageId: string, maxCount: number) {
  if (!token) return undefined;
  const earlier = (await ctx.store.instances.list(ctx.scope)).filter((r) => r.clientToken === token);
  if (earlier.length === 0) return undefined;
  if (earlier[0]!.imageId !== imageId || earlier.length !== Math.min(maxCount, MAX_PER_REQUEST)) {
    throw new Ec2Error('IdempotentParameterMismatch', 'Arguments on this idempotent request are inconsistent with arguments used in previous request(s).');
  }
  return reservation(ctx, earlier);
}

async function reservation(ctx: ActionContext, instances: InstanceRecord[]) {
  const volumes = await attachedVolumes(ctx, instances);
  const networks = await instanceNetworks(ctx.store, ctx.scope, instances.map((r) => r.instanceId));
  return {
    reservationId: instances[0]!.reservationId,
    ownerId: ctx.scope.accountId,
    groupSet: [],
    instancesSet: instances.map((r) => instanceItem(r, ctx.scope, volumes.get(r.instanceId) ?? [], networks.get(r.instanceId))),
  };
}
