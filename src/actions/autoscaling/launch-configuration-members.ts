// A launch configuration's members beyond image, type and key: read from CreateLaunchConfiguration,
// stored in its document, written back by DescribeLaunchConfigurations and applied when a group
// launches from it (issue 23: a member accepted is kept and applied, never dropped). The mapping
// shape is Auto Scaling's (`BlockDeviceMappings.member.N`, NoDevice a boolean, no KmsKeyId).
import type { LaunchConfigurationDocument, LaunchConfigurationMapping } from '../../domain/autoscaling.js';
import { fields } from '../input.js';
import { autoScalingErrors } from '../../errors/autoscaling-messages.js';
import type { BlockDeviceMappingInput } from '../block-device-mappings.js';

const mappingMembers = {
  deviceName: fields.string('DeviceName'),
  virtualName: fields.string('VirtualName'),
  noDevice: fields.boolean('NoDevice'),
  snapshotId: fields.string('Ebs.SnapshotId'),
  volumeSize: fields.integer('Ebs.VolumeSize'),
  volumeType: fields.string('Ebs.VolumeType'),
  deleteOnTermination: fields.boolean('Ebs.DeleteOnTermination'),
  iops: fields.integer('Ebs.Iops'),
  encrypted: fields.boolean('Ebs.Encrypted'),
  throughput: fields.integer('Ebs.Throughput'),
};

export const launchConfigurationMemberFields = {
  associatePublicIpAddress: fields.boolean('AssociatePublicIpAddress'),
  iamInstanceProfile: fields.string('IamInstanceProfile'),
  ebsOptimized: fields.boolean('EbsOptimized'),
  spotPrice: fields.string('SpotPrice'),
  kernelId: fields.string('KernelId'),
  ramdiskId: fields.string('RamdiskId'),
  placementTenancy: fields.enum('PlacementTenancy', ['default', 'dedicated'] as const),
  instanceMonitoring: fields.struct('InstanceMonitoring', { enabled: fields.boolean('Enabled') }),
  blockDeviceMappings: fields.structList('BlockDeviceMappings.member', mappingMembers),
  // EC2-Classic is retired; the reference keeps these "for backward compatibility": kept and echoed
  classicLinkVpcId: fields.string('ClassicLinkVPCId'),
  classicLinkVpcSecurityGroups: fields.list('ClassicLinkVPCSecurityGroups.member'),
};

type Input = {
  associatePublicIpAddress?: boolean;
  iamInstanceProfile?: string;
  ebsOptimized?: boolean;
  spotPrice?: string;
  kernelId?: string;
  ramdiskId?: string;
  placementTenancy?: 'default' | 'dedicated';
  instanceMonitoring?: { enabled?: boolean };
  blockDeviceMappings: { [K in keyof typeof mappingMembers]?: unknown }[];
  classicLinkVpcId?: string;
  classicLinkVpcSecurityGroups?: string[];
};

/** The members as the document keeps them (absent = not given). */
export function launchConfigurationMembers(input: Input): Partial<LaunchConfigurationDocument> {
  const mappings = input.blockDeviceMappings.map((m, i): LaunchConfigurationMapping => {
    // the service's model: DeviceName is required in each mapping
    if (typeof m.deviceName !== 'string') throw autoScalingErrors.memberNull(`blockDeviceMappings.${i + 1}.member.deviceName`);
    const ebs = {
      ...(m.snapshotId !== undefined ? { snapshotId: m.snapshotId as string } : {}),
      ...(m.volumeSize !== undefined ? { volumeSize: m.volumeSize as number } : {}),
      ...(m.volumeType !== undefined ? { volumeType: m.volumeType as string } : {}),
      ...(m.deleteOnTermination !== undefined ? { deleteOnTermination: m.deleteOnTermination as boolean } : {}),
      ...(m.iops !== undefined ? { iops: m.iops as number } : {}),
      ...(m.encrypted !== undefined ? { encrypted: m.encrypted as boolean } : {}),
      ...(m.throughput !== undefined ? { throughput: m.throughput as number } : {}),
    };
    return {
      deviceName: m.deviceName,
      ...(m.virtualName !== undefined ? { virtualName: m.virtualName as string } : {}),
      ...(m.noDevice !== undefined ? { noDevice: m.noDevice as boolean } : {}),
      ...(Object.keys(ebs).length ? { ebs } : {}),
    };
  });
  return {
    ...(input.associatePublicIpAddress !== undefined ? { associatePublicIpAddress: input.associatePublicIpAddress } : {}),
    ...(input.iamInstanceProfile !== undefined ? { iamInstanceProfile: input.iamInstanceProfile } : {}),
    ...(input.ebsOptimized !== undefined ? { ebsOptimized: input.ebsOptimized } : {}),
    ...(input.spotPrice !== undefined ? { spotPrice: input.spotPrice } : {}),
    ...(input.kernelId !== undefined ? { kernelId: input.kernelId } : {}),
    ...(input.ramdiskId !== undefined ? { ramdiskId: input.ramdiskId } : {}),
    ...(input.placementTenancy !== undefined ? { placementTenancy: input.placementTenancy } : {}),
    ...(input.instanceMonitoring?.enabled !== undefined ? { instanceMonitoring: input.instanceMonitoring.enabled } : {}),
    ...(mappings.length ? { blockDeviceMappings: mappings } : {}),
    ...(input.classicLinkVpcId !== undefined ? { classicLinkVpcId: input.classicLinkVpcId } : {}),
    ...(input.classicLinkVpcSecurityGroups?.length ? { classicLinkVpcSecurityGroups: input.classicLinkVpcSecurityGroups } : {}),
  };
}

/** DescribeLaunchConfigurations' members for them (AWS's defaults where not given). */
export function launchConfigurationMemberXml(c: LaunchConfigurationDocument) {
  return {
    ClassicLinkVPCId: c.classicLinkVpcId,
    ClassicLinkVPCSecurityGroups: c.classicLinkVpcSecurityGroups ?? [],
    KernelId: c.kernelId ?? '',
    RamdiskId: c.ramdiskId ?? '',
    BlockDeviceMappings: (c.blockDeviceMappings ?? []).map((m) => ({
      DeviceName: m.deviceName,
      VirtualName: m.virtualName,
      NoDevice: m.noDevice,
      Ebs: m.ebs && {
        SnapshotId: m.ebs.snapshotId,
        VolumeSize: m.ebs.volumeSize,
        VolumeType: m.ebs.volumeType,
        DeleteOnTermination: m.ebs.deleteOnTermination,
        Iops: m.ebs.iops,
        Encrypted: m.ebs.encrypted,
        Throughput: m.ebs.throughput,
      },
    })),
    // CreateLaunchConfiguration reference: InstanceMonitoring "The default value is true (enabled)"
    InstanceMonitoring: { Enabled: c.instanceMonitoring ?? true },
    SpotPrice: c.spotPrice,
    IamInstanceProfile: c.iamInstanceProfile,
    EbsOptimized: c.ebsOptimized ?? false,
    AssociatePublicIpAddress: c.associatePublicIpAddress,
    PlacementTenancy: c.placementTenancy,
  };
}

/**
 * The RunInstances members a group's launch from this configuration carries. SpotPrice launches
 * on-demand (ec2lite has no Spot market, docs/autoscaling.md); KernelId/RamdiskId are kept and
 * described only (every ec2lite image is HVM, which boots its own kernel).
 */
export function launchConfigurationRunMembers(c: LaunchConfigurationDocument) {
  const profile = c.iamInstanceProfile;
  return {
    // Auto Scaling user guide (monitoring): a launch configuration made through the API or an SDK has detailed monitoring on
    monitoring: { enabled: c.instanceMonitoring ?? true },
    ...(c.ebsOptimized !== undefined ? { ebsOptimized: c.ebsOptimized } : {}),
    ...(profile !== undefined ? { iamInstanceProfile: profile.startsWith('arn:') ? { arn: profile } : { name: profile } } : {}),
    ...(c.blockDeviceMappings?.length ? { blockDeviceMappings: c.blockDeviceMappings.map(runMapping) } : {}),
  };
}

function runMapping(m: LaunchConfigurationMapping): BlockDeviceMappingInput {
  return {
    deviceName: m.deviceName,
    ...(m.virtualName !== undefined ? { virtualName: m.virtualName } : {}),
    ...(m.noDevice ? { noDevice: '' } : {}),
    ...(m.ebs?.snapshotId !== undefined ? { snapshotId: m.ebs.snapshotId } : {}),
    ...(m.ebs?.volumeSize !== undefined ? { volumeSize: m.ebs.volumeSize } : {}),
    ...(m.ebs?.volumeType !== undefined ? { volumeType: m.ebs.volumeType as BlockDeviceMappingInput['volumeType'] } : {}),
    ...(m.ebs?.deleteOnTermination !== undefined ? { deleteOnTermination: m.ebs.deleteOnTermination } : {}),
    ...(m.ebs?.iops !== undefined ? { iops: m.ebs.iops } : {}),
    ...(m.ebs?.encrypted !== undefined ? { encrypted: m.ebs.encrypted } : {}),
    ...(m.ebs?.throughput !== undefined ? { throughput: m.ebs.throughput } : {}),
  } as BlockDeviceMappingInput;
}
