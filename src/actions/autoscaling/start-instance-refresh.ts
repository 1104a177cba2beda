// StartInstanceRefresh: replaces the group's instances, a few at a time (MinHealthyPercentage,
// default 90%), each through the reconciler's usual terminate-and-launch. A DesiredConfiguration
// with a LaunchTemplate or MixedInstancesPolicy becomes the group's launch source at once (the
// replacements launch from it; AWS records it on the group when the refresh succeeds);
// SkipMatching leaves members already on the desired launch template alone.
import { randomUUID } from 'node:crypto';
import { Ec2Error } from '../../errors/ec2-error.js';
import { autoScalingErrors } from '../../errors/autoscaling-messages.js';
import type { InstanceRefreshDocument } from '../../domain/autoscaling.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { changeGroup, findGroup } from './groups.js';
import { getNumber, getString, unflatten } from './nested.js';
import { checkLaunchTemplate } from './launch-source.js';
import { checkMixedInstancesPolicy } from './mixed-instances.js';
import { visibleMembers } from './views.js';

export const ACTIVE_REFRESH = new Set(['Pending', 'InProgress', 'Cancelling']);

export default defineAction(
  'StartInstanceRefresh',
  {
    autoScalingGroupName: fields.string('AutoScalingGroupName', { required: true }),
    strategy: fields.enum('Strategy', ['Rolling', 'ReplaceRootVolume'] as const),
    desiredConfiguration: fields.rest('DesiredConfiguration'),
    preferences: fields.rest('Preferences'),
  },
  async (ctx, input) => {
    const strategy = input.strategy ?? 'Rolling';
    // Root-volume replacement needs the instances' root volumes swapped in place: not modelled, refused.
    if (strategy !== 'Rolling') throw Ec2Error.withMessage('ValidationError', `The strategy ${strategy} is not supported here.`);
    const preferences = unflatten(input.preferences);
    const desired = unflatten(input.desiredConfiguration);
    const minHealthy = getNumber(preferences, 'MinHealthyPercentage');
    if (minHealthy !== undefined && (minHealthy < 0 || minHealthy > 100)) {
      throw Ec2Error.withMessage('ValidationError', `MinHealthyPercentage ${minHealthy} must be between 0 and 100.`);
    }
    const g = await findGroup(ctx, input.autoScalingGroupName);
    if ((g.instanceRefreshes ?? []).some((r) => ACTIVE_REFRESH.has(r.status))) throw autoScalingErrors.refreshInProgress();
    const lt = desired && (getString(desired, 'LaunchTemplate', 'LaunchTemplateId') || getString(desired, 'LaunchTemplate', 'LaunchTemplateName'));
    const template = lt
      ? await checkLaunchTemplate(ctx, {
          launchTemplateId: getString(desired, 'LaunchTemplate', 'LaunchTemplateId'),
          launchTemplateName: getString(desired, 'LaunchTemplate', 'LaunchTemplateName'),
          version: getString(desired, 'LaunchTemplate', 'Version'),
        })
      : undefined;
    // A DesiredConfiguration.MixedInstancesPolicy is checked and applied as CreateAutoScalingGroup's.
    const mixedFlat = Object.fromEntries(
      Object.entries(input.desiredConfiguration)
        .filter(([k]) => k.startsWith('MixedInstancesPolicy.'))
        .map(([k, v]) => [k.slice('MixedInstancesPolicy.'.length), v]),
    );
    const mixed = template ? undefined : await checkMixedInstancesPolicy(ctx, mixedFlat);
    const skipMatching = getString(preferences, 'SkipMatching') === 'true';
    const matches = (m: { launchTemplate?: { launchTemplateId: string; version?: string } }) =>
      skipMatching && !!m.launchTemplate && m.launchTemplate.launchTemplateId === (template ?? g.launchTemplate)?.launchTemplateId && m.launchTemplate.version === (template ?? g.launchTemplate)?.version;
    const refresh: InstanceRefreshDocument = {
      instanceRefreshId: randomUUID(),
      status: 'Pending',
      startTime: ctx.now().toISOString(),
      toReplace: visibleMembers(g).filter((m) => !m.lifecycleState.startsWith('Terminating') && !matches(m)).map((m) => m.instanceId),
      preferences,
      desiredConfiguration: desired,
      strategy,
    };
    await changeGroup(ctx, g.autoScalingGroupName, (x) => {
      if ((x.instanceRefreshes ?? []).some((r) => ACTIVE_REFRESH.has(r.status))) throw autoScalingErrors.refreshInProgress();
      // The desired launch template is what replacements launch from (AWS applies it to the group on success).
      return {
        ...x,
        ...(template ? { launchTemplate: template, mixedInstancesPolicy: undefined, launchConfigurationName: undefined, launchFailures: 0, nextLaunchAt: undefined } : {}),
        ...(mixed ? { launchTemplate: mixed.template, mixedInstancesPolicy: mixed.policy, launchConfigurationName: undefined, launchFailures: 0, nextLaunchAt: undefined } : {}),
        instanceRefreshes: [...(x.instanceRefreshes ?? []).slice(-49), refresh],
      };
    });
    ctx.autoScaling.wake();
    return { InstanceRefreshId: refresh.instanceRefreshId };
  },
);
