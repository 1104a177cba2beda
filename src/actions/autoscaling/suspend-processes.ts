// SuspendProcesses: stops some of the group's processes (all when none are named). The reconciler
// honours them: Launch (no launches, nor replacements), Terminate (no scale-in), HealthCheck (members
// are not marked unhealthy from EC2's state), ReplaceUnhealthy (unhealthy members stay), InstanceRefresh.
import { isSuspended, SCALING_PROCESSES, causeTime, type SuspendedProcess } from '../../domain/autoscaling.js';
import { autoScalingErrors } from '../../errors/autoscaling-messages.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { changeGroup, findGroup } from './groups.js';

export function processNames(names: readonly string[]): (typeof SCALING_PROCESSES)[number][] {
  for (const n of names) if (!(SCALING_PROCESSES as readonly string[]).includes(n)) throw autoScalingErrors.invalidProcess(n);
  return (names.length ? names : SCALING_PROCESSES) as (typeof SCALING_PROCESSES)[number][];
}

export default defineAction(
  'SuspendProcesses',
  {
    autoScalingGroupName: fields.string('AutoScalingGroupName', { required: true }),
    scalingProcesses: fields.list('ScalingProcesses.member'),
  },
  async (ctx, input) => {
    const names = processNames(input.scalingProcesses);
    await findGroup(ctx, input.autoScalingGroupName);
    // "User suspended at <time>" is the reason AWS shows for a user's suspension
    const reason = `User suspended at ${causeTime(ctx.now())}`;
    await changeGroup(ctx, input.autoScalingGroupName, (g) => {
      const added: SuspendedProcess[] = names.filter((n) => !isSuspended(g, n)).map((processName) => ({ processName, suspensionReason: reason }));
      return { ...g, suspendedProcesses: [...(g.suspendedProcesses ?? []), ...added] };
    });
    ctx.autoScaling.wake();
    return {};
  },
);
