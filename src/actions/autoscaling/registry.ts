// The Auto Scaling service's actions (answered in its own Query dialect by protocol/autoscaling-query.ts).
import { ActionRegistry } from '../registry.js';
import createAutoScalingGroup from './create-auto-scaling-group.js';
import createLaunchConfiguration from './create-launch-configuration.js';
import createOrUpdateTags from './create-or-update-tags.js';
import deleteAutoScalingGroup from './delete-auto-scaling-group.js';
import deleteLaunchConfiguration from './delete-launch-configuration.js';
import deleteTags from './delete-tags.js';
import describeAutoScalingGroups from './describe-auto-scaling-groups.js';
import describeAutoScalingInstances from './describe-auto-scaling-instances.js';
import describeLaunchConfigurations from './describe-launch-configurations.js';
import describeScalingActivities from './describe-scaling-activities.js';
import describeTags from './describe-tags.js';
import setDesiredCapacity from './set-desired-capacity.js';
import setInstanceHealth from './set-instance-health.js';
import setInstanceProtection from './set-instance-protection.js';
import terminateInstanceInAutoScalingGroup from './terminate-instance-in-auto-scaling-group.js';
import updateAutoScalingGroup from './update-auto-scaling-group.js';

export const autoScalingActions = new ActionRegistry([
  createLaunchConfiguration,
  describeLaunchConfigurations,
  deleteLaunchConfiguration,
  createAutoScalingGroup,
  updateAutoScalingGroup,
  describeAutoScalingGroups,
  setDesiredCapacity,
  terminateInstanceInAutoScalingGroup,
  setInstanceHealth,
  setInstanceProtection,
  describeAutoScalingInstances,
  describeScalingActivities,
  deleteAutoScalingGroup,
  createOrUpdateTags,
  describeTags,
  deleteTags,
]);
