// AssociateAddress: an Elastic IP to an instance (its primary interface) or an interface, on its
// primary private address or (PrivateIpAddress) a secondary one. On the primary address of a primary
// interface, the instance's public address becomes the Elastic IP, survives stop/start, and its SSH
// endpoint moves there. Already associated elsewhere: refused unless AllowReassociation.
import { Ec2Error } from '../../errors/ec2-error.js';
import { ofKind } from '../../compute/network/model.js';
import { privateIpsOf, withoutEip } from '../../compute/network/interface-addresses.js';
import type { NetObject } from '../../store/port.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkInstanceIds, findInstances } from '../instance-views.js';
import { checkIds, ready } from './common.js';
import { readdressInstance } from './address-rules.js';

export default defineAction(
  'AssociateAddress',
  {
    allocationId: fields.string('AllocationId'),
    publicIp: fields.string('PublicIp'),
    instanceId: fields.string('InstanceId'),
    networkInterfaceId: fields.string('NetworkInterfaceId'),
    privateIpAddress: fields.string('PrivateIpAddress'),
    allowReassociation: fields.boolean('AllowReassociation'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    if (!input.allocationId && !input.publicIp) throw new Ec2Error('MissingParameter', 'AllocationId');
    if (!input.instanceId && !input.networkInterfaceId) throw new Ec2Error('MissingParameter', 'InstanceId');
    if (input.instanceId) checkInstanceIds([input.instanceId]);
    if (input.networkInterfaceId) checkIds('network-interface', [input.networkInterfaceId]);
    checkDryRun(input.dryRun);
    await ready(ctx);
    if (input.instanceId) {
      const [instance] = await findInstances(ctx, [input.instanceId]);
      if (instance!.state === 'terminated' || instance!.state === 'shutting-down') {
        throw new Ec2Error('IncorrectInstanceState', `The pending instance '${input.instanceId}' is not in a valid state for this operation.`);
      }
    }
    const associationId = ctx.ids.next('eipassoc');
    const { eip, instanceId, previous } = await ctx.store.network.change(ctx.scope, ['elastic-ip', 'network-interface'], (view) => {
      const addresses = ofKind(view, 'elastic-ip');
      const eip = input.allocationId ? addresses.find((a) => a.id === input.allocationId) : addresses.find((a) => a.data.publicIp === input.publicIp);
      if (!eip) {
        if (input.allocationId) throw new Ec2Error('InvalidAllocationID.NotFound', input.allocationId);
        throw Ec2Error.withMessage('InvalidParameterValue', `Invalid value '${input.publicIp}' for PublicIp. Address not found.`);
      }
      const enis = ofKind(view, 'network-interface');
      const eni = input.networkInterfaceId
        ? enis.find((e) => e.id === input.networkInterfaceId)
        : enis.find((e) => e.data.attachment?.instanceId === input.instanceId && e.data.attachment?.deviceIndex === 0);
      if (!eni) {
        if (input.networkInterfaceId) throw new Ec2Error('InvalidNetworkInterfaceID.NotFound', input.networkInterfaceId);
        throw new Ec2Error('InvalidInstanceID.NotFound', input.instanceId!);
      }
      // PrivateIpAddress: the interface's primary address (the default) or one of its secondary ones
      const privateIp = input.privateIpAddress ?? eni.data.privateIp;
      if (!privateIpsOf(eni.data).includes(privateIp)) {
        throw new Ec2Error('InvalidParameterValue', `Address ${input.privateIpAddress} is not assigned to interface ${eni.id}`);
      }
      const onPrimary = privateIp === eni.data.privateIp;
      const target = eip.data.association;
      if (target && (target.networkInterfaceId !== eni.id || target.privateIp !== privateIp) && input.allowReassociation !== true) {
        // error-code reference: Resource.AlreadyAssociated; text as CLI captures show it
        throw new Ec2Error('Resource.AlreadyAssociated', `resource ${eip.id} is already associated with associate-id ${eip.data.association!.associationId}`);
      }
      const put: NetObject[] = [];
      // The interface the address leaves (another one) loses it; its instance needs a public address again
      // if it was that instance's public address (the primary address of its primary interface).
      const old = target && enis.find((e) => e.id === target.networkInterfaceId);
      const previous = old && target.privateIp === old.data.privateIp && old.data.attachment?.deviceIndex === 0 ? old.data.attachment.instanceId : undefined;
      if (old && old.id !== eni.id) put.push({ ...old, data: withoutEip(old.data, eip.id) });
      // Another Elastic IP on that address gives way.
      for (const other of addresses) {
        const a = other.data.association;
        if (other.id !== eip.id && a?.networkInterfaceId === eni.id && a.privateIp === privateIp) put.push({ ...other, data: { ...other.data, association: undefined } });
      }
      const instanceId = eni.data.attachment?.instanceId;
      const data = { ...eip.data, association: { associationId, networkInterfaceId: eni.id, instanceId, privateIp } };
      put.push({ ...eip, data });
      const link = { publicIp: eip.data.publicIp, allocationId: eip.id, associationId };
      const base = withoutEip(eni.data, eip.id);
      const eniData = onPrimary
        ? { ...base, association: link }
        : { ...base, secondaryPrivateIps: base.secondaryPrivateIps!.map((x) => (x.ip === privateIp ? { ...x, association: link } : x)) };
      put.push({ ...eni, data: eniData });
      const moved = onPrimary && eni.data.attachment?.deviceIndex === 0;
      return {
        changes: { put },
        result: { eip: { ...eip, data }, instanceId: moved ? instanceId : undefined, previous },
      };
    });
    if (previous && previous !== instanceId) await readdressInstance(ctx, previous, undefined);
    if (instanceId) await readdressInstance(ctx, instanceId, { publicIp: eip.data.publicIp, allocationId: eip.id, associationId });
    return { return: true, associationId };
  },
);
