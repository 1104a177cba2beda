// CreateRoute/ReplaceRoute share this: the destination and target of a route, checked against the table's VPC.
import { Ec2Error } from '../../errors/ec2-error.js';
import { formatCidr6, network6, parseCidr4, parseCidr6 } from '../../compute/network/cidr.js';
import { ofKind, type Obj, type RouteData } from '../../compute/network/model.js';
import type { NetView } from '../../store/port.js';
import { fields } from '../input.js';

export const routeMembers = {
  id: fields.string('RouteTableId', { required: true }),
  destinationCidrBlock: fields.string('DestinationCidrBlock'),
  destinationIpv6CidrBlock: fields.string('DestinationIpv6CidrBlock'),
  gatewayId: fields.string('GatewayId'),
  egressOnlyInternetGatewayId: fields.string('EgressOnlyInternetGatewayId'),
  instanceId: fields.string('InstanceId'),
  networkInterfaceId: fields.string('NetworkInterfaceId'),
  dryRun: fields.boolean('DryRun'),
};

export interface RouteInput {
  destinationCidrBlock?: string;
  destinationIpv6CidrBlock?: string;
  gatewayId?: string;
  egressOnlyInternetGatewayId?: string;
  instanceId?: string;
  networkInterfaceId?: string;
}

/** A route's destination: an IPv4 or an IPv6 block (as the network). */
export interface Destination {
  cidr: string;
  v6: boolean;
}

export function destination(input: RouteInput): Destination {
  if (input.destinationCidrBlock && input.destinationIpv6CidrBlock) {
    // [INF] wording ec2lite's: one destination per route
    throw new Ec2Error('InvalidParameterCombination', 'Only one of destinationCidrBlock and destinationIpv6CidrBlock may be specified.');
  }
  if (input.destinationIpv6CidrBlock) {
    const c = parseCidr6(input.destinationIpv6CidrBlock);
    if (!c) throw new Ec2Error('InvalidParameterValue', `Value (${input.destinationIpv6CidrBlock}) for parameter destinationIpv6CidrBlock is invalid. This is not a valid CIDR block.`);
    return { cidr: formatCidr6(network6(c)), v6: true };
  }
  if (!input.destinationCidrBlock) throw new Ec2Error('MissingParameter', 'DestinationCidrBlock');
  const c = parseCidr4(input.destinationCidrBlock);
  if (!c) throw new Ec2Error('InvalidParameterValue', `Value (${input.destinationCidrBlock}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`);
  return { cidr: c.text, v6: false };
}

/** Whether a route has this destination. */
export const routeFor = (r: RouteData, d: Destination): boolean => (d.v6 ? r.destinationIpv6CidrBlock === d.cidr : r.destinationCidrBlock === d.cidr);

/** How errors name a destination (`destination-cidr-block 10.0.0.0/8`, `destination-ipv6-cidr-block ::/0`). */
export const destinationText = (d: Destination): string => `${d.v6 ? 'destination-ipv6-cidr-block' : 'destination-cidr-block'} ${d.cidr}`;

/** The route to write: one target, which exists (a gateway, an interface or an instance of the table's VPC). */
export function routeTo(view: NetView, table: Obj<'route-table'>, d: Destination, input: RouteInput): RouteData {
  const targets = [input.gatewayId, input.egressOnlyInternetGatewayId, input.instanceId, input.networkInterfaceId].filter((x) => x !== undefined);
  if (targets.length !== 1) throw new Ec2Error('InvalidParameterCombination', 'The parameter combination is not valid: exactly one route target is required.');
  if (input.gatewayId !== undefined && !ofKind(view, 'internet-gateway').some((g) => g.id === input.gatewayId)) {
    throw new Ec2Error('InvalidInternetGatewayID.NotFound', input.gatewayId);
  }
  if (input.networkInterfaceId !== undefined && !ofKind(view, 'network-interface').some((e) => e.id === input.networkInterfaceId && e.vpcId === table.vpcId)) {
    throw new Ec2Error('InvalidNetworkInterfaceID.NotFound', input.networkInterfaceId);
  }
  if (input.egressOnlyInternetGatewayId !== undefined && !ofKind(view, 'egress-only-internet-gateway').some((g) => g.id === input.egressOnlyInternetGatewayId)) {
    throw new Ec2Error('InvalidGatewayID.NotFound', input.egressOnlyInternetGatewayId);
  }
  let instanceEni: string | undefined;
  if (input.instanceId !== undefined) {
    instanceEni = ofKind(view, 'network-interface').find((e) => e.data.attachment?.instanceId === input.instanceId && e.data.attachment?.deviceIndex === 0)?.id;
    if (!instanceEni) throw new Ec2Error('InvalidInstanceID.NotFound', input.instanceId);
  }
  return {
    ...(d.v6 ? { destinationIpv6CidrBlock: d.cidr } : { destinationCidrBlock: d.cidr }),
    ...(input.gatewayId ? { gatewayId: input.gatewayId } : {}),
    ...(input.egressOnlyInternetGatewayId ? { egressOnlyInternetGatewayId: input.egressOnlyInternetGatewayId } : {}),
    ...(input.instanceId ? { instanceId: input.instanceId, networkInterfaceId: instanceEni } : {}),
    ...(input.networkInterfaceId ? { networkInterfaceId: input.networkInterfaceId } : {}),
    origin: 'CreateRoute',
  };
}

export const ROUTE_KINDS = ['route-table', 'internet-gateway', 'network-interface', 'egress-only-internet-gateway'] as const;
