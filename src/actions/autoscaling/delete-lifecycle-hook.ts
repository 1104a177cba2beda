// DeleteLifecycleHook: members waiting on it go on as if it had completed with its default result.
import { autoScalingErrors } from '../../errors/autoscaling-messages.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { changeGroup, findGroup } from './groups.js';
import { completeHook } from './lifecycle-hooks.js';

export default defineAction(
  'DeleteLifecycleHook',
  {
    lifecycleHookName: fields.string('LifecycleHookName', { required: true }),
    autoScalingGroupName: fields.string('AutoScalingGroupName', { required: true }),
  },
  async (ctx, input) => {
    const g = await findGroup(ctx, input.autoScalingGroupName);
    const hook = (g.lifecycleHooks ?? []).find((h) => h.lifecycleHookName === input.lifecycleHookName);
    if (!hook) throw autoScalingErrors.hookNotFound(input.lifecycleHookName, g.autoScalingGroupName);
    await changeGroup(ctx, g.autoScalingGroupName, (x) => ({
      ...x,
      lifecycleHooks: (x.lifecycleHooks ?? []).filter((h) => h.lifecycleHookName !== hook.lifecycleHookName),
      members: x.members.map((m) => (m.hookWait?.pending.some((p) => p.hookName === hook.lifecycleHookName) ? completeHook(m, hook.lifecycleHookName, hook.defaultResult) : m)),
    }));
    ctx.autoScaling.wake();
    return {};
  },
);
