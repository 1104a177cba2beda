// Subnet addresses in use: each network interface holds its primary private address of its subnet
// and its secondary ones, so availableIpAddressCount is the usable addresses (size − 5) minus those.
import type { ActionContext } from '../context.js';

export async function addressesInUse(ctx: ActionContext): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const eni of await ctx.store.network.list<{ subnetId: string; secondaryPrivateIps?: unknown[] }>(ctx.scope, 'network-interface')) {
    counts.set(eni.data.subnetId, (counts.get(eni.data.subnetId) ?? 0) + 1 + (eni.data.secondaryPrivateIps?.length ?? 0));
  }
  return counts;
}
