// CompleteLifecycleAction: ends a member's wait on one hook with CONTINUE or ABANDON; the
// reconciler then brings it in service (or terminates it), or lets its termination go on.
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { changeGroup, findGroup } from './groups.js';
import { completeHook, waitingMember } from './lifecycle-hooks.js';

export default defineAction(
  'CompleteLifecycleAction',
  {
    lifecycleHookName: fields.string('LifecycleHookName', { required: true }),
    autoScalingGroupName: fields.string('AutoScalingGroupName', { required: true }),
    lifecycleActionToken: fields.string('LifecycleActionToken'),
    lifecycleActionResult: fields.enum('LifecycleActionResult', ['CONTINUE', 'ABANDON'] as const, { required: true }),
    instanceId: fields.string('InstanceId'),
  },
  async (ctx, input) => {
    const g = await findGroup(ctx, input.autoScalingGroupName);
    const m = waitingMember(g, input.lifecycleHookName, input.instanceId, input.lifecycleActionToken);
    await changeGroup(ctx, g.autoScalingGroupName, (x) => ({
      ...x,
      members: x.members.map((y) => (y.instanceId === m.instanceId && y.hookWait ? completeHook(y, input.lifecycleHookName, input.lifecycleActionResult) : y)),
    }));
    ctx.autoScaling.wake();
    return {};
  },
);
