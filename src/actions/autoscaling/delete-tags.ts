// DeleteTags: removes group tags by key (a value, when given, must match).
import { autoScalingErrors } from '../../errors/autoscaling-messages.js';
import type { AutoScalingGroupDocument } from '../../domain/autoscaling.js';
import { defineAction } from '../action.js';
import { tagsField } from './group-input.js';

export default defineAction('DeleteTags', { tags: { ...tagsField, required: true } }, async (ctx, input) => {
  for (const t of input.tags) {
    if (!t.resourceId) throw autoScalingErrors.memberNull('resourceId');
    const next = await ctx.store.documents.update<AutoScalingGroupDocument>(ctx.scope, 'auto-scaling-group', t.resourceId, (g) => ({
      ...g,
      tags: g.tags.filter((x) => !(x.key === t.key && (t.value === undefined || x.value === t.value))),
    }));
    if (!next) throw autoScalingErrors.groupNotFoundForTags(t.resourceId);
  }
  return {};
});
