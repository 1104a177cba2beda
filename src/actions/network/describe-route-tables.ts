// DescribeRouteTables: main tables (one per VPC) and those made by CreateRouteTable, with routes and associations.
import type { Obj } from '../../compute/network/model.js';
import { applyFilters } from '../../domain/filters.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { pageOf } from '../pagination.js';
import { listByIds } from './common.js';
import { routeTableFilters, routeTableItem } from './gateway-views.js';

export default defineAction(
  'DescribeRouteTables',
  { ids: fields.list('RouteTableId'), filters: fields.filters(), maxResults: fields.integer('MaxResults'), nextToken: fields.string('NextToken'), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    checkDryRun(input.dryRun);
    const all = applyFilters(await listByIds(ctx, 'route-table', input.ids), input.filters, routeTableFilters(ctx.scope));
    const gateways = new Map(((await ctx.store.network.list(ctx.scope, 'internet-gateway')) as Obj<'internet-gateway'>[]).map((g) => [g.id, g]));
    const egressOnly = new Set((await ctx.store.network.list(ctx.scope, 'egress-only-internet-gateway')).map((g) => g.id));
    const { page, nextToken } = pageOf(all, input.nextToken, input.maxResults);
    return { routeTableSet: page.map((t) => routeTableItem(t, ctx.scope, gateways, egressOnly)), nextToken };
  },
);
