// Shared by the instance actions: id checks, lookups that fail as AWS does, and the XML shape
// of an instance (RunInstances' instancesSet and DescribeInstances' reservationSet items).
import { Ec2Error } from '../errors/ec2-error.js';
import { privateDnsName } from '../compute/addresses.js';
import { findImage, templateInfo } from '../compute/images.js';
import { stateOf } from '../compute/instance-state.js';
import { attachmentsOf, settled } from '../compute/volume-state.js';
import { tagSet } from '../domain/tags.js';
import { fields } from './input.js';
import type { ActionOutput } from './output.js';
import type { InstanceRecord, InstanceStateName, Scope, VolumeRecord } from '../store/port.js';
import type { ActionContext } from './context.js';
import type { InstanceNetwork } from '../compute/network/instance-network.js';
import { groupSetOf, instanceIpv6, networkInterfaceSet, shownPublicIp } from './network/instance-items.js';
import { launchOptionItems } from './launch-options.js';
import { wholeSeconds } from '../domain/aws-time.js';

/** AWS instance ids: `i-` and 8 (old style) or 17 lower-case hex digits. */
export const isInstanceId = (id: string): boolean => /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(id);
export const isImageId = (id: string): boolean => /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(id);
export const isVolumeId = (id: string): boolean => /^vol-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(id);

/** Rejects malformed ids (the first one), in request order. */
export function checkInstanceIds(ids: readonly string[]): void {
  const bad = ids.find((id) => !isInstanceId(id));
  if (bad !== undefined) throw new Ec2Error('InvalidInstanceID.Malformed', bad);
}

/** The request of DescribeInstances and DescribeInstanceCreditSpecifications: ids or filters, paged. */
export const pagedInstanceFields = {
  instanceIds: fields.list('InstanceId'),
  filters: fields.filters(),
  maxResults: fields.integer('MaxResults'),
  nextToken: fields.string('NextToken'),
  dryRun: fields.boolean('DryRun'),
};

/**
 * The instance selection of the paged Describe actions (DescribeInstances, DescribeInstanceStatus,
 * DescribeInstanceCreditSpecifications): well-formed ids, and MaxResults only without ids and
 * within 5..1000, refused as EC2 refuses them.
 */
export function checkInstanceSelection(ids: readonly string[], maxResults: number | undefined): void {
  checkInstanceIds(ids);
  if (maxResults !== undefined && ids.length) {
    throw new Ec2Error('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults');
  }
  if (maxResults !== undefined && (maxResults < 5 || maxResults > 1000)) {
    throw new Ec2Error('InvalidParameterValue', `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
  }
}

/** The instances named (each must exist), or without ids all of the caller's. */
export async function selectInstances(ctx: ActionContext, ids: readonly string[]): Promise<InstanceRecord[]> {
  return ids.length ? findInstances(ctx, ids) : ctx.store.instances.list(ctx.scope);
}

/**
 * The instances with these ids, in request order (duplicates once). Every id must exist in the
 * caller's account and region; all missing ones are named in one error, as AWS does.
 */
export async function findInstances(ctx: ActionContext, ids: readonly string[]): Promise<InstanceRecord[]> {
  checkInstanceIds(ids);
  const unique = [...new Set(ids)];
  const found = new Map((await ctx.store.instances.list(ctx.scope, unique)).map((r) => [r.instanceId, r]));
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length) throw new Ec2Error('InvalidInstanceID.NotFound', ...missing);
  return unique.map((id) => found.get(id)!);
}

/** `User initiated (2025-01-15 10:20:30 GMT)`: the reason AWS records for API-driven transitions. */
export const userInitiated = (now: Date): string =>
  `User initiated (${now.toISOString().slice(0, 19).replace('T', ' ')} GMT)`;

function stateReason(state: InstanceStateName, failure?: InstanceRecord['launchFailure']): ActionOutput | undefined {
  if (failure && (state === 'shutting-down' || state === 'terminated')) return { code: failure.code, message: failure.message };
  switch (state) {
    case 'pending':
      return { code: 'pending', message: 'pending' };
    case 'running':
      return undefined;
    default:
      return { code: 'Client.UserInitiatedShutdown', message: 'Client.UserInitiatedShutdown: User initiated shutdown' };
  }
}

/** One instance as EC2 writes it, members in the model's order. */
export function instanceItem(r: InstanceRecord, scope: Scope, volumes: readonly VolumeRecord[], net?: InstanceNetwork): ActionOutput {
  const publicIp = shownPublicIp(r);
  // The OS the instance runs is its root's template (an image made from a Windows instance is Windows too).
  const image = findImage(scope.region, r.imageId) ?? templateInfo(r.imageTemplate);
  const live = r.state !== 'terminated' && r.state !== 'shutting-down';
  // Instance-store roots are no EBS volumes: they never appear in blockDeviceMapping.
  const attached = volumes.filter((v) => v.volumeId.startsWith('vol-') && v.state !== 'deleted' && v.attachment?.instanceId === r.instanceId);
  const m = r.metadataOptions;
  return {
    instanceId: r.instanceId,
    imageId: r.imageId,
    instanceState: stateOf(r.state),
    // AWS blanks the DNS names once an instance is terminated; stopped instances lose the public one.
    privateDnsName: r.state === 'terminated' ? '' : privateDnsName(r.privateIp, scope.region),
    dnsName: live && publicIp ? publicDnsName(publicIp, scope.region) : '',
    reason: r.stateTransitionReason,
    keyName: r.keyName,
    amiLaunchIndex: r.amiLaunchIndex,
    productCodes: [],
    instanceType: r.instanceType,
    launchTime: wholeSeconds(r.launchTime),
    placement: { availabilityZone: r.availabilityZone, groupName: '', tenancy: 'default' },
    platform: image?.platform,
    monitoring: { state: 'disabled' },
    privateIpAddress: r.state === 'terminated' ? undefined : r.privateIp,
    ipAddress: publicIp,
    ipv6Address: r.state === 'terminated' ? undefined : instanceIpv6(net),
    subnetId: r.state === 'terminated' ? undefined : r.subnetId,
    vpcId: r.state === 'terminated' ? undefined : r.vpcId,
    sourceDestCheck: r.sourceDestCheck ?? true,
    groupSet: groupSetOf(net),
    stateReason: stateReason(r.state, r.launchFailure),
    architecture: 'x86_64',
    rootDeviceType: r.rootDeviceType,
    rootDeviceName: r.rootDeviceName,
    blockDeviceMapping: attached.map((v) => ({
      deviceName: v.attachment!.device,
      ebs: {
        volumeId: v.volumeId,
        status: v.attachment!.state,
        attachTime: wholeSeconds(v.attachment!.attachTime),
        deleteOnTermination: v.attachment!.deleteOnTermination,
      },
    })),
    virtualizationType: 'hvm',
    clientToken: r.clientToken ?? '',
    tagSet: r.tags.length ? tagSet(r.tags) : undefined,
    hypervisor: 'xen',
    networkInterfaceSet: networkInterfaceSet(r, net, scope),
    ebsOptimized: false,
    enaSupport: true,
    metadataOptions: {
      state: 'applied',
      httpTokens: m.httpTokens,
      httpPutResponseHopLimit: m.httpPutResponseHopLimit,
      httpEndpoint: m.httpEndpoint,
      httpProtocolIpv6: m.httpProtocolIpv6,
      instanceMetadataTags: m.instanceMetadataTags,
    },
    platformDetails: image?.platformDetails ?? 'Linux/UNIX',
    usageOperation: image?.usageOperation ?? 'RunInstances',
    ...launchOptionItems(r, scope),
  };
}

/** Public DNS name of a public address, as EC2 names them (`ec2-127-1-0-1.compute-1.amazonaws.com`). */
export function publicDnsName(ip: string, region: string): string {
  const host = `ec2-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1' ? `${host}.compute-1.amazonaws.com` : `${host}.${region}.compute.amazonaws.com`;
}

/** Volumes attached to the given instances, by instance id (attachment order). */
export async function attachedVolumes(ctx: ActionContext, instances: readonly InstanceRecord[]): Promise<Map<string, VolumeRecord[]>> {
  const out = new Map<string, VolumeRecord[]>(instances.map((r) => [r.instanceId, []]));
  if (!instances.length) return out;
  const now = ctx.now();
  for (const stored of await ctx.store.volumes.attachedTo(ctx.scope, [...out.keys()])) {
    const v = settled(stored, now);
    if (v.state === 'deleted') continue;
    // each instance sees its own attachment (a Multi-Attach volume has several)
    for (const a of attachmentsOf(v)) out.get(a.instanceId)?.push(a === v.attachment ? v : { ...v, attachment: a });
  }
  return out;
}

/** `instancesSet` item of Start/Stop/TerminateInstances. */
export const stateChange = (instanceId: string, previous: InstanceStateName, current: InstanceStateName): ActionOutput => ({
  instanceId,
  currentState: stateOf(current),
  previousState: stateOf(previous),
});
