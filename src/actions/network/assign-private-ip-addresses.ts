// AssignPrivateIpAddresses: secondary private IPv4 addresses for an interface, named
// (PrivateIpAddress.N) or counted (SecondaryPrivateIpAddressCount), from its subnet, within the
// instance type's addresses per interface. AllowReassignment moves a secondary address that another
// interface of the subnet holds (its Elastic IP, if any, is disassociated).
import { Ec2Error } from '../../errors/ec2-error.js';
import { checkInterfaceLimits, pickSecondaryIps, takenIn, withoutEip } from '../../compute/network/interface-addresses.js';
import { ofKind, type NetworkInterfaceData } from '../../compute/network/model.js';
import type { NetObject } from '../../store/port.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { mustFind, ready } from './common.js';
import { interfaceInstanceType } from './interface-type.js';

export default defineAction(
  'AssignPrivateIpAddresses',
  {
    networkInterfaceId: fields.string('NetworkInterfaceId', { required: true }),
    privateIpAddresses: fields.list('PrivateIpAddress'),
    secondaryPrivateIpAddressCount: fields.integer('SecondaryPrivateIpAddressCount'),
    allowReassignment: fields.boolean('AllowReassignment'),
    ipv4Prefixes: fields.list('Ipv4Prefix'),
    ipv4PrefixCount: fields.integer('Ipv4PrefixCount'),
  },
  async (ctx, input) => {
    const count = input.secondaryPrivateIpAddressCount;
    // prefix delegation is not modelled: refused rather than dropped
    if (input.ipv4Prefixes.length || input.ipv4PrefixCount !== undefined) throw new Ec2Error('UnsupportedOperation', 'ec2lite does not assign IPv4 prefixes to network interfaces.');
    // AssignPrivateIpAddresses reference: "You must specify either the IP addresses or the IP address count in the request." [INF: codes]
    if (input.privateIpAddresses.length && count !== undefined) {
      throw new Ec2Error('InvalidParameterCombination', 'Specific private IP addresses and a secondary private IP address count may not be specified on the same request');
    }
    if (!input.privateIpAddresses.length && count === undefined) throw new Ec2Error('MissingParameter', 'PrivateIpAddress');
    if (count !== undefined && count < 1) throw new Ec2Error('InvalidParameterValue', `Invalid value '${count}' for SecondaryPrivateIpAddressCount.`);
    const instanceType = await interfaceInstanceType(ctx, input.networkInterfaceId);
    await ready(ctx);
    const assigned = await ctx.store.network.change(ctx.scope, ['subnet', 'network-interface', 'elastic-ip'], (view) => {
      const eni = mustFind(view, 'network-interface', input.networkInterfaceId);
      const subnet = mustFind(view, 'subnet', eni.data.subnetId);
      const enis = ofKind(view, 'network-interface');
      const put: NetObject[] = [];
      const taken = takenIn(enis, subnet.id);
      // An address the interface already holds as a secondary one is left as it is (moto's
      // test_assign_private_ip_addresses__by_address repeats an assignment and expects no change).
      const held = new Set((eni.data.secondaryPrivateIps ?? []).map((x) => x.ip));
      const wanted = [...new Set(input.privateIpAddresses)].filter((ip) => !held.has(ip));
      for (const ip of wanted) {
        if (!input.allowReassignment || !taken.has(ip)) continue;
        const holder = enis.find((e) => e.id !== eni.id && e.data.subnetId === subnet.id && e.data.secondaryPrivateIps?.some((x) => x.ip === ip));
        if (!holder) continue; // a primary address is never moved: pickSecondaryIps answers InUse
        const moving = holder.data.secondaryPrivateIps!.find((x) => x.ip === ip)!;
        let data: NetworkInterfaceData = { ...holder.data, secondaryPrivateIps: holder.data.secondaryPrivateIps!.filter((x) => x.ip !== ip) };
        if (moving.association) {
          data = withoutEip(data, moving.association.allocationId);
          const eip = ofKind(view, 'elastic-ip').find((a) => a.id === moving.association!.allocationId);
          if (eip) put.push({ ...eip, data: { ...eip.data, association: undefined } });
        }
        put.push({ ...holder, data });
        taken.delete(ip);
      }
      const ips = pickSecondaryIps(subnet, taken, { privateIps: wanted, ...(count !== undefined ? { secondaryCount: count } : {}) });
      const secondary = [...(eni.data.secondaryPrivateIps ?? []), ...ips.map((ip) => ({ ip }))];
      checkInterfaceLimits(instanceType, 1 + secondary.length, 0);
      put.push({ ...eni, data: { ...eni.data, secondaryPrivateIps: secondary } });
      return { changes: { put }, result: ips };
    });
    return { networkInterfaceId: input.networkInterfaceId, assignedPrivateIpAddressesSet: assigned.map((ip) => ({ privateIpAddress: ip })) };
  },
);
