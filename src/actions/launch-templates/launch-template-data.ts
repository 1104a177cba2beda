// LaunchTemplateData: the fields a launch template version holds (EC2 model
// `RequestLaunchTemplateData`), their wire table under a prefix, the stored form, and its XML.
// A few members are typed (Auto Scaling and older documents read them); every other member given
// is kept as sent in `other`, checked against the EC2 model, and the whole data is written back
// and applied from its wire form (launch-template-params.ts).
import { Ec2Error } from '../../errors/ec2-error.js';
import type { Tag } from '../../domain/tags.js';
import type { InstanceMetadataOptionsRecord } from '../../store/port.js';
import { fields, type InputOf, type TagSpecificationsField } from '../input.js';
import { mergeMetadataOptions, DEFAULT_METADATA_OPTIONS, metadataOptionMembers } from '../metadata-options.js';
import { tagsFor } from '../tag-specifications.js';
import { checkTemplateParams, templateParamsXml } from './launch-template-params.js';

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

const PREFIX = 'LaunchTemplateData';

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
    other: Object.keys(input.other).length ? checkTemplateParams(input.other, PREFIX) : undefined,
  };
  return JSON.parse(JSON.stringify(data)) as LaunchTemplateData; // drops undefined members
}

/** A new version's data: the source version's, with every member the request gives replacing it. */
export function mergeLaunchTemplateData(base: LaunchTemplateData, over: LaunchTemplateData): LaunchTemplateData {
  // A member given replaces the source's whole member (a list is not merged item by item).
  const top = (k: string) => k.split('.')[0]!;
  const given = new Set(Object.keys(over.other ?? {}).map(top));
  const kept = Object.fromEntries(Object.entries(base.other ?? {}).filter(([k]) => !given.has(top(k))));
  const other = { ...kept, ...over.other };
  return { ...base, ...over, other: Object.keys(other).length ? other : undefined };
}

export function isEmptyData(input: DataInput): boolean {
  return Object.keys(launchTemplateData(input)).length === 0;
}

/** The whole data as its wire parameters (relative to `LaunchTemplateData.`), typed members included. */
export function paramsOf(d: LaunchTemplateData): Record<string, string> {
  const p: Record<string, string> = {};
  const set = (k: string, v: string | number | undefined) => {
    if (v !== undefined) p[k] = String(v);
  };
  set('ImageId', d.imageId);
  set('InstanceType', d.instanceType);
  set('KeyName', d.keyName);
  set('UserData', d.userData);
  const m = d.metadataOptions;
  if (m) {
    set('MetadataOptions.HttpTokens', m.httpTokens);
    set('MetadataOptions.HttpPutResponseHopLimit', m.httpPutResponseHopLimit);
    set('MetadataOptions.HttpEndpoint', m.httpEndpoint);
    set('MetadataOptions.HttpProtocolIpv6', m.httpProtocolIpv6);
    set('MetadataOptions.InstanceMetadataTags', m.instanceMetadataTags);
  }
  d.tagSpecifications?.forEach((s, i) => {
    if (s.resourceType) set(`TagSpecification.${i + 1}.ResourceType`, s.resourceType);
    s.tags.forEach((t, j) => {
      set(`TagSpecification.${i + 1}.Tag.${j + 1}.Key`, t.key);
      set(`TagSpecification.${i + 1}.Tag.${j + 1}.Value`, t.value);
    });
  });
  d.securityGroupIds?.forEach((g, i) => set(`SecurityGroupId.${i + 1}`, g));
  d.securityGroups?.forEach((g, i) => set(`SecurityGroup.${i + 1}`, g));
  set('Placement.AvailabilityZone', d.availabilityZone);
  return { ...p, ...d.other };
}

/** `<launchTemplateData>` as DescribeLaunchTemplateVersions and GetLaunchTemplateData write it: every member stored. */
export function launchTemplateDataXml(d: LaunchTemplateData) {
  return templateParamsXml(paramsOf(d));
}

/** Launch template names: 3–128 of letters, digits and `( ) . - / _`. */
export function validateLaunchTemplateName(name: string): void {
  if (!/^[a-zA-Z0-9().\-/_]{3,128}$/.test(name)) throw new Ec2Error('InvalidLaunchTemplateName.MalformedException');
}
