// AssociateRouteTable: a subnet of the same VPC uses this table instead of the main one (one table per subnet).
import { Ec2Error } from '../../errors/ec2-error.js';
import { ofKind } from '../../compute/network/model.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, mustFind, ready } from './common.js';

export default defineAction(
  'AssociateRouteTable',
  { id: fields.string('RouteTableId', { required: true }), subnetId: fields.string('SubnetId'), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    if (!input.subnetId) throw new Ec2Error('MissingParameter', 'SubnetId');
    checkIds('subnet', [input.subnetId]);
    checkDryRun(input.dryRun);
    await ready(ctx);
    const associationId = ctx.ids.next('rtbassoc');
    await ctx.store.network.change(ctx.scope, ['route-table', 'subnet'], (view) => {
      const t = mustFind(view, 'route-table', input.id);
      const s = mustFind(view, 'subnet', input.subnetId!);
      if (s.vpcId !== t.vpcId) throw new Ec2Error('InvalidParameterValue', `Route table ${t.id} and subnet ${s.id} belong to different networks`);
      const current = ofKind(view, 'route-table').find((x) => x.data.associations.some((a) => a.subnetId === s.id));
      // error-code reference: Resource.AlreadyAssociated
      if (current) throw new Ec2Error('Resource.AlreadyAssociated', `the specified association for route table ${current.id} conflicts with an existing association`);
      return { changes: { put: [{ ...t, data: { ...t.data, associations: [...t.data.associations, { id: associationId, subnetId: s.id }] } }] }, result: undefined };
    });
    return { associationId, associationState: { state: 'associated' } };
  },
);
