// InstanceId in CreateLaunchConfiguration / CreateAutoScalingGroup: a launch configuration's
// members taken from a running instance. Auto Scaling user guide ("Create an Auto Scaling group
// using parameters from an existing instance"): the group gets a launch configuration of the same
// name whose attributes (AMI, instance type, key pair, security groups, monitoring, EBS
// optimization, IAM instance profile, tenancy) come from the instance, and the instance's zone.
import { autoScalingErrors } from '../../errors/autoscaling-messages.js';
import { instanceNetworks } from '../../compute/network/instance-network.js';
import type { LaunchConfigurationDocument } from '../../domain/autoscaling.js';
import type { InstanceRecord } from '../../store/port.js';
import type { ActionContext } from '../context.js';

export type InstanceConfiguration = Pick<LaunchConfigurationDocument, 'imageId' | 'instanceType' | 'keyName' | 'securityGroups'> &
  Partial<LaunchConfigurationDocument>;

/** The instance a launch source names, live (not terminated), else Auto Scaling's ValidationError. */
export async function sourceInstance(ctx: ActionContext, instanceId: string): Promise<InstanceRecord> {
  const [r] = /^i-[0-9a-f]{8,17}$/.test(instanceId) ? await ctx.store.instances.list(ctx.scope, [instanceId]) : [];
  if (!r || r.state === 'terminated' || r.state === 'shutting-down') throw autoScalingErrors.invalidInstance(instanceId);
  return r;
}

export async function configurationFromInstance(ctx: ActionContext, r: InstanceRecord): Promise<InstanceConfiguration> {
  const net = (await instanceNetworks(ctx.store, ctx.scope, [r.instanceId])).get(r.instanceId);
  const o = r.options ?? {};
  return {
    imageId: r.imageId,
    instanceType: r.instanceType,
    keyName: r.keyName,
    securityGroups: net?.groups.map((g) => g.groupId) ?? [],
    instanceMonitoring: o.monitoring ?? false,
    ...(o.ebsOptimized !== undefined ? { ebsOptimized: o.ebsOptimized } : {}),
    ...(o.iamInstanceProfile ? { iamInstanceProfile: o.iamInstanceProfile.arn } : {}),
    ...(o.placement?.tenancy === 'dedicated' ? { placementTenancy: 'dedicated' as const } : {}),
  };
}
