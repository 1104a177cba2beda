// The XML items of network objects, members in the botocore model's order, and their filters.
import { parseCidr4, usableAddresses } from '../../compute/network/cidr.js';
import { vpcCidrs, type NetData, type Obj, type RuleData } from '../../compute/network/model.js';
import { zoneId } from '../../compute/network/zones.js';
import type { FilterSchema } from '../../domain/filters.js';
import { tagSet } from '../../domain/tags.js';
import type { Scope } from '../../store/port.js';
import type { ActionOutput } from '../output.js';

const tagsOf = (o: { tags: { key: string; value: string }[] }) => (o.tags.length ? tagSet(o.tags) : undefined);

export function vpcItem(o: Obj<'vpc'>, scope: Scope): ActionOutput {
  const d = o.data;
  return {
    cidrBlock: d.cidrBlock,
    dhcpOptionsId: d.dhcpOptionsId,
    state: 'available',
    vpcId: o.id,
    ownerId: scope.accountId,
    instanceTenancy: d.instanceTenancy,
    cidrBlockAssociationSet: vpcCidrs(d).map((b) => ({ associationId: b.associationId, cidrBlock: b.cidrBlock, cidrBlockState: { state: 'associated' } })),
    ...(d.ipv6Cidrs?.length
      ? {
          ipv6CidrBlockAssociationSet: d.ipv6Cidrs.map((b) => ({
            associationId: b.associationId,
            ipv6CidrBlock: b.ipv6CidrBlock,
            ipv6CidrBlockState: { state: 'associated' },
            networkBorderGroup: b.networkBorderGroup,
            ipv6Pool: 'Amazon',
          })),
        }
      : {}),
    isDefault: d.isDefault,
    tagSet: tagsOf(o),
  };
}

export const vpcFilters = (scope: Scope): FilterSchema<Obj<'vpc'>> => ({
  fields: {
    'vpc-id': (o) => [o.id],
    cidr: (o) => [o.data.cidrBlock],
    'cidr-block': (o) => [o.data.cidrBlock],
    'cidr-block-association.cidr-block': (o) => vpcCidrs(o.data).map((b) => b.cidrBlock),
    'cidr-block-association.association-id': (o) => vpcCidrs(o.data).map((b) => b.associationId),
    'cidr-block-association.state': () => ['associated'],
    'ipv6-cidr-block-association.ipv6-cidr-block': (o) => (o.data.ipv6Cidrs ?? []).map((b) => b.ipv6CidrBlock),
    'ipv6-cidr-block-association.association-id': (o) => (o.data.ipv6Cidrs ?? []).map((b) => b.associationId),
    'ipv6-cidr-block-association.state': (o) => (o.data.ipv6Cidrs ?? []).map(() => 'associated'),
    'ipv6-cidr-block-association.ipv6-pool': (o) => (o.data.ipv6Cidrs ?? []).map(() => 'Amazon'),
    'dhcp-options-id': (o) => [o.data.dhcpOptionsId],
    'is-default': (o) => [String(o.data.isDefault)],
    // the camelCase names EC2 still accepts (amazon.aws's ec2_instance sends isDefault)
    isDefault: (o) => [String(o.data.isDefault)],
    'owner-id': () => [scope.accountId],
    state: () => ['available'],
    'instance-tenancy': (o) => [o.data.instanceTenancy],
  },
  tags: (o) => o.tags,
});

export function subnetItem(o: Obj<'subnet'>, scope: Scope, inUse: number): ActionOutput {
  const d = o.data;
  return {
    availabilityZone: d.availabilityZone,
    availabilityZoneId: zoneId(d.availabilityZone),
    availableIpAddressCount: d.ipv6Native ? 0 : usableAddresses(parseCidr4(d.cidrBlock)!) - inUse,
    ...(d.ipv6Native ? {} : { cidrBlock: d.cidrBlock }),
    defaultForAz: d.defaultForAz,
    mapPublicIpOnLaunch: d.mapPublicIpOnLaunch,
    state: 'available',
    subnetId: o.id,
    vpcId: o.vpcId,
    ownerId: scope.accountId,
    assignIpv6AddressOnCreation: d.assignIpv6AddressOnCreation ?? false,
    ipv6CidrBlockAssociationSet: (d.ipv6Cidrs ?? []).map((b) => ({ associationId: b.associationId, ipv6CidrBlock: b.ipv6CidrBlock, ipv6CidrBlockState: { state: 'associated' } })),
    tagSet: tagSet(o.tags),
    subnetArn: `arn:aws:ec2:${scope.region}:${scope.accountId}:subnet/${o.id}`,
    enableDns64: false,
    ipv6Native: d.ipv6Native ?? false,
    privateDnsNameOptionsOnLaunch: { hostnameType: 'ip-name', enableResourceNameDnsARecord: false, enableResourceNameDnsAAAARecord: false },
  };
}

export const subnetFilters = (scope: Scope, inUse: (id: string) => number): FilterSchema<Obj<'subnet'>> => ({
  fields: {
    'subnet-id': (o) => [o.id],
    'vpc-id': (o) => [o.vpcId],
    'cidr-block': (o) => [o.data.cidrBlock],
    cidr: (o) => [o.data.cidrBlock],
    cidrBlock: (o) => [o.data.cidrBlock],
    'availability-zone': (o) => [o.data.availabilityZone],
    availabilityZone: (o) => [o.data.availabilityZone],
    'availability-zone-id': (o) => [zoneId(o.data.availabilityZone)],
    'available-ip-address-count': (o) => [String(o.data.ipv6Native ? 0 : usableAddresses(parseCidr4(o.data.cidrBlock)!) - inUse(o.id))],
    'ipv6-cidr-block-association.ipv6-cidr-block': (o) => (o.data.ipv6Cidrs ?? []).map((b) => b.ipv6CidrBlock),
    'ipv6-cidr-block-association.association-id': (o) => (o.data.ipv6Cidrs ?? []).map((b) => b.associationId),
    'ipv6-cidr-block-association.state': (o) => (o.data.ipv6Cidrs ?? []).map(() => 'associated'),
    'assign-ipv6-address-on-creation': (o) => [String(o.data.assignIpv6AddressOnCreation ?? false)],
    'ipv6-native': (o) => [String(o.data.ipv6Native ?? false)],
    'default-for-az': (o) => [String(o.data.defaultForAz)],
    defaultForAz: (o) => [String(o.data.defaultForAz)],
    'map-public-ip-on-launch': (o) => [String(o.data.mapPublicIpOnLaunch)],
    'owner-id': () => [scope.accountId],
    state: () => ['available'],
    'subnet-arn': (o) => [`arn:aws:ec2:${scope.region}:${scope.accountId}:subnet/${o.id}`],
  },
  tags: (o) => o.tags,
});

type RuleObj = Obj<'security-group-rule'>;

/** Rules grouped as AWS writes IpPermissions: one per (protocol, ports), its peers listed inside. */
export function ipPermissions(rules: readonly RuleObj[], scope: Scope): ActionOutput[] {
  const byKey = new Map<string, RuleData[]>();
  for (const r of rules) {
    const key = `${r.data.ipProtocol}|${r.data.fromPort}|${r.data.toPort}`;
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = []));
    list.push(r.data);
  }
  return [...byKey.values()].map((list) => {
    const first = list[0]!;
    const ports = first.ipProtocol === '-1' ? {} : { fromPort: first.fromPort, toPort: first.toPort };
    return {
      ipProtocol: first.ipProtocol,
      ...ports,
      groups: list
        .filter((r) => r.referencedGroupId)
        .map((r) => ({ description: r.description, groupId: r.referencedGroupId, userId: r.referencedUserId ?? scope.accountId })),
      ipRanges: list.filter((r) => r.cidrIpv4).map((r) => ({ cidrIp: r.cidrIpv4, description: r.description })),
      ipv6Ranges: list.filter((r) => r.cidrIpv6).map((r) => ({ cidrIpv6: r.cidrIpv6, description: r.description })),
      prefixListIds: list.filter((r) => r.prefixListId).map((r) => ({ description: r.description, prefixListId: r.prefixListId })),
    };
  });
}

export function securityGroupItem(o: Obj<'security-group'>, rules: readonly RuleObj[], scope: Scope): ActionOutput {
  return {
    ownerId: scope.accountId,
    groupId: o.id,
    groupName: o.data.groupName,
    groupDescription: o.data.description,
    ipPermissions: ipPermissions(rules.filter((r) => !r.data.egress), scope),
    ipPermissionsEgress: ipPermissions(rules.filter((r) => r.data.egress), scope),
    vpcId: o.vpcId,
    securityGroupArn: `arn:aws:ec2:${scope.region}:${scope.accountId}:security-group/${o.id}`,
    tagSet: tagsOf(o),
  };
}

export function securityGroupFilters(rulesOf: (id: string) => readonly RuleObj[], scope: Scope): FilterSchema<Obj<'security-group'>> {
  const pick = (egress: boolean, f: (r: RuleData) => string | undefined) => (o: Obj<'security-group'>) =>
    rulesOf(o.id)
      .filter((r) => r.data.egress === egress)
      .map((r) => f(r.data));
  const port = (n: number, proto: string) => (proto === '-1' ? undefined : String(n));
  const fields: Record<string, (o: Obj<'security-group'>) => (string | undefined)[]> = {
    'group-id': (o) => [o.id],
    'group-name': (o) => [o.data.groupName],
    description: (o) => [o.data.description],
    'vpc-id': (o) => [o.vpcId],
    'owner-id': () => [scope.accountId],
  };
  for (const [prefix, egress] of [['ip-permission', false], ['egress.ip-permission', true]] as const) {
    fields[`${prefix}.cidr`] = pick(egress, (r) => r.cidrIpv4);
    fields[`${prefix}.ipv6-cidr`] = pick(egress, (r) => r.cidrIpv6);
    fields[`${prefix}.from-port`] = pick(egress, (r) => port(r.fromPort, r.ipProtocol));
    fields[`${prefix}.to-port`] = pick(egress, (r) => port(r.toPort, r.ipProtocol));
    fields[`${prefix}.protocol`] = pick(egress, (r) => r.ipProtocol);
    fields[`${prefix}.group-id`] = pick(egress, (r) => r.referencedGroupId);
    // Accepted, but a rule that names its group by id is not found by the group's name: moto's
    // test_filter_egress__ip_permission__group_name_create_with_id_filter_by_name records AWS
    // ("this fails to find the group in the AWS API"), and ec2lite keeps every rule's group by id.
    fields[`${prefix}.group-name`] = () => [];
    fields[`${prefix}.prefix-list-id`] = pick(egress, (r) => r.prefixListId);
    fields[`${prefix}.user-id`] = pick(egress, (r) => (r.referencedGroupId ? (r.referencedUserId ?? scope.accountId) : undefined));
  }
  return { fields, tags: (o) => o.tags };
}

export function ruleItem(r: RuleObj, scope: Scope): ActionOutput {
  const d = r.data;
  return {
    securityGroupRuleId: r.id,
    groupId: r.parentId,
    groupOwnerId: scope.accountId,
    isEgress: d.egress,
    ipProtocol: d.ipProtocol,
    fromPort: d.fromPort,
    toPort: d.toPort,
    cidrIpv4: d.cidrIpv4,
    cidrIpv6: d.cidrIpv6,
    prefixListId: d.prefixListId,
    referencedGroupInfo: d.referencedGroupId ? { groupId: d.referencedGroupId, userId: d.referencedUserId ?? scope.accountId } : undefined,
    description: d.description,
    tagSet: tagsOf(r),
    securityGroupRuleArn: `arn:aws:ec2:${scope.region}:${scope.accountId}:security-group-rule/${r.id}`,
  };
}

export const ruleFilters = (): FilterSchema<RuleObj> => ({
  fields: {
    'group-id': (r) => [r.parentId],
    'security-group-rule-id': (r) => [r.id],
  },
  tags: (r) => r.tags,
});

export type { NetData };
