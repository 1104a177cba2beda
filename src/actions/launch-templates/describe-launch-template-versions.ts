// DescribeLaunchTemplateVersions: versions of one template (numbers, `$Latest`, `$Default`,
// Min/MaxVersion), or the `$Latest`/`$Default` versions of every template when none is named.
import { Ec2Error } from '../../errors/ec2-error.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { decodeToken, encodeToken } from '../pagination.js';
import { versionXml } from './create-launch-template-version.js';
import { findLaunchTemplate, templateVersion, type LaunchTemplateDocument, type LaunchTemplateVersion } from './launch-template-store.js';

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
      if (input.versions.some((v) => v !== '$Latest' && v !== '$Default')) {
        throw new Ec2Error('MissingParameter', 'launchTemplateName or launchTemplateId');
      }
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
