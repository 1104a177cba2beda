// ModifySecurityGroupRules: replaces rules of a group in place (same sgr- ids), each as a whole.
import { Ec2Error } from '../../errors/ec2-error.js';
import { ofKind, ruleUnique, type RuleData } from '../../compute/network/model.js';
import { NetUniqueError, type NetObject } from '../../store/port.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, ready } from './common.js';
import { parsePermissions } from './permissions.js';
import { findGroup, RULE_KINDS } from './security-group-rules.js';

export default defineAction(
  'ModifySecurityGroupRules',
  {
    groupId: fields.string('GroupId', { required: true }),
    dryRun: fields.boolean('DryRun'),
    securityGroupRules: fields.rest('SecurityGroupRule'),
  },
  async (ctx, input) => {
    checkIds('security-group', [input.groupId]);
    // SecurityGroupRule.N.SecurityGroupRuleId + SecurityGroupRule.N.SecurityGroupRule.{IpProtocol, FromPort, ToPort, CidrIpv4, CidrIpv6, PrefixListId, ReferencedGroupId, Description}
    const byIndex = new Map<string, Map<string, string>>();
    for (const [key, value] of Object.entries(input.securityGroupRules)) {
      const m = /^([1-9][0-9]*)\.(SecurityGroupRuleId|SecurityGroupRule\.(IpProtocol|FromPort|ToPort|CidrIpv4|CidrIpv6|PrefixListId|ReferencedGroupId|Description))$/.exec(key);
      if (!m) throw new Ec2Error('UnknownParameter', `SecurityGroupRule.${key}`);
      let g = byIndex.get(m[1]!);
      if (!g) byIndex.set(m[1]!, (g = new Map()));
      g.set(m[2]!.replace('SecurityGroupRule.', ''), value);
    }
    if (byIndex.size === 0) throw new Ec2Error('MissingParameter', 'SecurityGroupRule');
    const changesAsked = [...byIndex.values()].map((g) => {
      const id = g.get('SecurityGroupRuleId');
      if (!id) throw new Ec2Error('MissingParameter', 'SecurityGroupRule.SecurityGroupRuleId');
      checkIds('security-group-rule', [id]);
      // Reuse the IpPermissions parser for the protocol/ports/peer of the new rule.
      if (!g.has('IpProtocol')) throw new Ec2Error('InvalidParameterValue', "Invalid value 'null' for protocol. VPC security group rules must specify protocols explicitly.");
      const rest: Record<string, string> = { '1.IpProtocol': g.get('IpProtocol')! };
      if (g.has('FromPort')) rest['1.FromPort'] = g.get('FromPort')!;
      if (g.has('ToPort')) rest['1.ToPort'] = g.get('ToPort')!;
      const d: Record<string, string> = g.has('Description') ? { '1.X.1.Description': g.get('Description')! } : {};
      if (g.has('CidrIpv4')) Object.assign(rest, { '1.IpRanges.1.CidrIp': g.get('CidrIpv4')! }, rename(d, 'IpRanges'));
      else if (g.has('CidrIpv6')) Object.assign(rest, { '1.Ipv6Ranges.1.CidrIpv6': g.get('CidrIpv6')! }, rename(d, 'Ipv6Ranges'));
      else if (g.has('PrefixListId')) Object.assign(rest, { '1.PrefixListIds.1.PrefixListId': g.get('PrefixListId')! }, rename(d, 'PrefixListIds'));
      else if (g.has('ReferencedGroupId')) Object.assign(rest, { '1.Groups.1.GroupId': g.get('ReferencedGroupId')! }, rename(d, 'Groups'));
      else throw Ec2Error.withMessage('MissingParameter', 'The request must contain one of CidrIpv4, CidrIpv6, PrefixListId or ReferencedGroupId');
      const [spec] = parsePermissions(rest, 'SecurityGroupRule');
      return { id, spec: spec! };
    });
    checkDryRun(input.dryRun);
    await ready(ctx);
    try {
      await ctx.store.network.change(ctx.scope, RULE_KINDS, (view) => {
        const group = findGroup(view, { groupId: input.groupId });
        const rules = ofKind(view, 'security-group-rule').filter((r) => r.parentId === group.id);
        const put: NetObject[] = changesAsked.map(({ id, spec }) => {
          const rule = rules.find((r) => r.id === id);
          if (!rule) throw new Ec2Error('InvalidSecurityGroupRuleId.NotFound', id);
          const data: RuleData = { ...spec, egress: rule.data.egress };
          return { ...rule, unique: ruleUnique(group.id, data), data };
        });
        return { changes: { put }, result: undefined };
      });
    } catch (e) {
      if (e instanceof NetUniqueError) throw Ec2Error.withMessage('InvalidPermission.Duplicate', 'the specified rule already exists');
      throw e;
    }
    return { return: true };
  },
);

const rename = (d: Record<string, string>, list: string): Record<string, string> =>
  Object.fromEntries(Object.entries(d).map(([k, v]) => [k.replace('X', list), v]));
