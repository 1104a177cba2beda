// ModifyVpcEndpoint: route tables (gateway endpoints: their routes follow), subnets and groups
// (interface endpoints), the policy, private DNS.
import { Ec2Error } from '../../errors/ec2-error.js';
import { FULL_ACCESS_POLICY } from '../../compute/network/endpoint-services.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, mustFind, ready } from './common.js';
import { checkInVpc, endpointRoutes } from './vpc-endpoint-rules.js';
import { serviceNamed } from './vpc-endpoint-views.js';

const merge = (now: readonly string[], add: readonly string[], remove: readonly string[]) => [...new Set([...now.filter((x) => !remove.includes(x)), ...add])];

export default defineAction(
  'ModifyVpcEndpoint',
  {
    id: fields.string('VpcEndpointId', { required: true }),
    policyDocument: fields.string('PolicyDocument'),
    resetPolicy: fields.boolean('ResetPolicy'),
    addRouteTableIds: fields.list('AddRouteTableId'),
    removeRouteTableIds: fields.list('RemoveRouteTableId'),
    addSubnetIds: fields.list('AddSubnetId'),
    removeSubnetIds: fields.list('RemoveSubnetId'),
    addSecurityGroupIds: fields.list('AddSecurityGroupId'),
    removeSecurityGroupIds: fields.list('RemoveSecurityGroupId'),
    privateDnsEnabled: fields.boolean('PrivateDnsEnabled'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkIds('vpc-endpoint', [input.id]);
    if (input.resetPolicy && input.policyDocument !== undefined) throw new Ec2Error('InvalidParameterCombination', 'PolicyDocument and ResetPolicy cannot both be specified.');
    checkDryRun(input.dryRun);
    await ready(ctx);
    await ctx.store.network.change(ctx.scope, ['vpc-endpoint', 'route-table', 'subnet', 'security-group'], (view) => {
      const e = mustFind(view, 'vpc-endpoint', input.id);
      const d = e.data;
      const gateway = d.vpcEndpointType === 'Gateway';
      if (gateway && (input.addSubnetIds.length || input.addSecurityGroupIds.length || input.privateDnsEnabled !== undefined))
        throw new Ec2Error('InvalidParameter', 'Subnets, security groups and private DNS are not supported for Gateway endpoints.');
      if (!gateway && input.addRouteTableIds.length) throw new Ec2Error('InvalidParameter', 'Route tables are not supported for Interface endpoints.');
      checkInVpc(view, e.vpcId!, input.addRouteTableIds, input.addSubnetIds, input.addSecurityGroupIds);
      const next = {
        ...d,
        routeTableIds: merge(d.routeTableIds, input.addRouteTableIds, input.removeRouteTableIds),
        subnetIds: merge(d.subnetIds, input.addSubnetIds, input.removeSubnetIds),
        groupIds: merge(d.groupIds, input.addSecurityGroupIds, input.removeSecurityGroupIds),
        policyDocument: input.resetPolicy ? FULL_ACCESS_POLICY : (input.policyDocument ?? d.policyDocument),
        privateDnsEnabled: input.privateDnsEnabled ?? d.privateDnsEnabled,
      };
      if (!gateway && next.groupIds.length === 0) throw new Ec2Error('InvalidParameter', 'An interface endpoint needs at least one security group.');
      const tables = gateway
        ? endpointRoutes(view, e.id, serviceNamed(ctx.scope.region, d.serviceName)!.prefixListId!, input.addRouteTableIds, input.removeRouteTableIds)
        : [];
      return { changes: { put: [{ ...e, data: next }, ...tables] }, result: undefined };
    });
    return { return: true };
  },
);
