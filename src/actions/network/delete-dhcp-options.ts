// DeleteDhcpOptions: only a set no VPC uses.
import { Ec2Error } from '../../errors/ec2-error.js';
import { ofKind } from '../../compute/network/model.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { mustFind, ready } from './common.js';

export default defineAction('DeleteDhcpOptions', { id: fields.string('DhcpOptionsId', { required: true }), dryRun: fields.boolean('DryRun') }, async (ctx, input) => {
  checkDryRun(input.dryRun);
  await ready(ctx);
  await ctx.store.network.change(ctx.scope, ['dhcp-options', 'vpc'], (view) => {
    const d = mustFind(view, 'dhcp-options', input.id);
    if (ofKind(view, 'vpc').some((v) => v.data.dhcpOptionsId === d.id)) throw new Ec2Error('DependencyViolation', `The dhcpOptions '${d.id}' has dependencies and cannot be deleted.`);
    return { changes: { remove: [d.id] }, result: undefined };
  });
  return { return: true };
});
