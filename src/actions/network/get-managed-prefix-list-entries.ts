// GetManagedPrefixListEntries: a list's entries, now or at an earlier version (TargetVersion).
import { Ec2Error } from '../../errors/ec2-error.js';
import { awsPrefixLists } from '../../compute/network/aws-prefix-lists.js';
import type { PrefixListData } from '../../compute/network/model.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { pageOf } from '../pagination.js';
import { checkIds, notFound, ready } from './common.js';

export default defineAction(
  'GetManagedPrefixListEntries',
  {
    id: fields.string('PrefixListId', { required: true }),
    targetVersion: fields.integer('TargetVersion'),
    maxResults: fields.integer('MaxResults'),
    nextToken: fields.string('NextToken'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkIds('prefix-list', [input.id]);
    checkDryRun(input.dryRun);
    await ready(ctx);
    let entries = awsPrefixLists(ctx.scope.region).find((p) => p.id === input.id)?.entries;
    if (!entries) {
      const [own] = await ctx.store.network.list<PrefixListData>(ctx.scope, 'prefix-list', { ids: [input.id] });
      if (!own) throw notFound('prefix-list', input.id);
      const v = input.targetVersion ?? own.data.version;
      const found = own.data.versions.find((x) => x.version === v);
      if (!found) throw new Ec2Error('InvalidParameterValue', `Version ${v} of prefix list ${input.id} does not exist.`);
      entries = found.entries;
    }
    const { page, nextToken } = pageOf(entries, input.nextToken, input.maxResults);
    return { entrySet: page.map((e) => ({ cidr: e.cidr, description: e.description })), nextToken };
  },
);
