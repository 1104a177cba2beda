// DeleteAutoScalingGroup: an empty group goes at once; one with instances needs ForceDelete, which
// sets it to `Delete in progress` and lets the reconciler terminate its instances, then delete it.
import { autoScalingErrors } from '../../errors/autoscaling-messages.js';
import { causes, type AutoScalingGroupDocument } from '../../domain/autoscaling.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { changeGroup, deleteGroupDocument } from './groups.js';
import { visibleMembers } from './views.js';

export default defineAction(
  'DeleteAutoScalingGroup',
  {
    autoScalingGroupName: fields.string('AutoScalingGroupName', { required: true }),
    forceDelete: fields.boolean('ForceDelete'),
  },
  async (ctx, input) => {
    const name = input.autoScalingGroupName;
    const g = await ctx.store.documents.get<AutoScalingGroupDocument>(ctx.scope, 'auto-scaling-group', name);
    if (!g) throw autoScalingErrors.groupNotFoundOnDelete(name);
    if (visibleMembers(g).length === 0) {
      await deleteGroupDocument(ctx, name);
      return {};
    }
    if (!input.forceDelete) throw autoScalingErrors.groupHasInstances();
    const now = ctx.now();
    await changeGroup(ctx, name, (x) => ({
      ...x,
      status: 'Delete in progress',
      minSize: 0,
      maxSize: 0,
      pendingCause: x.desiredCapacity > 0 ? causes.deleted(now, x.desiredCapacity) : x.pendingCause,
      desiredCapacity: 0,
    }));
    ctx.autoScaling.wake();
    return {};
  },
);
