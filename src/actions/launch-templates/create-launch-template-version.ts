// CreateLaunchTemplateVersion: the next version number, its data optionally based on SourceVersion.
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { launchTemplateData, launchTemplateDataFields, launchTemplateDataXml, mergeLaunchTemplateData } from './launch-template-data.js';
import { findLaunchTemplate, templateVersion, type LaunchTemplateDocument, type LaunchTemplateVersion } from './launch-template-store.js';
import { wholeSeconds } from '../../domain/aws-time.js';

export default defineAction(
  'CreateLaunchTemplateVersion',
  {
    launchTemplateId: fields.string('LaunchTemplateId'),
    launchTemplateName: fields.string('LaunchTemplateName'),
    sourceVersion: fields.string('SourceVersion'),
    versionDescription: fields.string('VersionDescription'),
    clientToken: fields.string('ClientToken'),
    dryRun: fields.boolean('DryRun'),
    ...launchTemplateDataFields('LaunchTemplateData'),
  },
  async (ctx, input) => {
    const given = launchTemplateData(input);
    checkDryRun(input.dryRun);
    const template = await findLaunchTemplate(ctx.store, ctx.scope, { id: input.launchTemplateId, name: input.launchTemplateName });
    const base = input.sourceVersion !== undefined ? templateVersion(template, input.sourceVersion).data : {};
    let created: LaunchTemplateVersion | undefined;
    const updated = await ctx.store.documents.update<LaunchTemplateDocument>(ctx.scope, 'launch-template', template.launchTemplateName, (t) => {
      created = {
        versionNumber: t.latestVersionNumber + 1,
        versionDescription: input.versionDescription,
        createTime: ctx.now().toISOString(),
        data: mergeLaunchTemplateData(base, given),
      };
      return { ...t, latestVersionNumber: created.versionNumber, versions: [...t.versions, created] };
    });
    const t = updated ?? template;
    return { launchTemplateVersion: versionXml(t, created!) };
  },
);

export function versionXml(t: LaunchTemplateDocument, v: LaunchTemplateVersion) {
  return {
    launchTemplateId: t.launchTemplateId,
    launchTemplateName: t.launchTemplateName,
    versionNumber: v.versionNumber,
    versionDescription: v.versionDescription,
    createTime: wholeSeconds(v.createTime),
    createdBy: t.createdBy,
    defaultVersion: v.versionNumber === t.defaultVersionNumber,
    launchTemplateData: launchTemplateDataXml(v.data),
  };
}
