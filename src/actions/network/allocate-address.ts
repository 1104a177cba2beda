// AllocateAddress: an Elastic IP (a loopback address of its own, like every public address here);
// 5 per Region, counted in the store's transaction.
import { Ec2Error } from '../../errors/ec2-error.js';
import { publicAddress } from '../../compute/addresses.js';
import { ofKind } from '../../compute/network/model.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { ready, tagChange } from './common.js';
import { ADDRESSES_PER_REGION } from './address-rules.js';

export default defineAction(
  'AllocateAddress',
  {
    domain: fields.enum('Domain', ['vpc', 'standard'] as const),
    networkBorderGroup: fields.string('NetworkBorderGroup'),
    tagSpecifications: fields.tagSpecifications(),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    if (input.networkBorderGroup !== undefined && input.networkBorderGroup !== ctx.scope.region) {
      throw new Ec2Error('InvalidParameterValue', `Invalid value '${input.networkBorderGroup}' for NetworkBorderGroup.`);
    }
    const allocationId = ctx.ids.next('eipalloc');
    const tags = tagChange(input.tagSpecifications, 'elastic-ip', allocationId);
    checkDryRun(input.dryRun);
    await ready(ctx);
    const publicIp = publicAddress(await ctx.store.nextSequence('public-ip'));
    await ctx.store.network.change(ctx.scope, ['elastic-ip'], (view) => {
      if (ofKind(view, 'elastic-ip').length >= (ctx.limits.addressesPerRegion ?? ADDRESSES_PER_REGION)) throw new Ec2Error('AddressLimitExceeded');
      return { changes: { put: [{ kind: 'elastic-ip', id: allocationId, unique: publicIp, data: { publicIp }, tags: [] }], tag: tags }, result: undefined };
    });
    return { publicIp, domain: 'vpc', allocationId, publicIpv4Pool: 'amazon', networkBorderGroup: ctx.scope.region };
  },
);
