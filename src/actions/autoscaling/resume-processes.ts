// ResumeProcesses: the named processes (all when none are named) run again; the reconciler catches up.
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { changeGroup, findGroup } from './groups.js';
import { processNames } from './suspend-processes.js';

export default defineAction(
  'ResumeProcesses',
  {
    autoScalingGroupName: fields.string('AutoScalingGroupName', { required: true }),
    scalingProcesses: fields.list('ScalingProcesses.member'),
  },
  async (ctx, input) => {
    const names: string[] = processNames(input.scalingProcesses);
    await findGroup(ctx, input.autoScalingGroupName);
    await changeGroup(ctx, input.autoScalingGroupName, (g) => ({
      ...g,
      suspendedProcesses: (g.suspendedProcesses ?? []).filter((p) => !names.includes(p.processName)),
    }));
    ctx.autoScaling.wake();
    return {};
  },
);
