// IAM instance profile associations: kept on the instance (its launch options), one per instance,
// shaped as EC2 writes an `IamInstanceProfileAssociation`, and found by association id.
import { Ec2Error } from '../errors/ec2-error.js';
import type { InstanceRecord } from '../store/port.js';
import type { ActionContext } from './context.js';
import type { ActionOutput } from './output.js';

export const associationItem = (r: InstanceRecord, state = 'associated'): ActionOutput => {
  const p = r.options!.iamInstanceProfile!;
  return { associationId: p.associationId, instanceId: r.instanceId, iamInstanceProfile: { arn: p.arn, id: p.id }, state, timestamp: r.launchTime };
};

/** Instances with a live association (terminated instances lose theirs). */
export async function associatedInstances(ctx: ActionContext): Promise<InstanceRecord[]> {
  return (await ctx.store.instances.list(ctx.scope)).filter((r) => r.options?.iamInstanceProfile && r.state !== 'terminated');
}

export async function findAssociation(ctx: ActionContext, associationId: string): Promise<InstanceRecord> {
  const found = (await associatedInstances(ctx)).find((r) => r.options!.iamInstanceProfile!.associationId === associationId);
  // wording unconfirmed; the code is EC2's
  if (!found) throw new Ec2Error('InvalidAssociationID.NotFound', `An association ID ${associationId} does not exist`);
  return found;
}

/** Sets (or clears) the instance's profile, in the store and in its running guest's metadata. */
export async function setProfile(ctx: ActionContext, instanceId: string, profile: NonNullable<InstanceRecord['options']>['iamInstanceProfile']): Promise<InstanceRecord> {
  const next = await ctx.store.instances.update(ctx.scope, instanceId, (r) => ({ ...r, options: { ...r.options, iamInstanceProfile: profile } }));
  await ctx.runtime.setIamInstanceProfile(instanceId, profile && { arn: profile.arn, id: profile.id });
  return next!;
}
