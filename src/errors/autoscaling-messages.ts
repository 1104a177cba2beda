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
};
