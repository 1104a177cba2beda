// CreateLaunchTemplate: a named template with its version 1 (the default).
import { Ec2Error } from '../../errors/ec2-error.js';
import { DuplicateDocumentError } from '../../store/port.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { tagsFor } from '../tag-specifications.js';
import { MAX_TAGS_PER_RESOURCE } from '../../domain/tags.js';
import { launchTemplateData, launchTemplateDataFields, validateLaunchTemplateName } from './launch-template-data.js';
import { launchTemplateXml, type LaunchTemplateDocument } from './launch-template-store.js';

export default defineAction(
  'CreateLaunchTemplate',
  {
    launchTemplateName: fields.string('LaunchTemplateName', { required: true }),
    versionDescription: fields.string('VersionDescription'),
    templateTagSpecifications: fields.tagSpecifications(),
    clientToken: fields.string('ClientToken'),
    dryRun: fields.boolean('DryRun'),
    ...launchTemplateDataFields('LaunchTemplateData'),
  },
  async (ctx, input) => {
    validateLaunchTemplateName(input.launchTemplateName);
    const data = launchTemplateData(input);
    const tags = tagsFor(input.templateTagSpecifications, ['launch-template'], 'launch-template');
    checkDryRun(input.dryRun);
    const now = ctx.now().toISOString();
    const doc: LaunchTemplateDocument = {
      launchTemplateId: ctx.ids.next('lt'),
      launchTemplateName: input.launchTemplateName,
      createTime: now,
      createdBy: `arn:aws:iam::${ctx.scope.accountId}:root`,
      defaultVersionNumber: 1,
      latestVersionNumber: 1,
      versions: [{ versionNumber: 1, versionDescription: input.versionDescription, createTime: now, data }],
      tags: [], // in the tags table, with CreateTags' (withTags)
    };
    try {
      await ctx.store.documents.insert(ctx.scope, 'launch-template', { name: doc.launchTemplateName, data: doc });
    } catch (e) {
      if (e instanceof DuplicateDocumentError) throw new Ec2Error('InvalidLaunchTemplateName.AlreadyExistsException');
      throw e;
    }
    if (tags.length) await ctx.store.tags.put(ctx.scope, [{ id: doc.launchTemplateId, type: 'launch-template' }], tags, MAX_TAGS_PER_RESOURCE);
    return { launchTemplate: launchTemplateXml({ ...doc, tags }) };
  },
);
