// DescribeDhcpOptions: the Region's set (domain-name, AmazonProvidedDNS) and those made by CreateDhcpOptions.
import { applyFilters } from '../../domain/filters.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { pageOf } from '../pagination.js';
import { listByIds } from './common.js';
import { dhcpOptionsFilters, dhcpOptionsItem } from './gateway-views.js';

export default defineAction(
  'DescribeDhcpOptions',
  { ids: fields.list('DhcpOptionsId'), filters: fields.filters(), maxResults: fields.integer('MaxResults'), nextToken: fields.string('NextToken'), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    checkDryRun(input.dryRun);
    const all = applyFilters(await listByIds(ctx, 'dhcp-options', input.ids), input.filters, dhcpOptionsFilters(ctx.scope));
    const { page, nextToken } = pageOf(all, input.nextToken, input.maxResults);
    return { dhcpOptionsSet: page.map((d) => dhcpOptionsItem(d, ctx.scope)), nextToken };
  },
);
