// DescribeVpcEndpoints: the account's endpoints in the Region.
import { applyFilters } from '../../domain/filters.js';
import type { SecurityGroupData } from '../../compute/network/model.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { pageOf } from '../pagination.js';
import { listByIds } from './common.js';
import { vpcEndpointFilters, vpcEndpointItem } from './vpc-endpoint-views.js';

export default defineAction(
  'DescribeVpcEndpoints',
  { ids: fields.list('VpcEndpointId'), filters: fields.filters(), maxResults: fields.integer('MaxResults'), nextToken: fields.string('NextToken'), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    checkDryRun(input.dryRun);
    const all = applyFilters(await listByIds(ctx, 'vpc-endpoint', input.ids), input.filters, vpcEndpointFilters);
    const { page, nextToken } = pageOf(all, input.nextToken, input.maxResults);
    const groups = await ctx.store.network.list<SecurityGroupData>(ctx.scope, 'security-group', { ids: [...new Set(page.flatMap((e) => e.data.groupIds))] });
    const names = new Map(groups.map((g) => [g.id, g.data.groupName]));
    return { vpcEndpointSet: page.map((e) => vpcEndpointItem(e, ctx.scope, names)), nextToken };
  },
);
