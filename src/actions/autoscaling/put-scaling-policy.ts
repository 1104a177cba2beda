// PutScalingPolicy: creates or replaces a group's policy (simple, step, target tracking, predictive).
// Simple and step policies change the desired capacity when executed (ExecutePolicy); target
// tracking and predictive configurations are stored and described as sent.
import { randomUUID } from 'node:crypto';
import { Ec2Error } from '../../errors/ec2-error.js';
import type { ScalingPolicyDocument } from '../../domain/autoscaling.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { changeGroup, findGroup } from './groups.js';
import { unflatten } from './nested.js';
import { policyXml } from './policies.js';

const invalid = (message: string) => Ec2Error.withMessage('ValidationError', message);

export default defineAction(
  'PutScalingPolicy',
  {
    autoScalingGroupName: fields.string('AutoScalingGroupName', { required: true }),
    policyName: fields.string('PolicyName', { required: true }),
    policyType: fields.enum('PolicyType', ['SimpleScaling', 'StepScaling', 'TargetTrackingScaling', 'PredictiveScaling'] as const),
    adjustmentType: fields.enum('AdjustmentType', ['ChangeInCapacity', 'ExactCapacity', 'PercentChangeInCapacity'] as const),
    minAdjustmentStep: fields.integer('MinAdjustmentStep'),
    minAdjustmentMagnitude: fields.integer('MinAdjustmentMagnitude'),
    scalingAdjustment: fields.integer('ScalingAdjustment'),
    cooldown: fields.integer('Cooldown'),
    metricAggregationType: fields.enum('MetricAggregationType', ['Minimum', 'Maximum', 'Average'] as const),
    stepAdjustments: fields.structList('StepAdjustments.member', {
      metricIntervalLowerBound: fields.string('MetricIntervalLowerBound'),
      metricIntervalUpperBound: fields.string('MetricIntervalUpperBound'),
      scalingAdjustment: fields.integer('ScalingAdjustment'),
    }),
    estimatedInstanceWarmup: fields.integer('EstimatedInstanceWarmup'),
    enabled: fields.boolean('Enabled'),
    targetTrackingConfiguration: fields.rest('TargetTrackingConfiguration'),
    predictiveScalingConfiguration: fields.rest('PredictiveScalingConfiguration'),
  },
  async (ctx, input) => {
    const type = input.policyType ?? 'SimpleScaling';
    const sentTt = unflatten(input.targetTrackingConfiguration);
    // AWS fills in DisableScaleIn (false) when it is not sent (the AWS CLI's describe-policies example)
    const tt = sentTt && { ...sentTt, DisableScaleIn: sentTt.DisableScaleIn ?? 'false' };
    const ps = unflatten(input.predictiveScalingConfiguration);
    // Each type's members (the PutScalingPolicy reference); wordings unconfirmed unless noted.
    if (type === 'SimpleScaling' || type === 'StepScaling') {
      if (!input.adjustmentType) throw invalid(`AdjustmentType is required for policy type ${type}.`);
      if (tt || ps) throw invalid(`TargetTrackingConfiguration and PredictiveScalingConfiguration are not supported for policy type ${type}.`);
    }
    if (type === 'SimpleScaling') {
      if (input.scalingAdjustment === undefined) throw invalid('ScalingAdjustment is required for policy type SimpleScaling.');
      if (input.stepAdjustments.length) throw invalid('StepAdjustments are not supported for policy type SimpleScaling.');
    }
    if (type === 'StepScaling') {
      if (!input.stepAdjustments.length) throw invalid('StepAdjustments are required for policy type StepScaling.');
      if (input.scalingAdjustment !== undefined) throw invalid('ScalingAdjustment is not supported for policy type StepScaling.');
      if (input.cooldown !== undefined) throw invalid('Cooldown is not supported for policy type StepScaling.');
    }
    if (type === 'TargetTrackingScaling' && !tt) throw invalid('TargetTrackingConfiguration is required for policy type TargetTrackingScaling.');
    if (type === 'PredictiveScaling' && !ps) throw invalid('PredictiveScalingConfiguration is required for policy type PredictiveScaling.');
    if ((type === 'TargetTrackingScaling' || type === 'PredictiveScaling') && (input.adjustmentType || input.scalingAdjustment !== undefined || input.stepAdjustments.length)) {
      throw invalid(`AdjustmentType, ScalingAdjustment and StepAdjustments are not supported for policy type ${type}.`);
    }
    const num = (s: string | undefined, what: string) => {
      if (s === undefined) return undefined;
      const n = Number(s);
      if (s === '' || !Number.isFinite(n)) throw invalid(`Invalid value '${s}' for ${what}.`);
      return n;
    };
    const steps = input.stepAdjustments.map((s) => {
      if (s.scalingAdjustment === undefined) throw invalid("1 validation error detected: Value null at 'stepAdjustments.member.scalingAdjustment' failed to satisfy constraint: Member must not be null");
      return {
        metricIntervalLowerBound: num(s.metricIntervalLowerBound, 'MetricIntervalLowerBound'),
        metricIntervalUpperBound: num(s.metricIntervalUpperBound, 'MetricIntervalUpperBound'),
        scalingAdjustment: s.scalingAdjustment,
      };
    });
    const g = await findGroup(ctx, input.autoScalingGroupName);
    const existing = (g.policies ?? []).find((p) => p.policyName === input.policyName);
    const policy: ScalingPolicyDocument = {
      policyName: input.policyName,
      policyARN:
        existing?.policyARN ??
        `arn:aws:autoscaling:${ctx.scope.region}:${ctx.scope.accountId}:scalingPolicy:${randomUUID()}:autoScalingGroupName/${g.autoScalingGroupName}:policyName/${input.policyName}`,
      policyType: type,
      adjustmentType: input.adjustmentType,
      minAdjustmentMagnitude: input.minAdjustmentMagnitude ?? input.minAdjustmentStep,
      scalingAdjustment: input.scalingAdjustment,
      cooldown: input.cooldown,
      stepAdjustments: steps,
      metricAggregationType: input.metricAggregationType ?? (type === 'StepScaling' ? 'Average' : undefined),
      estimatedInstanceWarmup: input.estimatedInstanceWarmup,
      targetTrackingConfiguration: tt,
      predictiveScalingConfiguration: ps,
      enabled: input.enabled ?? true,
    };
    const next = await changeGroup(ctx, g.autoScalingGroupName, (x) => ({
      ...x,
      policies: [...(x.policies ?? []).filter((p) => p.policyName !== policy.policyName), policy],
    }));
    const xml = policyXml(next, policy);
    return { PolicyARN: xml.PolicyARN, Alarms: [] };
  },
);
