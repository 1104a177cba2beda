// Auto Scaling's response members (PascalCase, as the model names them) built from stored documents.
import { launchConfigurationMemberXml } from './launch-configuration-members.js';
import { wholeSecondsText } from '../../domain/aws-time.js';
import type {
  AutoScalingGroupDocument,
  GroupMember,
  GroupTag,
  LaunchConfigurationDocument,
  LaunchTemplateRef,
  ScalingActivityDocument,
} from '../../domain/autoscaling.js';

const templateXml = (t: LaunchTemplateRef | undefined) =>
  t && { LaunchTemplateId: t.launchTemplateId, LaunchTemplateName: t.launchTemplateName, Version: t.version };

export const tagXml = (groupName: string, t: GroupTag) => ({
  ResourceId: groupName,
  ResourceType: 'auto-scaling-group',
  Key: t.key,
  Value: t.value,
  PropagateAtLaunch: t.propagateAtLaunch,
});

/** Members still in the group (terminated ones have left it). */
export const visibleMembers = (g: AutoScalingGroupDocument): GroupMember[] => g.members.filter((m) => m.lifecycleState !== 'Terminated');

export function groupXml(g: AutoScalingGroupDocument, includeInstances = true) {
  return {
    AutoScalingGroupName: g.autoScalingGroupName,
    AutoScalingGroupARN: g.autoScalingGroupARN,
    LaunchConfigurationName: g.launchConfigurationName,
    // A group launched through a MixedInstancesPolicy shows the policy, not a LaunchTemplate.
    LaunchTemplate: g.mixedInstancesPolicy ? undefined : templateXml(g.launchTemplate),
    MixedInstancesPolicy: g.mixedInstancesPolicy,
    MinSize: g.minSize,
    MaxSize: g.maxSize,
    DesiredCapacity: g.desiredCapacity,
    DefaultCooldown: g.defaultCooldown,
    AvailabilityZones: g.availabilityZones,
    LoadBalancerNames: [],
    TargetGroupARNs: [],
    HealthCheckType: g.healthCheckType,
    HealthCheckGracePeriod: g.healthCheckGracePeriod,
    Instances: includeInstances
      ? visibleMembers(g).map((m) => ({
          InstanceId: m.instanceId,
          InstanceType: m.instanceType,
          AvailabilityZone: m.availabilityZone,
          LifecycleState: m.lifecycleState,
          HealthStatus: m.healthStatus,
          LaunchConfigurationName: m.launchConfigurationName,
          LaunchTemplate: templateXml(m.launchTemplate),
          ProtectedFromScaleIn: m.protectedFromScaleIn,
          WeightedCapacity: m.weightedCapacity !== undefined ? String(m.weightedCapacity) : undefined,
        }))
      : undefined,
    CreatedTime: new Date(g.createdTime),
    SuspendedProcesses: (g.suspendedProcesses ?? []).map((p) => ({ ProcessName: p.processName, SuspensionReason: p.suspensionReason })),
    VPCZoneIdentifier: g.vpcZoneIdentifier,
    EnabledMetrics: [],
    Status: g.status,
    Tags: g.tags.map((t) => tagXml(g.autoScalingGroupName, t)),
    TerminationPolicies: g.terminationPolicies,
    NewInstancesProtectedFromScaleIn: g.newInstancesProtectedFromScaleIn,
    CapacityRebalance: g.capacityRebalance ?? false,
    ServiceLinkedRoleARN: `arn:aws:iam::${g.autoScalingGroupARN.split(':')[4]}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
  };
}

/** DescribeAutoScalingInstances writes health in capitals (HEALTHY), unlike DescribeAutoScalingGroups. */
export function autoScalingInstanceXml(g: AutoScalingGroupDocument, m: GroupMember) {
  return {
    InstanceId: m.instanceId,
    InstanceType: m.instanceType,
    AutoScalingGroupName: g.autoScalingGroupName,
    AvailabilityZone: m.availabilityZone,
    LifecycleState: m.lifecycleState,
    HealthStatus: m.healthStatus.toUpperCase(),
    LaunchConfigurationName: m.launchConfigurationName,
    LaunchTemplate: templateXml(m.launchTemplate),
    ProtectedFromScaleIn: m.protectedFromScaleIn,
    WeightedCapacity: m.weightedCapacity !== undefined ? String(m.weightedCapacity) : undefined,
  };
}

export function activityXml(a: ScalingActivityDocument) {
  return {
    ActivityId: a.activityId,
    AutoScalingGroupName: a.autoScalingGroupName,
    Description: a.description,
    Cause: a.cause,
    StartTime: new Date(a.startTime),
    EndTime: a.endTime ? wholeSecondsText(a.endTime) : undefined,
    StatusCode: a.statusCode,
    StatusMessage: a.statusMessage,
    Progress: a.progress,
    Details: a.details,
    AutoScalingGroupARN: a.autoScalingGroupARN,
  };
}

export function launchConfigurationXml(c: LaunchConfigurationDocument) {
  return {
    LaunchConfigurationName: c.launchConfigurationName,
    LaunchConfigurationARN: c.launchConfigurationARN,
    ImageId: c.imageId,
    KeyName: c.keyName ?? '',
    SecurityGroups: c.securityGroups,
    UserData: c.userData ?? '',
    InstanceType: c.instanceType,
    ...launchConfigurationMemberXml(c),
    CreatedTime: new Date(c.createdTime),
    MetadataOptions: c.metadataOptions
      ? { HttpTokens: c.metadataOptions.httpTokens, HttpPutResponseHopLimit: c.metadataOptions.httpPutResponseHopLimit, HttpEndpoint: c.metadataOptions.httpEndpoint }
      : undefined,
  };
}
