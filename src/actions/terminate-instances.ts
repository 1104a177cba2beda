// TerminateInstances: → shutting-down → terminated. Access ends at once; the instance stays
// visible to DescribeInstances; DeleteOnTermination volumes are deleted, others detached.
// Rules: src/compute/lifecycle.ts.
import { changeStates } from '../compute/lifecycle.js';
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
    const changes = await changeStates(ctx, ctx.scope, 'terminate', instances, userInitiated(ctx.now()));
    return { instancesSet: changes.map((c) => stateChange(c.instanceId, c.previous, c.current)) };
  },
);
