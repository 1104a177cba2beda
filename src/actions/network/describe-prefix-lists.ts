// DescribePrefixLists: the AWS services' prefix lists (name and CIDRs), what gateway endpoints route to.
import { applyFilters } from '../../domain/filters.js';
import { awsPrefixLists, type AwsPrefixList } from '../../compute/network/aws-prefix-lists.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { pageOf } from '../pagination.js';
import { checkIds, notFound } from './common.js';

export default defineAction(
  'DescribePrefixLists',
  { ids: fields.list('PrefixListId'), filters: fields.filters(), maxResults: fields.integer('MaxResults'), nextToken: fields.string('NextToken'), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    checkIds('prefix-list', input.ids);
    checkDryRun(input.dryRun);
    let all = awsPrefixLists(ctx.scope.region);
    const missing = input.ids.find((id) => !all.some((p) => p.id === id));
    if (missing !== undefined) throw notFound('prefix-list', missing);
    if (input.ids.length) all = all.filter((p) => input.ids.includes(p.id));
    const filtered = applyFilters(all, input.filters, { fields: { 'prefix-list-id': (p: AwsPrefixList) => [p.id], 'prefix-list-name': (p: AwsPrefixList) => [p.name] } });
    const { page, nextToken } = pageOf(filtered, input.nextToken, input.maxResults);
    return { prefixListSet: page.map((p) => ({ cidrSet: p.entries.map((e) => e.cidr), prefixListId: p.id, prefixListName: p.name })), nextToken };
  },
);
