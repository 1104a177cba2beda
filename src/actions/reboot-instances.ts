// RebootInstances: the guest restarts with the same disk; SSH sessions end; the state stays
// `running`. Rebooting a terminated instance is refused (message by analogy with StartInstances).
import { Ec2Error } from '../errors/ec2-error.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { checkInstanceIds, findInstances } from './instance-views.js';

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
    for (const r of instances) {
      if (r.state === 'terminated' || r.state === 'shutting-down') {
        throw new Ec2Error('IncorrectInstanceState', `The instance '${r.instanceId}' is not in a state from which it can be rebooted.`);
      }
    }
    for (const r of instances) if (r.state === 'running') await ctx.runtime.reboot(ctx.scope, r.instanceId);
    return { return: true };
  },
);
