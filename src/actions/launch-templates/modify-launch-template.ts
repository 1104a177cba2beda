// ModifyLaunchTemplate: sets the default version (wire `SetDefaultVersion`).
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { findLaunchTemplate, launchTemplateXml, templateVersion, type LaunchTemplateDocument } from './launch-template-store.js';

export default defineAction(
  'ModifyLaunchTemplate',
  {
    launchTemplateId: fields.string('LaunchTemplateId'),
    launchTemplateName: fields.string('LaunchTemplateName'),
    defaultVersion: fields.string('SetDefaultVersion'),
    clientToken: fields.string('ClientToken'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkDryRun(input.dryRun);
    const template = await findLaunchTemplate(ctx.store, ctx.scope, { id: input.launchTemplateId, name: input.launchTemplateName });
    if (input.defaultVersion === undefined) return { launchTemplate: launchTemplateXml(template) };
    const version = templateVersion(template, input.defaultVersion).versionNumber;
    const updated = await ctx.store.documents.update<LaunchTemplateDocument>(ctx.scope, 'launch-template', template.launchTemplateName, (t) => ({
      ...t,
      defaultVersionNumber: version,
    }));
    return { launchTemplate: launchTemplateXml(updated ?? template) };
  },
);
