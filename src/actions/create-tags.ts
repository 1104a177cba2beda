// CreateTags: adds or overwrites tags on resources (here: key pairs, and whatever registers as taggable).
import { Ec2Error } from '../errors/ec2-error.js';
import { MAX_TAGS_PER_RESOURCE, dedupeTags, validateTags } from '../domain/tags.js';
import { TagLimitError } from '../store/port.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { resolveResources } from './taggable-resources.js';

export default defineAction(
  'CreateTags',
  {
    resources: fields.list('ResourceId', { required: true }),
    tags: fields.tags('Tag', { required: true }),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    const tags = dedupeTags(input.tags);
    validateTags(tags);
    const resources = await resolveResources(ctx, input.resources);
    checkDryRun(input.dryRun);
    try {
      await ctx.store.tags.put(ctx.scope, resources, tags, MAX_TAGS_PER_RESOURCE);
    } catch (e) {
      if (e instanceof TagLimitError) {
        throw new Ec2Error('TagLimitExceeded', `The maximum number of Tags for a resource is ${MAX_TAGS_PER_RESOURCE}.`);
      }
      throw e;
    }
    return { return: true };
  },
);
