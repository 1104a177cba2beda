// VPC endpoints as DescribeVpcEndpoints writes them, and their filters.
import { endpointServices } from '../../compute/network/endpoint-services.js';
import type { Obj } from '../../compute/network/model.js';
import type { FilterSchema } from '../../domain/filters.js';
import { tagSet } from '../../domain/tags.js';
import type { Scope } from '../../store/port.js';
import type { ActionOutput } from '../output.js';

/** An interface endpoint's DNS names: the Regional one and one per subnet's zone (AWS's shape; ec2lite resolves none). */
function dnsEntries(o: Obj<'vpc-endpoint'>, scope: Scope): ActionOutput[] {
  if (o.data.vpcEndpointType !== 'Interface') return [];
  const service = o.data.serviceName.split('.').slice(3).join('.');
  return [{ dnsName: `${o.id}.${service}.${scope.region}.vpce.amazonaws.com`, hostedZoneId: 'Z7HUB22UULQXV' }];
}

export function vpcEndpointItem(o: Obj<'vpc-endpoint'>, scope: Scope, groupNames: ReadonlyMap<string, string>): ActionOutput {
  const d = o.data;
  return {
    vpcEndpointId: o.id,
    vpcEndpointType: d.vpcEndpointType,
    vpcId: o.vpcId,
    serviceName: d.serviceName,
    state: 'available',
    policyDocument: d.policyDocument,
    routeTableIdSet: d.routeTableIds,
    subnetIdSet: d.subnetIds,
    groupSet: d.groupIds.map((id) => ({ groupId: id, groupName: groupNames.get(id) })),
    ipAddressType: 'ipv4',
    privateDnsEnabled: d.privateDnsEnabled,
    requesterManaged: false,
    networkInterfaceIdSet: [],
    dnsEntrySet: dnsEntries(o, scope),
    creationTimestamp: d.creationTimestamp,
    tagSet: o.tags.length ? tagSet(o.tags) : undefined,
    ownerId: scope.accountId,
  };
}

export const vpcEndpointFilters: FilterSchema<Obj<'vpc-endpoint'>> = {
  fields: {
    'vpc-endpoint-id': (o) => [o.id],
    'vpc-id': (o) => [o.vpcId],
    'service-name': (o) => [o.data.serviceName],
    'vpc-endpoint-type': (o) => [o.data.vpcEndpointType],
    'vpc-endpoint-state': () => ['available'],
  },
  tags: (o) => o.tags,
};

/** The Region's service of that name, or undefined. */
export const serviceNamed = (region: string, name: string) => endpointServices(region).find((s) => s.name === name);
