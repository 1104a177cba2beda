// DeleteLaunchConfiguration: refused while a group uses it.
import { autoScalingErrors } from '../../errors/autoscaling-messages.js';
import type { AutoScalingGroupDocument } from '../../domain/autoscaling.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';

export default defineAction(
  'DeleteLaunchConfiguration',
  { launchConfigurationName: fields.string('LaunchConfigurationName', { required: true }) },
  async (ctx, input) => {
    const name = input.launchConfigurationName;
    const groups = await ctx.store.documents.list<AutoScalingGroupDocument>(ctx.scope, 'auto-scaling-group');
    if (groups.some((g) => g.launchConfigurationName === name)) throw autoScalingErrors.launchConfigurationInUse(name);
    if (!(await ctx.store.documents.delete(ctx.scope, 'launch-configuration', name))) throw autoScalingErrors.launchConfigurationNotFound(name);
    return {};
  },
);
