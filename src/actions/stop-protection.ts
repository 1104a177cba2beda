// What StopInstances refuses before any instance changes: a stop-protected instance
// (DisableApiStop), and hibernation of an instance not launched with HibernationOptions.Configured.
import { Ec2Error } from '../errors/ec2-error.js';
import type { InstanceRecord } from '../store/port.js';

export function checkStoppable(instances: readonly InstanceRecord[], hibernate: boolean | undefined): void {
  const live = instances.filter((r) => r.state !== 'terminated' && r.state !== 'shutting-down');
  const locked = live.find((r) => r.options?.disableApiStop);
  if (locked) {
    // observed: cloud-custodian/cloud-custodian#8007 and #10594
    throw new Ec2Error('OperationNotPermitted', `The instance '${locked.instanceId}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.`);
  }
  if (hibernate) {
    const plain = live.find((r) => !r.options?.hibernation);
    // unconfirmed wording; the code is EC2's for hibernating an instance not enabled for it
    if (plain) throw new Ec2Error('UnsupportedHibernationConfiguration', `The instance '${plain.instanceId}' is not enabled for hibernation.`);
  }
}
