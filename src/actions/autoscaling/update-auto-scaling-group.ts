// UpdateAutoScalingGroup: sizes (desired follows new bounds when not given), launch source, zones,
// health check settings. The reconciler acts on the new desired capacity.
import { vpcZones } from '../network/group-subnets.js';
import { causes } from '../../domain/autoscaling.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkSizes, groupSettingsFields, groupZones, hasLaunchTemplate, launchTemplateField } from './group-input.js';
import { changeGroup } from './groups.js';
import { checkMixedInstancesPolicy } from './mixed-instances.js';
import { autoScalingErrors } from '../../errors/autoscaling-messages.js';
import type { AutoScalingGroupDocument } from '../../domain/autoscaling.js';
import { checkLaunchConfiguration, checkLaunchTemplate } from './launch-source.js';

export default defineAction(
  'UpdateAutoScalingGroup',
  {
    autoScalingGroupName: fields.string('AutoScalingGroupName', { required: true }),
    launchConfigurationName: fields.string('LaunchConfigurationName'),
    launchTemplate: launchTemplateField,
    mixedInstancesPolicy: fields.rest('MixedInstancesPolicy'),
    minSize: fields.integer('MinSize'),
    maxSize: fields.integer('MaxSize'),
    ...groupSettingsFields,
  },
  async (ctx, input) => {
    const current = await ctx.store.documents.get<AutoScalingGroupDocument>(ctx.scope, 'auto-scaling-group', input.autoScalingGroupName);
    if (!current) throw autoScalingErrors.groupNotFoundOnUpdate();
    const min = input.minSize ?? current.minSize;
    const max = input.maxSize ?? current.maxSize;
    // Without DesiredCapacity, AWS moves the desired capacity into the new bounds.
    const desired = input.desiredCapacity ?? Math.min(max, Math.max(min, current.desiredCapacity));
    checkSizes(min, max, desired);
    const zones =
      input.availabilityZones.length || input.vpcZoneIdentifier !== undefined
        ? ((await vpcZones(ctx, input.vpcZoneIdentifier)) ?? groupZones(ctx.scope.region, input.availabilityZones, input.vpcZoneIdentifier))
        : undefined;
    const hasTemplate = hasLaunchTemplate(input.launchTemplate);
    const mixed = Object.keys(input.mixedInstancesPolicy).length ? await checkMixedInstancesPolicy(ctx, input.mixedInstancesPolicy) : undefined;
    if ([hasTemplate, !!mixed, input.launchConfigurationName !== undefined].filter(Boolean).length > 1) throw autoScalingErrors.oneLaunchSource();
    const launchTemplate = hasTemplate ? await checkLaunchTemplate(ctx, input.launchTemplate!) : mixed?.template;
    if (input.launchConfigurationName !== undefined) await checkLaunchConfiguration(ctx, input.launchConfigurationName);
    const now = ctx.now();
    await changeGroup(ctx, input.autoScalingGroupName, (g) => ({
      ...g,
      minSize: min,
      maxSize: max,
      desiredCapacity: desired,
      pendingCause: desired !== g.desiredCapacity ? causes.updated(now, min, max, desired, g.desiredCapacity) : g.pendingCause,
      // A new launch source is a new chance: failures so far do not delay it.
      ...(launchTemplate ? { launchTemplate, mixedInstancesPolicy: mixed?.policy, launchConfigurationName: undefined, launchFailures: 0, nextLaunchAt: undefined } : {}),
      ...(input.launchConfigurationName !== undefined
        ? { launchConfigurationName: input.launchConfigurationName, launchTemplate: undefined, mixedInstancesPolicy: undefined, launchFailures: 0, nextLaunchAt: undefined }
        : {}),
      ...(zones ? { availabilityZones: zones, vpcZoneIdentifier: input.vpcZoneIdentifier } : {}),
      defaultCooldown: input.defaultCooldown ?? g.defaultCooldown,
      healthCheckType: input.healthCheckType ?? g.healthCheckType,
      healthCheckGracePeriod: input.healthCheckGracePeriod ?? g.healthCheckGracePeriod,
      terminationPolicies: input.terminationPolicies.length ? input.terminationPolicies : g.terminationPolicies,
      newInstancesProtectedFromScaleIn: input.newInstancesProtectedFromScaleIn ?? g.newInstancesProtectedFromScaleIn,
      capacityRebalance: input.capacityRebalance ?? g.capacityRebalance,
    }));
    ctx.autoScaling.wake();
    return {};
  },
);
