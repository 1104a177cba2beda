// Tag rules shared by every taggable resource (EC2 model `Tag`; tag-key-pair.md).
import { Ec2Error } from '../errors/ec2-error.js';

export interface Tag { key: string; value: string }

export const MAX_TAGS_PER_RESOURCE = 50;

export function validateTags(tags: readonly Tag[]): void {
  for (const { key, value } of tags) {
    if (key.length === 0) throw new Ec2Error('InvalidParameterValue', 'Tag key cannot be null or empty.');
    if (key.length > 127) {
      throw new Ec2Error('InvalidParameterValue', `Tag key exceeds the maximum length of 127 characters`);
    }
    if (key.toLowerCase().startsWith('aws:')) {
      throw new Ec2Error('InvalidParameterValue', `Tag keys starting with 'aws:' are reserved for internal use`);
    }
    if (value.length > 256) {
      throw new Ec2Error('InvalidParameterValue', `Tag value exceeds the maximum length of 256 characters`);
    }
  }
  if (tags.length > MAX_TAGS_PER_RESOURCE) {
    throw new Ec2Error('TagLimitExceeded', `The maximum number of Tags for a resource is ${MAX_TAGS_PER_RESOURCE}.`);
  }
}

/** Later duplicates of a key win, as CreateTags overwrites. */
export function dedupeTags(tags: readonly Tag[]): Tag[] {
  const byKey = new Map<string, Tag>();
  for (const t of tags) byKey.set(t.key, t);
  return [...byKey.values()];
}

export const tagSet = (tags: readonly Tag[]) => tags.map((t) => ({ key: t.key, value: t.value }));
