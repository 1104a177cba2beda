// RecordLifecycleActionHeartbeat: restarts a waiting member's heartbeat timeout for one hook.
import type { AutoScalingGroupDocument } from '../../domain/autoscaling.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { changeGroup, findGroup } from './groups.js';
import { waitingMember } from './lifecycle-hooks.js';

export default defineAction(
  'RecordLifecycleActionHeartbeat',
  {
    lifecycleHookName: fields.string('LifecycleHookName', { required: true }),
    autoScalingGroupName: fields.string('AutoScalingGroupName', { required: true }),
    lifecycleActionToken: fields.string('LifecycleActionToken'),
    instanceId: fields.string('InstanceId'),
  },
  async (ctx, input) => {
    const g = await findGroup(ctx, input.autoScalingGroupName);
    const m = waitingMember(g, input.lifecycleHookName, input.instanceId, input.lifecycleActionToken);
    const hook = (g.lifecycleHooks ?? []).find((h) => h.lifecycleHookName === input.lifecycleHookName);
    const deadline = new Date(ctx.now().getTime() + (hook?.heartbeatTimeout ?? 3600) * 1000).toISOString();
    await changeGroup(ctx, g.autoScalingGroupName, (x: AutoScalingGroupDocument) => ({
      ...x,
      members: x.members.map((y) =>
        y.instanceId === m.instanceId && y.hookWait
          ? { ...y, hookWait: { ...y.hookWait, pending: y.hookWait.pending.map((p) => (p.hookName === input.lifecycleHookName ? { ...p, deadline } : p)) } }
          : y,
      ),
    }));
    return {};
  },
);
