// StopInstances: running → stopping → stopped. SSH sessions close at once; the root volume
// keeps its files. Only EBS-backed instances can be stopped.
import { Ec2Error } from '../errors/ec2-error.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
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
    for (const r of instances) {
      if (r.rootDeviceType !== 'ebs') {
        // observed: mitchellh/vagrant-aws#193
        throw new Ec2Error(
          'UnsupportedOperation',
          `The instance '${r.instanceId}' does not have an 'ebs' root device type and cannot be stopped.`,
        );
      }
      if (r.state === 'terminated' || r.state === 'shutting-down') {
        // observed: ansible-collections/amazon.aws#146
        throw new Ec2Error('IncorrectInstanceState', `This instance '${r.instanceId}' is not in a state from which it can be stopped.`);
      }
      if (r.state === 'pending' && r.sshPort === undefined) {
        // observed: cloud-custodian/cloud-custodian#6014 (a first launch that has not reached running)
        throw new Ec2Error('IncorrectInstanceState', `Instance '${r.instanceId}' cannot be stopped as it has never reached the 'running' state.`);
      }
    }
    const out = [];
    for (const r of instances) {
      const previous = r.state;
      const reason = userInitiated(ctx.now());
      const next = await ctx.store.instances.update(ctx.scope, r.instanceId, (x) =>
        x.state === 'running' || x.state === 'pending' ? { ...x, state: 'stopping', stateTransitionReason: reason } : x,
      );
      if (next?.state === 'stopping' && previous !== 'stopping') await ctx.runtime.stop(ctx.scope, r.instanceId);
      out.push(stateChange(r.instanceId, previous, next?.state ?? previous));
    }
    return { instancesSet: out };
  },
);
