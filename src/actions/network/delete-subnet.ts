// DeleteSubnet: only a subnet without network interfaces (instances); its ACL and route table
// associations go with it.
import { Ec2Error } from '../../errors/ec2-error.js';
import { ofKind } from '../../compute/network/model.js';
import type { NetObject } from '../../store/port.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, mustFind, ready } from './common.js';

export default defineAction(
  'DeleteSubnet',
  { subnetId: fields.string('SubnetId', { required: true }), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    checkIds('subnet', [input.subnetId]);
    checkDryRun(input.dryRun);
    await ready(ctx);
    await ctx.store.network.change(ctx.scope, ['subnet', 'network-interface', 'network-acl', 'route-table', 'vpc-endpoint'], (view) => {
      mustFind(view, 'subnet', input.subnetId);
      if (ofKind(view, 'network-interface').some((e) => e.data.subnetId === input.subnetId) || ofKind(view, 'vpc-endpoint').some((e) => e.data.subnetIds.includes(input.subnetId))) {
        // observed (spec)
        throw new Ec2Error('DependencyViolation', `The subnet '${input.subnetId}' has dependencies and cannot be deleted.`);
      }
      const put: NetObject[] = [];
      for (const o of [...ofKind(view, 'network-acl'), ...ofKind(view, 'route-table')]) {
        const associations = o.data.associations.filter((a) => a.subnetId !== input.subnetId);
        if (associations.length !== o.data.associations.length) put.push({ ...o, data: { ...o.data, associations } });
      }
      return { changes: { remove: [input.subnetId], put }, result: undefined };
    });
    return { return: true };
  },
);
