// RunInstances with `LaunchTemplate`: the template version's members fill in what the request
// leaves out; members the request gives win (tags merge per resource type, request last).
import type { ActionContext } from '../context.js';
import type { TagSpecification } from '../input.js';
import type { MetadataOptionsInput } from '../metadata-options.js';
import { findLaunchTemplate, templateVersion } from './launch-template-store.js';

export interface LaunchTemplateSpecification {
  launchTemplateId?: string;
  launchTemplateName?: string;
  version?: string;
}

/** The members of RunInstances' input a template can supply. */
export interface LaunchTemplateTarget {
  launchTemplate?: LaunchTemplateSpecification;
  imageId?: string;
  instanceType?: string;
  keyName?: string;
  userData?: string;
  metadataOptions?: MetadataOptionsInput;
  tagSpecifications: TagSpecification[];
  placement?: { availabilityZone?: string };
}

export async function withLaunchTemplate<I extends LaunchTemplateTarget>(ctx: ActionContext, input: I): Promise<I> {
  const spec = input.launchTemplate;
  if (!spec || Object.keys(spec).length === 0) return input;
  const template = await findLaunchTemplate(ctx.store, ctx.scope, { id: spec.launchTemplateId, name: spec.launchTemplateName });
  const d = templateVersion(template, spec.version).data;
  const tagSpecifications: TagSpecification[] = [];
  for (const s of [...(d.tagSpecifications ?? []), ...input.tagSpecifications]) {
    const same = tagSpecifications.find((x) => x.resourceType === s.resourceType);
    if (same) same.tags = [...same.tags, ...s.tags];
    else tagSpecifications.push({ resourceType: s.resourceType, tags: [...s.tags] });
  }
  const merged: I = {
    ...input,
    imageId: input.imageId ?? d.imageId,
    instanceType: input.instanceType ?? d.instanceType,
    keyName: input.keyName ?? d.keyName,
    metadataOptions: { ...d.metadataOptions, ...stripUndefined(input.metadataOptions ?? {}) },
    tagSpecifications,
    placement: { ...input.placement, availabilityZone: input.placement?.availabilityZone || d.availabilityZone },
  };
  // UserData is a member of RunInstances' table once user data is supported; filled in either way.
  if (input.userData === undefined && d.userData !== undefined) merged.userData = d.userData;
  return merged;
}

const stripUndefined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
