// ExecutePolicy: runs a simple or step policy now: the desired capacity changes by its adjustment
// (a step policy picks the step for MetricValue − BreachThreshold), within min and max, and the
// reconciler launches or terminates as for any change. HonorCooldown (simple scaling policies, as
// AWS defines it; step policies have no cooldown) refuses during a scaling activity or the
// policy's Cooldown (else the group's DefaultCooldown) after it.
import { Ec2Error } from '../../errors/ec2-error.js';
import { autoScalingErrors } from '../../errors/autoscaling-messages.js';
import { causes } from '../../domain/autoscaling.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { changeGroup } from './groups.js';
import { policyGroup } from './policy-group.js';
import { adjustedCapacity, findPolicy, stepFor } from './policies.js';
import { checkCooldown } from './cooldown.js';

export default defineAction(
  'ExecutePolicy',
  {
    autoScalingGroupName: fields.string('AutoScalingGroupName'),
    policyName: fields.string('PolicyName', { required: true }),
    honorCooldown: fields.boolean('HonorCooldown'),
    metricValue: fields.string('MetricValue'),
    breachThreshold: fields.string('BreachThreshold'),
  },
  async (ctx, input) => {
    const g = await policyGroup(ctx, input.autoScalingGroupName, input.policyName);
    const p = findPolicy(g, input.policyName);
    if (p.policyType !== 'SimpleScaling' && p.policyType !== 'StepScaling') throw autoScalingErrors.policyNotExecutable(p.policyType);
    let adjustment = p.scalingAdjustment ?? 0;
    if (p.policyType === 'StepScaling') {
      if (input.metricValue === undefined || input.breachThreshold === undefined) throw autoScalingErrors.metricValueRequired();
      const metric = Number(input.metricValue);
      const threshold = Number(input.breachThreshold);
      if (!Number.isFinite(metric) || !Number.isFinite(threshold)) throw Ec2Error.withMessage('ValidationError', 'MetricValue and BreachThreshold must be numbers.');
      const step = stepFor(p.stepAdjustments, metric, threshold);
      if (!step) throw autoScalingErrors.noStepForMetric(metric);
      adjustment = step.scalingAdjustment;
    }
    const now = ctx.now();
    if (input.honorCooldown && p.policyType === 'SimpleScaling') await checkCooldown(ctx, g, p.cooldown ?? g.defaultCooldown);
    await changeGroup(ctx, g.autoScalingGroupName, (x) => {
      const desired = adjustedCapacity(x, p, adjustment);
      if (desired === x.desiredCapacity) return x;
      return { ...x, desiredCapacity: desired, pendingCause: causes.executedPolicy(now, p.policyName, x.desiredCapacity, desired) };
    });
    ctx.autoScaling.wake();
    return {};
  },
);
