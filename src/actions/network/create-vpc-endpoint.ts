// CreateVpcEndpoint: a gateway endpoint (S3, DynamoDB) adds a route to the service's prefix list in
// each named route table; an interface endpoint sits in subnets behind security groups (the VPC's
// default group when none is named). Data only: nothing is reachable through it here.
import { Ec2Error } from '../../errors/ec2-error.js';
import { FULL_ACCESS_POLICY } from '../../compute/network/endpoint-services.js';
import { ofKind, type VpcEndpointData } from '../../compute/network/model.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, mustFind, ready, tagChange, withTags } from './common.js';
import { checkInVpc, endpointRoutes } from './vpc-endpoint-rules.js';
import { serviceNamed, vpcEndpointItem } from './vpc-endpoint-views.js';

export default defineAction(
  'CreateVpcEndpoint',
  {
    vpcId: fields.string('VpcId', { required: true }),
    serviceName: fields.string('ServiceName', { required: true }),
    vpcEndpointType: fields.enum('VpcEndpointType', ['Gateway', 'Interface', 'GatewayLoadBalancer'] as const),
    policyDocument: fields.string('PolicyDocument'),
    routeTableIds: fields.list('RouteTableId'),
    subnetIds: fields.list('SubnetId'),
    securityGroupIds: fields.list('SecurityGroupId'),
    privateDnsEnabled: fields.boolean('PrivateDnsEnabled'),
    tagSpecifications: fields.tagSpecifications(),
    clientToken: fields.string('ClientToken'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkIds('vpc', [input.vpcId]);
    const type = input.vpcEndpointType ?? 'Gateway';
    const service = serviceNamed(ctx.scope.region, input.serviceName);
    if (!service) throw new Ec2Error('InvalidServiceName', input.serviceName);
    if (type === 'GatewayLoadBalancer' || !service.types.includes(type))
      throw new Ec2Error('InvalidParameter', `The Vpc Endpoint Service '${input.serviceName}' does not support the endpoint type ${type}.`);
    if (type === 'Gateway' && (input.subnetIds.length || input.securityGroupIds.length))
      throw new Ec2Error('InvalidParameter', 'Subnets and security groups are not supported for Gateway endpoints.');
    if (type === 'Interface' && input.routeTableIds.length) throw new Ec2Error('InvalidParameter', 'Route tables are not supported for Interface endpoints.');
    if (type === 'Gateway' && input.privateDnsEnabled) throw new Ec2Error('InvalidParameter', 'Private DNS is not supported for Gateway endpoints.');
    const id = ctx.ids.next('vpce');
    const tags = tagChange(input.tagSpecifications, 'vpc-endpoint', id);
    checkDryRun(input.dryRun);
    await ready(ctx);
    const groupNames = new Map<string, string>();
    const created = await ctx.store.network.change(ctx.scope, ['vpc', 'subnet', 'security-group', 'route-table', 'vpc-endpoint'], (view) => {
      const again = input.clientToken !== undefined && ofKind(view, 'vpc-endpoint').find((e) => e.data.clientToken === input.clientToken);
      if (again) return { changes: {}, result: again };
      mustFind(view, 'vpc', input.vpcId);
      checkInVpc(view, input.vpcId, input.routeTableIds, input.subnetIds, input.securityGroupIds);
      const groups = ofKind(view, 'security-group');
      const groupIds =
        type === 'Interface' ? (input.securityGroupIds.length ? [...new Set(input.securityGroupIds)] : groups.filter((g) => g.vpcId === input.vpcId && g.data.groupName === 'default').map((g) => g.id)) : [];
      for (const g of groups) groupNames.set(g.id, g.data.groupName);
      const data: VpcEndpointData = {
        serviceName: service.name,
        vpcEndpointType: type,
        policyDocument: input.policyDocument ?? FULL_ACCESS_POLICY,
        routeTableIds: [...new Set(input.routeTableIds)],
        subnetIds: [...new Set(input.subnetIds)],
        groupIds,
        privateDnsEnabled: type === 'Interface' ? (input.privateDnsEnabled ?? true) : false,
        creationTimestamp: new Date().toISOString(),
        clientToken: input.clientToken,
      };
      const o = { kind: 'vpc-endpoint' as const, id, vpcId: input.vpcId, data, tags: [] };
      const tables = type === 'Gateway' ? endpointRoutes(view, id, service.prefixListId!, data.routeTableIds, []) : [];
      return { changes: { put: [o, ...tables], tag: tags }, result: withTags(o, tags) };
    });
    return { vpcEndpoint: vpcEndpointItem(created, ctx.scope, groupNames), clientToken: input.clientToken };
  },
);
