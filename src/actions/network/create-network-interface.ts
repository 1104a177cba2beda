// CreateNetworkInterface: an interface in a subnet (a private address of it, the VPC's default
// group unless groups are named; secondary private and IPv6 addresses if asked for), unattached
// until AttachNetworkInterface.
import { randomBytes } from 'node:crypto';
import { Ec2Error } from '../../errors/ec2-error.js';
import { contains4, freeAddress, isReserved4, parseCidr4, parseIpv4 } from '../../compute/network/cidr.js';
import { DEFAULT_GROUP_NAME } from '../../compute/network/defaults.js';
import { GROUPS_PER_INTERFACE } from '../../compute/network/instance-network.js';
import { defaultIpv6Count, pickIpv6, pickSecondaryIps, takenIn, takenIpv6In } from '../../compute/network/interface-addresses.js';
import { addressUnique, macFrom, ofKind, type NetworkInterfaceData } from '../../compute/network/model.js';
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { checkIds, mustFind, ready, tagChange, withTags } from './common.js';
import { interfaceItem } from './interface-views.js';
import { interfaceAddresses } from './address-members.js';

export default defineAction(
  'CreateNetworkInterface',
  {
    subnetId: fields.string('SubnetId', { required: true }),
    description: fields.string('Description'),
    privateIpAddress: fields.string('PrivateIpAddress'),
    groupIds: fields.list('SecurityGroupId'),
    privateIpAddresses: fields.structList('PrivateIpAddresses', { privateIpAddress: fields.string('PrivateIpAddress'), primary: fields.boolean('Primary') }),
    secondaryPrivateIpAddressCount: fields.integer('SecondaryPrivateIpAddressCount'),
    ipv6Addresses: fields.structList('Ipv6Addresses', { ipv6Address: fields.string('Ipv6Address') }),
    ipv6AddressCount: fields.integer('Ipv6AddressCount'),
    tagSpecifications: fields.tagSpecifications(),
    clientToken: fields.string('ClientToken'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkIds('subnet', [input.subnetId]);
    checkIds('security-group', input.groupIds);
    if (input.groupIds.length > GROUPS_PER_INTERFACE) throw new Ec2Error('SecurityGroupsPerInterfaceLimitExceeded');
    const { primary, addresses } = interfaceAddresses(input);
    const id = ctx.ids.next('eni');
    const tags = tagChange(input.tagSpecifications, 'network-interface', id);
    checkDryRun(input.dryRun);
    await ready(ctx);
    const eni = await ctx.store.network.change(ctx.scope, ['subnet', 'security-group', 'network-interface'], (view) => {
      const subnet = mustFind(view, 'subnet', input.subnetId);
      const earlier = input.clientToken === undefined ? undefined : ofKind(view, 'network-interface').find((e) => e.data.clientToken === input.clientToken);
      if (earlier) {
        if (earlier.data.subnetId !== input.subnetId) throw new Ec2Error('IdempotentParameterMismatch', 'Arguments on this idempotent request are inconsistent with arguments used in previous request(s).');
        return { changes: {}, result: earlier };
      }
      const groups = ofKind(view, 'security-group');
      for (const g of input.groupIds) {
        const found = groups.find((x) => x.id === g);
        if (!found) throw new Ec2Error('InvalidGroup.NotFound', `The security group '${g}' does not exist`);
        if (found.vpcId !== subnet.vpcId) throw new Ec2Error('InvalidParameter', `Security group ${g} and subnet belong to different networks.`);
      }
      const groupIds = input.groupIds.length ? [...new Set(input.groupIds)] : groups.filter((g) => g.vpcId === subnet.vpcId && g.data.groupName === DEFAULT_GROUP_NAME).map((g) => g.id);
      // IPv6-only subnets: instances and interfaces get IPv4 addresses only here (docs/networking.md)
      if (subnet.data.ipv6Native) throw new Ec2Error('InvalidParameterValue', `Subnet ${subnet.id} is IPv6-only: ec2lite gives interfaces IPv4 addresses only.`);
      const cidr = parseCidr4(subnet.data.cidrBlock)!;
      const enis = ofKind(view, 'network-interface');
      const taken = takenIn(enis, subnet.id);
      let ip = primary;
      if (ip !== undefined) {
        const n = parseIpv4(ip);
        if (n === undefined || !contains4(cidr, n) || isReserved4(cidr, n)) throw new Ec2Error('InvalidParameterValue', `Address ${ip} does not fall within the subnet's address range`);
        if (taken.has(ip)) throw new Ec2Error('InvalidIPAddress.InUse', `Address ${ip} is in use.`);
      } else {
        ip = freeAddress(cidr, taken);
        if (!ip) throw new Ec2Error('InvalidParameterValue', `There are not enough free addresses in subnet '${subnet.id}'.`);
      }
      taken.add(ip);
      const secondary = pickSecondaryIps(subnet, taken, addresses);
      const ipv6 = pickIpv6(subnet, takenIpv6In(enis, subnet.id), { ...addresses, ipv6Count: addresses.ipv6Count ?? (addresses.ipv6Addresses ? undefined : defaultIpv6Count(subnet)) });
      const data: NetworkInterfaceData = {
        subnetId: subnet.id,
        availabilityZone: subnet.data.availabilityZone,
        description: input.description ?? '',
        privateIp: ip,
        macAddress: macFrom(randomBytes(5).toString('hex')),
        groupIds,
        sourceDestCheck: true,
        interfaceType: 'interface',
        ...(secondary.length ? { secondaryPrivateIps: secondary.map((x) => ({ ip: x })) } : {}),
        ...(ipv6.length ? { ipv6Addresses: ipv6 } : {}),
        ...(input.clientToken === undefined ? {} : { clientToken: input.clientToken }),
      };
      const o = { kind: 'network-interface' as const, id, vpcId: subnet.vpcId, unique: addressUnique(subnet.id, ip), data, tags: [] };
      return { changes: { put: [o], tag: tags }, result: o };
    });
    const names = new Map((await ctx.store.network.list<{ groupName: string }>(ctx.scope, 'security-group', { ids: eni.data.groupIds })).map((g) => [g.id, g.data.groupName]));
    return { networkInterface: { ...interfaceItem(eni.id === id ? withTags(eni, tags) : eni, ctx.scope, names, new Map()), status: 'pending' }, clientToken: input.clientToken };
  },
);
