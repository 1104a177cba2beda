// MonitorInstances and UnmonitorInstances are one action with two settings: validate the ids,
// set detailed monitoring on each instance, and answer with the transitional state EC2 reports
// while the change settles (`pending` when turning on, `disabling` when turning off).
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { checkInstanceIds, findInstances } from './instance-views.js';

export const setMonitoringAction = (name: 'MonitorInstances' | 'UnmonitorInstances', monitoring: boolean, answerState: 'pending' | 'disabling') =>
  defineAction(
    name,
    {
      instanceIds: fields.list('InstanceId', { required: true }),
      dryRun: fields.boolean('DryRun'),
    },
    async (ctx, input) => {
      checkInstanceIds(input.instanceIds);
      checkDryRun(input.dryRun);
      const instances = await findInstances(ctx, input.instanceIds);
      for (const r of instances) await ctx.store.instances.update(ctx.scope, r.instanceId, (x) => ({ ...x, options: { ...x.options, monitoring } }));
      return { instancesSet: instances.map((r) => ({ instanceId: r.instanceId, monitoring: { state: answerState } })) };
    },
  );
