// Auto Scaling's stored shapes (JSON documents: times as ISO strings) and the texts AWS writes in
// scaling activities. Sources: ../shared/spec B.1 and public captures of real activities
// (fixtures in Spinnaker/eksctl/SNS notifications): two spaces separate the Cause's sentences.

export type LifecycleState = 'Pending' | 'InService' | 'Terminating' | 'Terminated';
export type HealthStatus = 'Healthy' | 'Unhealthy';
export type ActivityStatus = 'InProgress' | 'Successful' | 'Failed' | 'Cancelled' | 'WaitingForInstanceId' | 'PreInService';

export interface LaunchTemplateRef {
  launchTemplateId: string;
  launchTemplateName: string;
  /** As the group was given it: a number, `$Latest` or `$Default`. */
  version: string;
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
  createdTime: string;
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
  /** `Delete in progress` after DeleteAutoScalingGroup with ForceDelete. */
  status?: string;
  members: GroupMember[];
  /** The user request behind the current difference between desired and actual capacity. */
  pendingCause?: string;
  /** Members taken out of service as unhealthy whose replacements are still to launch. */
  unhealthyReplacements?: number;
  /**
   * The ClientToken of the launch under way, written before RunInstances is called: a node that
   * dies mid-launch leaves it here, and whoever retries gets the instance already launched
   * (RunInstances is idempotent per token) instead of a second one.
   */
  launchToken?: string;
  /** Consecutive failed launches, and when the next attempt may be made (backoff). */
  launchFailures: number;
  nextLaunchAt?: string;
}

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
  const reason = (ec2Code === 'InvalidAMIID.NotFound' ? ec2Message.replace(/'\[(ami-[0-9a-f]+)\]'/, "'$1'") : ec2Message).replace(/\.$/, '');
  return `${reason}. Launching EC2 instance failed.`;
}

/** Details of an activity: the subnet and zone, JSON as AWS writes it. */
export const activityDetails = (zone: string | undefined, subnet?: string): string =>
  zone ? JSON.stringify(subnet ? { 'Subnet ID': subnet, 'Availability Zone': zone } : { 'Availability Zone': zone }) : '{}';

export const groupArn = (region: string, accountId: string, uuid: string, name: string): string =>
  `arn:aws:autoscaling:${region}:${accountId}:autoScalingGroup:${uuid}:autoScalingGroupName/${name}`;

export const launchConfigurationArn = (region: string, accountId: string, uuid: string, name: string): string =>
  `arn:aws:autoscaling:${region}:${accountId}:launchConfiguration:${uuid}:launchConfigurationName/${name}`;
