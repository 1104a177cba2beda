// DeleteManagedPrefixList: never AWS's lists, nor one a security group rule still names.
import { Ec2Error } from '../../errors/ec2-error.js';
import { awsPrefixLists } from '../../compute/network/aws-prefix-lists.js';
import { ofKind } from '../../compute/network/model.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, mustFind, ready } from './common.js';
import { ownView, prefixListItem } from './prefix-list-views.js';

export default defineAction('DeleteManagedPrefixList', { id: fields.string('PrefixListId', { required: true }), dryRun: fields.boolean('DryRun') }, async (ctx, input) => {
  checkIds('prefix-list', [input.id]);
  if (awsPrefixLists(ctx.scope.region).some((p) => p.id === input.id))
    throw new Ec2Error('InvalidPrefixListModification', `The prefix list ${input.id} is managed by AWS and cannot be deleted.`);
  checkDryRun(input.dryRun);
  await ready(ctx);
  const gone = await ctx.store.network.change(ctx.scope, ['prefix-list', 'security-group-rule'], (view) => {
    const pl = mustFind(view, 'prefix-list', input.id);
    const user = ofKind(view, 'security-group-rule').find((r) => r.data.prefixListId === pl.id);
    if (user) throw new Ec2Error('DependencyViolation', `The prefix list ${pl.id} is referenced by security group ${user.parentId}.`);
    return { changes: { remove: [pl.id] }, result: pl };
  });
  return { prefixList: { ...prefixListItem(ownView(gone, ctx.scope)), state: 'delete-in-progress' } };
});
