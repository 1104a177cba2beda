// StopInstances: running → stopping → stopped. SSH sessions close at once; volumes keep their
// files. Only EBS-backed instances can be stopped. Rules: src/compute/lifecycle.ts.
import { changeStates } from '../compute/lifecycle.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { checkStoppable } from './stop-protection.js';
import { checkInstanceIds, findInstances, stateChange, userInitiated } from './instance-views.js';

export default defineAction(
  'StopInstances',
  {
    instanceIds: fields.list('InstanceId', { required: true }),
    hibernate: fields.boolean('Hibernate'),
    force: fields.boolean('Force'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkInstanceIds(input.instanceIds);
    checkDryRun(input.dryRun);
    const instances = await findInstances(ctx, input.instanceIds);
    checkStoppable(instances, input.hibernate);
    const changes = await changeStates(ctx, ctx.scope, 'stop', instances, userInitiated(ctx.now()));
    return { instancesSet: changes.map((c) => stateChange(c.instanceId, c.previous, c.current)) };
  },
);
