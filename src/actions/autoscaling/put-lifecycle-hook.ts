// PutLifecycleHook: creates or changes a hook on launching or terminating instances. While a
// member waits on it (Pending:Wait / Terminating:Wait) the reconciler holds the member until
// CompleteLifecycleAction, or until HeartbeatTimeout passes (then DefaultResult applies).
import { Ec2Error } from '../../errors/ec2-error.js';
import { autoScalingErrors } from '../../errors/autoscaling-messages.js';
import type { LifecycleHookDocument } from '../../domain/autoscaling.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { changeGroup, findGroup } from './groups.js';

export default defineAction(
  'PutLifecycleHook',
  {
    lifecycleHookName: fields.string('LifecycleHookName', { required: true }),
    autoScalingGroupName: fields.string('AutoScalingGroupName', { required: true }),
    lifecycleTransition: fields.enum('LifecycleTransition', ['autoscaling:EC2_INSTANCE_LAUNCHING', 'autoscaling:EC2_INSTANCE_TERMINATING'] as const),
    roleARN: fields.string('RoleARN'),
    notificationTargetARN: fields.string('NotificationTargetARN'),
    notificationMetadata: fields.string('NotificationMetadata'),
    heartbeatTimeout: fields.integer('HeartbeatTimeout'),
    defaultResult: fields.enum('DefaultResult', ['CONTINUE', 'ABANDON'] as const),
  },
  async (ctx, input) => {
    if (input.heartbeatTimeout !== undefined && (input.heartbeatTimeout < 30 || input.heartbeatTimeout > 7200)) {
      throw autoScalingErrors.heartbeatOutOfRange(input.heartbeatTimeout);
    }
    const g = await findGroup(ctx, input.autoScalingGroupName);
    const existing = (g.lifecycleHooks ?? []).find((h) => h.lifecycleHookName === input.lifecycleHookName);
    const transition = input.lifecycleTransition ?? existing?.lifecycleTransition;
    // The transition is required when the hook is new (API reference); wording unconfirmed
    if (!transition) throw Ec2Error.withMessage('ValidationError', 'LifecycleTransition is required to create a lifecycle hook.');
    const heartbeat = input.heartbeatTimeout ?? existing?.heartbeatTimeout ?? 3600;
    const hook: LifecycleHookDocument = {
      lifecycleHookName: input.lifecycleHookName,
      lifecycleTransition: transition,
      roleARN: input.roleARN ?? existing?.roleARN,
      notificationTargetARN: input.notificationTargetARN ?? existing?.notificationTargetARN,
      notificationMetadata: input.notificationMetadata ?? existing?.notificationMetadata,
      heartbeatTimeout: heartbeat,
      // AWS: the global timeout is 100 times the heartbeat timeout or 48 hours, whichever is smaller
      globalTimeout: Math.min(heartbeat * 100, 172800),
      defaultResult: input.defaultResult ?? existing?.defaultResult ?? 'ABANDON',
    };
    await changeGroup(ctx, g.autoScalingGroupName, (x) => ({
      ...x,
      lifecycleHooks: [...(x.lifecycleHooks ?? []).filter((h) => h.lifecycleHookName !== hook.lifecycleHookName), hook],
    }));
    return {};
  },
);
