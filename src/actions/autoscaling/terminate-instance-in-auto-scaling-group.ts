// TerminateInstanceInAutoScalingGroup: ends one member now. Without ShouldDecrementDesiredCapacity
// the reconciler launches a replacement; with it the group shrinks (never below MinSize).
import { autoScalingErrors } from '../../errors/autoscaling-messages.js';
import { activityDetails, causes, descriptions } from '../../domain/autoscaling.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { changeGroup, findMember, recordActivity, terminateEc2Instance } from './groups.js';
import { subnetOf } from './group-input.js';
import { activityXml } from './views.js';
import { hooksOn, startWait } from './lifecycle-hooks.js';

export default defineAction(
  'TerminateInstanceInAutoScalingGroup',
  {
    instanceId: fields.string('InstanceId', { required: true }),
    shouldDecrementDesiredCapacity: fields.boolean('ShouldDecrementDesiredCapacity'),
  },
  async (ctx, input) => {
    if (input.shouldDecrementDesiredCapacity === undefined) throw autoScalingErrors.memberNull('shouldDecrementDesiredCapacity');
    const { group, member } = await findMember(ctx, input.instanceId);
    const decrement = input.shouldDecrementDesiredCapacity;
    if (decrement && group.desiredCapacity <= group.minSize) throw autoScalingErrors.wouldViolateMin(group.minSize);
    const now = ctx.now();
    const cause = decrement
      ? causes.userTerminateShrinking(now, member.instanceId, group.desiredCapacity, group.desiredCapacity - 1)
      : causes.userTerminate(now, member.instanceId);
    // Terminating lifecycle hooks hold the instance (Terminating:Wait) until completed; the reconciler then terminates it.
    const hooks = hooksOn(group, 'autoscaling:EC2_INSTANCE_TERMINATING');
    const activity = await recordActivity(ctx, group, {
      description: descriptions.terminating(member.instanceId),
      cause,
      startTime: now.toISOString(),
      statusCode: hooks.length ? 'MidLifecycleAction' : 'InProgress',
      progress: 0,
      details: activityDetails(member.availabilityZone, subnetOf(group.vpcZoneIdentifier, group.availabilityZones, member.availabilityZone)),
    });
    await changeGroup(ctx, group.autoScalingGroupName, (g) => ({
      ...g,
      desiredCapacity: decrement ? g.desiredCapacity - 1 : g.desiredCapacity,
      members: g.members.map((m) =>
        m.instanceId === member.instanceId
          ? {
              ...m,
              lifecycleState: hooks.length ? 'Terminating:Wait' : 'Terminating',
              terminateActivityId: activity.activityId,
              outOfServiceCause: cause,
              ...(hooks.length ? { hookWait: startWait('autoscaling:EC2_INSTANCE_TERMINATING', hooks, now) } : {}),
            }
          : m,
      ),
    }));
    if (!hooks.length) await terminateEc2Instance(ctx, member.instanceId);
    ctx.autoScaling.wake();
    return { Activity: activityXml(activity) };
  },
);
