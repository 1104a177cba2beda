// DeleteNetworkInterface: only an unattached interface (an attached one: InvalidNetworkInterface.InUse).
import { Ec2Error } from '../../errors/ec2-error.js';
import { ofKind } from '../../compute/network/model.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, mustFind, ready } from './common.js';

export default defineAction(
  'DeleteNetworkInterface',
  { networkInterfaceId: fields.string('NetworkInterfaceId', { required: true }), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    checkIds('network-interface', [input.networkInterfaceId]);
    checkDryRun(input.dryRun);
    await ready(ctx);
    await ctx.store.network.change(ctx.scope, ['network-interface', 'elastic-ip'], (view) => {
      const eni = mustFind(view, 'network-interface', input.networkInterfaceId);
      // error-code reference: InvalidNetworkInterface.InUse; wording as CLI captures show it
      if (eni.data.attachment) throw new Ec2Error('InvalidNetworkInterface.InUse', `Interface: [${eni.id}] in use.`);
      if (ofKind(view, 'elastic-ip').some((a) => a.data.association?.networkInterfaceId === eni.id)) {
        throw new Ec2Error('InvalidNetworkInterface.InUse', `Interface: [${eni.id}] in use.`);
      }
      return { changes: { remove: [eni.id] }, result: undefined };
    });
    return { return: true };
  },
);
