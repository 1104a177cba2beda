// AssociateVpcCidrBlock: a secondary IPv4 block (5 per VPC, the primary included, none overlapping)
// or an Amazon-provided IPv6 /56 (one per network border group). The answer says `associating`;
// DescribeVpcs then shows it `associated`.
import { Ec2Error } from '../../errors/ec2-error.js';
import { ofKind } from '../../compute/network/model.js';
import { AMAZON_IPV6_BLOCKS_PER_VPC, amazonIpv6Block, IPV4_BLOCKS_PER_VPC, overlapsVpc4 } from '../../compute/network/vpc-blocks.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import type { ActionOutput } from '../output.js';
import { checkIds, mustFind, ready } from './common.js';
import { blockCidr, ipv6Request } from './vpc-rules.js';
import { VPC_BLOCK_KINDS, vpcBlockChanges } from './vpc-block-sync.js';

export default defineAction(
  'AssociateVpcCidrBlock',
  {
    vpcId: fields.string('VpcId', { required: true }),
    cidrBlock: fields.string('CidrBlock'),
    amazonProvidedIpv6CidrBlock: fields.boolean('AmazonProvidedIpv6CidrBlock'),
    ipv6CidrBlockNetworkBorderGroup: fields.string('Ipv6CidrBlockNetworkBorderGroup'),
    ipv6Pool: fields.string('Ipv6Pool'),
    ipv6CidrBlock: fields.string('Ipv6CidrBlock'),
  },
  async (ctx, input) => {
    checkIds('vpc', [input.vpcId]);
    const ipv6 = ipv6Request(input, ctx.scope.region);
    if (ipv6 && input.cidrBlock !== undefined)
      throw new Ec2Error('InvalidParameterCombination', 'Only one of cidrBlock, ipv6Pool or amazonProvidedIpv6CidrBlock may be specified.');
    if (!ipv6 && input.cidrBlock === undefined) throw new Ec2Error('MissingParameter', 'CidrBlock');
    await ready(ctx);
    return ctx.store.network.change<ActionOutput>(ctx.scope, VPC_BLOCK_KINDS, (view) => {
      const vpc = mustFind(view, 'vpc', input.vpcId);
      const d = { ...vpc.data };
      if (input.cidrBlock !== undefined) {
        // the limit comes first: moto's aws_verified test saw CidrLimitExceeded for a 6th block given with host bits
        if (1 + (d.extraCidrs?.length ?? 0) >= IPV4_BLOCKS_PER_VPC) throw new Ec2Error('CidrLimitExceeded', vpc.id, String(IPV4_BLOCKS_PER_VPC));
        const cidr = blockCidr(input.cidrBlock, 'cidrBlock', 'InvalidVpc.Range');
        if (overlapsVpc4(d, cidr)) throw new Ec2Error('InvalidVpc.Range', cidr.text);
        const association = { associationId: ctx.ids.next('vpc-cidr-assoc'), cidrBlock: cidr.text };
        d.extraCidrs = [...(d.extraCidrs ?? []), association];
        return {
          changes: { put: [{ ...vpc, data: d }, ...vpcBlockChanges(view, ctx.ids, vpc, d)] },
          result: { vpcId: vpc.id, cidrBlockAssociation: { ...association, cidrBlockState: { state: 'associating' } } },
        };
      }
      if ((d.ipv6Cidrs?.length ?? 0) >= AMAZON_IPV6_BLOCKS_PER_VPC) throw new Ec2Error('CidrLimitExceeded', vpc.id, String(AMAZON_IPV6_BLOCKS_PER_VPC));
      const taken = new Set(ofKind(view, 'vpc').flatMap((v) => (v.data.ipv6Cidrs ?? []).map((b) => b.ipv6CidrBlock)));
      const association = { associationId: ctx.ids.next('vpc-cidr-assoc'), ipv6CidrBlock: amazonIpv6Block(taken), networkBorderGroup: ipv6!.networkBorderGroup };
      d.ipv6Cidrs = [association];
      return {
        changes: { put: [{ ...vpc, data: d }, ...vpcBlockChanges(view, ctx.ids, vpc, d)] },
        result: { vpcId: vpc.id, ipv6CidrBlockAssociation: { ...association, ipv6CidrBlockState: { state: 'associating' }, ipv6Pool: 'Amazon' } },
      };
    });
  },
);
