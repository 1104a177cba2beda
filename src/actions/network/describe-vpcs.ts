// DescribeVpcs: the account's VPCs in the Region (the default VPC first: it is created first).
import { applyFilters } from '../../domain/filters.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { pageOf } from '../pagination.js';
import { listByIds } from './common.js';
import { vpcFilters, vpcItem } from './views.js';
import { checkIds } from './common.js';

export default defineAction(
  'DescribeVpcs',
  {
    vpcIds: fields.list('VpcId'),
    filters: fields.filters(),
    maxResults: fields.integer('MaxResults'),
    nextToken: fields.string('NextToken'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkIds('vpc', input.vpcIds);
    checkDryRun(input.dryRun);
    const vpcs = applyFilters(await listByIds(ctx, 'vpc', input.vpcIds), input.filters, vpcFilters(ctx.scope));
    const { page, nextToken } = pageOf(vpcs, input.nextToken, input.maxResults);
    return { vpcSet: page.map((o) => vpcItem(o, ctx.scope)), nextToken };
  },
);
