// Auto Scaling's VPCZoneIdentifier names real subnets (issue 20): each must exist (else Auto
// Scaling's ValidationError), the group's zones are theirs, and a member launched in a zone goes
// into the group's subnet of that zone.
import { Ec2Error } from '../../errors/ec2-error.js';
import type { SubnetData } from '../../compute/network/model.js';
import type { ActionContext } from '../context.js';
import { ready } from './common.js';

const subnetsOf = (vpcZoneIdentifier: string) => vpcZoneIdentifier.split(',').map((s) => s.trim()).filter(Boolean);

/** The zones of the named subnets, in their order (once each); undefined when none are named. */
export async function vpcZones(ctx: ActionContext, vpcZoneIdentifier: string | undefined): Promise<string[] | undefined> {
  const ids = subnetsOf(vpcZoneIdentifier ?? '');
  if (!ids.length) return undefined;
  await ready(ctx);
  const found = await ctx.store.network.list<SubnetData>(ctx.scope, 'subnet', { ids });
  const missing = ids.find((id) => !found.some((s) => s.id === id));
  // observed (terraform-provider-aws issues): "ValidationError: The subnet ID 'subnet-…' does not exist"
  if (missing) throw Ec2Error.withMessage('ValidationError', `The subnet ID '${missing}' does not exist`);
  const vpcs = new Set(found.map((s) => s.vpcId));
  if (vpcs.size > 1) throw Ec2Error.withMessage('ValidationError', 'The subnets must all belong to the same VPC.');
  return [...new Set(ids.map((id) => found.find((s) => s.id === id)!.data.availabilityZone))];
}

/** The group's subnet in `zone` (the first named there), for RunInstances' SubnetId. */
export async function groupSubnetFor(ctx: ActionContext, vpcZoneIdentifier: string | undefined, zone: string): Promise<string | undefined> {
  const ids = subnetsOf(vpcZoneIdentifier ?? '');
  if (!ids.length) return undefined;
  const found = await ctx.store.network.list<SubnetData>(ctx.scope, 'subnet', { ids });
  return ids.find((id) => found.find((s) => s.id === id)?.data.availabilityZone === zone);
}
