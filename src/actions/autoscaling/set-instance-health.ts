// SetInstanceHealth: a member marked Unhealthy is replaced by the reconciler.
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { changeGroup, findMember } from './groups.js';

export default defineAction(
  'SetInstanceHealth',
  {
    instanceId: fields.string('InstanceId', { required: true }),
    healthStatus: fields.enum('HealthStatus', ['Healthy', 'Unhealthy'] as const, { required: true }),
    shouldRespectGracePeriod: fields.boolean('ShouldRespectGracePeriod'),
  },
  async (ctx, input) => {
    const { group } = await findMember(ctx, input.instanceId);
    await changeGroup(ctx, group.autoScalingGroupName, (g) => ({
      ...g,
      members: g.members.map((m) => (m.instanceId === input.instanceId && m.lifecycleState !== 'Terminating' ? { ...m, healthStatus: input.healthStatus } : m)),
    }));
    ctx.autoScaling.wake();
    return {};
  },
);
