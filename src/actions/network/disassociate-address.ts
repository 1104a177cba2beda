// DisassociateAddress: the Elastic IP leaves its interface; the instance gets a public address of its own again.
import { Ec2Error } from '../../errors/ec2-error.js';
import { ofKind } from '../../compute/network/model.js';
import { withoutEip } from '../../compute/network/interface-addresses.js';
import type { NetObject } from '../../store/port.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { ready } from './common.js';
import { readdressInstance } from './address-rules.js';

export default defineAction(
  'DisassociateAddress',
  { associationId: fields.string('AssociationId'), publicIp: fields.string('PublicIp'), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    if (!input.associationId && !input.publicIp) throw new Ec2Error('MissingParameter', 'AssociationId');
    checkDryRun(input.dryRun);
    await ready(ctx);
    const instanceId = await ctx.store.network.change(ctx.scope, ['elastic-ip', 'network-interface'], (view) => {
      const eip = ofKind(view, 'elastic-ip').find((a) =>
        input.associationId ? a.data.association?.associationId === input.associationId : a.data.publicIp === input.publicIp && a.data.association,
      );
      if (!eip?.data.association) throw new Ec2Error('InvalidAssociationID.NotFound', `The association ID '${input.associationId ?? input.publicIp ?? ''}' does not exist`);
      const put: NetObject[] = [{ ...eip, data: { ...eip.data, association: undefined } }];
      const eni = ofKind(view, 'network-interface').find((e) => e.id === eip.data.association!.networkInterfaceId);
      if (eni) put.push({ ...eni, data: withoutEip(eni.data, eip.id) });
      const onPrimary = eni?.data.association?.allocationId === eip.id;
      return { changes: { put }, result: onPrimary && eni?.data.attachment?.deviceIndex === 0 ? eni.data.attachment.instanceId : undefined };
    });
    if (instanceId) await readdressInstance(ctx, instanceId, undefined);
    return { return: true };
  },
);
