// Reading VPCs, subnets, security groups and their rules from the EC2 answers, and the rule
// types the console offers (AWS's presets: SSH, HTTP, HTTPS, All traffic, Custom TCP …).
import { childText, items, path, tagsOf, type ApiClient, type Params, type Tag } from './api.js';

export interface Vpc {
  id: string;
  name: string;
  cidr: string;
  state: string;
  isDefault: boolean;
  tenancy: string;
  dhcpOptionsId: string;
  tags: Tag[];
}

export interface Subnet {
  id: string;
  name: string;
  vpcId: string;
  cidr: string;
  zone: string;
  available: string;
  defaultForAz: boolean;
  mapPublicIp: boolean;
  state: string;
  tags: Tag[];
}

export interface SecurityGroup {
  id: string;
  name: string;
  description: string;
  vpcId: string;
  ownerId: string;
  tags: Tag[];
  inboundCount: number;
  outboundCount: number;
}

/** One rule as DescribeSecurityGroupRules gives it (one peer per rule). */
export interface Rule {
  id: string;
  groupId: string;
  egress: boolean;
  protocol: string;
  fromPort: number;
  toPort: number;
  /** A CIDR (IPv4 or IPv6), a prefix list, or a security group id. */
  peer: string;
  description: string;
}

const nameOf = (tags: Tag[]) => tags.find((t) => t.key === 'Name')?.value ?? '';

export async function listVpcs(api: ApiClient, params: Params = {}): Promise<Vpc[]> {
  const r = await api.ec2('DescribeVpcs', params);
  return items(r, 'vpcSet').map((v) => {
    const tags = tagsOf(v);
    return {
      id: childText(v, 'vpcId'),
      name: nameOf(tags),
      cidr: childText(v, 'cidrBlock'),
      state: childText(v, 'state'),
      isDefault: childText(v, 'isDefault') === 'true',
      tenancy: childText(v, 'instanceTenancy'),
      dhcpOptionsId: childText(v, 'dhcpOptionsId'),
      tags,
    };
  });
}

export async function listSubnets(api: ApiClient, params: Params = {}): Promise<Subnet[]> {
  const r = await api.ec2('DescribeSubnets', params);
  return items(r, 'subnetSet').map((s) => {
    const tags = tagsOf(s);
    return {
      id: childText(s, 'subnetId'),
      name: nameOf(tags),
      vpcId: childText(s, 'vpcId'),
      cidr: childText(s, 'cidrBlock'),
      zone: childText(s, 'availabilityZone'),
      available: childText(s, 'availableIpAddressCount'),
      defaultForAz: childText(s, 'defaultForAz') === 'true',
      mapPublicIp: childText(s, 'mapPublicIpOnLaunch') === 'true',
      state: childText(s, 'state'),
      tags,
    };
  });
}

/** Rules in IpPermissions form: one per peer. */
const countRules = (el: Element, name: string) =>
  items(el, name).reduce((n, p) => n + items(p, 'groups').length + items(p, 'ipRanges').length + items(p, 'ipv6Ranges').length + items(p, 'prefixListIds').length, 0);

export async function listSecurityGroups(api: ApiClient, params: Params = {}): Promise<SecurityGroup[]> {
  const out: SecurityGroup[] = [];
  let token: string | undefined;
  do {
    const r = await api.ec2('DescribeSecurityGroups', { ...params, NextToken: token });
    for (const g of items(r, 'securityGroupInfo')) {
      const tags = tagsOf(g);
      out.push({
        id: childText(g, 'groupId'),
        name: childText(g, 'groupName'),
        description: childText(g, 'groupDescription'),
        vpcId: childText(g, 'vpcId'),
        ownerId: childText(g, 'ownerId'),
        tags,
        inboundCount: countRules(g, 'ipPermissions'),
        outboundCount: countRules(g, 'ipPermissionsEgress'),
      });
    }
    token = childText(r, 'nextToken') || undefined;
  } while (token);
  return out;
}

/** The rules of some groups (DescribeSecurityGroupRules, filter group-id), following NextToken. */
export async function listRules(api: ApiClient, groupIds: string[]): Promise<Rule[]> {
  if (!groupIds.length) return [];
  const out: Rule[] = [];
  const filter: Params = { 'Filter.1.Name': 'group-id' };
  groupIds.forEach((g, n) => (filter[`Filter.1.Value.${n + 1}`] = g));
  let token: string | undefined;
  do {
    const r = await api.ec2('DescribeSecurityGroupRules', { ...filter, NextToken: token });
    for (const x of items(r, 'securityGroupRuleSet')) {
      out.push({
        id: childText(x, 'securityGroupRuleId'),
        groupId: childText(x, 'groupId'),
        egress: childText(x, 'isEgress') === 'true',
        protocol: childText(x, 'ipProtocol'),
        fromPort: Number(childText(x, 'fromPort') || -1),
        toPort: Number(childText(x, 'toPort') || -1),
        peer: childText(x, 'cidrIpv4') || childText(x, 'cidrIpv6') || childText(x, 'prefixListId') || path(x, 'referencedGroupInfo', 'groupId'),
        description: childText(x, 'description'),
      });
    }
    token = childText(r, 'nextToken') || undefined;
  } while (token);
  return out;
}

/** A rule type of the console's editor: fixed protocol and ports, or ports to type (Custom). */
export interface RuleType {
  label: string;
  protocol: string;
  /** Fixed port range; undefined when the user types it. */
  ports?: [number, number];
}

export const RULE_TYPES: RuleType[] = [
  { label: 'Custom TCP', protocol: 'tcp' },
  { label: 'Custom UDP', protocol: 'udp' },
  { label: 'Custom ICMP - IPv4', protocol: 'icmp' },
  { label: 'All TCP', protocol: 'tcp', ports: [0, 65535] },
  { label: 'All UDP', protocol: 'udp', ports: [0, 65535] },
  { label: 'All ICMP - IPv4', protocol: 'icmp', ports: [-1, -1] },
  { label: 'All traffic', protocol: '-1', ports: [-1, -1] },
  { label: 'SSH', protocol: 'tcp', ports: [22, 22] },
  { label: 'SMTP', protocol: 'tcp', ports: [25, 25] },
  { label: 'DNS (UDP)', protocol: 'udp', ports: [53, 53] },
  { label: 'DNS (TCP)', protocol: 'tcp', ports: [53, 53] },
  { label: 'HTTP', protocol: 'tcp', ports: [80, 80] },
  { label: 'HTTPS', protocol: 'tcp', ports: [443, 443] },
  { label: 'MYSQL/Aurora', protocol: 'tcp', ports: [3306, 3306] },
  { label: 'RDP', protocol: 'tcp', ports: [3389, 3389] },
  { label: 'PostgreSQL', protocol: 'tcp', ports: [5432, 5432] },
];

/** The preset a rule matches (SSH for tcp/22 …), else the Custom type of its protocol. */
export function ruleTypeOf(protocol: string, from: number, to: number): RuleType {
  const fixed = RULE_TYPES.find((t) => t.ports && t.protocol === protocol && t.ports[0] === from && t.ports[1] === to);
  if (fixed) return fixed;
  return RULE_TYPES.find((t) => !t.ports && t.protocol === protocol) ?? { label: `Custom protocol ${protocol}`, protocol };
}

export const protocolLabel = (p: string): string => (p === '-1' ? 'All' : p === 'tcp' ? 'TCP' : p === 'udp' ? 'UDP' : p === 'icmp' ? 'ICMP' : p);

/** The Port range column: "22", "0 - 65535", "All". */
export function portRangeLabel(protocol: string, from: number, to: number): string {
  if (protocol === '-1' || from === -1) return 'All';
  return from === to ? String(from) : `${from} - ${to}`;
}
