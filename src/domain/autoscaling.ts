// Auto Scaling's stored shapes (JSON documents: times as ISO strings) and the texts AWS writes in
// scaling activities. Sources: ../shared/spec B.1 and public captures of real activities
// (fixtures in Spinnaker/eksctl/SNS notifications): two spaces separate the Cause's sentences.

/** A large request structure kept as sent (actions/autoscaling/nested.ts): strings, structures, lists. */
export type NestedDoc = { [key: string]: NestedValue };
export type NestedValue = string | NestedDoc | NestedValue[];

export type LifecycleState =
  | 'Pending'
  | 'Pending:Wait'
  | 'Pending:Proceed'
  | 'InService'
  | 'Terminating'
  | 'Terminating:Wait'
  | 'Terminating:Proceed'
  | 'Terminated';
export type HealthStatus = 'Healthy' | 'Unhealthy';
export type ActivityStatus = 'InProgress' | 'Successful' | 'Failed' | 'Cancelled' | 'WaitingForInstanceId' | 'PreInService' | 'MidLifecycleAction';

export interface LaunchTemplateRef {
  launchTemplateId: string;
  launchTemplateName: string;
  /** As the group was given it: a number, `$Latest` or `$Default`; absent = `$Default`, and not shown (moto's AWS-verified test). */
  version?: string;
}

export interface LaunchConfigurationDocument {
  launchConfigurationName: string;
  launchConfigurationARN: string;
  imageId: string;
  instanceType: string;
  keyName?: string;
  securityGroups: string[];
  userData?: string;
  metadataOptions?: { httpTokens?: string; httpPutResponseHopLimit?: number; httpEndpoint?: string };
  associatePublicIpAddress?: boolean;
  iamInstanceProfile?: string;
  ebsOptimized?: boolean;
  spotPrice?: string;
  kernelId?: string;
  ramdiskId?: string;
  placementTenancy?: 'default' | 'dedicated';
  /** InstanceMonitoring.Enabled; absent = AWS's default (true). */
  instanceMonitoring?: boolean;
  blockDeviceMappings?: LaunchConfigurationMapping[];
  classicLinkVpcId?: string;
  classicLinkVpcSecurityGroups?: string[];
  createdTime: string;
}

/** One of a launch configuration's block device mappings (Auto Scaling's shape). */
export interface LaunchConfigurationMapping {
  deviceName: string;
  virtualName?: string;
  noDevice?: boolean;
  ebs?: { snapshotId?: string; volumeSize?: number; volumeType?: string; deleteOnTermination?: boolean; iops?: number; encrypted?: boolean; throughput?: number };
}

export interface GroupMember {
  instanceId: string;
  instanceType: string;
  availabilityZone: string;
  lifecycleState: LifecycleState;
  healthStatus: HealthStatus;
  launchConfigurationName?: string;
  launchTemplate?: LaunchTemplateRef;
  protectedFromScaleIn: boolean;
  /** The activity that launched it (completed when the instance runs). */
  launchActivityId?: string;
  /** The activity terminating it (completed once it is terminated). */
  terminateActivityId?: string;
  /** Why it is being taken out of service (kept for the replacement's Cause). */
  outOfServiceCause?: string;
  /** Capacity units it counts for (MixedInstancesPolicy override WeightedCapacity); 1 otherwise. */
  weightedCapacity?: number;
  /** Lifecycle hooks it waits on (Pending:Wait / Terminating:Wait) until completed or timed out. */
  hookWait?: HookWait;
  /** Launched before an instance refresh started: to be replaced by it. */
  refreshId?: string;
}

export interface LaunchClaim {
  token: string;
  availabilityZone: string;
  /** The MixedInstancesPolicy override it launches. */
  instanceType?: string;
  weightedCapacity?: number;
  /** The node that claimed it, and when (a claim of another node older than a lease is taken over). */
  node: string;
  claimedAt: string;
  /** The activity Cause (written when claimed: the change it serves). */
  cause: string;
  /** A replacement for an unhealthy member. */
  replacing?: boolean;
}

export interface HookWait {
  transition: LifecycleTransition;
  /** The hooks not yet completed, each with its token and when its heartbeat timeout ends. */
  pending: { hookName: string; token: string; deadline: string }[];
  /** ABANDON from any hook (or its default result) ends the wait with ABANDON. */
  abandoned?: boolean;
}

export type LifecycleTransition = 'autoscaling:EC2_INSTANCE_LAUNCHING' | 'autoscaling:EC2_INSTANCE_TERMINATING';

export interface LifecycleHookDocument {
  lifecycleHookName: string;
  lifecycleTransition: LifecycleTransition;
  notificationTargetARN?: string;
  roleARN?: string;
  notificationMetadata?: string;
  heartbeatTimeout: number;
  globalTimeout: number;
  defaultResult: 'CONTINUE' | 'ABANDON';
}

export interface StepAdjustment {
  metricIntervalLowerBound?: number;
  metricIntervalUpperBound?: number;
  scalingAdjustment: number;
}

export interface ScalingPolicyDocument {
  policyName: string;
  policyARN: string;
  policyType: 'SimpleScaling' | 'StepScaling' | 'TargetTrackingScaling' | 'PredictiveScaling';
  adjustmentType?: string;
  minAdjustmentMagnitude?: number;
  scalingAdjustment?: number;
  cooldown?: number;
  stepAdjustments: StepAdjustment[];
  metricAggregationType?: string;
  estimatedInstanceWarmup?: number;
  /** TargetTrackingConfiguration / PredictiveScalingConfiguration as sent (nested members). */
  targetTrackingConfiguration?: NestedDoc;
  predictiveScalingConfiguration?: NestedDoc;
  enabled: boolean;
}

export type InstanceRefreshStatus = 'Pending' | 'InProgress' | 'Successful' | 'Failed' | 'Cancelling' | 'Cancelled';

export interface InstanceRefreshDocument {
  instanceRefreshId: string;
  status: InstanceRefreshStatus;
  statusReason?: string;
  startTime: string;
  endTime?: string;
  /** Members to replace, fixed when it started. */
  toReplace: string[];
  /** Preferences and DesiredConfiguration as sent (nested members). */
  preferences?: NestedDoc;
  desiredConfiguration?: NestedDoc;
  strategy: string;
}

export interface SuspendedProcess {
  processName: string;
  suspensionReason: string;
}

export interface GroupTag {
  key: string;
  value: string;
  propagateAtLaunch: boolean;
}

export interface AutoScalingGroupDocument {
  autoScalingGroupName: string;
  autoScalingGroupARN: string;
  launchConfigurationName?: string;
  launchTemplate?: LaunchTemplateRef;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  defaultCooldown: number;
  availabilityZones: string[];
  vpcZoneIdentifier?: string;
  healthCheckType: string;
  healthCheckGracePeriod: number;
  createdTime: string;
  tags: GroupTag[];
  terminationPolicies: string[];
  newInstancesProtectedFromScaleIn: boolean;
  /** Capacity Rebalancing (a Spot feature): stored and described; Spot runs as on-demand here. Absent in older documents = false. */
  capacityRebalance?: boolean;
  /** `Delete in progress` after DeleteAutoScalingGroup with ForceDelete. */
  status?: string;
  members: GroupMember[];
  /** The user request behind the current difference between desired and actual capacity. */
  pendingCause?: string;
  /** Members taken out of service as unhealthy whose replacements are still to launch. */
  unhealthyReplacements?: number;
  /**
   * Launches under way. A node claims one in the same locked update that checks the capacity
   * (members and claims) against the desired capacity, so two nodes never launch one slot twice,
   * even when a lease expires mid-launch. The claim's token is the RunInstances ClientToken
   * (the database makes one launch per token) and the launch activity's id: whoever finishes a
   * claim left by a node that died or lost its lease gets the instance already launched.
   */
  launchClaims?: LaunchClaim[];
  /** Older documents' single launch under way (before launchClaims): finished as a claim. */
  launchToken?: string;
  /** Consecutive failed launches, and when the next attempt may be made (backoff). */
  launchFailures: number;
  nextLaunchAt?: string;
  /** MixedInstancesPolicy as sent (nested members: LaunchTemplate, InstancesDistribution). */
  mixedInstancesPolicy?: NestedDoc;
  suspendedProcesses?: SuspendedProcess[];
  policies?: ScalingPolicyDocument[];
  lifecycleHooks?: LifecycleHookDocument[];
  /** Instance refreshes, newest last; at most one Pending/InProgress/Cancelling. */
  instanceRefreshes?: InstanceRefreshDocument[];
}

/** The processes SuspendProcesses takes (the Auto Scaling user guide's list). */
export const SCALING_PROCESSES = [
  'Launch',
  'Terminate',
  'AddToLoadBalancer',
  'AlarmNotification',
  'AZRebalance',
  'HealthCheck',
  'InstanceRefresh',
  'ReplaceUnhealthy',
  'ScheduledActions',
] as const;

export const isSuspended = (g: AutoScalingGroupDocument, process: (typeof SCALING_PROCESSES)[number]): boolean =>
  (g.suspendedProcesses ?? []).some((p) => p.processName === process);

export interface ScalingActivityDocument {
  activityId: string;
  autoScalingGroupName: string;
  autoScalingGroupARN: string;
  description: string;
  cause: string;
  startTime: string;
  endTime?: string;
  statusCode: ActivityStatus;
  statusMessage?: string;
  progress: number;
  details: string;
}

/** AWS's timestamps in Cause texts: seconds, `Z`. */
export const causeTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export const causes = {
  created: (at: Date, desired: number) =>
    `At ${causeTime(at)} a user request created an AutoScalingGroup changing the desired capacity from 0 to ${desired}.`,
  setDesired: (at: Date, from: number, to: number) =>
    `At ${causeTime(at)} a user request explicitly set group desired capacity changing the desired capacity from ${from} to ${to}.`,
  updated: (at: Date, min: number, max: number, desired: number, from: number) =>
    `At ${causeTime(at)} a user request update of AutoScalingGroup constraints to min: ${min}, max: ${max}, desired: ${desired} changing the desired capacity from ${from} to ${desired}.`,
  deleted: (at: Date, from: number) =>
    `At ${causeTime(at)} a user request deleted the AutoScalingGroup changing the desired capacity from ${from} to 0.`,
  started: (at: Date, from: number, to: number) =>
    `At ${causeTime(at)} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${from} to ${to}.`,
  shrinking: (at: Date, from: number, to: number) =>
    `At ${causeTime(at)} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from ${from} to ${to}.`,
  selected: (at: Date, instanceId: string) => `At ${causeTime(at)} instance ${instanceId} was selected for termination.`,
  // observed (activity history captures): the launch that replaces an unhealthy member
  replacingUnhealthy: (at: Date) => `At ${causeTime(at)} an instance was launched in response to an unhealthy instance needing to be replaced.`,
  ec2HealthCheck: (at: Date) =>
    `At ${causeTime(at)} an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.`,
  userHealthCheck: (at: Date) => `At ${causeTime(at)} an instance was taken out of service in response to a user health-check.`,
  userTerminate: (at: Date, instanceId: string) =>
    `At ${causeTime(at)} instance ${instanceId} was taken out of service in response to a user request.`,
  // shaped like the other user-request causes; AWS's exact words for policies are unconfirmed
  executedPolicy: (at: Date, policy: string, from: number, to: number) =>
    `At ${causeTime(at)} a user request executed policy ${policy} changing the desired capacity from ${from} to ${to}.`,
  instanceRefresh: (at: Date, instanceId: string) =>
    `At ${causeTime(at)} instance ${instanceId} was taken out of service in response to an instance refresh.`,
  abandonedLaunch: (at: Date, instanceId: string) =>
    `At ${causeTime(at)} instance ${instanceId} was taken out of service in response to a lifecycle action with result ABANDON.`,
  userTerminateShrinking: (at: Date, instanceId: string, from: number, to: number) =>
    `At ${causeTime(at)} instance ${instanceId} was taken out of service in response to a user request, shrinking the capacity from ${from} to ${to}.`,
};

/** Cause sentences are joined with two spaces, as AWS writes them. */
export const joinCauses = (...parts: (string | undefined)[]): string => parts.filter(Boolean).join('  ');

export const descriptions = {
  launching: (instanceId: string) => `Launching a new EC2 instance: ${instanceId}`,
  launchFailed: (reason: string) => `Launching a new EC2 instance.  Status Reason: ${reason}`,
  terminating: (instanceId: string) => `Terminating EC2 instance: ${instanceId}`,
};

/** The StatusMessage of a failed launch: EC2's reason, then AWS's fixed suffix. */
export function launchFailureMessage(ec2Code: string, ec2Message: string): string {
  // EC2 brackets the image id in its own message; Auto Scaling's observed text does not.
  // A just-deregistered image (EC2: InvalidAMIID.Unavailable) reads as the observed "does not exist" too.
  const image = /'\[(ami-[0-9a-f]+)\]'/.exec(ec2Message)?.[1];
  const reason = (
    ec2Code === 'InvalidAMIID.NotFound' || ec2Code === 'InvalidAMIID.Unavailable' ? `The image id '${image}' does not exist` : ec2Message
  ).replace(/\.$/, '');
  return `${reason}. Launching EC2 instance failed.`;
}

/** Details of an activity: the subnet and zone, JSON as AWS writes it. */
export const activityDetails = (zone: string | undefined, subnet?: string): string =>
  zone ? JSON.stringify(subnet ? { 'Subnet ID': subnet, 'Availability Zone': zone } : { 'Availability Zone': zone }) : '{}';

export const groupArn = (region: string, accountId: string, uuid: string, name: string): string =>
  `arn:aws:autoscaling:${region}:${accountId}:autoScalingGroup:${uuid}:autoScalingGroupName/${name}`;

export const launchConfigurationArn = (region: string, accountId: string, uuid: string, name: string): string =>
  `arn:aws:autoscaling:${region}:${accountId}:launchConfiguration:${uuid}:launchConfigurationName/${name}`;
