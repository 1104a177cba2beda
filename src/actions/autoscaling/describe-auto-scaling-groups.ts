// DescribeAutoScalingGroups: all, or by name (unknown names are absent, not an error), with
// Filters (tag:<key>, tag-key, tag-value), paged by MaxRecords/NextToken.
import type { AutoScalingGroupDocument } from '../../domain/autoscaling.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { memberFilters, matchesTagFilters } from './tag-filters.js';
import { page } from './paging.js';
import { groupXml } from './views.js';

export default defineAction(
  'DescribeAutoScalingGroups',
  {
    names: fields.list('AutoScalingGroupNames.member'),
    includeInstances: fields.boolean('IncludeInstances'),
    maxRecords: fields.integer('MaxRecords'),
    nextToken: fields.string('NextToken'),
    filters: fields.rest('Filters'),
  },
  async (ctx, input) => {
    let groups = await ctx.store.documents.list<AutoScalingGroupDocument>(
      ctx.scope,
      'auto-scaling-group',
      input.names.length ? { names: input.names } : undefined,
    );
    const filters = memberFilters(input.filters);
    groups = groups.filter((g) => matchesTagFilters(g, filters));
    const { items, nextToken } = page(groups, input.maxRecords, input.nextToken);
    return { AutoScalingGroups: items.map((g) => groupXml(g, input.includeInstances ?? true)), NextToken: nextToken };
  },
);
