// ModifyInstanceAttribute `BlockDeviceMapping.N`: changes DeleteOnTermination of volumes attached
// to the instance, named by device (and optionally volume id), as EC2 allows on a running or
// stopped instance. Other members (VirtualName, NoDevice) cannot change after launch.
import { Ec2Error } from '../errors/ec2-error.js';
import { settled } from '../compute/volume-state.js';
import { checkDryRun } from './action.js';
import type { ActionContext } from './context.js';
import { checkInstanceIds, findInstances } from './instance-views.js';
import { attachmentPoint } from './volume-views.js';

interface Change {
  deviceName?: string;
  volumeId?: string;
  deleteOnTermination?: boolean;
  virtualName?: string;
  noDevice?: string;
}

export async function modifyBlockDeviceMappings(ctx: ActionContext, instanceId: string, changes: readonly Change[], dryRun: boolean | undefined) {
  for (const c of changes) {
    if (!c.deviceName) throw new Ec2Error('MissingParameter', 'BlockDeviceMapping.deviceName');
    if (c.virtualName !== undefined || c.noDevice !== undefined) {
      // unconfirmed wording: instance-store and NoDevice mappings are fixed at launch (block device mapping docs)
      throw new Ec2Error('InvalidParameterCombination', `The block device mapping for ${c.deviceName} can only change Ebs.DeleteOnTermination after launch.`);
    }
  }
  checkInstanceIds([instanceId]);
  checkDryRun(dryRun);
  const [instance] = await findInstances(ctx, [instanceId]);
  if (instance!.state === 'terminated' || instance!.state === 'shutting-down') {
    throw new Ec2Error('IncorrectInstanceState', `The instance '${instanceId}' is not in a state from which it can be modified.`);
  }
  const now = ctx.now();
  const attached = (await ctx.store.volumes.attachedTo(ctx.scope, [instanceId])).map((v) => settled(v, now)).filter((v) => v.attachment?.instanceId === instanceId && v.state !== 'deleted');
  const plan = changes.map((c) => {
    const v = attached.find((x) => attachmentPoint(x.attachment!.device) === attachmentPoint(c.deviceName!) && x.volumeId.startsWith('vol-'));
    // wording unconfirmed; the code is EC2's for attribute values that name nothing on the instance
    if (!v) throw new Ec2Error('InvalidInstanceAttributeValue', `No device is currently mapped at ${c.deviceName}`);
    if (c.volumeId !== undefined && c.volumeId !== v.volumeId) {
      throw new Ec2Error('InvalidInstanceAttributeValue', `The volume ${c.volumeId} is not attached to ${instanceId} at ${c.deviceName}`);
    }
    return { volumeId: v.volumeId, deleteOnTermination: c.deleteOnTermination };
  });
  for (const p of plan) {
    if (p.deleteOnTermination === undefined) continue;
    await ctx.store.volumes.update(ctx.scope, p.volumeId, (x) =>
      x.attachment?.instanceId === instanceId ? { ...x, attachment: { ...x.attachment, deleteOnTermination: p.deleteOnTermination! } } : x,
    );
  }
  return { return: true };
}
