// DescribeInternetGateways: the default VPC's gateway and those made by CreateInternetGateway.
import { applyFilters } from '../../domain/filters.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { pageOf } from '../pagination.js';
import { listByIds } from './common.js';
import { internetGatewayFilters, internetGatewayItem } from './gateway-views.js';

export default defineAction(
  'DescribeInternetGateways',
  { ids: fields.list('InternetGatewayId'), filters: fields.filters(), maxResults: fields.integer('MaxResults'), nextToken: fields.string('NextToken'), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    checkDryRun(input.dryRun);
    const all = applyFilters(await listByIds(ctx, 'internet-gateway', input.ids), input.filters, internetGatewayFilters(ctx.scope));
    const { page, nextToken } = pageOf(all, input.nextToken, input.maxResults);
    return { internetGatewaySet: page.map((g) => internetGatewayItem(g, ctx.scope)), nextToken };
  },
);
