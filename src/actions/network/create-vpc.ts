// CreateVpc: a VPC with its default security group, main route table and default network ACL;
// the Region's limit of 5 VPCs is counted inside the store's transaction.
import { Ec2Error } from '../../errors/ec2-error.js';
import { vpcCompanions } from '../../compute/network/defaults.js';
import { ofKind, type VpcData } from '../../compute/network/model.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { ready, tagChange, withTags } from './common.js';
import { blockCidr, ipv6Request } from './vpc-rules.js';
import { amazonIpv6Block } from '../../compute/network/vpc-blocks.js';
import { vpcItem } from './views.js';

export const VPCS_PER_REGION = 5;

export default defineAction(
  'CreateVpc',
  {
    cidrBlock: fields.string('CidrBlock'),
    instanceTenancy: fields.enum('InstanceTenancy', ['default', 'dedicated', 'host'] as const),
    amazonProvidedIpv6CidrBlock: fields.boolean('AmazonProvidedIpv6CidrBlock'),
    ipv6CidrBlockNetworkBorderGroup: fields.string('Ipv6CidrBlockNetworkBorderGroup'),
    ipv6Pool: fields.string('Ipv6Pool'),
    ipv6CidrBlock: fields.string('Ipv6CidrBlock'),
    tagSpecifications: fields.tagSpecifications(),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    if (!input.cidrBlock) throw new Ec2Error('MissingParameter', 'CidrBlock');
    const cidr = blockCidr(input.cidrBlock, 'cidrBlock', 'InvalidVpc.Range');
    if (input.instanceTenancy === 'host') throw new Ec2Error('InvalidParameterValue', "The tenancy value host is not supported.");
    const ipv6 = ipv6Request(input, ctx.scope.region);
    const vpcId = ctx.ids.next('vpc');
    const tags = tagChange(input.tagSpecifications, 'vpc', vpcId);
    checkDryRun(input.dryRun);
    await ready(ctx);
    const [dhcp] = await ctx.store.network.list(ctx.scope, 'dhcp-options');
    const data: VpcData = {
      cidrBlock: cidr.text,
      cidrAssociationId: ctx.ids.next('vpc-cidr-assoc'),
      isDefault: false,
      dhcpOptionsId: dhcp?.id ?? 'default',
      instanceTenancy: input.instanceTenancy ?? 'default',
      enableDnsSupport: true,
      enableDnsHostnames: false,
    };
    const vpc = { kind: 'vpc' as const, id: vpcId, vpcId, data, tags: [] };
    await ctx.store.network.change(ctx.scope, ['vpc'], (view) => {
      const vpcs = ofKind(view, 'vpc');
      if (vpcs.length >= (ctx.limits.vpcsPerRegion ?? VPCS_PER_REGION)) throw new Ec2Error('VpcLimitExceeded');
      if (ipv6) {
        const taken = new Set(vpcs.flatMap((v) => (v.data.ipv6Cidrs ?? []).map((b) => b.ipv6CidrBlock)));
        data.ipv6Cidrs = [{ associationId: ctx.ids.next('vpc-cidr-assoc'), ipv6CidrBlock: amazonIpv6Block(taken), networkBorderGroup: ipv6.networkBorderGroup }];
      }
      return { changes: { put: [vpc, ...vpcCompanions(ctx.ids, vpcId, cidr.text, [], data.ipv6Cidrs?.[0]?.ipv6CidrBlock)], tag: tags }, result: undefined };
    });
    return { vpc: { ...vpcItem(withTags(vpc, tags), ctx.scope), state: 'pending' } };
  },
);
