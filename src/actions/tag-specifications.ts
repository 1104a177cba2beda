// TagSpecification rules shared by the Create*/Import*/Run* actions.
import { Ec2Error } from '../errors/ec2-error.js';
import { dedupeTags, validateTags, type Tag } from '../domain/tags.js';
import type { TagSpecification } from './input.js';

/** Returns the tags for `resourceType`; rejects specifications for any other type. */
export function tagsFor(specs: readonly TagSpecification[], allowed: readonly string[], resourceType: string): Tag[] {
  const seen = new Set<string>();
  let tags: Tag[] = [];
  for (const spec of specs) {
    // observed 2024 (yegor256/rultor#1991)
    if (!spec.resourceType) throw new Ec2Error('InvalidParameterValue', 'Tag specification resource type must have a value');
    // observed (aws/aws-cli#2865)
    if (!allowed.includes(spec.resourceType)) {
      throw new Ec2Error('InvalidParameterValue', `'${spec.resourceType}' is not a valid taggable resource type for this operation.`);
    }
    if (seen.has(spec.resourceType)) {
      throw new Ec2Error(
        'InvalidParameterValue',
        `The same resource type may not be specified more than once in tag specifications`,
      );
    }
    seen.add(spec.resourceType);
    validateTags(spec.tags);
    if (spec.resourceType === resourceType) tags = dedupeTags(spec.tags);
  }
  return tags;
}
