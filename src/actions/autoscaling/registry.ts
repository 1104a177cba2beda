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

// issue 23 (helper ebsasg)
import cancelInstanceRefresh from './cancel-instance-refresh.js';
import completeLifecycleAction from './complete-lifecycle-action.js';
import deleteLifecycleHook from './delete-lifecycle-hook.js';
import deletePolicy from './delete-policy.js';
import describeInstanceRefreshes from './describe-instance-refreshes.js';
import describeLifecycleHookTypes from './describe-lifecycle-hook-types.js';
import describeLifecycleHooks from './describe-lifecycle-hooks.js';
import describePolicies from './describe-policies.js';
import executePolicy from './execute-policy.js';
import putLifecycleHook from './put-lifecycle-hook.js';
import putScalingPolicy from './put-scaling-policy.js';
import recordLifecycleActionHeartbeat from './record-lifecycle-action-heartbeat.js';
import resumeProcesses from './resume-processes.js';
import startInstanceRefresh from './start-instance-refresh.js';
import suspendProcesses from './suspend-processes.js';

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
  // issue 23 (helper ebsasg)
  suspendProcesses,
  resumeProcesses,
  putScalingPolicy,
  describePolicies,
  deletePolicy,
  executePolicy,
  putLifecycleHook,
  describeLifecycleHooks,
  describeLifecycleHookTypes,
  deleteLifecycleHook,
  completeLifecycleAction,
  recordLifecycleActionHeartbeat,
  startInstanceRefresh,
  describeInstanceRefreshes,
  cancelInstanceRefresh,
]);

/**
 * Actions whose answer is an empty structure (the model's `…Answer` with a result wrapper): they
 * answer `<XResult/>`, which the CLI reads, rather than the void operations' bare ResponseMetadata.
 */
export const EMPTY_RESULT_ACTIONS: ReadonlySet<string> = new Set(['PutLifecycleHook', 'DeleteLifecycleHook', 'CompleteLifecycleAction', 'RecordLifecycleActionHeartbeat', 'SetInstanceProtection']);
