// LaunchTemplateData: the fields a launch template version holds (EC2 model
// `RequestLaunchTemplateData`), their wire table under a prefix, the stored form, and its XML.
// The members that change how an instance launches here are typed; every other member given
// (network interfaces, block devices, IAM profile …) is kept as sent so nothing is lost.
import { Ec2Error } from '../../errors/ec2-error.js';
import { tagSet, type Tag } from '../../domain/tags.js';
import type { InstanceMetadataOptionsRecord } from '../../store/port.js';
import { fields, type InputOf, type TagSpecificationsField } from '../input.js';
import { mergeMetadataOptions, DEFAULT_METADATA_OPTIONS, metadataOptionMembers } from '../metadata-options.js';
import { tagsFor } from '../tag-specifications.js';

export interface LaunchTemplateData {
  imageId?: string;
  instanceType?: string;
  keyName?: string;
  /** Base64, as sent. */
  userData?: string;
  metadataOptions?: Partial<InstanceMetadataOptionsRecord>;
  tagSpecifications?: { resourceType: string; tags: Tag[] }[];
  securityGroupIds?: string[];
  securityGroups?: string[];
  availabilityZone?: string;
  /** Other members, by their wire name under `LaunchTemplateData.`. */
  other?: Record<string, string>;
}

/** The input table of `LaunchTemplateData` (the `prefix` is its wire name). */
export const launchTemplateDataFields = (prefix: string) => ({
  imageId: fields.string(`${prefix}.ImageId`),
  instanceType: fields.string(`${prefix}.InstanceType`),
  keyName: fields.string(`${prefix}.KeyName`),
  userData: fields.string(`${prefix}.UserData`),
  metadataOptions: fields.struct(`${prefix}.MetadataOptions`, metadataOptionMembers),
  tagSpecifications: { kind: 'tagSpecifications', wire: `${prefix}.TagSpecification` } as TagSpecificationsField,
  securityGroupIds: fields.list(`${prefix}.SecurityGroupId`),
  securityGroups: fields.list(`${prefix}.SecurityGroup`),
  placement: fields.struct(`${prefix}.Placement`, { availabilityZone: fields.string('AvailabilityZone') }),
  other: fields.rest(prefix),
});

type DataInput = InputOf<ReturnType<typeof launchTemplateDataFields>>;

/** Validates the data as EC2 does at template creation and returns its stored form. */
export function launchTemplateData(input: DataInput): LaunchTemplateData {
  if (input.metadataOptions && Object.keys(input.metadataOptions).length) mergeMetadataOptions(DEFAULT_METADATA_OPTIONS, input.metadataOptions);
  const specs = input.tagSpecifications.map((s) => ({ resourceType: s.resourceType ?? '', tags: s.tags }));
  const types = ['instance', 'volume', 'network-interface', 'spot-instances-request'];
  for (const s of specs) tagsFor([{ resourceType: s.resourceType || undefined, tags: s.tags }], types, s.resourceType);
  const data: LaunchTemplateData = {
    imageId: input.imageId,
    instanceType: input.instanceType,
    keyName: input.keyName,
    userData: input.userData,
    metadataOptions: input.metadataOptions && Object.keys(input.metadataOptions).length ? input.metadataOptions : undefined,
    tagSpecifications: specs.length ? specs : undefined,
    securityGroupIds: input.securityGroupIds.length ? input.securityGroupIds : undefined,
    securityGroups: input.securityGroups.length ? input.securityGroups : undefined,
    availabilityZone: input.placement?.availabilityZone,
    other: Object.keys(input.other).length ? input.other : undefined,
  };
  return JSON.parse(JSON.stringify(data)) as LaunchTemplateData; // drops undefined members
}

/** A new version's data: the source version's, with every member the request gives replacing it. */
export function mergeLaunchTemplateData(base: LaunchTemplateData, over: LaunchTemplateData): LaunchTemplateData {
  return { ...base, ...over, other: base.other || over.other ? { ...base.other, ...over.other } : undefined };
}

export function isEmptyData(input: DataInput): boolean {
  return Object.keys(launchTemplateData(input)).length === 0;
}

/** `<launchTemplateData>` as DescribeLaunchTemplateVersions writes it. */
export function launchTemplateDataXml(d: LaunchTemplateData) {
  return {
    imageId: d.imageId,
    instanceType: d.instanceType,
    keyName: d.keyName,
    userData: d.userData,
    placement: d.availabilityZone ? { availabilityZone: d.availabilityZone } : undefined,
    securityGroupIdSet: d.securityGroupIds,
    securityGroupSet: d.securityGroups,
    tagSpecificationSet: d.tagSpecifications?.map((s) => ({ resourceType: s.resourceType, tagSet: tagSet(s.tags) })),
    metadataOptions: d.metadataOptions
      ? {
          state: 'applied',
          httpTokens: d.metadataOptions.httpTokens,
          httpPutResponseHopLimit: d.metadataOptions.httpPutResponseHopLimit,
          httpEndpoint: d.metadataOptions.httpEndpoint,
          httpProtocolIpv6: d.metadataOptions.httpProtocolIpv6,
          instanceMetadataTags: d.metadataOptions.instanceMetadataTags,
        }
      : undefined,
  };
}

/** Launch template names: 3–128 of letters, digits and `( ) . - / _`. */
export function validateLaunchTemplateName(name: string): void {
  if (!/^[a-zA-Z0-9().\-/_]{3,128}$/.test(name)) throw new Ec2Error('InvalidLaunchTemplateName.MalformedException');
}
