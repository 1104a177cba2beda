// DescribeAddresses: the account's Elastic IPs in the Region, by public ip, allocation id or filters.
import { Ec2Error } from '../../errors/ec2-error.js';
import type { Obj } from '../../compute/network/model.js';
import { applyFilters } from '../../domain/filters.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { ready } from './common.js';
import { addressFilters, addressItem } from './address-rules.js';

export default defineAction(
  'DescribeAddresses',
  { publicIps: fields.list('PublicIp'), allocationIds: fields.list('AllocationId'), filters: fields.filters(), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    checkDryRun(input.dryRun);
    await ready(ctx);
    let all = (await ctx.store.network.list(ctx.scope, 'elastic-ip')) as Obj<'elastic-ip'>[];
    const missingId = input.allocationIds.find((id) => !all.some((a) => a.id === id));
    if (missingId) throw new Ec2Error('InvalidAllocationID.NotFound', missingId);
    // observed (moto and AWS CLI captures): "Address 'x' not found."
    const missingIp = input.publicIps.find((ip) => !all.some((a) => a.data.publicIp === ip));
    if (missingIp) throw new Ec2Error('InvalidAddress.NotFound', `Address '${missingIp}' not found.`);
    if (input.allocationIds.length || input.publicIps.length) {
      all = all.filter((a) => input.allocationIds.includes(a.id) || input.publicIps.includes(a.data.publicIp));
    }
    return { addressesSet: applyFilters(all, input.filters, addressFilters()).map((a) => addressItem(a, ctx.scope)) };
  },
);
