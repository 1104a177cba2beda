// AttachInternetGateway: one gateway per VPC, one VPC per gateway.
import { Ec2Error } from '../../errors/ec2-error.js';
import { ofKind } from '../../compute/network/model.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, mustFind, ready } from './common.js';

export default defineAction(
  'AttachInternetGateway',
  { id: fields.string('InternetGatewayId', { required: true }), vpcId: fields.string('VpcId', { required: true }), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    checkIds('vpc', [input.vpcId]);
    checkDryRun(input.dryRun);
    await ready(ctx);
    await ctx.store.network.change(ctx.scope, ['internet-gateway', 'vpc'], (view) => {
      const g = mustFind(view, 'internet-gateway', input.id);
      mustFind(view, 'vpc', input.vpcId);
      // error-code reference: Resource.AlreadyAssociated; wording as CLI captures quote it
      if (g.data.attachedVpcId) throw new Ec2Error('Resource.AlreadyAssociated', `resource ${g.id} is already attached to network ${g.data.attachedVpcId}`);
      const other = ofKind(view, 'internet-gateway').find((x) => x.data.attachedVpcId === input.vpcId);
      if (other) throw new Ec2Error('Resource.AlreadyAssociated', `Network ${input.vpcId} already has an internet gateway attached`);
      return { changes: { put: [{ ...g, data: { attachedVpcId: input.vpcId } }] }, result: undefined };
    });
    return { return: true };
  },
);
