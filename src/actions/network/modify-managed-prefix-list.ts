// ModifyManagedPrefixList: add and remove entries (a new version; CurrentVersion must match when
// given), rename, or change MaxEntries (not below the entries held). AWS's lists are read-only.
import { Ec2Error } from '../../errors/ec2-error.js';
import { awsPrefixLists } from '../../compute/network/aws-prefix-lists.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, mustFind, ready } from './common.js';
import { checkEntries, checkMaxEntries, entryCidr } from './prefix-list-rules.js';
import { ownView, prefixListItem } from './prefix-list-views.js';

export default defineAction(
  'ModifyManagedPrefixList',
  {
    id: fields.string('PrefixListId', { required: true }),
    currentVersion: fields.integer('CurrentVersion'),
    name: fields.string('PrefixListName'),
    addEntries: fields.structList('AddEntry', { cidr: fields.string('Cidr'), description: fields.string('Description') }),
    removeEntries: fields.structList('RemoveEntry', { cidr: fields.string('Cidr') }),
    maxEntries: fields.integer('MaxEntries'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkIds('prefix-list', [input.id]);
    if (awsPrefixLists(ctx.scope.region).some((p) => p.id === input.id))
      throw new Ec2Error('InvalidPrefixListModification', `The prefix list ${input.id} is managed by AWS and cannot be modified.`);
    const changesEntries = input.addEntries.length > 0 || input.removeEntries.length > 0;
    if (input.maxEntries !== undefined && changesEntries)
      throw new Ec2Error('InvalidParameterCombination', 'MaxEntries cannot be changed in the same request as entries.');
    if (input.maxEntries !== undefined) checkMaxEntries(input.maxEntries);
    checkDryRun(input.dryRun);
    await ready(ctx);
    const updated = await ctx.store.network.change(ctx.scope, ['prefix-list'], (view) => {
      const pl = mustFind(view, 'prefix-list', input.id);
      const d = pl.data;
      if (input.currentVersion !== undefined && input.currentVersion !== d.version)
        throw new Ec2Error('PrefixListVersionMismatch', `The prefix list ${pl.id} is at version ${d.version}, not ${input.currentVersion}.`);
      const next = { ...d, state: 'modify-complete' as const };
      if (input.name !== undefined) next.name = input.name;
      if (input.maxEntries !== undefined) {
        const held = d.versions.at(-1)!.entries.length;
        if (input.maxEntries < held) throw new Ec2Error('PrefixListMaxEntriesExceeded', `The prefix list ${pl.id} holds ${held} entries, more than ${input.maxEntries}.`);
        next.maxEntries = input.maxEntries;
      }
      if (changesEntries) {
        const remove = new Set(input.removeEntries.map((e) => entryCidr(e.cidr ?? '', d.addressFamily)));
        const current = d.versions.at(-1)!.entries;
        const missing = [...remove].find((c) => !current.some((e) => e.cidr === c));
        if (missing) throw new Ec2Error('InvalidPrefixListModification', `The entry ${missing} does not exist in prefix list ${pl.id}.`);
        const added = input.addEntries.map((e) => ({ cidr: entryCidr(e.cidr ?? '', d.addressFamily), ...(e.description !== undefined ? { description: e.description } : {}) }));
        const entries = [...current.filter((e) => !remove.has(e.cidr) && !added.some((a) => a.cidr === e.cidr)), ...added];
        checkEntries(entries, next.maxEntries);
        next.version = d.version + 1;
        next.versions = [...d.versions, { version: next.version, entries }];
      }
      const o = { ...pl, data: next };
      return { changes: { put: [o] }, result: o };
    });
    return { prefixList: prefixListItem(ownView(updated, ctx.scope)) };
  },
);
