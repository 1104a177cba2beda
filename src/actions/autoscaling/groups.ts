// Finding groups and their members, recording activities, and ending an instance's EC2 life:
// what several Auto Scaling actions (and the reconciler) share.
import { randomUUID } from 'node:crypto';
import { autoScalingErrors } from '../../errors/autoscaling-messages.js';
import type { AutoScalingGroupDocument, GroupMember, ScalingActivityDocument } from '../../domain/autoscaling.js';
import type { ActionContext } from '../context.js';
import { userInitiated } from '../instance-views.js';
import { DuplicateDocumentError } from '../../store/port.js';

export async function findGroup(ctx: ActionContext, name: string): Promise<AutoScalingGroupDocument> {
  const g = await ctx.store.documents.get<AutoScalingGroupDocument>(ctx.scope, 'auto-scaling-group', name);
  if (!g) throw autoScalingErrors.groupNotFound(name);
  return g;
}

/** The group an instance is a member of (not yet terminated), or AWS's "no managed instance". */
export async function findMember(ctx: ActionContext, instanceId: string): Promise<{ group: AutoScalingGroupDocument; member: GroupMember }> {
  for (const group of await ctx.store.documents.list<AutoScalingGroupDocument>(ctx.scope, 'auto-scaling-group')) {
    const member = group.members.find((m) => m.instanceId === instanceId && m.lifecycleState !== 'Terminated');
    if (member) return { group, member };
  }
  throw autoScalingErrors.instanceNotManaged(instanceId);
}

export async function recordActivity(
  ctx: ActionContext,
  group: AutoScalingGroupDocument,
  a: Omit<ScalingActivityDocument, 'activityId' | 'autoScalingGroupName' | 'autoScalingGroupARN'>,
  activityId: string = randomUUID(),
): Promise<ScalingActivityDocument> {
  const doc: ScalingActivityDocument = {
    activityId,
    autoScalingGroupName: group.autoScalingGroupName,
    autoScalingGroupARN: group.autoScalingGroupARN,
    ...a,
  };
  try {
    await ctx.store.documents.insert(ctx.scope, 'scaling-activity', { name: doc.activityId, parent: group.autoScalingGroupName, data: doc });
  } catch (e) {
    // A given id (a launch claim's) recorded already by the other node finishing the same launch: one activity.
    if (!(e instanceof DuplicateDocumentError)) throw e;
    return (await ctx.store.documents.get<ScalingActivityDocument>(ctx.scope, 'scaling-activity', activityId)) ?? doc;
  }
  return doc;
}

/** Moves the EC2 instance to shutting-down (then terminated), as TerminateInstances does. */
export async function terminateEc2Instance(ctx: ActionContext, instanceId: string): Promise<void> {
  const [before] = await ctx.store.instances.list(ctx.scope, [instanceId]);
  if (!before || before.state === 'terminated' || before.state === 'shutting-down') return;
  const next = await ctx.store.instances.update(ctx.scope, instanceId, (x) =>
    x.state === 'terminated' || x.state === 'shutting-down' ? x : { ...x, state: 'shutting-down', stateTransitionReason: userInitiated(ctx.now()) },
  );
  if (next?.state === 'shutting-down') await ctx.runtime.terminate(ctx.scope, instanceId);
}

/** Updates a group document; a group deleted meanwhile is AWS's "not found". */
export async function changeGroup(
  ctx: ActionContext,
  name: string,
  change: (g: AutoScalingGroupDocument) => AutoScalingGroupDocument,
): Promise<AutoScalingGroupDocument> {
  const next = await ctx.store.documents.update<AutoScalingGroupDocument>(ctx.scope, 'auto-scaling-group', name, change);
  if (!next) throw autoScalingErrors.groupNotFound(name);
  return next;
}

/** Activities a deleted group leaves for DescribeScalingActivities IncludeDeletedGroups (AWS keeps six weeks). */
export const DELETED_GROUP_ACTIVITIES = 100;

/**
 * Deletes a group's document; its newest activities stay (IncludeDeletedGroups shows them; they
 * name the deleted group's ARN, so a new group of the same name does not inherit them).
 */
export async function deleteGroupDocument(ctx: ActionContext, name: string): Promise<void> {
  await ctx.store.documents.delete(ctx.scope, 'auto-scaling-group', name);
  const all = await ctx.store.documents.list<ScalingActivityDocument>(ctx.scope, 'scaling-activity', { parent: name });
  for (const a of all.slice(0, Math.max(0, all.length - DELETED_GROUP_ACTIVITIES))) await ctx.store.documents.delete(ctx.scope, 'scaling-activity', a.activityId);
}
