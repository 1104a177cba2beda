// CreateDefaultVpc: brings the default VPC back after it was deleted (with its subnets, gateway,
// route table, ACL and default group), as AWS does; refused while one exists.
import { Ec2Error } from '../../errors/ec2-error.js';
import { defaultVpcObjects } from '../../compute/network/defaults.js';
import { ofKind } from '../../compute/network/model.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { ready } from './common.js';
import { vpcItem } from './views.js';

export default defineAction('CreateDefaultVpc', { dryRun: fields.boolean('DryRun') }, async (ctx, input) => {
  checkDryRun(input.dryRun);
  await ready(ctx);
  const vpc = await ctx.store.network.change(ctx.scope, ['vpc', 'dhcp-options'], (view) => {
    if (ofKind(view, 'vpc').some((v) => v.data.isDefault)) throw new Ec2Error('DefaultVpcAlreadyExists');
    const changes = defaultVpcObjects(ctx.ids, ctx.scope.region, ofKind(view, 'dhcp-options')[0]?.id);
    return { changes, result: changes.put!.find((o) => o.kind === 'vpc')! };
  });
  return { vpc: { ...vpcItem(vpc as never, ctx.scope), state: 'pending' } };
});
