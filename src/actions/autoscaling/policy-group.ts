// The group a policy belongs to, for ExecutePolicy and DeletePolicy, whose AutoScalingGroupName
// is optional (the API reference): the group named; else the one a policy ARN names; else the
// group of the account and Region that has a policy of that name.
import type { AutoScalingGroupDocument } from '../../domain/autoscaling.js';
import type { ActionContext } from '../context.js';
import { findGroup } from './groups.js';

export async function policyGroup(ctx: ActionContext, groupName: string | undefined, policyName: string): Promise<AutoScalingGroupDocument> {
  if (groupName !== undefined) return findGroup(ctx, groupName);
  const fromArn = /:autoScalingGroupName\/([^:]+):policyName\//.exec(policyName)?.[1];
  if (fromArn !== undefined) return findGroup(ctx, fromArn);
  const groups = await ctx.store.documents.list<AutoScalingGroupDocument>(ctx.scope, 'auto-scaling-group');
  const owner = groups.find((g) => (g.policies ?? []).some((p) => p.policyName === policyName));
  return owner ?? findGroup(ctx, '');
}
