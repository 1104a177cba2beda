// RunInstances with `LaunchTemplate`: every member of the template version is read through
// RunInstances' own input table (so it is validated and applied exactly as if the request had
// sent it), and fills in what the request leaves out. Members the request gives win, whole,
// except where EC2 combines them: tags merge per resource type (request last), metadata options
// and placement member by member, block device mappings by device name.
import type { ActionContext } from '../context.js';
import { readInput, type Field, type TagSpecification } from '../input.js';
import type { MetadataOptionsInput } from '../metadata-options.js';
import { paramsOf } from './launch-template-data.js';
import { NOT_FOR_RUN_INSTANCES, runInstancesParams } from './launch-template-params.js';
import { findLaunchTemplate, templateVersion } from './launch-template-store.js';
import { Ec2Error } from '../../errors/ec2-error.js';

export interface LaunchTemplateSpecification {
  launchTemplateId?: string;
  launchTemplateName?: string;
  version?: string;
}

/** The members of RunInstances' input merged specially. */
export interface LaunchTemplateTarget {
  launchTemplate?: LaunchTemplateSpecification;
  metadataOptions?: MetadataOptionsInput;
  tagSpecifications: TagSpecification[];
  placement?: { availabilityZone?: string };
}

/** The template version a launch used: its instances carry it as `aws:ec2launchtemplate:id` / `:version` tags. */
export interface LaunchTemplateUsed { id: string; version: number }

/**
 * Network members RunInstances takes once the networking work lands (SecurityGroupId, NetworkInterface …):
 * until its table has them, a template's are left to the network defaults rather than failing every launch.
 */
const NETWORK_MEMBERS = new Set(['SecurityGroupId', 'SecurityGroup', 'NetworkInterface', 'SubnetId', 'PrivateIpAddress']);

const isUnset = (v: unknown): boolean =>
  v === undefined || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => x === undefined));

const defined = <T extends object>(o: T | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;

export async function withLaunchTemplate<I extends LaunchTemplateTarget>(
  ctx: ActionContext,
  input: I,
  table: Record<string, Field>,
): Promise<I & { launchTemplateUsed?: LaunchTemplateUsed }> {
  const spec = input.launchTemplate;
  if (!spec || Object.values(spec).every((v) => v === undefined)) return input;
  const template = await findLaunchTemplate(ctx.store, ctx.scope, { id: spec.launchTemplateId, name: spec.launchTemplateName });
  const version = templateVersion(template, spec.version);
  const wire = runInstancesParams(paramsOf(version.data));
  const known = new Set(Object.values(table).map((f) => f.wire.split('.')[0]));
  for (const key of [...wire.keys()]) {
    const top = key.split('.')[0]!;
    if (NOT_FOR_RUN_INSTANCES.has(top)) {
      // unconfirmed wording: attribute-based selection is for fleets and Auto Scaling, not RunInstances
      throw new Ec2Error('InvalidParameterCombination', `The launch template's ${top} can only be used by EC2 Fleet, Spot Fleet and Auto Scaling.`);
    }
    if (NETWORK_MEMBERS.has(top) && !known.has(top)) wire.delete(key);
  }
  // The template's members as if the request had sent them (none required: the request has the counts).
  const optional = Object.fromEntries(Object.entries(table).map(([k, f]) => [k, { ...f, required: false }])) as Record<string, Field>;
  const fromTemplate = readInput(optional, wire, () => false) as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...(input as object), launchTemplateUsed: { id: template.launchTemplateId, version: version.versionNumber } };
  for (const [k, v] of Object.entries(fromTemplate)) {
    const mine = (input as Record<string, unknown>)[k];
    if (k === 'tagSpecifications') {
      const specs: TagSpecification[] = [];
      for (const s of [...(v as TagSpecification[]), ...input.tagSpecifications]) {
        const same = specs.find((x) => x.resourceType === s.resourceType);
        if (same) same.tags = [...same.tags, ...s.tags];
        else specs.push({ resourceType: s.resourceType, tags: [...s.tags] });
      }
      merged[k] = specs;
    } else if (k === 'metadataOptions' || k === 'placement') {
      merged[k] = { ...defined(v as object), ...defined(mine as object | undefined) };
    } else if (k === 'blockDeviceMappings') {
      const ours = (mine as { deviceName?: string }[] | undefined) ?? [];
      const theirs = (v as { deviceName?: string }[]).filter((m) => !ours.some((o) => o.deviceName === m.deviceName));
      merged[k] = [...theirs, ...ours];
    } else if (isUnset(mine)) {
      merged[k] = v;
    }
  }
  return merged as unknown as I & { launchTemplateUsed: LaunchTemplateUsed };
}
