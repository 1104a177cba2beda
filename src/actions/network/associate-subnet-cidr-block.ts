// AssociateSubnetCidrBlock: an IPv6 /64 of the VPC's IPv6 block (one per subnet), overlapping no other subnet's.
import { Ec2Error } from '../../errors/ec2-error.js';
import { ofKind } from '../../compute/network/model.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, mustFind, ready } from './common.js';
import { checkSubnetIpv6, subnetIpv6Text } from './ipv6-rules.js';

export default defineAction(
  'AssociateSubnetCidrBlock',
  { subnetId: fields.string('SubnetId', { required: true }), ipv6CidrBlock: fields.string('Ipv6CidrBlock'), ipv6IpamPoolId: fields.string('Ipv6IpamPoolId') },
  async (ctx, input) => {
    checkIds('subnet', [input.subnetId]);
    if (input.ipv6IpamPoolId !== undefined) throw new Ec2Error('InvalidParameterValue', `The pool ID '${input.ipv6IpamPoolId}' does not exist`);
    if (input.ipv6CidrBlock === undefined) throw new Ec2Error('MissingParameter', 'Ipv6CidrBlock');
    const cidr = subnetIpv6Text(input.ipv6CidrBlock);
    await ready(ctx);
    return ctx.store.network.change(ctx.scope, ['vpc', 'subnet'], (view) => {
      const subnet = mustFind(view, 'subnet', input.subnetId);
      const vpc = mustFind(view, 'vpc', subnet.vpcId!);
      // a subnet has at most one IPv6 block (VPC quotas: "IPv6 CIDR blocks per subnet", 1)
      if (subnet.data.ipv6Cidrs?.length) throw new Ec2Error('CidrLimitExceeded', subnet.id, '1');
      checkSubnetIpv6(vpc, ofKind(view, 'subnet').filter((s) => s.vpcId === vpc.id && s.id !== subnet.id), cidr);
      const association = { associationId: ctx.ids.next('subnet-cidr-assoc'), ipv6CidrBlock: cidr };
      return {
        changes: { put: [{ ...subnet, data: { ...subnet.data, ipv6Cidrs: [association] } }] },
        result: { subnetId: subnet.id, ipv6CidrBlockAssociation: { ...association, ipv6CidrBlockState: { state: 'associating' } } },
      };
    });
  },
);
