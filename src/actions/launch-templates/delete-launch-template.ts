// DeleteLaunchTemplate: the template and all its versions; the name can be used again at once.
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { findLaunchTemplate, launchTemplateXml, type LaunchTemplateDocument } from './launch-template-store.js';

export default defineAction(
  'DeleteLaunchTemplate',
  {
    launchTemplateId: fields.string('LaunchTemplateId'),
    launchTemplateName: fields.string('LaunchTemplateName'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkDryRun(input.dryRun);
    const t: LaunchTemplateDocument = await findLaunchTemplate(ctx.store, ctx.scope, { id: input.launchTemplateId, name: input.launchTemplateName });
    await ctx.store.documents.delete(ctx.scope, 'launch-template', t.launchTemplateName);
    const tags = (await ctx.store.tags.list(ctx.scope)).filter((r) => r.resourceId === t.launchTemplateId);
    if (tags.length) await ctx.store.tags.remove(ctx.scope, [t.launchTemplateId], tags.map((r) => ({ key: r.key })));
    // The deleted template as the others write it, without its tags.
    return { launchTemplate: { ...launchTemplateXml(t), tagSet: undefined } };
  },
);
