// CreateOrUpdateTags: tags on groups (ResourceType auto-scaling-group), overwriting by key.
import { autoScalingErrors } from '../../errors/autoscaling-messages.js';
import type { AutoScalingGroupDocument } from '../../domain/autoscaling.js';
import { defineAction } from '../action.js';
import { groupTags, tagsField } from './group-input.js';

export default defineAction('CreateOrUpdateTags', { tags: { ...tagsField, required: true } }, async (ctx, input) => {
  const byGroup = new Map<string, typeof input.tags>();
  for (const t of input.tags) {
    if (!t.resourceId) throw autoScalingErrors.memberNull('resourceId');
    byGroup.set(t.resourceId, [...(byGroup.get(t.resourceId) ?? []), t]);
  }
  for (const [name, tags] of byGroup) {
    const additions = groupTags(tags);
    const next = await ctx.store.documents.update<AutoScalingGroupDocument>(ctx.scope, 'auto-scaling-group', name, (g) => ({
      ...g,
      tags: [...g.tags.filter((t) => !additions.some((a) => a.key === t.key)), ...additions],
    }));
    if (!next) throw autoScalingErrors.groupNotFoundForTags(name);
  }
  return {};
});
