// DeleteSecurityGroup: never a VPC's default group; not while an interface uses it or another
// group's rule references it (DependencyViolation); its rules go with it.
import { Ec2Error } from '../../errors/ec2-error.js';
import { DEFAULT_GROUP_NAME } from '../../compute/network/defaults.js';
import { ofKind } from '../../compute/network/model.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, ready } from './common.js';
import { findGroup } from './security-group-rules.js';

export default defineAction(
  'DeleteSecurityGroup',
  { groupId: fields.string('GroupId'), groupName: fields.string('GroupName'), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    if (input.groupId !== undefined) checkIds('security-group', [input.groupId]);
    checkDryRun(input.dryRun);
    await ready(ctx);
    const groupId = await ctx.store.network.change(ctx.scope, ['vpc', 'security-group', 'security-group-rule', 'network-interface', 'vpc-endpoint'], (view) => {
      const group = findGroup(view, input);
      if (group.data.groupName === DEFAULT_GROUP_NAME) throw new Ec2Error('CannotDelete', group.id);
      const rules = ofKind(view, 'security-group-rule');
      const used =
        ofKind(view, 'network-interface').some((e) => e.data.groupIds.includes(group.id)) ||
        ofKind(view, 'vpc-endpoint').some((e) => e.data.groupIds.includes(group.id)) ||
        rules.some((r) => r.parentId !== group.id && r.data.referencedGroupId === group.id);
      // observed (spec): "resource sg-… has a dependent object"
      if (used) throw new Ec2Error('DependencyViolation', `resource ${group.id} has a dependent object`);
      return { changes: { remove: [group.id, ...rules.filter((r) => r.parentId === group.id).map((r) => r.id)] }, result: group.id };
    });
    return { return: true, groupId };
  },
);
