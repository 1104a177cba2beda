// ModifyLaunchTemplate: sets the default version (wire `SetDefaultVersion`).
import { Ec2Error } from '../../errors/ec2-error.js';
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
    if (input.launchTemplateId && input.launchTemplateName) {
      // moto verified against AWS (test_modify_launch_template_by_name_and_id)
      throw new Ec2Error('InvalidParameterCombination', 'Either provide launch template ID or launch template name to modify the template.');
    }
    checkDryRun(input.dryRun);
    const template = await findLaunchTemplate(ctx.store, ctx.scope, { id: input.launchTemplateId, name: input.launchTemplateName });
    if (input.defaultVersion === undefined) return { launchTemplate: launchTemplateXml(template) };
    let version: number;
    try {
      version = templateVersion(template, input.defaultVersion).versionNumber;
    } catch (e) {
      // moto verified against AWS (test_modify_launch_template_with_unknown_version): its own text here
      if (e instanceof Ec2Error && e.code === 'InvalidLaunchTemplateId.VersionNotFound') {
        throw Ec2Error.withMessage(e.code, `The launch template version ${input.defaultVersion} is not found for the specified launch template.`);
      }
      throw e;
    }
    const updated = await ctx.store.documents.update<LaunchTemplateDocument>(ctx.scope, 'launch-template', template.launchTemplateName, (t) => ({
      ...t,
      defaultVersionNumber: version,
    }));
    return { launchTemplate: launchTemplateXml(updated ?? template) };
  },
);
