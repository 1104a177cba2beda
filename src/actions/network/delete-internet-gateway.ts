// DeleteInternetGateway: only a detached gateway.
import { Ec2Error } from '../../errors/ec2-error.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { mustFind, ready } from './common.js';

export default defineAction('DeleteInternetGateway', { id: fields.string('InternetGatewayId', { required: true }), dryRun: fields.boolean('DryRun') }, async (ctx, input) => {
  checkDryRun(input.dryRun);
  await ready(ctx);
  await ctx.store.network.change(ctx.scope, ['internet-gateway'], (view) => {
    const g = mustFind(view, 'internet-gateway', input.id);
    // observed wording, as for VPCs and subnets
    if (g.data.attachedVpcId) throw new Ec2Error('DependencyViolation', `The internetGateway '${g.id}' has dependencies and cannot be deleted.`);
    return { changes: { remove: [g.id] }, result: undefined };
  });
  return { return: true };
});
