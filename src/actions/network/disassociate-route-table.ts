// DisassociateRouteTable: the subnet goes back to the VPC's main table; a main association cannot be removed.
import { Ec2Error } from '../../errors/ec2-error.js';
import { ofKind } from '../../compute/network/model.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { ready } from './common.js';

export default defineAction('DisassociateRouteTable', { associationId: fields.string('AssociationId', { required: true }), dryRun: fields.boolean('DryRun') }, async (ctx, input) => {
  checkDryRun(input.dryRun);
  await ready(ctx);
  await ctx.store.network.change(ctx.scope, ['route-table'], (view) => {
    const tables = ofKind(view, 'route-table');
    if (tables.some((t) => t.data.mainAssociationId === input.associationId)) {
      throw new Ec2Error('InvalidParameterValue', `cannot disassociate the main route table association ${input.associationId}`);
    }
    const t = tables.find((x) => x.data.associations.some((a) => a.id === input.associationId));
    if (!t) throw new Ec2Error('InvalidAssociationID.NotFound', `The association ID '${input.associationId}' does not exist`);
    return { changes: { put: [{ ...t, data: { ...t.data, associations: t.data.associations.filter((a) => a.id !== input.associationId) } }] }, result: undefined };
  });
  return { return: true };
});
