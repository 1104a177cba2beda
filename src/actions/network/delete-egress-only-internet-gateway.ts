// DeleteEgressOnlyInternetGateway: the gateway goes; routes naming it stay, as blackholes.
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { mustFind, ready } from './common.js';

export default defineAction(
  'DeleteEgressOnlyInternetGateway',
  { id: fields.string('EgressOnlyInternetGatewayId', { required: true }), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    checkDryRun(input.dryRun);
    await ready(ctx);
    await ctx.store.network.change(ctx.scope, ['egress-only-internet-gateway'], (view) => {
      mustFind(view, 'egress-only-internet-gateway', input.id);
      return { changes: { remove: [input.id] }, result: undefined };
    });
    return { returnCode: true };
  },
);
