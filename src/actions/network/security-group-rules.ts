// Authorize/Revoke Ingress and Egress share this: find the group (by id, or by name in the default
// VPC), resolve peers named by group name, then add or remove rules inside one store transaction
// where duplicates and the 60-rules limit are checked (the unique index backs the duplicate check).
import { Ec2Error } from '../../errors/ec2-error.js';
import { ruleObject } from '../../compute/network/defaults.js';
import { ofKind, ruleUnique, type Obj, type RuleData } from '../../compute/network/model.js';
import { NetUniqueError, type NetChanges, type NetView } from '../../store/port.js';
import type { ActionContext } from '../context.js';
import type { TagSpecification } from '../input.js';
import { tagsFor } from '../tag-specifications.js';
import { checkIds, ready } from './common.js';
import { awsPrefixLists } from '../../compute/network/aws-prefix-lists.js';
import { parseFlat, parsePermissions, ruleText, type RuleSpec } from './permissions.js';
import { ruleItem } from './views.js';

/** Inbound (and, separately, outbound) rules per group; groups per Region (VPC quotas). */
export const RULES_PER_GROUP = 60;
export const GROUPS_PER_REGION = 2500;

export const RULE_KINDS = ['vpc', 'security-group', 'security-group-rule', 'prefix-list'] as const;

/** The target group: by id, else by name in the default VPC (as AWS resolves names). */
export function findGroup(view: NetView, ref: { groupId?: string; groupName?: string }): Obj<'security-group'> {
  const groups = ofKind(view, 'security-group');
  if (ref.groupId) {
    const g = groups.find((x) => x.id === ref.groupId);
    if (!g) throw new Ec2Error('InvalidGroup.NotFound', `The security group '${ref.groupId}' does not exist`);
    return g;
  }
  if (!ref.groupName) throw Ec2Error.withMessage('MissingParameter', 'The request must contain the parameter groupName or groupId');
  const vpc = ofKind(view, 'vpc').find((v) => v.data.isDefault);
  const g = vpc && groups.find((x) => x.vpcId === vpc.id && x.data.groupName === ref.groupName);
  if (!g) {
    // observed (spec)
    throw new Ec2Error('InvalidGroup.NotFound', vpc ? `The security group '${ref.groupName}' does not exist in default VPC '${vpc.id}'` : `The security group '${ref.groupName}' does not exist`);
  }
  return g;
}

/** Specs → rules of `group`: peers named by group name resolve in the group's VPC; referenced groups must exist. */
function resolve(view: NetView, region: string, group: Obj<'security-group'>, specs: readonly RuleSpec[], egress: boolean, isRevoke = false): RuleData[] {
  const groups = ofKind(view, 'security-group');
  return specs.map(({ referencedGroupName, ...spec }) => {
    const rule: RuleData = { ...spec, egress };
    if (referencedGroupName !== undefined) {
      const peer = groups.find((g) => g.vpcId === group.vpcId && g.data.groupName === referencedGroupName);
      if (!peer) throw new Ec2Error('InvalidGroup.NotFound', `The security group '${referencedGroupName}' does not exist`);
      rule.referencedGroupId = peer.id;
    } else if (rule.referencedGroupId !== undefined) {
      if (!groups.some((g) => g.id === rule.referencedGroupId)) throw new Ec2Error('InvalidGroup.NotFound', `The security group '${rule.referencedGroupId}' does not exist`);
    } else if (rule.prefixListId !== undefined && !isRevoke) {
      const known = ofKind(view, 'prefix-list').some((p) => p.id === rule.prefixListId) || awsPrefixLists(region).some((p) => p.id === rule.prefixListId);
      if (!known) throw new Ec2Error('InvalidPrefixListID.NotFound', rule.prefixListId);
    }
    return rule;
  });
}

export interface PermissionInput {
  groupId?: string;
  groupName?: string;
  ipPermissions: Record<string, string>;
  ipProtocol?: string;
  fromPort?: number;
  toPort?: number;
  cidrIp?: string;
  sourceSecurityGroupName?: string;
  sourceSecurityGroupOwnerId?: string;
  tagSpecifications?: TagSpecification[];
  securityGroupRuleIds?: string[];
}

function specsOf(input: PermissionInput): RuleSpec[] {
  if (input.groupId !== undefined) checkIds('security-group', [input.groupId]);
  const specs = [...parsePermissions(input.ipPermissions), ...parseFlat(input)];
  return specs;
}

export async function authorize(ctx: ActionContext, input: PermissionInput, egress: boolean, dryRun: boolean | undefined) {
  const specs = specsOf(input);
  if (egress && input.groupId === undefined) throw new Ec2Error('MissingParameter', 'GroupId');
  if (specs.length === 0) throw Ec2Error.withMessage('MissingParameter', 'The request must contain the parameter ipPermissions');
  const tags = tagsFor(input.tagSpecifications ?? [], ['security-group-rule'], 'security-group-rule');
  if (dryRun) throw new Ec2Error('DryRunOperation');
  await ready(ctx);
  try {
    const created = await ctx.store.network.change(ctx.scope, RULE_KINDS, (view) => {
      const group = findGroup(view, input);
      const rules = resolve(view, ctx.scope.region, group, specs, egress);
      const existing = ofKind(view, 'security-group-rule').filter((r) => r.parentId === group.id);
      const seen = new Set(existing.map((r) => r.unique));
      for (const r of rules) {
        const key = ruleUnique(group.id, r);
        // observed (spec): `the specified rule "peer: …, ALLOW" already exists`
        if (seen.has(key)) throw new Ec2Error('InvalidPermission.Duplicate', `the specified rule "${ruleText(r)}" already exists`);
        seen.add(key);
      }
      if (existing.filter((r) => r.data.egress === egress).length + rules.length > RULES_PER_GROUP) throw new Ec2Error('RulesPerSecurityGroupLimitExceeded');
      const objects = rules.map((r) => ({ ...ruleObject(ctx.ids.next('sgr'), group.id, group.vpcId!, r), tags }) as Obj<'security-group-rule'>);
      const changes: NetChanges = { put: objects, tag: tags.length ? objects.map((o) => ({ id: o.id, kind: o.kind, tags })) : [] };
      return { changes, result: objects };
    });
    return { return: true, securityGroupRuleSet: created.map((r) => ruleItem(r, ctx.scope)) };
  } catch (e) {
    if (e instanceof NetUniqueError) throw Ec2Error.withMessage('InvalidPermission.Duplicate', 'the specified rule already exists');
    throw e;
  }
}

export async function revoke(ctx: ActionContext, input: PermissionInput, egress: boolean, dryRun: boolean | undefined) {
  const specs = specsOf(input);
  const ruleIds = input.securityGroupRuleIds ?? [];
  checkIds('security-group-rule', ruleIds);
  if (egress && input.groupId === undefined) throw new Ec2Error('MissingParameter', 'GroupId');
  if (specs.length === 0 && ruleIds.length === 0) throw Ec2Error.withMessage('MissingParameter', 'The request must contain the parameter ipPermissions');
  if (dryRun) throw new Ec2Error('DryRunOperation');
  await ready(ctx);
  await ctx.store.network.change(ctx.scope, RULE_KINDS, (view) => {
    const group = findGroup(view, input);
    const existing = ofKind(view, 'security-group-rule').filter((r) => r.parentId === group.id && r.data.egress === egress);
    const remove: string[] = [];
    for (const r of resolve(view, ctx.scope.region, group, specs, egress, true)) {
      const match = existing.find((x) => x.unique === ruleUnique(group.id, r));
      if (!match) throw new Ec2Error('InvalidPermission.NotFound');
      remove.push(match.id);
    }
    for (const id of ruleIds) {
      if (!existing.some((x) => x.id === id)) throw new Ec2Error('InvalidSecurityGroupRuleId.NotFound', id);
      remove.push(id);
    }
    return { changes: { remove }, result: undefined };
  });
  return { return: true };
}
