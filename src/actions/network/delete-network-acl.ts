// DeleteNetworkAcl: never a default ACL, nor one associated with subnets.
import { Ec2Error } from '../../errors/ec2-error.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { mustFind, ready } from './common.js';

export default defineAction('DeleteNetworkAcl', { id: fields.string('NetworkAclId', { required: true }), dryRun: fields.boolean('DryRun') }, async (ctx, input) => {
  checkDryRun(input.dryRun);
  await ready(ctx);
  await ctx.store.network.change(ctx.scope, ['network-acl'], (view) => {
    const a = mustFind(view, 'network-acl', input.id);
    if (a.data.isDefault) throw new Ec2Error('InvalidParameterValue', `cannot delete default network ACL ${a.id}`);
    if (a.data.associations.length) throw new Ec2Error('DependencyViolation', `The networkAcl '${a.id}' has dependencies and cannot be deleted.`);
    return { changes: { remove: [a.id] }, result: undefined };
  });
  return { return: true };
});
