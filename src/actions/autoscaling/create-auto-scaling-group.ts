// CreateAutoScalingGroup: from a launch configuration or a launch template; sizes, zones, tags.
// The reconciler then launches DesiredCapacity instances.
import { randomUUID } from 'node:crypto';
import { autoScalingErrors } from '../../errors/autoscaling-messages.js';
import { causes, groupArn, type AutoScalingGroupDocument } from '../../domain/autoscaling.js';
import { DuplicateDocumentError } from '../../store/port.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkLaunchConfiguration, checkLaunchTemplate } from './launch-source.js';
import { checkSizes, groupSettingsFields, groupTags, groupZones, hasLaunchTemplate, launchTemplateField, tagsField } from './group-input.js';

export default defineAction(
  'CreateAutoScalingGroup',
  {
    autoScalingGroupName: fields.string('AutoScalingGroupName', { required: true }),
    launchConfigurationName: fields.string('LaunchConfigurationName'),
    launchTemplate: launchTemplateField,
    instanceId: fields.string('InstanceId'),
    minSize: fields.integer('MinSize', { required: true }),
    maxSize: fields.integer('MaxSize', { required: true }),
    ...groupSettingsFields,
    serviceLinkedRoleARN: fields.string('ServiceLinkedRoleARN'),
    tags: tagsField,
  },
  async (ctx, input) => {
    const hasTemplate = hasLaunchTemplate(input.launchTemplate);
    const sources = [input.launchConfigurationName !== undefined, hasTemplate, input.instanceId !== undefined].filter(Boolean).length;
    if (sources !== 1 || input.instanceId !== undefined) throw autoScalingErrors.oneLaunchSource();
    const desired = input.desiredCapacity ?? input.minSize;
    checkSizes(input.minSize, input.maxSize, desired);
    const zones = groupZones(ctx.scope.region, input.availabilityZones, input.vpcZoneIdentifier);
    const tags = groupTags(input.tags);
    const launchTemplate = hasTemplate ? await checkLaunchTemplate(ctx, input.launchTemplate!) : undefined;
    if (input.launchConfigurationName !== undefined) await checkLaunchConfiguration(ctx, input.launchConfigurationName);
    const now = ctx.now();
    const name = input.autoScalingGroupName;
    const group: AutoScalingGroupDocument = {
      autoScalingGroupName: name,
      autoScalingGroupARN: groupArn(ctx.scope.region, ctx.scope.accountId, randomUUID(), name),
      launchConfigurationName: input.launchConfigurationName,
      launchTemplate,
      minSize: input.minSize,
      maxSize: input.maxSize,
      desiredCapacity: desired,
      defaultCooldown: input.defaultCooldown ?? 300,
      availabilityZones: zones,
      vpcZoneIdentifier: input.vpcZoneIdentifier,
      healthCheckType: input.healthCheckType ?? 'EC2',
      healthCheckGracePeriod: input.healthCheckGracePeriod ?? 0,
      createdTime: now.toISOString(),
      tags,
      terminationPolicies: input.terminationPolicies.length ? input.terminationPolicies : ['Default'],
      newInstancesProtectedFromScaleIn: input.newInstancesProtectedFromScaleIn ?? false,
      members: [],
      pendingCause: desired > 0 ? causes.created(now, desired) : undefined,
      launchFailures: 0,
    };
    try {
      await ctx.store.documents.insert(ctx.scope, 'auto-scaling-group', { name, data: group });
    } catch (e) {
      if (e instanceof DuplicateDocumentError) throw autoScalingErrors.groupExists(name);
      throw e;
    }
    ctx.autoScaling.wake();
    return {};
  },
);
