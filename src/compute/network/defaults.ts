// The objects AWS creates with a VPC (default security group, main route table, default network
// ACL) and the default VPC every account has in every Region (with a /20 default subnet per zone,
// an attached internet gateway and DHCP options). Pure: ids come from the caller.
import { syncIpv6AclEntries } from './vpc-blocks.js';
import type { IdSource } from '../../domain/ids.js';
import type { NetChanges, NetObject } from '../../store/port.js';
import { formatIpv4, parseCidr4 } from './cidr.js';
import { groupUnique, ruleUnique, subnetUnique, type NetworkAclData, type RuleData } from './model.js';
import { zonesOf } from './zones.js';

export const DEFAULT_VPC_CIDR = '172.31.0.0/16';
export const DEFAULT_GROUP_NAME = 'default';

const obj = (o: Omit<NetObject, 'tags'>): NetObject => ({ ...o, tags: [] });

/** A rule as a stored object. */
export function ruleObject(id: string, groupId: string, vpcId: string, data: RuleData): NetObject {
  return obj({ kind: 'security-group-rule', id, vpcId, parentId: groupId, unique: ruleUnique(groupId, data), data });
}

/**
 * A security group with AWS's default outbound rule (all traffic to 0.0.0.0/0), and all traffic
 * to ::/0 too in a VPC with an IPv6 block (moto's aws_verified
 * test_create_two_security_groups_in_vpc_with_ipv6_enabled records AWS doing so).
 */
export function securityGroupObjects(ids: IdSource, vpcId: string, groupId: string, groupName: string, description: string, ipv6 = false): NetObject[] {
  const all = { egress: true, ipProtocol: '-1', fromPort: -1, toPort: -1 };
  return [
    obj({ kind: 'security-group', id: groupId, vpcId, unique: groupUnique(vpcId, groupName), data: { groupName, description } }),
    ruleObject(ids.next('sgr'), groupId, vpcId, { ...all, cidrIpv4: '0.0.0.0/0' }),
    ...(ipv6 ? [ruleObject(ids.next('sgr'), groupId, vpcId, { ...all, cidrIpv6: '::/0' })] : []),
  ];
}

export function defaultAclEntries(): NetworkAclData['entries'] {
  return [false, true].flatMap((egress) => [
    { ruleNumber: 100, egress, protocol: '-1', ruleAction: 'allow' as const, cidrBlock: '0.0.0.0/0' },
    { ruleNumber: 32767, egress, protocol: '-1', ruleAction: 'deny' as const, cidrBlock: '0.0.0.0/0' },
  ]);
}

/**
 * What CreateVpc makes besides the VPC: its default security group (inbound from itself, outbound
 * anywhere), its main route table (the local route only) and its default network ACL.
 */
export function vpcCompanions(ids: IdSource, vpcId: string, cidr: string, subnetIds: readonly string[] = [], ipv6Cidr?: string): NetObject[] {
  const ipv6 = ipv6Cidr !== undefined;
  const groupId = ids.next('sg');
  return [
    ...securityGroupObjects(ids, vpcId, groupId, DEFAULT_GROUP_NAME, 'default VPC security group', ipv6),
    ruleObject(ids.next('sgr'), groupId, vpcId, { egress: false, ipProtocol: '-1', fromPort: -1, toPort: -1, referencedGroupId: groupId }),
    obj({
      kind: 'route-table',
      id: ids.next('rtb'),
      vpcId,
      data: {
        main: true,
        mainAssociationId: ids.next('rtbassoc'),
        associations: [],
        routes: [
          { destinationCidrBlock: cidr, gatewayId: 'local', origin: 'CreateRouteTable' },
          ...(ipv6 ? [{ destinationIpv6CidrBlock: ipv6Cidr, gatewayId: 'local', origin: 'CreateRouteTable' as const }] : []),
        ],
      },
    }),
    obj({
      kind: 'network-acl',
      id: ids.next('acl'),
      vpcId,
      data: { isDefault: true, entries: syncIpv6AclEntries(defaultAclEntries(), true, ipv6), associations: subnetIds.map((subnetId) => ({ id: ids.next('aclassoc'), subnetId })) },
    }),
  ];
}

export function dhcpOptionsObject(id: string, region: string): NetObject {
  return obj({
    kind: 'dhcp-options',
    id,
    data: {
      configurations: [
        { key: 'domain-name', values: [region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`] },
        { key: 'domain-name-servers', values: ['AmazonProvidedDNS'] },
      ],
    },
  });
}

/**
 * The default VPC: 172.31.0.0/16, a /20 default subnet per zone (172.31.0.0/20, 172.31.16.0/20, …),
 * an attached internet gateway, the main route table with 0.0.0.0/0 → the gateway, the default
 * ACL associated with every default subnet. `dhcpOptionsId` reuses the scope's set when it has one.
 */
export function defaultVpcObjects(ids: IdSource, region: string, dhcpOptionsId?: string): NetChanges {
  const vpcId = ids.next('vpc');
  const dhcpId = dhcpOptionsId ?? ids.next('dopt');
  const igwId = ids.next('igw');
  const base = parseCidr4(DEFAULT_VPC_CIDR)!.base;
  const subnets = zonesOf(region).map((zone, i) => {
    const cidr = `${formatIpv4(base + i * 4096)}/20`;
    return obj({
      kind: 'subnet',
      id: ids.next('subnet'),
      vpcId,
      unique: subnetUnique(vpcId, cidr),
      data: { cidrBlock: cidr, availabilityZone: zone, defaultForAz: true, mapPublicIpOnLaunch: true },
    });
  });
  const companions = vpcCompanions(ids, vpcId, DEFAULT_VPC_CIDR, subnets.map((s) => s.id));
  const mainTable = companions.find((o) => o.kind === 'route-table')!;
  (mainTable.data as { routes: unknown[] }).routes.push({ destinationCidrBlock: '0.0.0.0/0', gatewayId: igwId, origin: 'CreateRoute' });
  return {
    put: [
      ...(dhcpOptionsId ? [] : [dhcpOptionsObject(dhcpId, region)]),
      obj({
        kind: 'vpc',
        id: vpcId,
        vpcId,
        unique: 'default',
        data: {
          cidrBlock: DEFAULT_VPC_CIDR,
          cidrAssociationId: ids.next('vpc-cidr-assoc'),
          isDefault: true,
          dhcpOptionsId: dhcpId,
          instanceTenancy: 'default',
          enableDnsSupport: true,
          enableDnsHostnames: true,
        },
      }),
      ...subnets,
      obj({ kind: 'internet-gateway', id: igwId, data: { attachedVpcId: vpcId } }),
      ...companions,
    ],
  };
}
