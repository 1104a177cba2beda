// CreateAutoScalingGroup: from a launch configuration, a launch template or a MixedInstancesPolicy;
// sizes, zones, tags.
// The reconciler then launches DesiredCapacity instances.
import { vpcZones } from '../network/group-subnets.js';
import { randomUUID } from 'node:crypto';
import { autoScalingErrors } from '../../errors/autoscaling-messages.js';
import { causes, groupArn, type AutoScalingGroupDocument } from '../../domain/autoscaling.js';
import { DuplicateDocumentError } from '../../store/port.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkLaunchConfiguration, checkLaunchTemplate } from './launch-source.js';
import { checkMixedInstancesPolicy } from './mixed-instances.js';
import { configurationFromInstance, sourceInstance, type InstanceConfiguration } from './configuration-from-instance.js';
import { launchConfigurationArn, type LaunchConfigurationDocument } from '../../domain/autoscaling.js';
import { checkSizes, groupSettingsFields, groupTags, groupZones, hasLaunchTemplate, launchTemplateField, tagsField } from './group-input.js';

export default defineAction(
  'CreateAutoScalingGroup',
  {
    autoScalingGroupName: fields.string('AutoScalingGroupName', { required: true }),
    launchConfigurationName: fields.string('LaunchConfigurationName'),
    launchTemplate: launchTemplateField,
    mixedInstancesPolicy: fields.rest('MixedInstancesPolicy'),
    instanceId: fields.string('InstanceId'),
    minSize: fields.integer('MinSize', { required: true }),
    maxSize: fields.integer('MaxSize', { required: true }),
    ...groupSettingsFields,
    serviceLinkedRoleARN: fields.string('ServiceLinkedRoleARN'),
    tags: tagsField,
  },
  async (ctx, input) => {
    const hasTemplate = hasLaunchTemplate(input.launchTemplate);
    const hasMixed = Object.keys(input.mixedInstancesPolicy).length > 0;
    const sources = [input.launchConfigurationName !== undefined, hasTemplate, hasMixed, input.instanceId !== undefined].filter(Boolean).length;
    if (sources !== 1) throw autoScalingErrors.oneLaunchSource();
    const desired = input.desiredCapacity ?? input.minSize;
    checkSizes(input.minSize, input.maxSize, desired);
    // InstanceId: the group's launch configuration (its own name) and, unless given, its subnet come from the instance
    const source = input.instanceId !== undefined ? await sourceInstance(ctx, input.instanceId) : undefined;
    const vpcZoneIdentifier = input.vpcZoneIdentifier ?? (source && !input.availabilityZones.length ? source.subnetId : undefined);
    const availabilityZones = source && !vpcZoneIdentifier && !input.availabilityZones.length ? [source.availabilityZone] : input.availabilityZones;
    const zones = (await vpcZones(ctx, vpcZoneIdentifier)) ?? groupZones(ctx.scope.region, availabilityZones, vpcZoneIdentifier);
    const tags = groupTags(input.tags);
    const mixed = hasMixed ? await checkMixedInstancesPolicy(ctx, input.mixedInstancesPolicy) : undefined;
    const launchTemplate = hasTemplate ? await checkLaunchTemplate(ctx, input.launchTemplate!) : mixed?.template;
    if (input.launchConfigurationName !== undefined) await checkLaunchConfiguration(ctx, input.launchConfigurationName);
    const now = ctx.now();
    const name = input.autoScalingGroupName;
    if (source) await createInstanceConfiguration(ctx, name, await configurationFromInstance(ctx, source));
    const launchConfigurationName = source ? name : input.launchConfigurationName;
    const group: AutoScalingGroupDocument = {
      autoScalingGroupName: name,
      autoScalingGroupARN: groupArn(ctx.scope.region, ctx.scope.accountId, randomUUID(), name),
      launchConfigurationName,
      launchTemplate,
      minSize: input.minSize,
      maxSize: input.maxSize,
      desiredCapacity: desired,
      defaultCooldown: input.defaultCooldown ?? 300,
      availabilityZones: zones,
      vpcZoneIdentifier,
      healthCheckType: input.healthCheckType ?? 'EC2',
      healthCheckGracePeriod: input.healthCheckGracePeriod ?? 0,
      createdTime: now.toISOString(),
      tags,
      terminationPolicies: input.terminationPolicies.length ? input.terminationPolicies : ['Default'],
      newInstancesProtectedFromScaleIn: input.newInstancesProtectedFromScaleIn ?? false,
      capacityRebalance: input.capacityRebalance ?? false,
      members: [],
      pendingCause: desired > 0 ? causes.created(now, desired) : undefined,
      launchFailures: 0,
      mixedInstancesPolicy: mixed?.policy,
    };
    try {
      await ctx.store.documents.insert(ctx.scope, 'auto-scaling-group', { name, data: group });
    } catch (e) {
      if (source) await ctx.store.documents.delete(ctx.scope, 'launch-configuration', name).catch(() => {}); // nothing half-made
      if (e instanceof DuplicateDocumentError) throw autoScalingErrors.groupExists(name);
      throw e;
    }
    ctx.autoScaling.wake();
    return {};
  },
);

/** The launch configuration a group made from an instance uses: named after the group. */
async function createInstanceConfiguration(ctx: Parameters<typeof checkLaunchConfiguration>[0], name: string, c: InstanceConfiguration): Promise<void> {
  const doc: LaunchConfigurationDocument = {
    ...c,
    launchConfigurationName: name,
    launchConfigurationARN: launchConfigurationArn(ctx.scope.region, ctx.scope.accountId, randomUUID(), name),
    createdTime: ctx.now().toISOString(),
  };
  try {
    await ctx.store.documents.insert(ctx.scope, 'launch-configuration', { name, data: doc });
  } catch (e) {
    if (e instanceof DuplicateDocumentError) throw autoScalingErrors.launchConfigurationExists(name);
    throw e;
  }
}
