// TerminateInstances: → shutting-down → terminated. Access ends at once; the instance stays
// visible to DescribeInstances; its root volume (DeleteOnTermination) is deleted.
import { Ec2Error } from '../errors/ec2-error.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { checkInstanceIds, findInstances, stateChange, userInitiated } from './instance-views.js';

export default defineAction(
  'TerminateInstances',
  {
    instanceIds: fields.list('InstanceId', { required: true }),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkInstanceIds(input.instanceIds);
    checkDryRun(input.dryRun);
    const instances = await findInstances(ctx, input.instanceIds);
    const locked = instances.find((r) => r.disableApiTermination && r.state !== 'terminated');
    if (locked) {
      throw new Ec2Error(
        'OperationNotPermitted',
        `The instance '${locked.instanceId}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`,
      );
    }
    const out = [];
    for (const r of instances) {
      const previous = r.state;
      const reason = userInitiated(ctx.now());
      const next = await ctx.store.instances.update(ctx.scope, r.instanceId, (x) =>
        x.state === 'terminated' || x.state === 'shutting-down' ? x : { ...x, state: 'shutting-down', stateTransitionReason: reason },
      );
      if (next?.state === 'shutting-down' && previous !== 'shutting-down') await ctx.runtime.terminate(ctx.scope, r.instanceId);
      out.push(stateChange(r.instanceId, previous, next?.state ?? previous));
    }
    return { instancesSet: out };
  },
);
