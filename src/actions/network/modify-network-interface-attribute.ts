// ModifyNetworkInterfaceAttribute: groups (the next connection is checked against them),
// SourceDestCheck, Description, the attachment's DeleteOnTermination; one attribute per call.
import { Ec2Error } from '../../errors/ec2-error.js';
import { GROUPS_PER_INTERFACE } from '../../compute/network/instance-network.js';
import { ofKind, type NetworkInterfaceData } from '../../compute/network/model.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, mustFind, ready } from './common.js';

export default defineAction(
  'ModifyNetworkInterfaceAttribute',
  {
    networkInterfaceId: fields.string('NetworkInterfaceId', { required: true }),
    groupIds: fields.list('SecurityGroupId'),
    sourceDestCheck: fields.struct('SourceDestCheck', { value: fields.boolean('Value') }),
    description: fields.struct('Description', { value: fields.string('Value') }),
    attachment: fields.struct('Attachment', { attachmentId: fields.string('AttachmentId'), deleteOnTermination: fields.boolean('DeleteOnTermination') }),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkIds('network-interface', [input.networkInterfaceId]);
    checkIds('security-group', input.groupIds);
    const asked = [input.groupIds.length > 0, input.sourceDestCheck?.value !== undefined, input.description?.value !== undefined, input.attachment?.attachmentId !== undefined].filter(Boolean).length;
    if (asked === 0) throw new Ec2Error('MissingParameter', 'SecurityGroupId');
    if (asked > 1) throw new Ec2Error('InvalidParameterCombination', 'Only one attribute can be modified at a time.');
    if (input.groupIds.length > GROUPS_PER_INTERFACE) throw new Ec2Error('SecurityGroupsPerInterfaceLimitExceeded');
    checkDryRun(input.dryRun);
    await ready(ctx);
    const instanceId = await ctx.store.network.change(ctx.scope, ['network-interface', 'security-group'], (view) => {
      const eni = mustFind(view, 'network-interface', input.networkInterfaceId);
      const data: NetworkInterfaceData = { ...eni.data };
      if (input.groupIds.length) {
        for (const id of input.groupIds) {
          const g = ofKind(view, 'security-group').find((x) => x.id === id);
          if (!g) throw new Ec2Error('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
          if (g.vpcId !== eni.vpcId) throw new Ec2Error('InvalidParameter', `Security group ${id} and subnet belong to different networks.`);
        }
        data.groupIds = [...new Set(input.groupIds)];
      }
      if (input.sourceDestCheck?.value !== undefined) data.sourceDestCheck = input.sourceDestCheck.value;
      if (input.description?.value !== undefined) data.description = input.description.value;
      if (input.attachment?.attachmentId !== undefined) {
        if (eni.data.attachment?.attachmentId !== input.attachment.attachmentId) {
          throw new Ec2Error('InvalidAttachment.NotFound', `The attachment ID '${input.attachment.attachmentId}' does not exist`);
        }
        data.attachment = { ...eni.data.attachment, deleteOnTermination: input.attachment.deleteOnTermination ?? eni.data.attachment.deleteOnTermination };
      }
      return { changes: { put: [{ ...eni, data }] }, result: eni.data.attachment?.deviceIndex === 0 ? eni.data.attachment.instanceId : undefined };
    });
    // An instance's sourceDestCheck is its primary interface's: kept the same in its record.
    const check = input.sourceDestCheck?.value;
    if (instanceId && check !== undefined) await ctx.store.instances.update(ctx.scope, instanceId, (r) => ({ ...r, sourceDestCheck: check }));
    return { return: true };
  },
);
