// CreateEgressOnlyInternetGateway: a gateway for outbound IPv6 traffic, attached to its VPC from the
// start (a `::/0` route names it). A repeated ClientToken answers with the gateway it made.
import { Ec2Error } from '../../errors/ec2-error.js';
import { ofKind } from '../../compute/network/model.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, mustFind, ready, tagChange, withTags } from './common.js';
import { egressOnlyGatewayItem } from './egress-only-gateway-views.js';

export default defineAction(
  'CreateEgressOnlyInternetGateway',
  { vpcId: fields.string('VpcId', { required: true }), tagSpecifications: fields.tagSpecifications(), clientToken: fields.string('ClientToken'), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    checkIds('vpc', [input.vpcId]);
    const id = ctx.ids.next('eigw');
    const tags = tagChange(input.tagSpecifications, 'egress-only-internet-gateway', id);
    checkDryRun(input.dryRun);
    await ready(ctx);
    const g = await ctx.store.network.change(ctx.scope, ['vpc', 'egress-only-internet-gateway'], (view) => {
      mustFind(view, 'vpc', input.vpcId);
      const earlier = input.clientToken === undefined ? undefined : ofKind(view, 'egress-only-internet-gateway').find((x) => x.data.clientToken === input.clientToken);
      if (earlier) {
        if (earlier.data.attachedVpcId !== input.vpcId) throw new Ec2Error('IdempotentParameterMismatch', 'Arguments on this idempotent request are inconsistent with arguments used in previous request(s).');
        return { changes: {}, result: earlier };
      }
      const o = {
        kind: 'egress-only-internet-gateway' as const,
        id,
        vpcId: input.vpcId,
        data: { attachedVpcId: input.vpcId, ...(input.clientToken === undefined ? {} : { clientToken: input.clientToken }) },
        tags: [],
      };
      return { changes: { put: [o], tag: tags }, result: o };
    });
    return { egressOnlyInternetGateway: egressOnlyGatewayItem(g.id === id ? withTags(g, tags) : g), clientToken: input.clientToken };
  },
);
