// DisassociateVpcCidrBlock: a secondary IPv4 block or the IPv6 block, never the primary IPv4 one,
// nor a block that subnets still use.
import { Ec2Error } from '../../errors/ec2-error.js';
import { parseCidr4, parseCidr6, within4, within6 } from '../../compute/network/cidr.js';
import { ofKind } from '../../compute/network/model.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import type { ActionOutput } from '../output.js';
import { ready } from './common.js';
import { VPC_BLOCK_KINDS, vpcBlockChanges } from './vpc-block-sync.js';

export default defineAction('DisassociateVpcCidrBlock', { associationId: fields.string('AssociationId', { required: true }) }, async (ctx, input) => {
  await ready(ctx);
  const id = input.associationId;
  return ctx.store.network.change<ActionOutput>(ctx.scope, VPC_BLOCK_KINDS, (view) => {
    const vpcs = ofKind(view, 'vpc');
    const primary = vpcs.find((v) => v.data.cidrAssociationId === id);
    if (primary)
      throw Ec2Error.withMessage(
        'OperationNotPermitted',
        `The vpc CIDR block with association ID ${id} may not be disassociated. It is the primary IPv4 CIDR block of the VPC`,
      );
    const subnets = (vpcId: string) => ofKind(view, 'subnet').filter((s) => s.vpcId === vpcId);
    const v4 = vpcs.find((v) => v.data.extraCidrs?.some((b) => b.associationId === id));
    if (v4) {
      const block = v4.data.extraCidrs!.find((b) => b.associationId === id)!;
      const c = parseCidr4(block.cidrBlock)!;
      const user = subnets(v4.id).find((s) => !s.data.ipv6Native && within4(parseCidr4(s.data.cidrBlock)!, c));
      if (user) throw new Ec2Error('DependencyViolation', `The vpc CIDR block '${block.cidrBlock}' has dependencies (subnet ${user.id}) and cannot be disassociated.`);
      const put = { ...v4, data: { ...v4.data, extraCidrs: v4.data.extraCidrs!.filter((b) => b.associationId !== id) } };
      return { changes: { put: [put, ...vpcBlockChanges(view, ctx.ids, v4, put.data)] }, result: { vpcId: v4.id, cidrBlockAssociation: { ...block, cidrBlockState: { state: 'disassociating' } } } };
    }
    const v6 = vpcs.find((v) => v.data.ipv6Cidrs?.some((b) => b.associationId === id));
    if (!v6) throw new Ec2Error('InvalidVpcCidrBlockAssociationIdError.NotFound', id);
    const block = v6.data.ipv6Cidrs!.find((b) => b.associationId === id)!;
    const c = parseCidr6(block.ipv6CidrBlock)!;
    const user = subnets(v6.id).find((s) => (s.data.ipv6Cidrs ?? []).some((b) => within6(parseCidr6(b.ipv6CidrBlock)!, c)));
    if (user) throw new Ec2Error('DependencyViolation', `The vpc CIDR block '${block.ipv6CidrBlock}' has dependencies (subnet ${user.id}) and cannot be disassociated.`);
    const put = { ...v6, data: { ...v6.data, ipv6Cidrs: v6.data.ipv6Cidrs!.filter((b) => b.associationId !== id) } };
    return {
      changes: { put: [put, ...vpcBlockChanges(view, ctx.ids, v6, put.data)] },
      result: { vpcId: v6.id, ipv6CidrBlockAssociation: { ...block, ipv6CidrBlockState: { state: 'disassociating' }, ipv6Pool: 'Amazon' } },
    };
  });
});
