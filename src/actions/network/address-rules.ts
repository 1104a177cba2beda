// Elastic IPs: the limit, the XML item, filters, and how an association moves an instance's public
// address (the network store first, where uniqueness lives; then the instance record; then its SSH
// endpoint, which follows the address).
import { publicAddress } from '../../compute/addresses.js';
import type { Obj } from '../../compute/network/model.js';
import type { FilterSchema } from '../../domain/filters.js';
import { tagSet } from '../../domain/tags.js';
import type { Scope } from '../../store/port.js';
import type { ActionContext } from '../context.js';
import type { ActionOutput } from '../output.js';

/** Elastic IPs per Region (the EC2 quotas page: 5 by default). */
export const ADDRESSES_PER_REGION = 5;

export function addressItem(a: Obj<'elastic-ip'>, scope: Scope): ActionOutput {
  const x = a.data.association;
  return {
    instanceId: x?.instanceId,
    publicIp: a.data.publicIp,
    allocationId: a.id,
    associationId: x?.associationId,
    domain: 'vpc',
    networkInterfaceId: x?.networkInterfaceId,
    networkInterfaceOwnerId: x ? scope.accountId : undefined,
    privateIpAddress: x?.privateIp,
    tagSet: a.tags.length ? tagSet(a.tags) : undefined,
    publicIpv4Pool: 'amazon',
    networkBorderGroup: scope.region,
  };
}

export const addressFilters = (): FilterSchema<Obj<'elastic-ip'>> => ({
  fields: {
    'allocation-id': (a) => [a.id],
    'association-id': (a) => [a.data.association?.associationId],
    domain: () => ['vpc'],
    'instance-id': (a) => [a.data.association?.instanceId],
    'network-interface-id': (a) => [a.data.association?.networkInterfaceId],
    'network-interface-owner-id': () => [],
    'private-ip-address': (a) => [a.data.association?.privateIp],
    'public-ip': (a) => [a.data.publicIp],
    'network-border-group': () => [],
  },
  tags: (a) => a.tags,
});

/** The instance now shows `publicIp` (an Elastic IP) or, with none, a fresh address of its own; its endpoint follows. */
export async function readdressInstance(ctx: ActionContext, instanceId: string, eip: { publicIp: string; allocationId: string; associationId: string } | undefined): Promise<void> {
  const fresh = eip ? undefined : publicAddress(await ctx.store.nextSequence('public-ip'));
  const next = await ctx.store.instances.update(ctx.scope, instanceId, (r) => {
    if (eip) return { ...r, publicIp: eip.publicIp, elasticIp: { allocationId: eip.allocationId, associationId: eip.associationId } };
    const { elasticIp: _gone, ...rest } = r;
    return { ...rest, publicIp: fresh! };
  });
  if (next && (next.state === 'running' || next.state === 'pending')) await ctx.runtime.moveEndpoint(ctx.scope, instanceId);
}
