// SetDesiredCapacity: within MinSize..MaxSize; the reconciler launches or terminates the difference.
// HonorCooldown: refused during a scaling activity or the group's DefaultCooldown after it.
import { autoScalingErrors } from '../../errors/autoscaling-messages.js';
import { causes } from '../../domain/autoscaling.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { changeGroup, findGroup } from './groups.js';
import { checkCooldown } from './cooldown.js';

export default defineAction(
  'SetDesiredCapacity',
  {
    autoScalingGroupName: fields.string('AutoScalingGroupName', { required: true }),
    desiredCapacity: fields.integer('DesiredCapacity', { required: true }),
    honorCooldown: fields.boolean('HonorCooldown'),
  },
  async (ctx, input) => {
    const g = await findGroup(ctx, input.autoScalingGroupName);
    if (input.desiredCapacity > g.maxSize) throw autoScalingErrors.desiredAboveMax(input.desiredCapacity, g.maxSize);
    if (input.desiredCapacity < g.minSize) throw autoScalingErrors.desiredBelowMin(input.desiredCapacity, g.minSize);
    if (input.honorCooldown) await checkCooldown(ctx, g, g.defaultCooldown);
    const now = ctx.now();
    await changeGroup(ctx, g.autoScalingGroupName, (x) =>
      x.desiredCapacity === input.desiredCapacity
        ? x
        : { ...x, desiredCapacity: input.desiredCapacity, pendingCause: causes.setDesired(now, x.desiredCapacity, input.desiredCapacity) },
    );
    ctx.autoScaling.wake();
    return {};
  },
);
