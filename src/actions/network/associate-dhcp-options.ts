// AssociateDhcpOptions: a VPC uses this set (or `default`: none).
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, mustFind, ready } from './common.js';

export default defineAction(
  'AssociateDhcpOptions',
  { id: fields.string('DhcpOptionsId', { required: true }), vpcId: fields.string('VpcId', { required: true }), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    checkIds('vpc', [input.vpcId]);
    checkDryRun(input.dryRun);
    await ready(ctx);
    await ctx.store.network.change(ctx.scope, ['dhcp-options', 'vpc'], (view) => {
      const vpc = mustFind(view, 'vpc', input.vpcId);
      if (input.id !== 'default') mustFind(view, 'dhcp-options', input.id);
      return { changes: { put: [{ ...vpc, data: { ...vpc.data, dhcpOptionsId: input.id } }] }, result: undefined };
    });
    return { return: true };
  },
);
