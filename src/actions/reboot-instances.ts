// RebootInstances: the guest restarts with the same disk; SSH sessions end; the state stays
// `running`. Rules: src/compute/lifecycle.ts.
import { changeStates } from '../compute/lifecycle.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { checkInstanceIds, findInstances, userInitiated } from './instance-views.js';

export default defineAction(
  'RebootInstances',
  {
    instanceIds: fields.list('InstanceId', { required: true }),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkInstanceIds(input.instanceIds);
    checkDryRun(input.dryRun);
    const instances = await findInstances(ctx, input.instanceIds);
    await changeStates(ctx, ctx.scope, 'reboot', instances, userInitiated(ctx.now()));
    return { return: true };
  },
);
