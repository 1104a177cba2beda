// ModifyVpcAttribute: DNS support or DNS hostnames, one per call.
import { Ec2Error } from '../../errors/ec2-error.js';
import type { VpcData } from '../../compute/network/model.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, mustFind, ready } from './common.js';

export default defineAction(
  'ModifyVpcAttribute',
  {
    vpcId: fields.string('VpcId', { required: true }),
    enableDnsSupport: fields.struct('EnableDnsSupport', { value: fields.boolean('Value') }),
    enableDnsHostnames: fields.struct('EnableDnsHostnames', { value: fields.boolean('Value') }),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkIds('vpc', [input.vpcId]);
    const support = input.enableDnsSupport?.value;
    const hostnames = input.enableDnsHostnames?.value;
    if (support === undefined && hostnames === undefined) throw new Ec2Error('MissingParameter', 'EnableDnsSupport or EnableDnsHostnames');
    // AWS changes one attribute per request.
    if (support !== undefined && hostnames !== undefined) {
      throw new Ec2Error('InvalidParameterCombination', 'Only one attribute can be modified at a time');
    }
    checkDryRun(input.dryRun);
    await ready(ctx);
    await ctx.store.network.change(ctx.scope, ['vpc'], (view) => {
      const vpc = mustFind(view, 'vpc', input.vpcId);
      const data: VpcData = { ...vpc.data };
      if (support !== undefined) data.enableDnsSupport = support;
      if (hostnames !== undefined) data.enableDnsHostnames = hostnames;
      // DNS hostnames need DNS support (the VPC User Guide, "DNS attributes for your VPC").
      if (data.enableDnsHostnames && !data.enableDnsSupport) {
        throw new Ec2Error('InvalidParameterValue', 'enableDnsHostnames may only be true when enableDnsSupport is true');
      }
      return { changes: { put: [{ ...vpc, data }] }, result: undefined };
    });
    return { return: true };
  },
);
