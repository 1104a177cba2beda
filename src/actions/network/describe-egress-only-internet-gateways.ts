// DescribeEgressOnlyInternetGateways: by id (an unknown id matches nothing, as moto's test_create_and_delete
// sees after a delete) and filters.
import type { Obj } from '../../compute/network/model.js';
import { applyFilters } from '../../domain/filters.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { pageOf } from '../pagination.js';
import { ready } from './common.js';
import { egressOnlyGatewayFilters, egressOnlyGatewayItem } from './egress-only-gateway-views.js';

export default defineAction(
  'DescribeEgressOnlyInternetGateways',
  {
    ids: fields.list('EgressOnlyInternetGatewayId'),
    filters: fields.filters(),
    maxResults: fields.integer('MaxResults'),
    nextToken: fields.string('NextToken'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkDryRun(input.dryRun);
    await ready(ctx);
    const all = (await ctx.store.network.list(ctx.scope, 'egress-only-internet-gateway', input.ids.length ? { ids: input.ids } : undefined)) as Obj<'egress-only-internet-gateway'>[];
    const { page, nextToken } = pageOf(applyFilters(all, input.filters, egressOnlyGatewayFilters), input.nextToken, input.maxResults);
    return { egressOnlyInternetGatewaySet: page.map(egressOnlyGatewayItem), nextToken };
  },
);
