// RunInstances' network members (SubnetId, SecurityGroupId.N, SecurityGroup.N, PrivateIpAddress,
// Ipv6AddressCount, Ipv6Address.N, NetworkInterface.N.*): read and checked here, in AWS's combinations, then placed by
// compute/network/instance-network.ts. Kept apart from run-instances.ts so that file only calls in.
import { Ec2Error } from '../errors/ec2-error.js';
import type { NetworkRequest } from '../compute/network/instance-network.js';
import type { AddressRequest } from '../compute/network/interface-addresses.js';
import { fields } from './input.js';
import { checkIds } from './network/common.js';
import { SECONDARY_BOTH } from './network/address-members.js';

export const networkMembers = {
  subnetId: fields.string('SubnetId'),
  securityGroupIds: fields.list('SecurityGroupId'),
  securityGroups: fields.list('SecurityGroup'),
  privateIpAddress: fields.string('PrivateIpAddress'),
  networkInterfaces: fields.rest('NetworkInterface'),
  ipv6AddressCount: fields.integer('Ipv6AddressCount'),
  ipv6Addresses: fields.structList('Ipv6Address', { ipv6Address: fields.string('Ipv6Address') }),
};

/** Lists may be absent when RunInstances is called from inside (Auto Scaling's launches). */
interface NetworkInput {
  subnetId?: string;
  securityGroupIds?: string[];
  securityGroups?: string[];
  privateIpAddress?: string;
  networkInterfaces?: Record<string, string>;
  ipv6AddressCount?: number;
  ipv6Addresses?: { ipv6Address?: string }[];
  instanceType?: string;
}

const INTERFACE_MEMBERS =
  /^(DeviceIndex|SubnetId|SecurityGroupId\.[1-9][0-9]*|AssociatePublicIpAddress|PrivateIpAddress|DeleteOnTermination|Description|NetworkInterfaceId|SecondaryPrivateIpAddressCount|Ipv6AddressCount|PrivateIpAddresses\.[1-9][0-9]*\.(PrivateIpAddress|Primary)|Ipv6Addresses\.[1-9][0-9]*\.Ipv6Address)$/;

const count = (raw: string | undefined, wire: string): number | undefined => {
  if (raw === undefined) return undefined;
  if (!/^[0-9]+$/.test(raw)) throw new Ec2Error('InvalidParameterValue', `Invalid value '${raw}' for ${wire}.`);
  return Number(raw);
};

/** `Prefix.N.Member` values in N order. */
const indexed = (ni: Map<string, string>, prefix: string, member: string): string[] =>
  [...ni]
    .map(([k, v]) => [new RegExp(`^${prefix}\\.([0-9]+)\\.${member}$`).exec(k)?.[1], v] as const)
    .filter((x): x is readonly [string, string] => x[0] !== undefined)
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([, v]) => v);

/** IPv6 addresses by value or count, never both (observed: ansible/ansible#40334). */
function ipv6Pair(addresses: string[], n: number | undefined): Pick<AddressRequest, 'ipv6Addresses' | 'ipv6Count'> {
  if (addresses.length && n !== undefined) throw new Ec2Error('InvalidParameterCombination', 'IPv6 addresses and IPv6 address count may not be specified on the same request');
  return { ...(addresses.length ? { ipv6Addresses: addresses } : {}), ...(n !== undefined ? { ipv6Count: n } : {}) };
}

const bool = (raw: string | undefined, wire: string): boolean | undefined => {
  if (raw === undefined) return undefined;
  if (/^true$/i.test(raw)) return true;
  if (/^false$/i.test(raw)) return false;
  throw new Ec2Error('InvalidParameterValue', `Invalid value '${raw}' for ${wire}. Expected a boolean value.`);
};

/** Checks the members as AWS does before anything is looked up; returns what to place (zone added later). */
export function readNetworkInput(given: NetworkInput): Omit<NetworkRequest, 'zone'> {
  const input = { ...given, securityGroupIds: given.securityGroupIds ?? [], securityGroups: given.securityGroups ?? [], networkInterfaces: given.networkInterfaces ?? {} };
  const byIndex = new Map<number, Map<string, string>>();
  for (const [key, value] of Object.entries(input.networkInterfaces)) {
    const m = /^([1-9][0-9]*)\.(.+)$/.exec(key);
    if (!m || !(INTERFACE_MEMBERS.test(m[2]!) || m[2] === 'InterfaceType')) throw new Ec2Error('UnknownParameter', `NetworkInterface.${key}`);
    if (m[2] === 'InterfaceType') checkInterfaceType(value);
    let g = byIndex.get(Number(m[1]));
    if (!g) byIndex.set(Number(m[1]), (g = new Map()));
    g.set(m[2]!, value);
  }
  checkIds('security-group', input.securityGroupIds);
  if (input.subnetId !== undefined) checkIds('subnet', [input.subnetId]);
  const instanceGroups = input.securityGroupIds.length + input.securityGroups.length > 0;
  if (byIndex.size === 0) {
    // observed (spec)
    if (input.securityGroups.length && input.subnetId !== undefined) {
      throw new Ec2Error('InvalidParameterCombination', 'The parameter groupName cannot be used with the parameter subnet');
    }
    const addresses = ipv6Pair((given.ipv6Addresses ?? []).flatMap((a) => (a.ipv6Address ? [a.ipv6Address] : [])), given.ipv6AddressCount);
    return { subnetId: input.subnetId, groupIds: input.securityGroupIds, groupNames: input.securityGroups, privateIp: input.privateIpAddress, addresses, instanceType: given.instanceType ?? 'm1.small' };
  }
  // CloudFormation's AWS::EC2::Instance Ipv6AddressCount: "You cannot specify this option and the network interfaces option in the same request."
  if (given.ipv6AddressCount !== undefined || given.ipv6Addresses?.length) {
    throw new Ec2Error('InvalidParameterCombination', 'Network interfaces and an instance-level IPv6 addresses or count may not be specified on the same request');
  }
  // observed (spec)
  if (instanceGroups) throw new Ec2Error('InvalidParameterCombination', 'Network interfaces and an instance-level security groups may not be specified on the same request');
  if (input.subnetId !== undefined) throw new Ec2Error('InvalidParameterCombination', 'Network interfaces and an instance-level subnet ID may not be specified on the same request');
  if (input.privateIpAddress !== undefined) {
    throw new Ec2Error('InvalidParameterCombination', 'Network interfaces and an instance-level private IP address should not be specified on the same request');
  }
  if (byIndex.size > 1) throw new Ec2Error('UnsupportedOperation', 'ec2lite launches instances with one network interface (device index 0); attach more with AttachNetworkInterface.');
  const ni = [...byIndex.values()][0]!;
  const deviceIndex = ni.get('DeviceIndex');
  if (deviceIndex === undefined) throw new Ec2Error('InvalidParameterValue', 'Each network interface requires a device index.');
  if (deviceIndex !== '0') throw new Ec2Error('UnsupportedOperation', 'ec2lite launches instances with one network interface (device index 0); attach more with AttachNetworkInterface.');
  if (ni.has('NetworkInterfaceId')) throw new Ec2Error('UnsupportedOperation', 'ec2lite does not launch instances on an existing network interface; launch, then AttachNetworkInterface.');
  const subnetId = ni.get('SubnetId');
  if (subnetId !== undefined) checkIds('subnet', [subnetId]);
  const groupIds = [...ni].filter(([k]) => k.startsWith('SecurityGroupId.')).sort((a, b) => Number(a[0].slice(16)) - Number(b[0].slice(16))).map(([, v]) => v);
  checkIds('security-group', groupIds);
  // PrivateIpAddresses.N: at most one Primary (the interface's primary address, as PrivateIpAddress), the others secondary.
  const listed = indexed(ni, 'PrivateIpAddresses', 'PrivateIpAddress');
  const primaries = [...ni].filter(([k, v]) => /^PrivateIpAddresses\.[0-9]+\.Primary$/.test(k) && /^true$/i.test(v)).map(([k]) => ni.get(k.replace(/Primary$/, 'PrivateIpAddress')));
  // [INF] wording ec2lite's: AWS refuses more than one primary address
  if (primaries.length > 1) throw new Ec2Error('InvalidParameterValue', 'Only one primary private IP address may be specified.');
  let primary = ni.get('PrivateIpAddress');
  if (primaries[0] !== undefined) {
    // [INF] wording ec2lite's: the two must agree
    if (primary !== undefined && primary !== primaries[0]) throw new Ec2Error('InvalidParameterCombination', 'The primary private IP address is specified twice with different values.');
    primary = primaries[0];
  }
  const secondary = listed.filter((ip) => ip !== primary);
  if (secondary.length && ni.has('SecondaryPrivateIpAddressCount')) throw new Ec2Error('InvalidParameterCombination', SECONDARY_BOTH);
  const addresses: AddressRequest = {
    ...(secondary.length ? { privateIps: secondary } : {}),
    ...(ni.has('SecondaryPrivateIpAddressCount') ? { secondaryCount: count(ni.get('SecondaryPrivateIpAddressCount'), 'SecondaryPrivateIpAddressCount') } : {}),
    ...ipv6Pair(indexed(ni, 'Ipv6Addresses', 'Ipv6Address'), count(ni.get('Ipv6AddressCount'), 'Ipv6AddressCount')),
  };
  return {
    subnetId,
    groupIds,
    groupNames: [],
    privateIp: primary,
    addresses,
    instanceType: given.instanceType ?? 'm1.small',
    associatePublicIp: bool(ni.get('AssociatePublicIpAddress'), 'AssociatePublicIpAddress'),
    deleteOnTermination: bool(ni.get('DeleteOnTermination'), 'DeleteOnTermination'),
    description: ni.get('Description'),
  };
}

/** InterfaceType's values (RunInstances reference, InstanceNetworkInterfaceSpecification). */
const INTERFACE_TYPES = ['interface', 'efa', 'efa-only'];

/** `interface` is every interface here; an Elastic Fabric Adapter is a device ec2lite's guests do not have. */
function checkInterfaceType(type: string): void {
  if (type === 'interface') return;
  if (!INTERFACE_TYPES.includes(type)) throw new Ec2Error('InvalidParameterValue', `Invalid value '${type}' for InterfaceType. Valid values: ${INTERFACE_TYPES.join(', ')}`);
  throw new Ec2Error('UnsupportedOperation', `ec2lite does not model Elastic Fabric Adapters: InterfaceType '${type}' is not supported.`);
}
