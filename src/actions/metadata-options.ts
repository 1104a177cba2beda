// Instance metadata options shared by RunInstances (MetadataOptions.*) and
// ModifyInstanceMetadataOptions (top-level members): fields, defaults and the hop limit range.
import { Ec2Error } from '../errors/ec2-error.js';
import type { InstanceMetadataOptionsRecord } from '../store/port.js';
import { fields } from './input.js';

export const metadataOptionMembers = {
  httpTokens: fields.enum('HttpTokens', ['optional', 'required'] as const),
  httpPutResponseHopLimit: fields.integer('HttpPutResponseHopLimit'),
  httpEndpoint: fields.enum('HttpEndpoint', ['disabled', 'enabled'] as const),
  httpProtocolIpv6: fields.enum('HttpProtocolIpv6', ['disabled', 'enabled'] as const),
  instanceMetadataTags: fields.enum('InstanceMetadataTags', ['disabled', 'enabled'] as const),
};

export type MetadataOptionsInput = Partial<InstanceMetadataOptionsRecord>;

/** Defaults of an instance launched without MetadataOptions (IMDSv1 and v2 both answer). */
export const DEFAULT_METADATA_OPTIONS: InstanceMetadataOptionsRecord = {
  httpTokens: 'optional',
  httpEndpoint: 'enabled',
  httpPutResponseHopLimit: 1,
  instanceMetadataTags: 'disabled',
  httpProtocolIpv6: 'disabled',
};

/** Applies the given options over `base`; the hop limit must be 1–64 (message unconfirmed). */
export function mergeMetadataOptions(base: InstanceMetadataOptionsRecord, input: MetadataOptionsInput): InstanceMetadataOptionsRecord {
  const hop = input.httpPutResponseHopLimit;
  if (hop !== undefined && (hop < 1 || hop > 64)) {
    throw new Ec2Error('InvalidParameterValue', `Invalid value '${hop}' for HttpPutResponseHopLimit. Valid values are between 1 and 64.`);
  }
  const out = { ...base };
  for (const [k, v] of Object.entries(input) as [keyof InstanceMetadataOptionsRecord, never][]) {
    if (v !== undefined) out[k] = v;
  }
  return out;
}
