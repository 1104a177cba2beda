// DetachNetworkInterface: a secondary interface leaves its instance; the primary one (device index 0) cannot.
import { Ec2Error } from '../../errors/ec2-error.js';
import { ofKind } from '../../compute/network/model.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { ready } from './common.js';

export default defineAction(
  'DetachNetworkInterface',
  { attachmentId: fields.string('AttachmentId', { required: true }), force: fields.boolean('Force'), dryRun: fields.boolean('DryRun') },
  async (ctx, input) => {
    checkDryRun(input.dryRun);
    await ready(ctx);
    await ctx.store.network.change(ctx.scope, ['network-interface'], (view) => {
      const eni = ofKind(view, 'network-interface').find((e) => e.data.attachment?.attachmentId === input.attachmentId);
      // error-code reference: InvalidAttachmentID.NotFound
      if (!eni) throw new Ec2Error('InvalidAttachment.NotFound', `The attachment ID '${input.attachmentId}' does not exist`);
      // observed wording (AWS CLI captures)
      if (eni.data.attachment!.deviceIndex === 0) throw new Ec2Error('OperationNotPermitted', 'The network interface at device index 0 cannot be detached.');
      return { changes: { put: [{ ...eni, parentId: undefined, data: { ...eni.data, attachment: undefined } }] }, result: undefined };
    });
    return { return: true };
  },
);
