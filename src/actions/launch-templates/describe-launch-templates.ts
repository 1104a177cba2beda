// DescribeLaunchTemplates: by ids, names and filters; every requested id or name must exist.
import { Ec2Error } from '../../errors/ec2-error.js';
import { applyFilters, type FilterSchema } from '../../domain/filters.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { decodeToken, encodeToken } from '../pagination.js';
import { isLaunchTemplateId, launchTemplateXml, withTags, type LaunchTemplateDocument } from './launch-template-store.js';
import { wholeSecondsIso } from '../../domain/aws-time.js';

const filterSchema: FilterSchema<LaunchTemplateDocument> = {
  fields: {
    'launch-template-name': (t) => [t.launchTemplateName],
    'create-time': (t) => [wholeSecondsIso(t.createTime)],
  },
  tags: (t) => t.tags,
};

export default defineAction(
  'DescribeLaunchTemplates',
  {
    launchTemplateIds: fields.list('LaunchTemplateId'),
    launchTemplateNames: fields.list('LaunchTemplateName'),
    filters: fields.filters(),
    maxResults: fields.integer('MaxResults'),
    nextToken: fields.string('NextToken'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    for (const id of input.launchTemplateIds) if (!isLaunchTemplateId(id)) throw new Ec2Error('InvalidLaunchTemplateId.Malformed', id);
    checkDryRun(input.dryRun);
    let templates = await ctx.store.documents.list<LaunchTemplateDocument>(ctx.scope, 'launch-template');
    if (input.launchTemplateIds.length || input.launchTemplateNames.length) {
      const missingId = input.launchTemplateIds.find((id) => !templates.some((t) => t.launchTemplateId === id));
      if (missingId) throw new Ec2Error('InvalidLaunchTemplateId.NotFound', missingId);
      const missingName = input.launchTemplateNames.find((n) => !templates.some((t) => t.launchTemplateName === n));
      if (missingName) {
        // observed (karpenter relies on it): a missing name is this code, with this fixed text
        throw Ec2Error.withMessage(
          'InvalidLaunchTemplateName.NotFoundException',
          'At least one of the launch templates specified in the request does not exist.',
        );
      }
      templates = templates.filter(
        (t) => input.launchTemplateIds.includes(t.launchTemplateId) || input.launchTemplateNames.includes(t.launchTemplateName),
      );
    }
    templates = applyFilters(await withTags(ctx.store, ctx.scope, templates), input.filters, filterSchema);
    const start = input.nextToken ? decodeToken(input.nextToken) : 0;
    const size = input.maxResults ?? templates.length;
    const page = templates.slice(start, start + size);
    return {
      launchTemplates: page.map(launchTemplateXml),
      nextToken: start + size < templates.length ? encodeToken(start + size) : undefined,
    };
  },
);
