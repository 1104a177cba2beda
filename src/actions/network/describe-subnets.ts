// DescribeSubnets: availableIpAddressCount counts the interfaces (instances) in each subnet now.
import { applyFilters } from '../../domain/filters.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { pageOf } from '../pagination.js';
import { checkIds, listByIds } from './common.js';
import { addressesInUse } from './subnets.js';
import { subnetFilters, subnetItem } from './views.js';

export default defineAction(
  'DescribeSubnets',
  {
    subnetIds: fields.list('SubnetId'),
    filters: fields.filters(),
    maxResults: fields.integer('MaxResults'),
    nextToken: fields.string('NextToken'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkIds('subnet', input.subnetIds);
    checkDryRun(input.dryRun);
    const all = await listByIds(ctx, 'subnet', input.subnetIds);
    const inUse = await addressesInUse(ctx);
    const subnets = applyFilters(all, input.filters, subnetFilters(ctx.scope, (id) => inUse.get(id) ?? 0));
    const { page, nextToken } = pageOf(subnets, input.nextToken, input.maxResults);
    return { subnetSet: page.map((o) => subnetItem(o, ctx.scope, inUse.get(o.id) ?? 0)), nextToken };
  },
);
