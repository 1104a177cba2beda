// CreateNetworkAclEntry: a numbered allow/deny entry in one direction of an ACL (20 per direction).
import { Ec2Error } from '../../errors/ec2-error.js';
import { checkDryRun, defineAction } from '../action.js';
import { mustFind, ready } from './common.js';
import { ACL_ENTRIES_PER_DIRECTION, aclEntryFields, aclEntryOf } from './acl-entries.js';
import { checkAclId } from './acl-ids.js';

export default defineAction('CreateNetworkAclEntry', aclEntryFields, async (ctx, input) => {
  checkAclId(input.networkAclId);
  const entry = aclEntryOf(input);
  checkDryRun(input.dryRun);
  await ready(ctx);
  await ctx.store.network.change(ctx.scope, ['network-acl'], (view) => {
    const acl = mustFind(view, 'network-acl', input.networkAclId);
    const same = acl.data.entries.filter((e) => e.egress === entry.egress && e.ruleNumber < 32767);
    if (same.some((e) => e.ruleNumber === entry.ruleNumber)) throw new Ec2Error('NetworkAclEntryAlreadyExists', String(entry.ruleNumber));
    if (same.length >= ACL_ENTRIES_PER_DIRECTION) throw new Ec2Error('NetworkAclEntryLimitExceeded');
    return { changes: { put: [{ ...acl, data: { ...acl.data, entries: [...acl.data.entries, entry] } }] }, result: undefined };
  });
  return { return: true };
});
