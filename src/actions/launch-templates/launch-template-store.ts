// Launch templates as stored (one document per template, its versions inside) and how a request
// names one: by id or name, and a version number, `$Latest` or `$Default`.
import { Ec2Error } from '../../errors/ec2-error.js';
import type { Tag } from '../../domain/tags.js';
import type { Scope, Store } from '../../store/port.js';
import type { LaunchTemplateData } from './launch-template-data.js';
import { wholeSeconds } from '../../domain/aws-time.js';

export interface LaunchTemplateVersion {
  versionNumber: number;
  versionDescription?: string;
  createTime: string;
  data: LaunchTemplateData;
}

export interface LaunchTemplateDocument {
  launchTemplateId: string;
  launchTemplateName: string;
  createTime: string;
  createdBy: string;
  defaultVersionNumber: number;
  latestVersionNumber: number;
  versions: LaunchTemplateVersion[];
  tags: Tag[];
}

export const isLaunchTemplateId = (id: string): boolean => /^lt-[0-9a-f]{17}$/.test(id);

/** The template named by id or name (id first, as EC2 ignores the name when both are given). */
export async function findLaunchTemplate(
  store: Store,
  scope: Scope,
  ref: { id?: string; name?: string },
): Promise<LaunchTemplateDocument> {
  if (ref.id) {
    if (!isLaunchTemplateId(ref.id)) throw new Ec2Error('InvalidLaunchTemplateId.Malformed', ref.id);
    const all = await store.documents.list<LaunchTemplateDocument>(scope, 'launch-template');
    const found = all.find((t) => t.launchTemplateId === ref.id);
    if (!found) throw new Ec2Error('InvalidLaunchTemplateId.NotFound', ref.id);
    return found;
  }
  if (ref.name) {
    const found = await store.documents.get<LaunchTemplateDocument>(scope, 'launch-template', ref.name);
    if (!found) throw new Ec2Error('InvalidLaunchTemplateName.NotFoundException', ref.name);
    return found;
  }
  // observed wording (getmoto/moto#5726, from AWS)
  throw new Ec2Error('MissingParameter', 'launchTemplateName or launchTemplateId');
}

/** A version by number, `$Latest` or `$Default` (absent = `$Default`). */
export function templateVersion(t: LaunchTemplateDocument, version: string | undefined): LaunchTemplateVersion {
  const v = version ?? '$Default';
  const number = v === '$Latest' ? t.latestVersionNumber : v === '$Default' ? t.defaultVersionNumber : /^[1-9][0-9]{0,17}$/.test(v) ? Number(v) : NaN;
  const found = t.versions.find((x) => x.versionNumber === number);
  if (!found) throw new Ec2Error('InvalidLaunchTemplateId.VersionNotFound', v, t.launchTemplateId);
  return found;
}

/**
 * The templates with their tags: those in the tags table (CreateTags, and TagSpecifications of
 * templates made since tags moved there) over those an older document holds itself.
 */
export async function withTags(store: Store, scope: Scope, templates: LaunchTemplateDocument[]): Promise<LaunchTemplateDocument[]> {
  if (!templates.length) return templates;
  const ids = new Set(templates.map((t) => t.launchTemplateId));
  const table = (await store.tags.list(scope)).filter((r) => ids.has(r.resourceId));
  return templates.map((t) => {
    const mine = table.filter((r) => r.resourceId === t.launchTemplateId).map((r) => ({ key: r.key, value: r.value }));
    return { ...t, tags: [...t.tags.filter((x) => !mine.some((m) => m.key === x.key)), ...mine] };
  });
}

/** `<launchTemplate>` as Create/Describe/Modify/DeleteLaunchTemplate write it. */
export function launchTemplateXml(t: LaunchTemplateDocument) {
  return {
    launchTemplateId: t.launchTemplateId,
    launchTemplateName: t.launchTemplateName,
    createTime: wholeSeconds(t.createTime),
    createdBy: t.createdBy,
    defaultVersionNumber: t.defaultVersionNumber,
    latestVersionNumber: t.latestVersionNumber,
    tagSet: t.tags.length ? t.tags.map((x) => ({ key: x.key, value: x.value })) : undefined,
  };
}
