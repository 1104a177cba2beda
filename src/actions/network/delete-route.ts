// DeleteRoute: any route but the local one.
import { Ec2Error } from '../../errors/ec2-error.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { mustFind, ready } from './common.js';
import { destination, destinationText, routeFor } from './route-rules.js';

export default defineAction(
  'DeleteRoute',
  {
    id: fields.string('RouteTableId', { required: true }),
    destinationCidrBlock: fields.string('DestinationCidrBlock'),
    destinationIpv6CidrBlock: fields.string('DestinationIpv6CidrBlock'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    const d = destination(input);
    checkDryRun(input.dryRun);
    await ready(ctx);
    await ctx.store.network.change(ctx.scope, ['route-table'], (view) => {
      const t = mustFind(view, 'route-table', input.id);
      const route = t.data.routes.find((r) => routeFor(r, d));
      if (!route) throw new Ec2Error('InvalidRoute.NotFound', `no route with ${destinationText(d)} in route table ${t.id}`);
      if (route.gatewayId === 'local') throw new Ec2Error('InvalidParameterValue', `cannot remove local route ${d.cidr} in route table ${t.id}`);
      return { changes: { put: [{ ...t, data: { ...t.data, routes: t.data.routes.filter((r) => r !== route) } }] }, result: undefined };
    });
    return { return: true };
  },
);
