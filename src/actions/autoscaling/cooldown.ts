// HonorCooldown (SetDesiredCapacity; ExecutePolicy of a simple scaling policy): refused while a
// scaling activity of the group is under way, or within the cooldown that follows the last one
// (AWS starts a cooldown when the activity completes: the Auto Scaling user guide's cooldowns).
import { autoScalingErrors } from '../../errors/autoscaling-messages.js';
import type { AutoScalingGroupDocument, ScalingActivityDocument } from '../../domain/autoscaling.js';
import type { ActionContext } from '../context.js';

const DONE = new Set(['Successful', 'Failed', 'Cancelled']);

export async function checkCooldown(ctx: ActionContext, g: AutoScalingGroupDocument, cooldownSeconds: number): Promise<void> {
  // A launch claimed and not yet recorded is an activity under way (its token is the activity's id).
  const claim = g.launchClaims?.[0];
  if (claim) throw autoScalingErrors.scalingActivityInProgress(claim.token);
  const all = await ctx.store.documents.list<ScalingActivityDocument>(ctx.scope, 'scaling-activity', { parent: g.autoScalingGroupName });
  // A deleted group's activities stay under its name: only this group's count.
  const mine = all.filter((a) => a.autoScalingGroupARN === g.autoScalingGroupARN);
  const now = ctx.now().getTime();
  const running = mine.find((a) => !DONE.has(a.statusCode));
  const cooling = mine.filter((a) => a.endTime !== undefined && now - Date.parse(a.endTime) < cooldownSeconds * 1000).at(-1);
  const blocking = running ?? cooling;
  if (blocking) throw autoScalingErrors.scalingActivityInProgress(blocking.activityId);
}
