// DescribeNetworkInterfaces: every interface (instances' primary ones and those made by CreateNetworkInterface).
import { applyFilters } from '../../domain/filters.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { pageOf } from '../pagination.js';
import { checkIds, listByIds } from './common.js';
import { interfaceContext, interfaceFilters, interfaceItem } from './interface-views.js';

export default defineAction(
  'DescribeNetworkInterfaces',
  {
    networkInterfaceIds: fields.list('NetworkInterfaceId'),
    filters: fields.filters(),
    maxResults: fields.integer('MaxResults'),
    nextToken: fields.string('NextToken'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkIds('network-interface', input.networkInterfaceIds);
    checkDryRun(input.dryRun);
    const all = await listByIds(ctx, 'network-interface', input.networkInterfaceIds);
    const { names, instances } = await interfaceContext(ctx, all);
    const { page, nextToken } = pageOf(applyFilters(all, input.filters, interfaceFilters(names, instances)), input.nextToken, input.maxResults);
    return { networkInterfaceSet: page.map((e) => interfaceItem(e, ctx.scope, names, instances)), nextToken };
  },
);
