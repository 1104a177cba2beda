// DescribeTags: the tags of every group, narrowed by Filters (auto-scaling-group, key, value,
// propagate-at-launch), paged.
import { Ec2Error } from '../../errors/ec2-error.js';
import type { AutoScalingGroupDocument } from '../../domain/autoscaling.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { page } from './paging.js';
import { memberFilters } from './tag-filters.js';
import { tagXml } from './views.js';

const TAG_FILTERS: Record<string, (x: ReturnType<typeof tagXml>) => string> = {
  'auto-scaling-group': (x) => x.ResourceId,
  key: (x) => x.Key,
  value: (x) => x.Value,
  'propagate-at-launch': (x) => String(x.PropagateAtLaunch),
};

export default defineAction(
  'DescribeTags',
  { filters: fields.rest('Filters'), maxRecords: fields.integer('MaxRecords'), nextToken: fields.string('NextToken') },
  async (ctx, input) => {
    const filters = memberFilters(input.filters);
    for (const f of filters) {
      if (!TAG_FILTERS[f.name]) {
        throw Ec2Error.withMessage('ValidationError', `Filter type ${f.name} is not correct. Allowed Filter types are: auto-scaling-group key value propagate-at-launch`);
      }
    }
    const groups = await ctx.store.documents.list<AutoScalingGroupDocument>(ctx.scope, 'auto-scaling-group');
    const tags = groups
      .flatMap((g) => g.tags.map((t) => tagXml(g.autoScalingGroupName, t)))
      .filter((x) => filters.every((f) => f.values.includes(TAG_FILTERS[f.name]!(x))));
    const { items, nextToken } = page(tags, input.maxRecords, input.nextToken);
    return { Tags: items, NextToken: nextToken };
  },
);
