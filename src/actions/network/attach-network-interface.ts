// AttachNetworkInterface: a secondary interface of an instance (same VPC and zone, a free device index).
import { Ec2Error } from '../../errors/ec2-error.js';
import { ofKind } from '../../compute/network/model.js';
import { checkInterfaceLimits, privateIpsOf } from '../../compute/network/interface-addresses.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkInstanceIds, findInstances } from '../instance-views.js';
import { checkIds, mustFind, ready } from './common.js';

export default defineAction(
  'AttachNetworkInterface',
  {
    networkInterfaceId: fields.string('NetworkInterfaceId', { required: true }),
    instanceId: fields.string('InstanceId', { required: true }),
    deviceIndex: fields.integer('DeviceIndex', { required: true }),
    networkCardIndex: fields.integer('NetworkCardIndex'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkIds('network-interface', [input.networkInterfaceId]);
    checkInstanceIds([input.instanceId]);
    if (input.deviceIndex < 1 || input.deviceIndex > 31) throw new Ec2Error('InvalidParameterValue', `Invalid value '${input.deviceIndex}' for deviceIndex.`);
    if (input.networkCardIndex !== undefined && input.networkCardIndex !== 0) throw new Ec2Error('InvalidParameterValue', `Invalid value '${input.networkCardIndex}' for networkCardIndex.`);
    checkDryRun(input.dryRun);
    const [instance] = await findInstances(ctx, [input.instanceId]);
    if (instance!.state !== 'running' && instance!.state !== 'stopped') {
      throw new Ec2Error('IncorrectInstanceState', `The instance '${input.instanceId}' is not in a valid state for this operation.`);
    }
    await ready(ctx);
    const attachmentId = ctx.ids.next('eni-attach');
    await ctx.store.network.change(ctx.scope, ['network-interface'], (view) => {
      const eni = mustFind(view, 'network-interface', input.networkInterfaceId);
      if (eni.data.attachment) throw new Ec2Error('InvalidNetworkInterface.InUse', `Interface: [${eni.id}] in use.`);
      const mine = ofKind(view, 'network-interface').filter((e) => e.data.attachment?.instanceId === input.instanceId);
      if (mine[0] && mine[0].vpcId !== eni.vpcId) throw new Ec2Error('InvalidParameterValue', 'The network interface and the instance must belong to the same VPC.');
      if (eni.data.availabilityZone !== instance!.availabilityZone) {
        throw new Ec2Error('InvalidParameterCombination', 'You may not attach a network interface to an instance if they are not in the same availability zone');
      }
      if (mine.some((e) => e.data.attachment!.deviceIndex === input.deviceIndex)) {
        throw new Ec2Error('InvalidParameterValue', `Instance '${input.instanceId}' already has an interface attached at device index '${input.deviceIndex}'.`);
      }
      // the instance type's addresses per interface hold for an interface attached later too
      checkInterfaceLimits(instance!.instanceType, privateIpsOf(eni.data).length, eni.data.ipv6Addresses?.length ?? 0);
      const attachment = { attachmentId, instanceId: input.instanceId, deviceIndex: input.deviceIndex, deleteOnTermination: false, attachTime: ctx.now().toISOString() };
      return { changes: { put: [{ ...eni, parentId: input.instanceId, data: { ...eni.data, attachment } }] }, result: undefined };
    });
    return { attachmentId, networkCardIndex: 0 };
  },
);
