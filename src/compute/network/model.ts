// What each kind of network object holds (the JSON `data` of the store's network objects), and the
// unique keys the database enforces per kind.
import type { NetKind, NetObject, NetView } from '../../store/port.js';

export interface VpcData {
  cidrBlock: string;
  cidrAssociationId: string;
  isDefault: boolean;
  dhcpOptionsId: string;
  instanceTenancy: 'default' | 'dedicated';
  enableDnsSupport: boolean;
  enableDnsHostnames: boolean;
  /** Secondary IPv4 blocks (AssociateVpcCidrBlock), after the primary `cidrBlock`. */
  extraCidrs?: { associationId: string; cidrBlock: string }[];
  /** IPv6 blocks: Amazon-provided /56s (one per network border group). */
  ipv6Cidrs?: { associationId: string; ipv6CidrBlock: string; networkBorderGroup: string }[];
}

/** Every IPv4 block of a VPC, the primary first. */
export const vpcCidrs = (d: VpcData): { associationId: string; cidrBlock: string }[] => [
  { associationId: d.cidrAssociationId, cidrBlock: d.cidrBlock },
  ...(d.extraCidrs ?? []),
];

export interface SubnetData {
  cidrBlock: string;
  availabilityZone: string;
  defaultForAz: boolean;
  mapPublicIpOnLaunch: boolean;
  /** The subnet's IPv6 /64 (AssociateSubnetCidrBlock or CreateSubnet's Ipv6CidrBlock), inside its VPC's /56. */
  ipv6Cidrs?: { associationId: string; ipv6CidrBlock: string }[];
  assignIpv6AddressOnCreation?: boolean;
  /** IPv6-only subnets have no IPv4 block (`cidrBlock` is empty). */
  ipv6Native?: boolean;
}

export interface InternetGatewayData {
  /** The VPC it is attached to, if any (one at most). */
  attachedVpcId?: string;
}

export interface RouteData {
  /** One of these: an IPv4 or IPv6 CIDR, or (a gateway endpoint's route) the service's prefix list. */
  destinationCidrBlock?: string;
  destinationIpv6CidrBlock?: string;
  egressOnlyInternetGatewayId?: string;
  destinationPrefixListId?: string;
  gatewayId?: string;
  networkInterfaceId?: string;
  instanceId?: string;
  origin: 'CreateRouteTable' | 'CreateRoute';
}

export interface RouteTableData {
  main: boolean;
  /** The main association's id (main tables) and explicit subnet associations. */
  mainAssociationId?: string;
  associations: { id: string; subnetId: string }[];
  routes: RouteData[];
}

export interface AclEntry {
  /** 1–32766; the `*` rule that ends each list is 32767. */
  ruleNumber: number;
  egress: boolean;
  /** `-1` or a protocol number as text (`6` TCP, `17` UDP, `1` ICMP, `58` ICMPv6). */
  protocol: string;
  ruleAction: 'allow' | 'deny';
  /** One of the two. */
  cidrBlock?: string;
  ipv6CidrBlock?: string;
  /** TCP and UDP entries. */
  portRange?: { from: number; to: number };
  /** ICMP entries (-1: all). */
  icmpTypeCode?: { type: number; code: number };
}

export interface NetworkAclData {
  isDefault: boolean;
  entries: AclEntry[];
  associations: { id: string; subnetId: string }[];
}

export interface DhcpOptionsData {
  configurations: { key: string; values: string[] }[];
}

export interface SecurityGroupData {
  groupName: string;
  description: string;
}

export interface RuleData {
  egress: boolean;
  /** `tcp`, `udp`, `icmp`, `icmpv6`, `-1` or a protocol number as text. */
  ipProtocol: string;
  fromPort: number;
  toPort: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  prefixListId?: string;
  referencedGroupId?: string;
  referencedUserId?: string;
  description?: string;
}

export interface NetworkInterfaceData {
  subnetId: string;
  availabilityZone: string;
  description: string;
  privateIp: string;
  macAddress: string;
  groupIds: string[];
  sourceDestCheck: boolean;
  interfaceType: 'interface';
  /** CreateNetworkInterface's ClientToken: a repeat answers with this interface. */
  clientToken?: string;
  attachment?: {
    attachmentId: string;
    instanceId: string;
    deviceIndex: number;
    deleteOnTermination: boolean;
    attachTime: string;
  };
  /** The public address: one the subnet mapped at launch, or an Elastic IP's. */
  association?: { publicIp: string; allocationId?: string; associationId?: string };
  /** Secondary private IPv4 addresses (AssignPrivateIpAddresses…), each with its Elastic IP if one is associated. */
  secondaryPrivateIps?: { ip: string; association?: { publicIp: string; allocationId: string; associationId: string } }[];
  /** IPv6 addresses from the subnet's IPv6 block (Ipv6AddressCount, AssignIpv6Addresses…). */
  ipv6Addresses?: string[];
}

export interface ElasticIpData {
  publicIp: string;
  association?: { associationId: string; networkInterfaceId: string; instanceId?: string; privateIp: string };
}

export interface PrefixListEntry {
  cidr: string;
  description?: string;
}

export interface PrefixListData {
  name: string;
  addressFamily: 'IPv4' | 'IPv6';
  maxEntries: number;
  version: number;
  /** The entries of every version, the current last (GetManagedPrefixListEntries' TargetVersion). */
  versions: { version: number; entries: PrefixListEntry[] }[];
  state: 'create-complete' | 'modify-complete';
  clientToken?: string;
}

export interface VpcEndpointData {
  serviceName: string;
  vpcEndpointType: 'Gateway' | 'Interface' | 'GatewayLoadBalancer';
  policyDocument?: string;
  routeTableIds: string[];
  subnetIds: string[];
  groupIds: string[];
  privateDnsEnabled: boolean;
  creationTimestamp: string;
  clientToken?: string;
}

export interface EgressOnlyInternetGatewayData {
  /** The VPC it was created in (always attached to it). */
  attachedVpcId: string;
  clientToken?: string;
}

/** Kinds → their data types. */
export interface NetData {
  vpc: VpcData;
  subnet: SubnetData;
  'internet-gateway': InternetGatewayData;
  'route-table': RouteTableData;
  'network-acl': NetworkAclData;
  'dhcp-options': DhcpOptionsData;
  'security-group': SecurityGroupData;
  'security-group-rule': RuleData;
  'network-interface': NetworkInterfaceData;
  'elastic-ip': ElasticIpData;
  'prefix-list': PrefixListData;
  'vpc-endpoint': VpcEndpointData;
  'egress-only-internet-gateway': EgressOnlyInternetGatewayData;
}

export type Obj<K extends NetKind> = NetObject<NetData[K]> & { kind: K };

/** The objects of one kind in a view (the kind must have been asked for). */
export const ofKind = <K extends NetKind>(view: NetView, kind: K): Obj<K>[] => (view.get(kind) ?? []) as Obj<K>[];

export const groupUnique = (vpcId: string, name: string): string => `${vpcId}|${name}`;
export const subnetUnique = (vpcId: string, cidr: string): string => `${vpcId}|${cidr}`;
export const addressUnique = (subnetId: string, ip: string): string => `${subnetId}|${ip}`;

/** A rule's identity within its group (what InvalidPermission.Duplicate compares). Descriptions are not part of it. */
export function ruleUnique(groupId: string, r: RuleData): string {
  const peer = r.cidrIpv4 ?? r.cidrIpv6 ?? r.prefixListId ?? `${r.referencedUserId ?? ''}/${r.referencedGroupId ?? ''}`;
  return `${groupId}|${r.egress ? 'out' : 'in'}|${r.ipProtocol}|${r.fromPort}|${r.toPort}|${peer}`;
}

/** A MAC address as AWS gives them in VPCs: 0a:xx:xx:xx:xx:xx. */
export function macFrom(hex: string): string {
  const h = hex.replace(/[^0-9a-f]/g, '').padStart(10, '0').slice(-10);
  return ['0a', ...h.match(/../g)!].join(':');
}
