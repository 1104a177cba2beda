// DeletePolicy: removes a group's policy (by name or ARN).
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { changeGroup } from './groups.js';
import { policyGroup } from './policy-group.js';
import { findPolicy } from './policies.js';

export default defineAction(
  'DeletePolicy',
  {
    autoScalingGroupName: fields.string('AutoScalingGroupName'),
    policyName: fields.string('PolicyName', { required: true }),
  },
  async (ctx, input) => {
    const g = await policyGroup(ctx, input.autoScalingGroupName, input.policyName);
    const p = findPolicy(g, input.policyName);
    await changeGroup(ctx, g.autoScalingGroupName, (x) => ({ ...x, policies: (x.policies ?? []).filter((y) => y.policyName !== p.policyName) }));
    return {};
  },
);
