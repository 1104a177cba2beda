// DeleteVpc: only an empty VPC (no subnets, attached gateways, interfaces, other groups or route
// tables); its default group, main route table and default ACL go with it.
import { Ec2Error } from '../../errors/ec2-error.js';
import { DEFAULT_GROUP_NAME } from '../../compute/network/defaults.js';
import { ofKind } from '../../compute/network/model.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, mustFind, ready } from './common.js';

export default defineAction(
  'DeleteVpc',
  { vpcId: fields.string('VpcId', { required: true }), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    checkIds('vpc', [input.vpcId]);
    checkDryRun(input.dryRun);
    await ready(ctx);
    const kinds = ['vpc', 'subnet', 'internet-gateway', 'security-group', 'security-group-rule', 'route-table', 'network-acl', 'network-interface', 'vpc-endpoint', 'egress-only-internet-gateway'] as const;
    await ctx.store.network.change(ctx.scope, kinds, (view) => {
      mustFind(view, 'vpc', input.vpcId);
      const inVpc = <K extends (typeof kinds)[number]>(k: K) => ofKind(view, k).filter((o) => o.vpcId === input.vpcId);
      const groups = inVpc('security-group');
      const tables = inVpc('route-table');
      const acls = inVpc('network-acl');
      const busy =
        inVpc('subnet').length > 0 ||
        inVpc('network-interface').length > 0 ||
        inVpc('vpc-endpoint').length > 0 ||
        inVpc('egress-only-internet-gateway').length > 0 ||
        ofKind(view, 'internet-gateway').some((g) => g.data.attachedVpcId === input.vpcId) ||
        groups.some((g) => g.data.groupName !== DEFAULT_GROUP_NAME) ||
        tables.some((t) => !t.data.main) ||
        acls.some((a) => !a.data.isDefault);
      // observed (spec)
      if (busy) throw new Ec2Error('DependencyViolation', `The vpc '${input.vpcId}' has dependencies and cannot be deleted.`);
      const rules = ofKind(view, 'security-group-rule').filter((r) => groups.some((g) => g.id === r.parentId));
      return { changes: { remove: [input.vpcId, ...groups.map((g) => g.id), ...rules.map((r) => r.id), ...tables.map((t) => t.id), ...acls.map((a) => a.id)] }, result: undefined };
    });
    return { return: true };
  },
);
