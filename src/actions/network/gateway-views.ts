// Internet gateways, route tables, network ACLs and DHCP option sets as EC2 writes them, and their filters.
import type { Obj, RouteData } from '../../compute/network/model.js';
import type { FilterSchema } from '../../domain/filters.js';
import { tagSet } from '../../domain/tags.js';
import type { Scope } from '../../store/port.js';
import type { ActionOutput } from '../output.js';

const tagsOf = (o: { tags: { key: string; value: string }[] }) => (o.tags.length ? tagSet(o.tags) : undefined);

export function internetGatewayItem(g: Obj<'internet-gateway'>, scope: Scope): ActionOutput {
  return {
    attachmentSet: g.data.attachedVpcId ? [{ vpcId: g.data.attachedVpcId, state: 'available' }] : [],
    internetGatewayId: g.id,
    ownerId: scope.accountId,
    tagSet: tagsOf(g),
  };
}

export const internetGatewayFilters = (scope: Scope): FilterSchema<Obj<'internet-gateway'>> => ({
  fields: {
    'internet-gateway-id': (g) => [g.id],
    'attachment.vpc-id': (g) => [g.data.attachedVpcId],
    'attachment.state': (g) => [g.data.attachedVpcId ? 'available' : undefined],
    'owner-id': () => [scope.accountId],
  },
  tags: (g) => g.tags,
});

/** A route is a blackhole when its gateway (or egress-only gateway) is gone or detached from the VPC. */
const routeState = (r: RouteData, vpcId: string, gateways: ReadonlyMap<string, Obj<'internet-gateway'>>, egressOnly?: ReadonlySet<string>) => {
  if (r.egressOnlyInternetGatewayId) return egressOnly && !egressOnly.has(r.egressOnlyInternetGatewayId) ? 'blackhole' : 'active';
  return r.gatewayId && r.gatewayId !== 'local' && !r.gatewayId.startsWith('vpce-') && gateways.get(r.gatewayId)?.data.attachedVpcId !== vpcId ? 'blackhole' : 'active';
};

/** `egressOnly`: the ids of the egress-only gateways that exist (absent: every one is taken to exist). */
export function routeTableItem(t: Obj<'route-table'>, scope: Scope, gateways: ReadonlyMap<string, Obj<'internet-gateway'>>, egressOnly?: ReadonlySet<string>): ActionOutput {
  return {
    routeTableId: t.id,
    vpcId: t.vpcId,
    ownerId: scope.accountId,
    routeSet: t.data.routes.map((r) => ({
      destinationCidrBlock: r.destinationCidrBlock,
      destinationIpv6CidrBlock: r.destinationIpv6CidrBlock,
      destinationPrefixListId: r.destinationPrefixListId,
      gatewayId: r.gatewayId,
      egressOnlyInternetGatewayId: r.egressOnlyInternetGatewayId,
      instanceId: r.instanceId,
      networkInterfaceId: r.networkInterfaceId,
      state: routeState(r, t.vpcId!, gateways, egressOnly),
      origin: r.origin,
    })),
    associationSet: [
      ...(t.data.main ? [{ main: true, routeTableAssociationId: t.data.mainAssociationId, routeTableId: t.id, associationState: { state: 'associated' } }] : []),
      ...t.data.associations.map((a) => ({ main: false, routeTableAssociationId: a.id, routeTableId: t.id, subnetId: a.subnetId, associationState: { state: 'associated' } })),
    ],
    propagatingVgwSet: [],
    tagSet: tagsOf(t),
  };
}

export const routeTableFilters = (scope: Scope): FilterSchema<Obj<'route-table'>> => ({
  fields: {
    'route-table-id': (t) => [t.id],
    'vpc-id': (t) => [t.vpcId],
    'owner-id': () => [scope.accountId],
    'association.main': (t) => [String(t.data.main)],
    'association.subnet-id': (t) => t.data.associations.map((a) => a.subnetId),
    'association.route-table-association-id': (t) => [t.data.mainAssociationId, ...t.data.associations.map((a) => a.id)],
    'association.route-table-id': (t) => [t.id],
    'route.destination-cidr-block': (t) => t.data.routes.map((r) => r.destinationCidrBlock),
    'route.destination-ipv6-cidr-block': (t) => t.data.routes.map((r) => r.destinationIpv6CidrBlock),
    'route.destination-prefix-list-id': (t) => t.data.routes.map((r) => r.destinationPrefixListId),
    'route.egress-only-internet-gateway-id': (t) => t.data.routes.map((r) => r.egressOnlyInternetGatewayId),
    'route.gateway-id': (t) => t.data.routes.map((r) => r.gatewayId),
    'route.instance-id': (t) => t.data.routes.map((r) => r.instanceId),
    'route.origin': (t) => t.data.routes.map((r) => r.origin),
  },
  tags: (t) => t.tags,
});

export function networkAclItem(a: Obj<'network-acl'>, scope: Scope): ActionOutput {
  return {
    networkAclId: a.id,
    vpcId: a.vpcId,
    default: a.data.isDefault,
    entrySet: [...a.data.entries]
      .sort((x, y) => Number(x.egress) - Number(y.egress) || x.ruleNumber - y.ruleNumber)
      .map((e) => ({
        cidrBlock: e.cidrBlock,
        egress: e.egress,
        icmpTypeCode: e.icmpTypeCode,
        ipv6CidrBlock: e.ipv6CidrBlock,
        portRange: e.portRange,
        protocol: e.protocol,
        ruleAction: e.ruleAction,
        ruleNumber: e.ruleNumber,
      })),
    associationSet: a.data.associations.map((x) => ({ networkAclAssociationId: x.id, networkAclId: a.id, subnetId: x.subnetId })),
    tagSet: tagsOf(a),
    ownerId: scope.accountId,
  };
}

export const networkAclFilters = (scope: Scope): FilterSchema<Obj<'network-acl'>> => ({
  fields: {
    'network-acl-id': (a) => [a.id],
    'vpc-id': (a) => [a.vpcId],
    default: (a) => [String(a.data.isDefault)],
    'owner-id': () => [scope.accountId],
    'association.subnet-id': (a) => a.data.associations.map((x) => x.subnetId),
    'association.association-id': (a) => a.data.associations.map((x) => x.id),
    'association.network-acl-id': (a) => [a.id],
    'entry.rule-number': (a) => a.data.entries.map((e) => String(e.ruleNumber)),
    'entry.rule-action': (a) => a.data.entries.map((e) => e.ruleAction),
    'entry.cidr': (a) => a.data.entries.map((e) => e.cidrBlock),
    'entry.ipv6-cidr': (a) => a.data.entries.map((e) => e.ipv6CidrBlock),
    'entry.port-range.from': (a) => a.data.entries.map((e) => (e.portRange ? String(e.portRange.from) : undefined)),
    'entry.port-range.to': (a) => a.data.entries.map((e) => (e.portRange ? String(e.portRange.to) : undefined)),
    'entry.icmp.type': (a) => a.data.entries.map((e) => (e.icmpTypeCode ? String(e.icmpTypeCode.type) : undefined)),
    'entry.icmp.code': (a) => a.data.entries.map((e) => (e.icmpTypeCode ? String(e.icmpTypeCode.code) : undefined)),
    'entry.egress': (a) => a.data.entries.map((e) => String(e.egress)),
    'entry.protocol': (a) => a.data.entries.map((e) => e.protocol),
  },
  tags: (a) => a.tags,
});

export function dhcpOptionsItem(d: Obj<'dhcp-options'>, scope: Scope): ActionOutput {
  return {
    dhcpOptionsId: d.id,
    dhcpConfigurationSet: d.data.configurations.map((c) => ({ key: c.key, valueSet: c.values.map((v) => ({ value: v })) })),
    ownerId: scope.accountId,
    tagSet: tagsOf(d),
  };
}

export const dhcpOptionsFilters = (scope: Scope): FilterSchema<Obj<'dhcp-options'>> => ({
  fields: {
    'dhcp-options-id': (d) => [d.id],
    key: (d) => d.data.configurations.map((c) => c.key),
    value: (d) => d.data.configurations.flatMap((c) => c.values),
    'owner-id': () => [scope.accountId],
  },
  tags: (d) => d.tags,
});
