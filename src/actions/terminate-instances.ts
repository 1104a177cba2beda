// TerminateInstances: → shutting-down → terminated. Access ends at once; the instance stays
// visible to DescribeInstances; DeleteOnTermination volumes are deleted, others detached.
// Rules: src/compute/lifecycle.ts.
import { changeStates } from '../compute/lifecycle.js';
import { Ec2Error } from '../errors/ec2-error.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { checkInstanceIds, findInstances, stateChange, userInitiated } from './instance-views.js';

export default defineAction(
  'TerminateInstances',
  {
    // Not `required`: AWS answers an empty list with its own error, not MissingParameter.
    instanceIds: fields.list('InstanceId'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    // observed: gruntwork-io/cloud-nuke#731 (a TerminateInstances call with no ids, real AWS)
    if (input.instanceIds.length === 0) throw new Ec2Error('InvalidParameterCombination', 'No instances specified');
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
    const changes = await changeStates(ctx, ctx.scope, 'terminate', instances, userInitiated(ctx.now()));
    return { instancesSet: changes.map((c) => stateChange(c.instanceId, c.previous, c.current)) };
  },
);
