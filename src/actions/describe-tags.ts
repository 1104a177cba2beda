// DescribeTags: every tag of the account and region, filtered by key, value, resource-id and
// resource-type; MaxResults/NextToken paginate.
import { Ec2Error } from '../errors/ec2-error.js';
import { applyFilters, type FilterSchema } from '../domain/filters.js';
import type { TagRecord } from '../store/port.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { pageOf } from './pagination.js';

const filterSchema: FilterSchema<TagRecord> = {
  fields: {
    key: (t) => [t.key],
    value: (t) => [t.value],
    'resource-id': (t) => [t.resourceId],
    'resource-type': (t) => [t.resourceType],
  },
};

export default defineAction(
  'DescribeTags',
  {
    filters: fields.filters(),
    maxResults: fields.integer('MaxResults'),
    nextToken: fields.string('NextToken'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkDryRun(input.dryRun);
    const tags = applyFilters(await ctx.store.tags.list(ctx.scope), input.filters, filterSchema);
    if (input.maxResults !== undefined && (input.maxResults < 5 || input.maxResults > 1000)) {
      throw new Ec2Error(
        'InvalidParameterValue',
        `Value ( ${input.maxResults} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`,
      );
    }
    const { page, nextToken } = pageOf(tags, input.nextToken, input.maxResults);
    return {
      tagSet: page.map((t) => ({ resourceId: t.resourceId, resourceType: t.resourceType, key: t.key, value: t.value })),
      nextToken,
    };
  },
);
