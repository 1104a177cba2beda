// Input members CreateAutoScalingGroup and UpdateAutoScalingGroup share, and their rules.
import { Ec2Error } from '../../errors/ec2-error.js';
import { autoScalingErrors } from '../../errors/autoscaling-messages.js';
import type { GroupTag } from '../../domain/autoscaling.js';
import { fields } from '../input.js';

export const launchTemplateField = fields.struct('LaunchTemplate', {
  launchTemplateId: fields.string('LaunchTemplateId'),
  launchTemplateName: fields.string('LaunchTemplateName'),
  version: fields.string('Version'),
});

/** The settings both actions take after the sizes (in this order: the first bad one is reported). */
export const groupSettingsFields = {
  desiredCapacity: fields.integer('DesiredCapacity'),
  defaultCooldown: fields.integer('DefaultCooldown'),
  availabilityZones: fields.list('AvailabilityZones.member'),
  vpcZoneIdentifier: fields.string('VPCZoneIdentifier'),
  healthCheckType: fields.enum('HealthCheckType', ['EC2', 'ELB', 'VPC_LATTICE', 'EBS'] as const),
  healthCheckGracePeriod: fields.integer('HealthCheckGracePeriod'),
  terminationPolicies: fields.list('TerminationPolicies.member'),
  newInstancesProtectedFromScaleIn: fields.boolean('NewInstancesProtectedFromScaleIn'),
  capacityRebalance: fields.boolean('CapacityRebalance'),
};

/** Whether a LaunchTemplate structure was given (an empty one counts as absent). */
export function hasLaunchTemplate(t: object | undefined): boolean {
  return t !== undefined && Object.keys(t).length > 0;
}

export const tagsField = fields.structList('Tags.member', {
  key: fields.string('Key'),
  value: fields.string('Value'),
  propagateAtLaunch: fields.boolean('PropagateAtLaunch'),
  resourceId: fields.string('ResourceId'),
  resourceType: fields.string('ResourceType'),
});

/** Zones from AvailabilityZones or VPCZoneIdentifier (subnets map to the region's zones in order: a, b, …). */
export function groupZones(region: string, zones: readonly string[], vpcZoneIdentifier: string | undefined): string[] {
  const subnets = (vpcZoneIdentifier ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (zones.length === 0 && subnets.length === 0) throw autoScalingErrors.noZones();
  for (const z of zones) {
    // wording unconfirmed
    if (!new RegExp(`^${region.replace(/-/g, '\\-')}[a-f]$`).test(z)) throw Ec2Error.withMessage('ValidationError', `Invalid Availability Zone: ${z}`);
  }
  if (zones.length) return [...new Set(zones)];
  return [...new Set(subnets.map((_, i) => `${region}${'abcdef'[i % 6]}`))];
}

/** The subnet a zone stands for in a group defined by VPCZoneIdentifier. */
export function subnetOf(vpcZoneIdentifier: string | undefined, zones: readonly string[], zone: string): string | undefined {
  const subnets = (vpcZoneIdentifier ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return subnets[zones.indexOf(zone)];
}

export function checkSizes(min: number, max: number, desired: number): void {
  if (min < 0) throw Ec2Error.withMessage('ValidationError', `1 validation error detected: Value '${min}' at 'minSize' failed to satisfy constraint: Member must have value greater than or equal to 0`);
  if (max < min) throw autoScalingErrors.maxBelowMin(max, min);
  if (desired < min || desired > max) throw autoScalingErrors.desiredOutOfRange(desired, min, max);
}

export function groupTags(tags: readonly { key?: string; value?: string; propagateAtLaunch?: boolean }[]): GroupTag[] {
  const byKey = new Map<string, GroupTag>();
  for (const t of tags) {
    if (!t.key) throw autoScalingErrors.memberNull('key');
    // Auto Scaling reserves the aws: prefix as EC2 does (wording unconfirmed)
    if (t.key.toLowerCase().startsWith('aws:')) throw Ec2Error.withMessage('ValidationError', 'Tag keys starting with aws: are reserved for internal use');
    byKey.set(t.key, { key: t.key, value: t.value ?? '', propagateAtLaunch: t.propagateAtLaunch ?? false });
  }
  return [...byKey.values()];
}
