// StartInstances: stopped → pending → running (the runtime boots the guest after the start
// delay, with the volume attached at the root device name). Rules: src/compute/lifecycle.ts.
import { changeStates } from '../compute/lifecycle.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { checkInstanceIds, findInstances, stateChange, userInitiated } from './instance-views.js';

export default defineAction(
  'StartInstances',
  {
    instanceIds: fields.list('InstanceId', { required: true }),
    additionalInfo: fields.string('AdditionalInfo'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkInstanceIds(input.instanceIds);
    checkDryRun(input.dryRun);
    const instances = await findInstances(ctx, input.instanceIds);
    const changes = await changeStates(ctx, ctx.scope, 'start', instances, userInitiated(ctx.now()));
    return { instancesSet: changes.map((c) => stateChange(c.instanceId, c.previous, c.current)) };
  },
);
