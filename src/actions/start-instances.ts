// StartInstances: stopped → pending → running (the runtime boots the guest after the start
// delay, with the same root volume: files survive, first boot does not run again).
import { Ec2Error } from '../errors/ec2-error.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { checkInstanceIds, findInstances, stateChange } from './instance-views.js';

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
    for (const r of instances) {
      if (r.state === 'stopped' || r.state === 'pending' || r.state === 'running') continue;
      // observed: burstable-ai/burst#42, canonical/ubuntu-pro-client#1697
      throw new Ec2Error('IncorrectInstanceState', `The instance '${r.instanceId}' is not in a state from which it can be started.`);
    }
    const out = [];
    for (const r of instances) {
      const previous = r.state;
      const next = await ctx.store.instances.update(ctx.scope, r.instanceId, (x) =>
        x.state === 'stopped' ? { ...x, state: 'pending', stateTransitionReason: '' } : x,
      );
      if (previous === 'stopped' && next?.state === 'pending') await ctx.runtime.boot(ctx.scope, r.instanceId, new Date());
      out.push(stateChange(r.instanceId, previous, next?.state ?? previous));
    }
    return { instancesSet: out };
  },
);
