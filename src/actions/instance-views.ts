// Shared by the instance actions: id checks, lookups that fail as AWS does, and the XML shape
// of an instance (RunInstances' instancesSet and DescribeInstances' reservationSet items).
import { Ec2Error } from '../errors/ec2-error.js';
import { privateDnsName } from '../compute/addresses.js';
import { findImage } from '../compute/images.js';
import { stateOf } from '../compute/instance-state.js';
import { settled } from '../compute/volume-state.js';
import { tagSet } from '../domain/tags.js';
import type { ActionOutput } from './output.js';
import type { InstanceRecord, InstanceStateName, Scope, VolumeRecord } from '../store/port.js';
import type { ActionContext } from './context.js';

/** AWS instance ids: `i-` and 8 (old style) or 17 lower-case hex digits. */
export const isInstanceId = (id: string): boolean => /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(id);
export const isImageId = (id: string): boolean => /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(id);
export const isVolumeId = (id: string): boolean => /^vol-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(id);

/** Rejects malformed ids (the first one), in request order. */
export function checkInstanceIds(ids: readonly string[]): void {
  const bad = ids.find((id) => !isInstanceId(id));
  if (bad !== undefined) throw new Ec2Error('InvalidInstanceID.Malformed', bad);
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

function stateReason(state: InstanceStateName): ActionOutput | undefined {
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
export function instanceItem(r: InstanceRecord, scope: Scope, volumes: readonly VolumeRecord[]): ActionOutput {
  const image = findImage(scope.region, r.imageId);
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
    dnsName: live && r.state !== 'stopped' && r.state !== 'stopping' ? publicDnsName(r.publicIp, scope.region) : '',
    reason: r.stateTransitionReason,
    keyName: r.keyName,
    amiLaunchIndex: r.amiLaunchIndex,
    productCodes: [],
    instanceType: r.instanceType,
    launchTime: r.launchTime,
    placement: { availabilityZone: r.availabilityZone, groupName: '', tenancy: 'default' },
    monitoring: { state: 'disabled' },
    privateIpAddress: r.state === 'terminated' ? undefined : r.privateIp,
    ipAddress: r.state === 'pending' || r.state === 'running' ? r.publicIp : undefined,
    sourceDestCheck: r.sourceDestCheck ?? true,
    groupSet: [],
    stateReason: stateReason(r.state),
    architecture: 'x86_64',
    rootDeviceType: r.rootDeviceType,
    rootDeviceName: r.rootDeviceName,
    blockDeviceMapping: attached.map((v) => ({
      deviceName: v.attachment!.device,
      ebs: {
        volumeId: v.volumeId,
        status: v.attachment!.state,
        attachTime: v.attachment!.attachTime,
        deleteOnTermination: v.attachment!.deleteOnTermination,
      },
    })),
    virtualizationType: 'hvm',
    clientToken: r.clientToken ?? '',
    tagSet: r.tags.length ? tagSet(r.tags) : undefined,
    hypervisor: 'xen',
    networkInterfaceSet: [],
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
    const list = v.attachment && v.state !== 'deleted' ? out.get(v.attachment.instanceId) : undefined;
    list?.push(v);
  }
  return out;
}

/** `instancesSet` item of Start/Stop/TerminateInstances. */
export const stateChange = (instanceId: string, previous: InstanceStateName, current: InstanceStateName): ActionOutput => ({
  instanceId,
  currentState: stateOf(current),
  previousState: stateOf(previous),
});
