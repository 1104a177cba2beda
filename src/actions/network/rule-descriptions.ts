// UpdateSecurityGroupRuleDescriptionsIngress/Egress: sets descriptions of existing rules, named by
// their contents (IpPermissions, descriptions inside) or by id (SecurityGroupRuleDescription.N).
import { Ec2Error } from '../../errors/ec2-error.js';
import { ofKind, ruleUnique } from '../../compute/network/model.js';
import type { NetObject } from '../../store/port.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, ready } from './common.js';
import { parsePermissions } from './permissions.js';
import { findGroup, RULE_KINDS } from './security-group-rules.js';

/** The action of one direction (the two actions differ only in it). */
export const ruleDescriptionsAction = (name: string, egress: boolean) =>
  defineAction(
    name,
    {
      groupId: fields.string('GroupId'),
      groupName: fields.string('GroupName'),
      descriptions: fields.structList('SecurityGroupRuleDescription', {
        securityGroupRuleId: fields.string('SecurityGroupRuleId'),
        description: fields.string('Description'),
      }),
      dryRun: fields.boolean('DryRun'),
      ipPermissions: fields.rest('IpPermissions'),
    },
    async (ctx, input) => {
      if (input.groupId !== undefined) checkIds('security-group', [input.groupId]);
      const specs = parsePermissions(input.ipPermissions);
      if (specs.length === 0 && input.descriptions.length === 0) throw new Ec2Error('MissingParameter', 'IpPermissions');
      if (input.dryRun) throw new Ec2Error('DryRunOperation');
      await ready(ctx);
      await ctx.store.network.change(ctx.scope, RULE_KINDS, (view) => {
        const group = findGroup(view, input);
        const rules = ofKind(view, 'security-group-rule').filter((r) => r.parentId === group.id && r.data.egress === egress);
        const put: NetObject[] = [];
        for (const { referencedGroupName, ...spec } of specs) {
          const peerId = referencedGroupName === undefined ? spec.referencedGroupId : ofKind(view, 'security-group').find((g) => g.vpcId === group.vpcId && g.data.groupName === referencedGroupName)?.id;
          const key = ruleUnique(group.id, { ...spec, egress, referencedGroupId: peerId });
          const rule = rules.find((r) => r.unique === key);
          if (!rule) throw new Ec2Error('InvalidPermission.NotFound');
          put.push({ ...rule, data: { ...rule.data, description: spec.description } });
        }
        for (const d of input.descriptions) {
          const rule = rules.find((r) => r.id === d.securityGroupRuleId);
          if (!rule) throw new Ec2Error('InvalidSecurityGroupRuleId.NotFound', d.securityGroupRuleId ?? '');
          put.push({ ...rule, data: { ...rule.data, description: d.description } });
        }
        return { changes: { put }, result: undefined };
      });
      return { return: true };
    },
  );

