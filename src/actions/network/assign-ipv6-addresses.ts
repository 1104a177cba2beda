// AssignIpv6Addresses: IPv6 addresses for an interface from its subnet's IPv6 block, named
// (Ipv6Addresses.N) or counted (Ipv6AddressCount), within the instance type's limit (as many as its
// private IPv4 addresses per interface).
import { Ec2Error } from '../../errors/ec2-error.js';
import { checkInterfaceLimits, pickIpv6, takenIpv6In } from '../../compute/network/interface-addresses.js';
import { ofKind } from '../../compute/network/model.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { mustFind, ready } from './common.js';
import { interfaceInstanceType } from './interface-type.js';

export default defineAction(
  'AssignIpv6Addresses',
  {
    networkInterfaceId: fields.string('NetworkInterfaceId', { required: true }),
    ipv6Addresses: fields.list('Ipv6Addresses'),
    ipv6AddressCount: fields.integer('Ipv6AddressCount'),
    ipv6Prefixes: fields.list('Ipv6Prefix'),
    ipv6PrefixCount: fields.integer('Ipv6PrefixCount'),
  },
  async (ctx, input) => {
    const count = input.ipv6AddressCount;
    if (input.ipv6Prefixes.length || input.ipv6PrefixCount !== undefined) throw new Ec2Error('UnsupportedOperation', 'ec2lite does not assign IPv6 prefixes to network interfaces.');
    // observed: ansible/ansible#40334
    if (input.ipv6Addresses.length && count !== undefined) throw new Ec2Error('InvalidParameterCombination', 'IPv6 addresses and IPv6 address count may not be specified on the same request');
    // AssignIpv6Addresses reference: "You must specify either the IPv6 addresses or the IPv6 address count in the request." [INF: code]
    if (!input.ipv6Addresses.length && count === undefined) throw new Ec2Error('MissingParameter', 'Ipv6Addresses');
    if (count !== undefined && count < 1) throw new Ec2Error('InvalidParameterValue', `Invalid value '${count}' for Ipv6AddressCount.`);
    const instanceType = await interfaceInstanceType(ctx, input.networkInterfaceId);
    await ready(ctx);
    const assigned = await ctx.store.network.change(ctx.scope, ['subnet', 'network-interface'], (view) => {
      const eni = mustFind(view, 'network-interface', input.networkInterfaceId);
      const subnet = mustFind(view, 'subnet', eni.data.subnetId);
      const ips = pickIpv6(subnet, takenIpv6In(ofKind(view, 'network-interface'), subnet.id), {
        ipv6Addresses: input.ipv6Addresses,
        ...(count !== undefined ? { ipv6Count: count } : {}),
      });
      const all = [...(eni.data.ipv6Addresses ?? []), ...ips];
      checkInterfaceLimits(instanceType, 0, all.length);
      return { changes: { put: [{ ...eni, data: { ...eni.data, ipv6Addresses: all } }] }, result: ips };
    });
    return { networkInterfaceId: input.networkInterfaceId, assignedIpv6Addresses: assigned };
  },
);
