// MixedInstancesPolicy: a launch template with instance-type overrides and an on-demand/Spot
// distribution. Stored as sent, with what AWS fills in (the template's id beside its name, empty
// Overrides, the default InstancesDistribution: moto's AWS-verified test). Launches take the
// overrides in priority order, spreading members over them; every instance is launched on-demand
// (there is no Spot market here: the Spot part of the distribution is stored, not applied).
import { Ec2Error } from '../../errors/ec2-error.js';
import type { AutoScalingGroupDocument, LaunchTemplateRef, NestedDoc } from '../../domain/autoscaling.js';
import type { ActionContext } from '../context.js';
import { checkLaunchTemplate } from './launch-source.js';
import { get, getList, getNumber, getString, unflatten } from './nested.js';
import { autoScalingErrors } from '../../errors/autoscaling-messages.js';

const invalid = (message: string) => Ec2Error.withMessage('ValidationError', message);

export const DEFAULT_DISTRIBUTION: NestedDoc = {
  OnDemandAllocationStrategy: 'prioritized',
  OnDemandBaseCapacity: '0',
  OnDemandPercentageAboveBaseCapacity: '100',
  SpotAllocationStrategy: 'lowest-price',
  SpotInstancePools: '2',
};

/** Validates a MixedInstancesPolicy (flat wire members) and returns it as stored, with its template. */
export async function checkMixedInstancesPolicy(
  ctx: ActionContext,
  flat: Record<string, string>,
): Promise<{ policy: NestedDoc; template: LaunchTemplateRef } | undefined> {
  const policy = unflatten(flat);
  if (!policy) return undefined;
  const spec = get(policy, 'LaunchTemplate', 'LaunchTemplateSpecification');
  const id = getString(spec, 'LaunchTemplateId');
  const name = getString(spec, 'LaunchTemplateName');
  if (!id === !name) throw autoScalingErrors.templateIdAndName();
  const template = await checkLaunchTemplate(ctx, { launchTemplateId: id, launchTemplateName: name, version: getString(spec, 'Version') });
  const overrides = getList(policy, 'LaunchTemplate', 'Overrides');
  for (const o of overrides) {
    const w = getString(o, 'WeightedCapacity');
    // API reference: 1–999; wording unconfirmed
    if (w !== undefined && !(/^\d+$/.test(w) && Number(w) >= 1 && Number(w) <= 999)) throw invalid(`WeightedCapacity ${w} must be an integer from 1 to 999.`);
    const own = get(o, 'LaunchTemplateSpecification');
    if (own) {
      await checkLaunchTemplate(ctx, {
        launchTemplateId: getString(own, 'LaunchTemplateId'),
        launchTemplateName: getString(own, 'LaunchTemplateName'),
        version: getString(own, 'Version'),
      });
    }
  }
  const dist = get(policy, 'InstancesDistribution');
  const base = getNumber(dist, 'OnDemandBaseCapacity');
  const pct = getNumber(dist, 'OnDemandPercentageAboveBaseCapacity');
  if (base !== undefined && base < 0) throw invalid(`OnDemandBaseCapacity ${base} must be 0 or more.`);
  if (pct !== undefined && (pct < 0 || pct > 100)) throw invalid(`OnDemandPercentageAboveBaseCapacity ${pct} must be between 0 and 100.`);
  const launchTemplate = {
    LaunchTemplateSpecification: {
      LaunchTemplateId: template.launchTemplateId,
      LaunchTemplateName: template.launchTemplateName,
      ...(getString(spec, 'Version') !== undefined ? { Version: getString(spec, 'Version')! } : {}),
    },
    Overrides: overrides,
  };
  return {
    policy: { ...policy, LaunchTemplate: launchTemplate, InstancesDistribution: (dist as NestedDoc | undefined) ?? DEFAULT_DISTRIBUTION },
    template,
  };
}

/**
 * The override the next launch uses. Both on-demand strategies take the first override (there are
 * no prices or capacity shortages here, so "prioritized" and "lowest-price" agree on the list order).
 */
export function nextOverride(g: AutoScalingGroupDocument): { instanceType?: string; weightedCapacity?: number } {
  const first = getList(g.mixedInstancesPolicy, 'LaunchTemplate', 'Overrides')[0];
  if (!first) return {};
  const w = getNumber(first, 'WeightedCapacity');
  return { instanceType: getString(first, 'InstanceType'), ...(w !== undefined ? { weightedCapacity: w } : {}) };
}
