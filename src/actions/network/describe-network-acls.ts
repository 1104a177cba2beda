// DescribeNetworkAcls: each VPC's default ACL (allow all in and out, then deny) and those made by CreateNetworkAcl.
import { applyFilters } from '../../domain/filters.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { pageOf } from '../pagination.js';
import { listByIds } from './common.js';
import { networkAclFilters, networkAclItem } from './gateway-views.js';

export default defineAction(
  'DescribeNetworkAcls',
  { ids: fields.list('NetworkAclId'), filters: fields.filters(), maxResults: fields.integer('MaxResults'), nextToken: fields.string('NextToken'), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    checkDryRun(input.dryRun);
    const all = applyFilters(await listByIds(ctx, 'network-acl', input.ids), input.filters, networkAclFilters(ctx.scope));
    const { page, nextToken } = pageOf(all, input.nextToken, input.maxResults);
    return { networkAclSet: page.map((a) => networkAclItem(a, ctx.scope)), nextToken };
  },
);
