// Subnet addresses in use: each network interface holds its primary private address of its subnet
// and its secondary ones, so availableIpAddressCount is the usable addresses (size − 5) minus those.
import type { ActionContext } from '../context.js';

export function addressesInUse(ctx: ActionContext): Promise<Map<string, number>> {
  // counted by the store (one grouped query), not by reading every interface of the Region
  return ctx.store.network.addressesInUse(ctx.scope);
}
