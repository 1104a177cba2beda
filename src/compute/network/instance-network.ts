// Instances in a VPC: where RunInstances puts them (subnet, groups, a primary network interface
// with a private address of the subnet), what DescribeInstances shows of their network, and what
// termination releases. Interfaces live in the network store; the instance record keeps its VPC,
// subnet and primary interface id.
import { randomBytes } from 'node:crypto';
import { Ec2Error } from '../../errors/ec2-error.js';
import type { IdSource } from '../../domain/ids.js';
import type { NetObject, NetView, Scope, Store } from '../../store/port.js';
import { contains4, freeAddress, isReserved4, parseCidr4, parseIpv4 } from './cidr.js';
import { DEFAULT_GROUP_NAME } from './defaults.js';
import { ensureNetwork } from './ensure.js';
import { checkInterfaceLimits, defaultIpv6Count, pickIpv6, pickSecondaryIps, takenIn, takenIpv6In, type AddressRequest } from './interface-addresses.js';
import { addressUnique, macFrom, ofKind, type NetworkInterfaceData, type Obj } from './model.js';

export const GROUPS_PER_INTERFACE = 5;

export interface NetworkRequest {
  subnetId?: string;
  /** Placement.AvailabilityZone, when no subnet is named. */
  zone?: string;
  groupIds: readonly string[];
  /** Group names (default VPC only). */
  groupNames: readonly string[];
  privateIp?: string;
  associatePublicIp?: boolean;
  deleteOnTermination?: boolean;
  description?: string;
  /** Secondary private IPv4 and IPv6 addresses of the primary interface (per instance). */
  addresses?: AddressRequest;
  /** Checked against the type's addresses per interface. */
  instanceType?: string;
}

export interface Placement {
  vpcId: string;
  subnetId: string;
  availabilityZone: string;
  networkInterfaceId: string;
  privateIp: string;
  publicIp: boolean;
}

/** Picks the subnet and groups and creates one primary interface per instance, in one store transaction. */
export async function placeInstances(store: Store, ids: IdSource, scope: Scope, req: NetworkRequest, instanceIds: readonly string[], now: Date): Promise<Placement[]> {
  await ensureNetwork(store, ids, scope);
  return store.network.change(scope, ['vpc', 'subnet', 'security-group', 'network-interface'], (view) => {
    const subnet = pickSubnet(view, req);
    const groupIds = pickGroups(view, subnet.vpcId!, req);
    // IPv6-only subnets: instances and interfaces get IPv4 addresses only here (docs/networking.md)
    if (subnet.data.ipv6Native) throw new Ec2Error('InvalidParameterValue', `Subnet ${subnet.id} is IPv6-only: ec2lite gives interfaces IPv4 addresses only.`);
    const cidr = parseCidr4(subnet.data.cidrBlock)!;
    const enis = ofKind(view, 'network-interface');
    const taken = takenIn(enis, subnet.id);
    const taken6 = takenIpv6In(enis, subnet.id);
    const addresses = addressRequest(req, subnet, instanceIds.length);
    if (req.privateIp !== undefined) {
      const ip = parseIpv4(req.privateIp);
      if (ip === undefined) throw new Ec2Error('InvalidParameterValue', `Invalid value '${req.privateIp}' for PrivateIpAddress.`);
      // AWS CLI captures: "Address 10.0.0.300 does not fall within the subnet's address range"
      if (!contains4(cidr, ip)) throw new Ec2Error('InvalidParameterValue', `Address ${req.privateIp} does not fall within the subnet's address range`);
      if (isReserved4(cidr, ip)) throw new Ec2Error('InvalidParameterValue', `Address ${req.privateIp} is reserved`);
      if (taken.has(req.privateIp)) throw new Ec2Error('InvalidIPAddress.InUse', `Address ${req.privateIp} is in use.`);
      if (instanceIds.length > 1) {
        // observed wording unconfirmed: one fixed address cannot go to several instances
        throw new Ec2Error('InvalidParameterCombination', 'The parameter PrivateIpAddress cannot be used when launching more than one instance');
      }
    }
    const publicIp = req.associatePublicIp ?? subnet.data.mapPublicIpOnLaunch;
    const put: NetObject[] = [];
    const placements = instanceIds.map((instanceId, i) => {
      const privateIp = i === 0 && req.privateIp !== undefined ? req.privateIp : freeAddress(cidr, taken);
      // observed (error-code reference): InsufficientFreeAddressesInSubnet
      if (!privateIp) throw Ec2Error.withMessage('InvalidParameterValue', `There are not enough free addresses in subnet '${subnet.id}' to satisfy the requested number of instances.`);
      taken.add(privateIp);
      const secondary = pickSecondaryIps(subnet, taken, addresses);
      const ipv6 = pickIpv6(subnet, taken6, addresses);
      const eniId = ids.next('eni');
      const data: NetworkInterfaceData = {
        subnetId: subnet.id,
        availabilityZone: subnet.data.availabilityZone,
        description: req.description ?? '',
        privateIp,
        macAddress: macFrom(randomBytes(5).toString('hex')),
        groupIds: [...groupIds],
        sourceDestCheck: true,
        interfaceType: 'interface',
        attachment: { attachmentId: ids.next('eni-attach'), instanceId, deviceIndex: 0, deleteOnTermination: req.deleteOnTermination ?? true, attachTime: now.toISOString() },
        ...(secondary.length ? { secondaryPrivateIps: secondary.map((ip) => ({ ip })) } : {}),
        ...(ipv6.length ? { ipv6Addresses: ipv6 } : {}),
      };
      // parentId: the instance it is attached to (indexed: an instance's interfaces are read by it).
      put.push({ kind: 'network-interface', id: eniId, vpcId: subnet.vpcId, parentId: instanceId, unique: addressUnique(subnet.id, privateIp), data, tags: [] });
      return { vpcId: subnet.vpcId!, subnetId: subnet.id, availabilityZone: subnet.data.availabilityZone, networkInterfaceId: eniId, privateIp, publicIp };
    });
    return { changes: { put }, result: placements };
  });
}

/** The addresses each instance's primary interface gets besides its primary IPv4 one; checked once for all. */
function addressRequest(req: NetworkRequest, subnet: Obj<'subnet'>, count: number): AddressRequest {
  const a = req.addresses ?? {};
  const given = (a.privateIps?.length ?? 0) + (a.ipv6Addresses?.length ?? 0);
  // fixed addresses cannot go to several instances (as PrivateIpAddress; wording ec2lite's [INF])
  if (given && count > 1) throw new Ec2Error('InvalidParameterCombination', 'Specific private or IPv6 addresses cannot be used when launching more than one instance');
  const ipv6Count = a.ipv6Addresses?.length || a.ipv6Count !== undefined ? a.ipv6Count : defaultIpv6Count(subnet);
  const out = { ...a, ipv6Count };
  checkInterfaceLimits(req.instanceType, 1 + (a.privateIps?.length ?? 0) + (a.secondaryCount ?? 0), (a.ipv6Addresses?.length ?? 0) + (ipv6Count ?? 0));
  return out;
}

function pickSubnet(view: NetView, req: NetworkRequest): Obj<'subnet'> {
  const subnets = ofKind(view, 'subnet');
  if (req.subnetId !== undefined) {
    const s = subnets.find((x) => x.id === req.subnetId);
    if (!s) throw new Ec2Error('InvalidSubnetID.NotFound', req.subnetId);
    if (req.zone !== undefined && req.zone !== s.data.availabilityZone) {
      throw new Ec2Error('InvalidParameterValue', `Value (${req.zone}) for parameter availabilityZone is invalid. Subnet '${s.id}' is in availability zone ${s.data.availabilityZone}`);
    }
    return s;
  }
  const vpc = ofKind(view, 'vpc').find((v) => v.data.isDefault);
  // observed (spec)
  if (!vpc) throw new Ec2Error('VPCIdNotSpecified');
  const defaults = subnets.filter((s) => s.vpcId === vpc.id && s.data.defaultForAz);
  const s = req.zone === undefined ? defaults[0] : defaults.find((x) => x.data.availabilityZone === req.zone);
  if (!s) {
    throw new Ec2Error('InvalidParameterValue', `Value (${req.zone ?? ''}) for parameter availabilityZone is invalid. No default subnet for availability zone: ${req.zone ?? ''}`);
  }
  return s;
}

function pickGroups(view: NetView, vpcId: string, req: NetworkRequest): string[] {
  const groups = ofKind(view, 'security-group');
  const out: string[] = [];
  for (const id of req.groupIds) {
    const g = groups.find((x) => x.id === id);
    if (!g) throw new Ec2Error('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
    // AWS CLI captures: groups must belong to the subnet's VPC
    if (g.vpcId !== vpcId) throw new Ec2Error('InvalidParameter', `Security group ${id} and subnet belong to different networks.`);
    if (!out.includes(id)) out.push(id);
  }
  for (const name of req.groupNames) {
    const g = groups.find((x) => x.vpcId === vpcId && x.data.groupName === name);
    if (!g) throw new Ec2Error('InvalidGroup.NotFound', `The security group '${name}' does not exist in VPC '${vpcId}'`);
    if (!out.includes(g.id)) out.push(g.id);
  }
  if (out.length === 0) {
    const d = groups.find((x) => x.vpcId === vpcId && x.data.groupName === DEFAULT_GROUP_NAME);
    if (d) out.push(d.id);
  }
  if (out.length > GROUPS_PER_INTERFACE) throw new Ec2Error('SecurityGroupsPerInterfaceLimitExceeded');
  return out;
}

/** Removes interfaces made by a launch that did not complete (nothing is left half-created). */
export async function releasePlacements(store: Store, scope: Scope, placements: readonly Placement[]): Promise<void> {
  if (placements.length) await store.network.change(scope, [], () => ({ changes: { remove: placements.map((p) => p.networkInterfaceId) }, result: undefined }));
}

/**
 * At termination: interfaces attached with deleteOnTermination go (their addresses return to the
 * subnet), others are detached; Elastic IPs associated with the instance are disassociated.
 */
export async function releaseInstanceNetwork(store: Store, scope: Scope, instanceId: string): Promise<void> {
  await store.network.change(scope, ['network-interface', 'elastic-ip'], (view) => {
    const remove: string[] = [];
    const put: NetObject[] = [];
    const gone = new Set<string>();
    for (const e of ofKind(view, 'network-interface')) {
      if (e.data.attachment?.instanceId !== instanceId) continue;
      gone.add(e.id);
      if (e.data.attachment.deleteOnTermination) remove.push(e.id);
      else put.push({ ...e, parentId: undefined, data: { ...e.data, attachment: undefined, association: e.data.association?.allocationId ? e.data.association : undefined } });
    }
    for (const a of ofKind(view, 'elastic-ip')) {
      if (a.data.association && gone.has(a.data.association.networkInterfaceId) && remove.includes(a.data.association.networkInterfaceId)) {
        put.push({ ...a, data: { ...a.data, association: undefined } });
      }
    }
    return { changes: { remove, put }, result: undefined };
    // Its interfaces by their parent (the instance); the scope's Elastic IPs are few (a quota of 5 by default).
  }, { 'network-interface': { parentIds: [instanceId] } });
}

/** What DescribeInstances shows of an instance's network. */
export interface InstanceNetwork {
  vpcId: string;
  subnetId: string;
  groups: { groupId: string; groupName: string }[];
  interfaces: Obj<'network-interface'>[];
  subnetCidr?: string;
  vpcCidr?: string;
}

/** The network of each instance (those launched before networking existed have none). */
export async function instanceNetworks(store: Store, scope: Scope, instanceIds: readonly string[]): Promise<Map<string, InstanceNetwork>> {
  const out = new Map<string, InstanceNetwork>();
  if (!instanceIds.length) return out;
  const wanted = new Set(instanceIds);
  // The interfaces attached to these instances (by the indexed parent column), then only the
  // groups, subnets and VPCs they name: a describe of one instance reads a few rows, not the scope.
  const enis = (await store.network.list(scope, 'network-interface', { parentIds: [...wanted] })) as Obj<'network-interface'>[];
  if (!enis.length) return out;
  const [groups, subnets, vpcs] = await Promise.all([
    store.network.list(scope, 'security-group', { ids: [...new Set(enis.flatMap((e) => e.data.groupIds))] }) as Promise<Obj<'security-group'>[]>,
    store.network.list(scope, 'subnet', { ids: [...new Set(enis.map((e) => e.data.subnetId))] }) as Promise<Obj<'subnet'>[]>,
    store.network.list(scope, 'vpc', { ids: [...new Set(enis.map((e) => e.vpcId!))] }) as Promise<Obj<'vpc'>[]>,
  ]);
  const names = new Map(groups.map((g) => [g.id, g.data.groupName]));
  const subnetById = new Map(subnets.map((s) => [s.id, s]));
  const vpcById = new Map(vpcs.map((v) => [v.id, v]));
  for (const e of enis) {
    const instanceId = e.data.attachment?.instanceId;
    if (!instanceId || !wanted.has(instanceId)) continue;
    let n = out.get(instanceId);
    if (!n) {
      n = { vpcId: e.vpcId!, subnetId: e.data.subnetId, groups: [], interfaces: [] };
      out.set(instanceId, n);
    }
    n.interfaces.push(e);
    n.interfaces.sort((a, b) => a.data.attachment!.deviceIndex - b.data.attachment!.deviceIndex);
    const primary = n.interfaces[0]!;
    n.vpcId = primary.vpcId!;
    n.subnetId = primary.data.subnetId;
    n.subnetCidr = subnetById.get(primary.data.subnetId)?.data.cidrBlock;
    n.vpcCidr = vpcById.get(primary.vpcId!)?.data.cidrBlock;
    n.groups = primary.data.groupIds.map((id) => ({ groupId: id, groupName: names.get(id) ?? '' }));
  }
  return out;
}

/** ModifyInstanceAttribute GroupId.N: replaces the groups of the instance's primary interface. */
export async function setInstanceGroups(store: Store, scope: Scope, instanceId: string, groupIds: readonly string[]): Promise<void> {
  if (groupIds.length > GROUPS_PER_INTERFACE) throw new Ec2Error('SecurityGroupsPerInterfaceLimitExceeded');
  await store.network.change(scope, ['security-group', 'network-interface'], (view) => {
    const eni = ofKind(view, 'network-interface').find((e) => e.data.attachment?.instanceId === instanceId && e.data.attachment.deviceIndex === 0);
    if (!eni) throw new Ec2Error('InvalidInstanceID.NotFound', instanceId);
    for (const id of groupIds) {
      const g = ofKind(view, 'security-group').find((x) => x.id === id);
      if (!g) throw new Ec2Error('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
      if (g.vpcId !== eni.vpcId) throw new Ec2Error('InvalidParameter', `Security group ${id} and subnet belong to different networks.`);
    }
    return { changes: { put: [{ ...eni, data: { ...eni.data, groupIds: [...new Set(groupIds)] } }] }, result: undefined };
  });
}
