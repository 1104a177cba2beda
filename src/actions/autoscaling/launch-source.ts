// What a group launches from: a launch configuration or a launch template version. Checked up
// front as AWS does (a template whose key pair or image is missing is refused at
// CreateAutoScalingGroup), and turned into a RunInstances request by the reconciler.
import { groupSubnetFor } from '../network/group-subnets.js';
import { Ec2Error, isEc2Error } from '../../errors/ec2-error.js';
import { autoScalingErrors } from '../../errors/autoscaling-messages.js';
import { resolveImage } from '../../compute/images.js';
import type { AutoScalingGroupDocument, LaunchConfigurationDocument, LaunchTemplateRef } from '../../domain/autoscaling.js';
import type { ActionOutput } from '../output.js';
import type { ActionContext } from '../context.js';
import runInstances from '../run-instances.js';
import { findLaunchTemplate, templateVersion } from '../launch-templates/launch-template-store.js';
import { launchConfigurationRunMembers } from './launch-configuration-members.js';

export interface LaunchTemplateInput {
  launchTemplateId?: string;
  launchTemplateName?: string;
  version?: string;
}

/** Validates a group's LaunchTemplate and returns how the group records it. */
export async function checkLaunchTemplate(ctx: ActionContext, spec: LaunchTemplateInput): Promise<LaunchTemplateRef> {
  if (!spec.launchTemplateId && !spec.launchTemplateName) throw autoScalingErrors.templateIdOrName();
  // Both at once are refused with the same text (moto's AWS-verified tests)
  if (spec.launchTemplateId && spec.launchTemplateName) throw autoScalingErrors.templateIdAndName();
  const version = spec.version;
  try {
    const t = await findLaunchTemplate(ctx.store, ctx.scope, { id: spec.launchTemplateId, name: spec.launchTemplateName });
    const data = templateVersion(t, version).data;
    if (data.imageId) {
      const image = await resolveImage(ctx.store, ctx.scope, data.imageId);
      if (!image) throw new Ec2Error('InvalidAMIID.NotFound', data.imageId);
      if (image === 'denied') throw Ec2Error.withMessage('AuthFailure', `Not authorized for images: [${data.imageId}]`);
    }
    if (data.keyName && !(await keyExists(ctx, data.keyName))) {
      throw Ec2Error.withMessage('InvalidKeyPair.NotFound', `The key pair '${data.keyName}' does not exist`);
    }
    return { launchTemplateId: t.launchTemplateId, launchTemplateName: t.launchTemplateName, version };
  } catch (e) {
    if (isEc2Error(e) && e.code !== 'ValidationError') throw autoScalingErrors.invalidTemplate(e.message);
    throw e;
  }
}

export async function checkLaunchConfiguration(ctx: ActionContext, name: string): Promise<LaunchConfigurationDocument> {
  const c = await ctx.store.documents.get<LaunchConfigurationDocument>(ctx.scope, 'launch-configuration', name);
  if (!c) throw autoScalingErrors.launchConfigurationNotFound(name);
  return c;
}

export async function keyExists(ctx: ActionContext, keyName: string): Promise<boolean> {
  return (await ctx.store.keyPairs.list(ctx.scope, { names: [keyName] })).length > 0;
}

type RunInstancesInput = Parameters<typeof runInstances.handle>[1];

/**
 * A launch configuration's SecurityGroups (ids, or names in a default VPC) and
 * AssociatePublicIpAddress: the latter is an interface member of RunInstances, so with it the
 * subnet and group ids go on interface 0 (as AWS's own launches from a configuration do).
 */
function launchConfigurationNetwork(c: LaunchConfigurationDocument, subnetId: string | undefined): Partial<RunInstancesInput> {
  const ids = c.securityGroups.filter((g) => g.startsWith('sg-'));
  const names = c.securityGroups.filter((g) => !g.startsWith('sg-'));
  if (c.associatePublicIpAddress === undefined) return { securityGroupIds: ids, securityGroups: names } as Partial<RunInstancesInput>;
  const ni: Record<string, string> = { '1.DeviceIndex': '0', '1.AssociatePublicIpAddress': String(c.associatePublicIpAddress) };
  if (subnetId) ni['1.SubnetId'] = subnetId;
  ids.forEach((id, i) => (ni[`1.SecurityGroupId.${i + 1}`] = id));
  return { subnetId: undefined, securityGroups: names, networkInterfaces: ni } as Partial<RunInstancesInput>;
}

/**
 * Launches one instance for the group through RunInstances (key injection, SSH endpoint, metadata
 * service and user data as for any instance), tagged with the group's name. EC2's error is thrown
 * as is: the reconciler turns it into a Failed activity.
 */
export async function launchGroupInstance(
  ctx: ActionContext,
  group: AutoScalingGroupDocument,
  zone: string,
  clientToken: string,
  override?: { instanceType?: string },
): Promise<{ instanceId: string; instanceType: string; imageId: string | undefined; resolvedVersion?: string }> {
  const tags = group.tags.filter((t) => t.propagateAtLaunch).map((t) => ({ key: t.key, value: t.value }));
  let source: Partial<RunInstancesInput> & { userData?: string } = {};
  let imageId: string | undefined;
  let resolvedVersion: string | undefined;
  if (group.launchTemplate) {
    source = { launchTemplate: { launchTemplateId: group.launchTemplate.launchTemplateId, version: group.launchTemplate.version } };
    if (group.mixedInstancesPolicy) {
      // The override's type wins over the template's; a member shows the version number it was launched from.
      if (override?.instanceType) source.instanceType = override.instanceType;
      const t = await findLaunchTemplate(ctx.store, ctx.scope, { id: group.launchTemplate.launchTemplateId });
      resolvedVersion = String(templateVersion(t, group.launchTemplate.version).versionNumber);
    }
  }
  const subnetId = await groupSubnetFor(ctx, group.vpcZoneIdentifier, zone); // issue 20: the group's subnet in that zone
  let placement: { availabilityZone: string; tenancy?: string } = { availabilityZone: zone };
  if (!group.launchTemplate) {
    const c = await checkLaunchConfiguration(ctx, group.launchConfigurationName ?? '');
    imageId = c.imageId;
    if (c.placementTenancy) placement = { ...placement, tenancy: c.placementTenancy };
    source = {
      imageId: c.imageId,
      instanceType: c.instanceType,
      keyName: c.keyName,
      userData: c.userData,
      metadataOptions: c.metadataOptions as RunInstancesInput['metadataOptions'],
      ...(launchConfigurationRunMembers(c) as Partial<RunInstancesInput>),
      ...launchConfigurationNetwork(c, subnetId),
    };
  }
  const request = {
    minCount: 1,
    maxCount: 1,
    tagSpecifications: tags.length ? [{ resourceType: 'instance', tags }] : [],
    placement,
    subnetId,
    clientToken,
    ...source,
    // aws: tags are the service's own: on the instance from its first listing, past the user tag rules
    serviceTags: [{ key: 'aws:autoscaling:groupName', value: group.autoScalingGroupName }],
  } as unknown as RunInstancesInput;
  const reservation = await runInstances.handle(ctx, request);
  const instance = (reservation.instancesSet as ActionOutput[])[0]!;
  const instanceId = instance.instanceId as string;
  return { instanceId, instanceType: instance.instanceType as string, imageId: (instance.imageId as string) ?? imageId, resolvedVersion };
}
