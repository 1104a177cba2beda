// Auto Scaling's error texts, with where each was seen. Auto Scaling answers most bad requests
// with the general `ValidationError`; its message is what tells cases apart.
import { Ec2Error } from './ec2-error.js';

const validation = (message: string) => Ec2Error.withMessage('ValidationError', message);

export const autoScalingErrors = {
  // observed with the colon in two independent captures (a botocore ClientError fixture, a Go client's
  // not-found matcher); older answers said "- null" or "- no such group: x"
  groupNotFound: (name: string) => validation(`AutoScalingGroup name not found - AutoScalingGroup: ${name} not found`),
  // observed: cloud-custodian#380 (CreateOrUpdateTags)
  groupNotFoundForTags: (name: string) => validation(`AutoScalingGroup not found - AutoScaling Group ${name} not found`),
  // observed: fog-aws fixture
  groupExists: (name: string) =>
    Ec2Error.withMessage('AlreadyExists', `AutoScalingGroup by this name already exists - A group with the name ${name} already exists`),
  // observed: fixture
  launchConfigurationExists: (name: string) =>
    Ec2Error.withMessage(
      'AlreadyExists',
      `Launch Configuration by this name already exists - A launch configuration already exists with the name ${name}`,
    ),
  // observed: fixture
  launchConfigurationNotFound: (name: string) => validation(`Launch configuration name not found - Launch configuration ${name} not found`),
  // observed: aws/aws-cli#3952
  keyPairNotFound: (key: string) => validation(`The key pair '${key}' does not exist`),
  // observed: Guimove/terraform-aws-bastion#173, eksctl-io/eksctl#1989
  invalidTemplate: (reason: string) => validation(`You must use a valid fully-formed launch template. ${reason}`),
  // observed: convox/praxis#258, pipeline#3017
  desiredOutOfRange: (desired: number, min: number, max: number) =>
    validation(`Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`),
  // observed: UpdateAutoScalingGroup answer quoted in public scripts
  maxBelowMin: (max: number, min: number) => validation(`Max bound, ${max}, must be greater than or equal to min bound, ${min}`),
  // observed (spec B.2)
  desiredAboveMax: (desired: number, max: number) =>
    validation(`New SetDesiredCapacity value ${desired} is above max value ${max} for the AutoScalingGroup.`),
  // by analogy with the above (unconfirmed)
  desiredBelowMin: (desired: number, min: number) =>
    validation(`New SetDesiredCapacity value ${desired} is below min value ${min} for the AutoScalingGroup.`),
  // observed: yaybu/touchdown#51, keikoproj/upgrade-manager#25
  // InstanceId of CreateAutoScalingGroup / CreateLaunchConfiguration naming no live instance: moto's
  // text (getmoto/moto#2319's tests); no public AWS capture found, so unconfirmed
  // CreateLaunchConfiguration without InstanceId and without ImageId or InstanceType. Both members
  // are optional in the service model (InstanceId can stand for them), so AWS's generic "Value null
  // at …" (said of required members) cannot be its answer; this text is moto's and floci's, in the
  // form of AWS's observed CreateAutoScalingGroup answer "Valid requests must contain either the
  // LaunchConfigurationName parameter or the InstanceID parameters." (boto/boto#2690). Unconfirmed.
  imageAndTypeOrInstance: () => validation('Valid requests must contain either the InstanceID parameter or both the ImageId and InstanceType parameters.'),
  invalidInstance: (id: string) => validation(`Instance [${id}] is invalid.`),
  instanceNotManaged: (id: string) => validation(`Instance Id not found - No managed instance found for instance ID ${id}`),
  // observed (DetachInstances): reproio/ecs_deploy#56
  notInGroup: (id: string, group: string) => validation(`The instance ${id} is not part of Auto Scaling group ${group}.`),
  // observed: aws/aws-cli#47, hashicorp/nomad-autoscaler#1290
  wouldViolateMin: (min: number) =>
    validation(
      `Currently, desiredSize equals minSize (${min}). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.`,
    ),
  // observed (spec B.2)
  groupHasInstances: () =>
    Ec2Error.withMessage(
      'ResourceInUse',
      'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.',
    ),
  // wording unconfirmed
  launchConfigurationInUse: (name: string) =>
    Ec2Error.withMessage('ResourceInUse', `Cannot delete launch configuration ${name} because it is attached to AutoScalingGroup`),
  // observed: m-chandler/factorio-spot-pricing#30, serverpod/serverpod#3088 (accounts created after 2024-10-01)
  launchConfigurationsUnavailable: () =>
    Ec2Error.withMessage(
      'UnsupportedOperation',
      'The Launch Configuration creation operation is not available in your account. Use launch templates to create configuration templates for your Auto Scaling groups.',
    ),
  // unconfirmed wording; the one launch source rule of CreateAutoScalingGroup
  oneLaunchSource: () =>
    validation(
      'Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.',
    ),
  // observed: terraform-aws-modules/terraform-aws-autoscaling#227
  templateIdOrName: () => validation('Valid requests must contain either launchTemplateId or LaunchTemplateName'),
  // unconfirmed wording
  noZones: () => validation('At least one Availability Zone or VPC Subnet is required.'),
  // a member constraint, smithy style as Query services word them
  memberNull: (member: string) => validation(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`),
  invalidHealthStatus: (value: string) =>
    validation(`Valid values for HealthStatus are Healthy and Unhealthy, got ${value}.`),
  // observed: TwiN/aws-eks-asg-rolling-update-handler#16, diem/diem#4597 (SetDesiredCapacity with
  // HonorCooldown during a cooldown; the activity named is the group's latest)
  scalingActivityInProgress: (activityId: string) =>
    Ec2Error.withMessage('ScalingActivityInProgress', `Scaling activity ${activityId} is in progress and blocks this action`),
  // ---- issue 23 (helper ebsasg) ----
  // observed (moto's AWS-verified test_update_unknown_group)
  groupNotFoundOnUpdate: () => validation('AutoScalingGroup name not found - null'),
  // moto's text, also matched by a public clean-up script as AWS's DeleteAutoScalingGroup answer
  groupNotFoundOnDelete: (name: string) => validation(`AutoScalingGroup name not found - AutoScalingGroup '${name}' not found`),
  // observed (moto's AWS-verified test_create_autoscaling_group_no_template_ref); the same text for both given
  templateIdAndName: () => validation('Valid requests must contain either launchTemplateId or LaunchTemplateName'),
  // wording unconfirmed
  invalidProcess: (name: string) => validation(`Process name ${name} is not a valid Auto Scaling process.`),
  // wording unconfirmed
  policyNotFound: (name: string, group: string) => validation(`No scaling policy found for name ${name} in group ${group}.`),
  // wording unconfirmed
  policyNotExecutable: (type: string) => validation(`Policies of type ${type} cannot be executed.`),
  // wording unconfirmed
  metricValueRequired: () => validation('Metric value and breach threshold are required for step scaling policies.'),
  // wording unconfirmed
  noStepForMetric: (value: number) => validation(`No step adjustment found for metric value ${value}.`),
  // wording unconfirmed
  hookNotFound: (name: string, group: string) => validation(`No Lifecycle Hook found with name ${name} for group ${group}.`),
  // observed in public logs ("No active Lifecycle Action found with instance ID i-…")
  noActiveLifecycleAction: (instanceIdOrToken: string, byToken: boolean) =>
    validation(`No active Lifecycle Action found with ${byToken ? 'token' : 'instance ID'} ${instanceIdOrToken}`),
  // the API reference's ranges; wording unconfirmed
  heartbeatOutOfRange: (v: number) => validation(`Heartbeat timeout ${v} is out of range. It must be between 30 and 7200 seconds.`),
  // modelled fault; wording as quoted in public issue threads
  refreshInProgress: () =>
    Ec2Error.withMessage('InstanceRefreshInProgress', 'An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.'),
  refreshNotFound: (group: string) =>
    Ec2Error.withMessage('ActiveInstanceRefreshNotFound', `No in progress or pending Instance Refresh found for Auto Scaling group ${group}`),
};
