// Network interfaces as DescribeNetworkInterfaces and CreateNetworkInterface write them, and their filters.
import { privateDnsName } from '../../compute/addresses.js';
import type { Obj } from '../../compute/network/model.js';
import type { FilterSchema } from '../../domain/filters.js';
import { tagSet } from '../../domain/tags.js';
import type { InstanceRecord, Scope } from '../../store/port.js';
import type { ActionContext } from '../context.js';
import type { ActionOutput } from '../output.js';
import { addressSets, publicDns, shownPublicIp } from './instance-items.js';
import { privateIpsOf } from '../../compute/network/interface-addresses.js';
import { wholeSeconds, wholeSecondsIso } from '../../domain/aws-time.js';

type Eni = Obj<'network-interface'>;

/** The public address of an interface now: an Elastic IP's, or its instance's mapped one (primary interfaces). */
export function interfacePublicIp(e: Eni, instances: ReadonlyMap<string, InstanceRecord>): { publicIp: string; allocationId?: string; associationId?: string } | undefined {
  if (e.data.association?.allocationId) return e.data.association;
  const r = e.data.attachment?.deviceIndex === 0 ? instances.get(e.data.attachment.instanceId) : undefined;
  const ip = r && shownPublicIp(r);
  return ip ? { publicIp: ip } : undefined;
}

export function interfaceItem(e: Eni, scope: Scope, names: ReadonlyMap<string, string>, instances: ReadonlyMap<string, InstanceRecord>): ActionOutput {
  const pub = interfacePublicIp(e, instances);
  const association = pub && {
    publicIp: pub.publicIp,
    publicDnsName: publicDns(pub.publicIp, scope.region),
    ipOwnerId: pub.allocationId ? scope.accountId : 'amazon',
    allocationId: pub.allocationId,
    associationId: pub.associationId,
  };
  const a = e.data.attachment;
  const dns = privateDnsName(e.data.privateIp, scope.region);
  return {
    networkInterfaceId: e.id,
    subnetId: e.data.subnetId,
    vpcId: e.vpcId,
    availabilityZone: e.data.availabilityZone,
    description: e.data.description,
    ownerId: scope.accountId,
    requesterManaged: false,
    status: a ? 'in-use' : 'available',
    macAddress: e.data.macAddress,
    privateIpAddress: e.data.privateIp,
    privateDnsName: dns,
    sourceDestCheck: e.data.sourceDestCheck,
    groupSet: e.data.groupIds.map((id) => ({ groupId: id, groupName: names.get(id) ?? '' })),
    attachment: a && {
      attachmentId: a.attachmentId,
      instanceId: a.instanceId,
      instanceOwnerId: scope.accountId,
      deviceIndex: a.deviceIndex,
      status: 'attached',
      attachTime: wholeSeconds(a.attachTime),
      deleteOnTermination: a.deleteOnTermination,
      networkCardIndex: 0,
    },
    association,
    tagSet: e.tags.length ? tagSet(e.tags) : undefined,
    ...addressSets(e, scope, association),
    interfaceType: 'interface',
  };
}

export const interfaceFilters = (names: ReadonlyMap<string, string>, instances: ReadonlyMap<string, InstanceRecord>): FilterSchema<Eni> => ({
  fields: {
    'network-interface-id': (e) => [e.id],
    'subnet-id': (e) => [e.data.subnetId],
    'vpc-id': (e) => [e.vpcId],
    'availability-zone': (e) => [e.data.availabilityZone],
    description: (e) => [e.data.description],
    'mac-address': (e) => [e.data.macAddress],
    'private-ip-address': (e) => [e.data.privateIp],
    'addresses.private-ip-address': (e) => privateIpsOf(e.data),
    'addresses.primary': (e) => ['true', ...(e.data.secondaryPrivateIps?.length ? ['false'] : [])],
    'addresses.association.public-ip': (e) => [interfacePublicIp(e, instances)?.publicIp, ...(e.data.secondaryPrivateIps ?? []).map((s) => s.association?.publicIp)],
    'ipv6-addresses.ipv6-address': (e) => e.data.ipv6Addresses ?? [],
    'ipv6-address': (e) => e.data.ipv6Addresses ?? [],
    'private-dns-name': () => [],
    status: (e) => [e.data.attachment ? 'in-use' : 'available'],
    'source-dest-check': (e) => [String(e.data.sourceDestCheck)],
    'group-id': (e) => e.data.groupIds,
    'group-name': (e) => e.data.groupIds.map((id) => names.get(id)),
    'attachment.attachment-id': (e) => [e.data.attachment?.attachmentId],
    'attachment.instance-id': (e) => [e.data.attachment?.instanceId],
    'attachment.device-index': (e) => [e.data.attachment ? String(e.data.attachment.deviceIndex) : undefined],
    'attachment.status': (e) => [e.data.attachment ? 'attached' : undefined],
    'attachment.attach-time': (e) => [e.data.attachment ? wholeSecondsIso(e.data.attachment.attachTime) : undefined],
    'attachment.delete-on-termination': (e) => [e.data.attachment ? String(e.data.attachment.deleteOnTermination) : undefined],
    'association.public-ip': (e) => [interfacePublicIp(e, instances)?.publicIp],
    'association.allocation-id': (e) => [e.data.association?.allocationId],
    'association.association-id': (e) => [e.data.association?.associationId],
    'interface-type': () => ['interface'],
    'requester-managed': () => ['false'],
  },
  tags: (e) => e.tags,
});

/** Group names and the attached instances, for items and filters. */
export async function interfaceContext(ctx: ActionContext, enis: readonly Eni[]): Promise<{ names: Map<string, string>; instances: Map<string, InstanceRecord> }> {
  const groups = await ctx.store.network.list<{ groupName: string }>(ctx.scope, 'security-group');
  const ids = [...new Set(enis.map((e) => e.data.attachment?.instanceId).filter((x): x is string => !!x))];
  const instances = ids.length ? await ctx.store.instances.list(ctx.scope, ids) : [];
  return { names: new Map(groups.map((g) => [g.id, g.data.groupName])), instances: new Map(instances.map((r) => [r.instanceId, r])) };
}
