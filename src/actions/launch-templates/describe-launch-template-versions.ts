// DescribeLaunchTemplateVersions: versions of one template (numbers, `$Latest`, `$Default`,
// Min/MaxVersion), or the `$Latest`/`$Default` versions of every template when none is named.
import { Ec2Error } from '../../errors/ec2-error.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { decodeToken, encodeToken } from '../pagination.js';
import { versionXml } from './create-launch-template-version.js';
import { findLaunchTemplate, templateVersion, type LaunchTemplateDocument, type LaunchTemplateVersion } from './launch-template-store.js';

/** EC2's text (with its typographic quotes) when DescribeLaunchTemplateVersions names no template and no alias. */
const ALL_TEMPLATES_USAGE =
  'To describe the launch template data for all your launch templates, for ‘--versions’ specify ‘$Latest’, ‘$Default’, or both, and omit ‘--launch-template-id’, ‘--launch-template-name’, and version numbers. To describe the launch template data for a specific launch template, specify ‘--launch-template-id’ or ‘--launch-template-name’, and for ‘--versions’ specify one or more of the following values: ‘$Latest’, ‘$Default’, or one or more version numbers.';

export default defineAction(
  'DescribeLaunchTemplateVersions',
  {
    launchTemplateId: fields.string('LaunchTemplateId'),
    launchTemplateName: fields.string('LaunchTemplateName'),
    versions: fields.list('LaunchTemplateVersion'),
    minVersion: fields.string('MinVersion'),
    maxVersion: fields.string('MaxVersion'),
    filters: fields.filters(),
    maxResults: fields.integer('MaxResults'),
    nextToken: fields.string('NextToken'),
    resolveAlias: fields.boolean('ResolveAlias'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkDryRun(input.dryRun);
    let pairs: [LaunchTemplateDocument, LaunchTemplateVersion][];
    if (input.launchTemplateId || input.launchTemplateName) {
      const t = await findLaunchTemplate(ctx.store, ctx.scope, { id: input.launchTemplateId, name: input.launchTemplateName });
      let versions = input.versions.length ? [...new Set(input.versions.map((v) => templateVersion(t, v)))] : t.versions;
      const min = input.minVersion !== undefined ? Number(input.minVersion) : undefined;
      const max = input.maxVersion !== undefined ? Number(input.maxVersion) : undefined;
      if (min !== undefined) versions = versions.filter((v) => v.versionNumber >= min);
      if (max !== undefined) versions = versions.filter((v) => v.versionNumber <= max);
      pairs = versions.map((v) => [t, v]);
    } else {
      // Without a template, only the aliases make sense (EC2: "$Latest" / "$Default" across templates).
      // moto verified both answers against AWS (test_describe_launch_template_versions_without_name_or_id, …_with_just_version)
      if (!input.versions.length) throw Ec2Error.withMessage('MissingParameter', ALL_TEMPLATES_USAGE);
      if (!input.versions.includes('$Latest') && !input.versions.includes('$Default')) throw Ec2Error.withMessage('InvalidParameterValue', ALL_TEMPLATES_USAGE);
      if (input.versions.some((v) => v !== '$Latest' && v !== '$Default')) throw Ec2Error.withMessage('InvalidParameterValue', ALL_TEMPLATES_USAGE);
      const all = await ctx.store.documents.list<LaunchTemplateDocument>(ctx.scope, 'launch-template');
      pairs = all.flatMap((t) => [...new Set(input.versions.map((v) => templateVersion(t, v)))].map((v) => [t, v] as [LaunchTemplateDocument, LaunchTemplateVersion]));
    }
    // Newest first, as EC2 lists them.
    pairs.sort((a, b) => (a[0] === b[0] ? b[1].versionNumber - a[1].versionNumber : 0));
    const start = input.nextToken ? decodeToken(input.nextToken) : 0;
    const size = input.maxResults ?? pairs.length;
    return {
      launchTemplateVersionSet: pairs.slice(start, start + size).map(([t, v]) => versionXml(t, v)),
      nextToken: start + size < pairs.length ? encodeToken(start + size) : undefined,
    };
  },
);
