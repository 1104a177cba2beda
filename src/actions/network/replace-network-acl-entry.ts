// ReplaceNetworkAclEntry: the entry with this number and direction takes the new members.
import { Ec2Error } from '../../errors/ec2-error.js';
import { checkDryRun, defineAction } from '../action.js';
import { mustFind, ready } from './common.js';
import { aclEntryFields, aclEntryOf } from './acl-entries.js';
import { checkAclId } from './acl-ids.js';

export default defineAction('ReplaceNetworkAclEntry', aclEntryFields, async (ctx, input) => {
  checkAclId(input.networkAclId);
  const entry = aclEntryOf(input);
  checkDryRun(input.dryRun);
  await ready(ctx);
  await ctx.store.network.change(ctx.scope, ['network-acl'], (view) => {
    const acl = mustFind(view, 'network-acl', input.networkAclId);
    const i = acl.data.entries.findIndex((e) => e.egress === entry.egress && e.ruleNumber === entry.ruleNumber);
    if (i < 0) throw new Ec2Error('InvalidNetworkAclEntry.NotFound', String(entry.ruleNumber), entry.egress ? 'egress' : 'ingress', acl.id);
    const entries = acl.data.entries.map((e, j) => (j === i ? entry : e));
    return { changes: { put: [{ ...acl, data: { ...acl.data, entries } }] }, result: undefined };
  });
  return { return: true };
});
