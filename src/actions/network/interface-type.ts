// The instance type that limits an interface's addresses: its instance's, when attached.
import type { ActionContext } from '../context.js';
import { checkIds, listByIds } from './common.js';

/** Reads the interface (NotFound if absent) and the type of the instance it is attached to, if any. */
export async function interfaceInstanceType(ctx: ActionContext, networkInterfaceId: string): Promise<string | undefined> {
  checkIds('network-interface', [networkInterfaceId]);
  const [eni] = await listByIds(ctx, 'network-interface', [networkInterfaceId]);
  const instanceId = eni?.data.attachment?.instanceId;
  if (!instanceId) return undefined;
  const [instance] = await ctx.store.instances.list(ctx.scope, [instanceId]);
  return instance?.instanceType;
}
