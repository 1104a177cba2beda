// Scaling policies: how a policy's adjustment turns into a new desired capacity (ExecutePolicy),
// and their XML. Simple and step policies adjust capacity when executed; target tracking and
// predictive policies are stored and described (there are no CloudWatch alarms here to drive them).
import type { AutoScalingGroupDocument, ScalingPolicyDocument, StepAdjustment } from '../../domain/autoscaling.js';
import { autoScalingErrors } from '../../errors/autoscaling-messages.js';

/** The new desired capacity for an adjustment (the user guide's rules), clamped to min/max. */
export function adjustedCapacity(g: AutoScalingGroupDocument, p: ScalingPolicyDocument, adjustment: number): number {
  const current = g.desiredCapacity;
  let next: number;
  switch (p.adjustmentType ?? 'ChangeInCapacity') {
    case 'ExactCapacity':
      next = adjustment;
      break;
    case 'PercentChangeInCapacity': {
      // rounded toward zero, except that a change of less than 1 becomes 1 (or -1) — and at least MinAdjustmentMagnitude
      const raw = (current * adjustment) / 100;
      let change = raw > 0 ? Math.floor(raw) : Math.ceil(raw);
      if (change === 0 && raw !== 0) change = raw > 0 ? 1 : -1;
      if (p.minAdjustmentMagnitude && Math.abs(change) < p.minAdjustmentMagnitude) change = Math.sign(change) * p.minAdjustmentMagnitude;
      next = current + change;
      break;
    }
    default:
      next = current + adjustment;
  }
  return Math.min(g.maxSize, Math.max(g.minSize, next));
}

/** The step whose interval holds `metric - threshold` (lower bound inclusive, upper exclusive, as AWS defines them). */
export function stepFor(steps: readonly StepAdjustment[], metric: number, threshold: number): StepAdjustment | undefined {
  const diff = metric - threshold;
  return steps.find(
    (s) => (s.metricIntervalLowerBound === undefined || diff >= s.metricIntervalLowerBound) && (s.metricIntervalUpperBound === undefined || diff < s.metricIntervalUpperBound),
  );
}

export function findPolicy(g: AutoScalingGroupDocument, name: string): ScalingPolicyDocument {
  // A policy is named by its name or its ARN (PolicyName takes either).
  const p = (g.policies ?? []).find((x) => x.policyName === name || x.policyARN === name);
  if (!p) throw autoScalingErrors.policyNotFound(name, g.autoScalingGroupName);
  return p;
}

export function policyXml(g: AutoScalingGroupDocument, p: ScalingPolicyDocument) {
  return {
    AutoScalingGroupName: g.autoScalingGroupName,
    PolicyName: p.policyName,
    PolicyARN: p.policyARN,
    PolicyType: p.policyType,
    AdjustmentType: p.adjustmentType,
    MinAdjustmentStep: p.minAdjustmentMagnitude,
    MinAdjustmentMagnitude: p.minAdjustmentMagnitude,
    ScalingAdjustment: p.scalingAdjustment,
    Cooldown: p.cooldown,
    StepAdjustments: p.stepAdjustments.map((s) => ({
      MetricIntervalLowerBound: s.metricIntervalLowerBound,
      MetricIntervalUpperBound: s.metricIntervalUpperBound,
      ScalingAdjustment: s.scalingAdjustment,
    })),
    MetricAggregationType: p.metricAggregationType,
    EstimatedInstanceWarmup: p.estimatedInstanceWarmup,
    Alarms: [],
    TargetTrackingConfiguration: p.targetTrackingConfiguration,
    Enabled: p.enabled,
    PredictiveScalingConfiguration: p.predictiveScalingConfiguration,
  };
}
