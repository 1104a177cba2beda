// SetInstanceProtection: members protected from scale in are never picked when the group shrinks.
import { autoScalingErrors } from '../../errors/autoscaling-messages.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { changeGroup, findGroup } from './groups.js';
import { visibleMembers } from './views.js';

export default defineAction(
  'SetInstanceProtection',
  {
    instanceIds: fields.list('InstanceIds.member', { required: true }),
    autoScalingGroupName: fields.string('AutoScalingGroupName', { required: true }),
    protectedFromScaleIn: fields.boolean('ProtectedFromScaleIn'),
  },
  async (ctx, input) => {
    if (input.protectedFromScaleIn === undefined) throw autoScalingErrors.memberNull('protectedFromScaleIn');
    const g = await findGroup(ctx, input.autoScalingGroupName);
    const members = new Set(visibleMembers(g).map((m) => m.instanceId));
    const stranger = input.instanceIds.find((id) => !members.has(id));
    if (stranger) throw autoScalingErrors.notInGroup(stranger, g.autoScalingGroupName);
    await changeGroup(ctx, g.autoScalingGroupName, (x) => ({
      ...x,
      members: x.members.map((m) => (input.instanceIds.includes(m.instanceId) ? { ...m, protectedFromScaleIn: input.protectedFromScaleIn! } : m)),
    }));
    return {};
  },
);
