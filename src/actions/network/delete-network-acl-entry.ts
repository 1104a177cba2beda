// DeleteNetworkAclEntry: removes the entry with this number and direction (never the `*` one).
import { Ec2Error } from '../../errors/ec2-error.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { mustFind, ready } from './common.js';
import { checkAclId } from './acl-ids.js';

export default defineAction(
  'DeleteNetworkAclEntry',
  {
    networkAclId: fields.string('NetworkAclId', { required: true }),
    ruleNumber: fields.integer('RuleNumber', { required: true }),
    egress: fields.boolean('Egress'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkAclId(input.networkAclId);
    if (input.egress === undefined) throw new Ec2Error('MissingParameter', 'Egress');
    checkDryRun(input.dryRun);
    await ready(ctx);
    await ctx.store.network.change(ctx.scope, ['network-acl'], (view) => {
      const acl = mustFind(view, 'network-acl', input.networkAclId);
      const found = acl.data.entries.find((e) => e.egress === input.egress && e.ruleNumber === input.ruleNumber && e.ruleNumber < 32767);
      if (!found) throw new Ec2Error('InvalidNetworkAclEntry.NotFound', String(input.ruleNumber), input.egress ? 'egress' : 'ingress', acl.id);
      const entries = acl.data.entries.filter((e) => e !== found);
      return { changes: { put: [{ ...acl, data: { ...acl.data, entries } }] }, result: undefined };
    });
    return { return: true };
  },
);
