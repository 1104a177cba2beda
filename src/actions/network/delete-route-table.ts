// DeleteRouteTable: never the main table, nor one still associated with a subnet.
import { Ec2Error } from '../../errors/ec2-error.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { mustFind, ready } from './common.js';

export default defineAction('DeleteRouteTable', { id: fields.string('RouteTableId', { required: true }), dryRun: fields.boolean('DryRun') }, async (ctx, input) => {
  checkDryRun(input.dryRun);
  await ready(ctx);
  await ctx.store.network.change(ctx.scope, ['route-table'], (view) => {
    const t = mustFind(view, 'route-table', input.id);
    // observed wording, as for VPCs and subnets
    if (t.data.main || t.data.associations.length) throw new Ec2Error('DependencyViolation', `The routeTable '${t.id}' has dependencies and cannot be deleted.`);
    return { changes: { remove: [t.id] }, result: undefined };
  });
  return { return: true };
});
