// DeleteTags: with no Tag parameters every tag goes; a Tag with only a Key removes that key
// whatever its value; with a Value, only when the value matches.
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { resolveResources } from './taggable-resources.js';

export default defineAction(
  'DeleteTags',
  {
    resources: fields.list('ResourceId', { required: true }),
    tags: fields.structList('Tag', { key: fields.string('Key'), value: fields.string('Value') }),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    const resources = await resolveResources(ctx, input.resources);
    checkDryRun(input.dryRun);
    const tags = input.tags.map((t) => ({ key: t.key ?? '', value: t.value }));
    await ctx.store.tags.remove(
      ctx.scope,
      resources.map((r) => r.id),
      tags,
    );
    return { return: true };
  },
);
