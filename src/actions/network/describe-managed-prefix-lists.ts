// DescribeManagedPrefixLists: the account's lists and AWS's (owner `AWS`: S3 and DynamoDB).
import { applyFilters } from '../../domain/filters.js';
import { awsPrefixLists } from '../../compute/network/aws-prefix-lists.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { pageOf } from '../pagination.js';
import { checkIds, notFound, ready } from './common.js';
import type { PrefixListData } from '../../compute/network/model.js';
import type { Obj } from '../../compute/network/model.js';
import { awsView, ownView, prefixListFilters, prefixListItem } from './prefix-list-views.js';

export default defineAction(
  'DescribeManagedPrefixLists',
  { ids: fields.list('PrefixListId'), filters: fields.filters(), maxResults: fields.integer('MaxResults'), nextToken: fields.string('NextToken'), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    checkIds('prefix-list', input.ids);
    checkDryRun(input.dryRun);
    await ready(ctx);
    const own = (await ctx.store.network.list<PrefixListData>(ctx.scope, 'prefix-list')) as Obj<'prefix-list'>[];
    let all = [...awsPrefixLists(ctx.scope.region).map((p) => awsView(p, ctx.scope)), ...own.map((o) => ownView(o, ctx.scope))];
    if (input.ids.length) {
      const missing = input.ids.find((id) => !all.some((v) => v.id === id));
      if (missing !== undefined) throw notFound('prefix-list', missing);
      all = all.filter((v) => input.ids.includes(v.id));
    }
    const { page, nextToken } = pageOf(applyFilters(all, input.filters, prefixListFilters), input.nextToken, input.maxResults);
    return { prefixListSet: page.map(prefixListItem), nextToken };
  },
);
