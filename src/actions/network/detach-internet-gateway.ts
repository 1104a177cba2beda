// DetachInternetGateway: routes through it become blackholes.
import { Ec2Error } from '../../errors/ec2-error.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, mustFind, ready } from './common.js';

export default defineAction(
  'DetachInternetGateway',
  { id: fields.string('InternetGatewayId', { required: true }), vpcId: fields.string('VpcId', { required: true }), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    checkIds('vpc', [input.vpcId]);
    checkDryRun(input.dryRun);
    await ready(ctx);
    await ctx.store.network.change(ctx.scope, ['internet-gateway'], (view) => {
      const g = mustFind(view, 'internet-gateway', input.id);
      // error-code reference: Gateway.NotAttached; wording as CLI captures quote it
      if (g.data.attachedVpcId !== input.vpcId) throw new Ec2Error('Gateway.NotAttached', `resource ${g.id} is not attached to network ${input.vpcId}`);
      return { changes: { put: [{ ...g, data: {} }] }, result: undefined };
    });
    return { return: true };
  },
);
