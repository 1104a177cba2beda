// DisassociateSubnetCidrBlock: removes a subnet's IPv6 block (an IPv6-only subnet keeps its only block).
import { Ec2Error } from '../../errors/ec2-error.js';
import { ofKind } from '../../compute/network/model.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { ready } from './common.js';

export default defineAction('DisassociateSubnetCidrBlock', { associationId: fields.string('AssociationId', { required: true }) }, async (ctx, input) => {
  await ready(ctx);
  const id = input.associationId;
  return ctx.store.network.change(ctx.scope, ['subnet'], (view) => {
    const subnet = ofKind(view, 'subnet').find((s) => s.data.ipv6Cidrs?.some((b) => b.associationId === id));
    if (!subnet) throw new Ec2Error('InvalidSubnetCidrBlockAssociationID.NotFound', id);
    if (subnet.data.ipv6Native) throw Ec2Error.withMessage('OperationNotPermitted', `The IPv6 CIDR block of IPv6-only subnet ${subnet.id} may not be disassociated.`);
    const block = subnet.data.ipv6Cidrs!.find((b) => b.associationId === id)!;
    const data = { ...subnet.data, ipv6Cidrs: [], assignIpv6AddressOnCreation: false };
    return {
      changes: { put: [{ ...subnet, data }] },
      result: { subnetId: subnet.id, ipv6CidrBlockAssociation: { ...block, ipv6CidrBlockState: { state: 'disassociating' } } },
    };
  });
});
