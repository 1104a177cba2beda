// UnassignPrivateIpAddresses: secondary private IPv4 addresses leave the interface (back to the
// subnet); an Elastic IP associated with one is disassociated. The primary address cannot go.
import { Ec2Error } from '../../errors/ec2-error.js';
import { withoutEip } from '../../compute/network/interface-addresses.js';
import { ofKind, type NetworkInterfaceData } from '../../compute/network/model.js';
import type { NetObject } from '../../store/port.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, mustFind, ready } from './common.js';

export default defineAction(
  'UnassignPrivateIpAddresses',
  {
    networkInterfaceId: fields.string('NetworkInterfaceId', { required: true }),
    privateIpAddresses: fields.list('PrivateIpAddress'),
    ipv4Prefixes: fields.list('Ipv4Prefix'),
  },
  async (ctx, input) => {
    checkIds('network-interface', [input.networkInterfaceId]);
    if (input.ipv4Prefixes.length) throw new Ec2Error('UnsupportedOperation', 'ec2lite does not assign IPv4 prefixes to network interfaces.');
    if (!input.privateIpAddresses.length) throw new Ec2Error('MissingParameter', 'PrivateIpAddress');
    await ready(ctx);
    await ctx.store.network.change(ctx.scope, ['network-interface', 'elastic-ip'], (view) => {
      const eni = mustFind(view, 'network-interface', input.networkInterfaceId);
      const secondaries = eni.data.secondaryPrivateIps ?? [];
      // [INF] wording ec2lite's (the primary address, or one the interface does not have)
      if (input.privateIpAddresses.includes(eni.data.privateIp)) throw new Ec2Error('InvalidParameterValue', `The primary private IP address ${eni.data.privateIp} of interface ${eni.id} cannot be unassigned.`);
      const missing = input.privateIpAddresses.filter((ip) => !secondaries.some((x) => x.ip === ip));
      if (missing.length) throw new Ec2Error('InvalidParameterValue', `Some of the specified addresses are not assigned to interface ${eni.id}`);
      const put: NetObject[] = [];
      let data: NetworkInterfaceData = { ...eni.data, secondaryPrivateIps: secondaries.filter((x) => !input.privateIpAddresses.includes(x.ip)) };
      for (const gone of secondaries.filter((x) => input.privateIpAddresses.includes(x.ip) && x.association)) {
        data = withoutEip(data, gone.association!.allocationId);
        const eip = ofKind(view, 'elastic-ip').find((a) => a.id === gone.association!.allocationId);
        if (eip) put.push({ ...eip, data: { ...eip.data, association: undefined } });
      }
      if (!data.secondaryPrivateIps?.length) delete data.secondaryPrivateIps;
      put.push({ ...eni, data });
      return { changes: { put }, result: undefined };
    });
    return { return: true };
  },
);
