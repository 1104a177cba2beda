// ModifyInstanceAttribute GroupId.N: replaces the security groups of the instance's primary
// interface; the next connection to the instance is checked against the new groups.
import { Ec2Error } from '../../errors/ec2-error.js';
import { setInstanceGroups } from '../../compute/network/instance-network.js';
import { ofKind } from '../../compute/network/model.js';
import { checkDryRun } from '../action.js';
import type { ActionContext } from '../context.js';
import { findInstances } from '../instance-views.js';
import { checkIds, ready } from './common.js';

export async function modifyInstanceGroups(ctx: ActionContext, instanceId: string, groupIds: readonly string[], dryRun: boolean | undefined) {
  checkIds('security-group', groupIds);
  checkDryRun(dryRun);
  const [instance] = await findInstances(ctx, [instanceId]);
  if (instance!.state === 'terminated') {
    throw new Ec2Error('IncorrectInstanceState', `The instance '${instanceId}' is not in a state from which it can be modified.`);
  }
  await ready(ctx);
  await setInstanceGroups(ctx.store, ctx.scope, instanceId, groupIds);
  return { return: true };
}

/** ModifyInstanceAttribute SourceDestCheck: the primary interface's flag follows the instance's. */
export async function setPrimarySourceDestCheck(ctx: ActionContext, instanceId: string, value: boolean): Promise<void> {
  await ready(ctx);
  await ctx.store.network.change(ctx.scope, ['network-interface'], (view) => {
    const eni = ofKind(view, 'network-interface').find((e) => e.data.attachment?.instanceId === instanceId && e.data.attachment?.deviceIndex === 0);
    return { changes: eni ? { put: [{ ...eni, data: { ...eni.data, sourceDestCheck: value } }] } : {}, result: undefined };
  });
}
