// ReleaseAddress: gives an Elastic IP back; not while it is associated.
import { Ec2Error } from '../../errors/ec2-error.js';
import { ofKind } from '../../compute/network/model.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { ready } from './common.js';

export default defineAction(
  'ReleaseAddress',
  {
    allocationId: fields.string('AllocationId'),
    publicIp: fields.string('PublicIp'),
    networkBorderGroup: fields.string('NetworkBorderGroup'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    if (!input.allocationId && !input.publicIp) throw new Ec2Error('MissingParameter', 'AllocationId');
    checkDryRun(input.dryRun);
    await ready(ctx);
    await ctx.store.network.change(ctx.scope, ['elastic-ip'], (view) => {
      const eip = ofKind(view, 'elastic-ip').find((a) => (input.allocationId ? a.id === input.allocationId : a.data.publicIp === input.publicIp));
      if (!eip) {
        if (input.allocationId) throw new Ec2Error('InvalidAllocationID.NotFound', input.allocationId);
        throw Ec2Error.withMessage('AuthFailure', 'The address does not belong to you.');
      }
      // error-code reference: InvalidIPAddress.InUse; wording [INF]
      if (eip.data.association) throw new Ec2Error('InvalidIPAddress.InUse', `The address with allocation id [${eip.id}] is in use.`);
      return { changes: { remove: [eip.id] }, result: undefined };
    });
    return { return: true };
  },
);
