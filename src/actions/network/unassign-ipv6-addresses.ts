// UnassignIpv6Addresses: IPv6 addresses leave the interface (back to the subnet).
import { Ec2Error } from '../../errors/ec2-error.js';
import { formatIpv6, parseIpv6 } from '../../compute/network/cidr.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, mustFind, ready } from './common.js';

export default defineAction(
  'UnassignIpv6Addresses',
  {
    networkInterfaceId: fields.string('NetworkInterfaceId', { required: true }),
    ipv6Addresses: fields.list('Ipv6Addresses'),
    ipv6Prefixes: fields.list('Ipv6Prefix'),
  },
  async (ctx, input) => {
    checkIds('network-interface', [input.networkInterfaceId]);
    if (input.ipv6Prefixes.length) throw new Ec2Error('UnsupportedOperation', 'ec2lite does not assign IPv6 prefixes to network interfaces.');
    if (!input.ipv6Addresses.length) throw new Ec2Error('MissingParameter', 'Ipv6Addresses');
    // addresses compare in their canonical text (2600:1f18:0:0::1 is 2600:1f18::1)
    const wanted = input.ipv6Addresses.map((a) => {
      const g = parseIpv6(a);
      if (!g) throw new Ec2Error('InvalidParameterValue', `Invalid value '${a}' for Ipv6Addresses.`);
      return formatIpv6(g);
    });
    await ready(ctx);
    const gone = await ctx.store.network.change(ctx.scope, ['network-interface'], (view) => {
      const eni = mustFind(view, 'network-interface', input.networkInterfaceId);
      const have = eni.data.ipv6Addresses ?? [];
      // [INF] wording ec2lite's
      if (wanted.some((ip) => !have.includes(ip))) throw new Ec2Error('InvalidParameterValue', `Some of the specified addresses are not assigned to interface ${eni.id}`);
      const rest = have.filter((ip) => !wanted.includes(ip));
      const data = { ...eni.data, ipv6Addresses: rest };
      if (!rest.length) delete (data as { ipv6Addresses?: unknown }).ipv6Addresses;
      return { changes: { put: [{ ...eni, data }] }, result: wanted };
    });
    return { networkInterfaceId: input.networkInterfaceId, unassignedIpv6Addresses: gone };
  },
);
