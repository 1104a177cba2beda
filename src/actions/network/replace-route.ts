// ReplaceRoute: a new target for an existing destination (never the local route).
import { Ec2Error } from '../../errors/ec2-error.js';
import { checkDryRun, defineAction } from '../action.js';
import { mustFind, ready } from './common.js';
import { destination, destinationText, ROUTE_KINDS, routeFor, routeMembers, routeTo } from './route-rules.js';

export default defineAction('ReplaceRoute', routeMembers, async (ctx, input) => {
  const d = destination(input);
  checkDryRun(input.dryRun);
  await ready(ctx);
  await ctx.store.network.change(ctx.scope, ROUTE_KINDS, (view) => {
    const t = mustFind(view, 'route-table', input.id);
    const i = t.data.routes.findIndex((r) => routeFor(r, d));
    if (i < 0 || t.data.routes[i]!.gatewayId === 'local') {
      // error-code reference: InvalidRoute.NotFound; wording as CLI captures quote it
      throw new Ec2Error('InvalidRoute.NotFound', `no route with ${destinationText(d)} in route table ${t.id}`);
    }
    const routes = [...t.data.routes];
    routes[i] = routeTo(view, t, d, input);
    return { changes: { put: [{ ...t, data: { ...t.data, routes } }] }, result: undefined };
  });
  return { return: true };
});
