// CreateRoute: a route (IPv4 or IPv6 destination) to an internet gateway, egress-only internet
// gateway, interface or instance; one per destination.
import { Ec2Error } from '../../errors/ec2-error.js';
import { checkDryRun, defineAction } from '../action.js';
import { mustFind, ready } from './common.js';
import { destination, ROUTE_KINDS, routeFor, routeMembers, routeTo } from './route-rules.js';

export default defineAction('CreateRoute', routeMembers, async (ctx, input) => {
  const d = destination(input);
  checkDryRun(input.dryRun);
  await ready(ctx);
  await ctx.store.network.change(ctx.scope, ROUTE_KINDS, (view) => {
    const t = mustFind(view, 'route-table', input.id);
    // error-code reference: RouteAlreadyExists; wording as CLI captures quote it
    if (t.data.routes.some((r) => routeFor(r, d))) throw new Ec2Error('RouteAlreadyExists', `The route identified by ${d.cidr} already exists.`);
    const route = routeTo(view, t, d, input);
    return { changes: { put: [{ ...t, data: { ...t.data, routes: [...t.data.routes, route] } }] }, result: undefined };
  });
  return { return: true };
});
