// CreateNetworkInterface's address members: PrivateIpAddress, PrivateIpAddresses.N (one Primary),
// SecondaryPrivateIpAddressCount, Ipv6Addresses.N, Ipv6AddressCount, in AWS's combinations.
import { Ec2Error } from '../../errors/ec2-error.js';
import type { AddressRequest } from '../../compute/network/interface-addresses.js';

/** Secondary addresses both listed and counted (wording ec2lite's). */
export const SECONDARY_BOTH = 'Secondary private IP addresses and a secondary private IP address count may not be specified on the same request';

export interface AddressMembers {
  privateIpAddress?: string;
  privateIpAddresses: { privateIpAddress?: string; primary?: boolean }[];
  secondaryPrivateIpAddressCount?: number;
  ipv6Addresses: { ipv6Address?: string }[];
  ipv6AddressCount?: number;
}

/** The primary address (if named) and the others to assign. */
export function interfaceAddresses(input: AddressMembers): { primary?: string; addresses: AddressRequest } {
  const listed = input.privateIpAddresses.filter((p) => p.privateIpAddress !== undefined);
  const primaries = listed.filter((p) => p.primary === true);
  // [INF] wordings ec2lite's: one primary address, named once
  if (primaries.length > 1) throw new Ec2Error('InvalidParameterValue', 'Only one primary private IP address may be specified.');
  let primary = input.privateIpAddress;
  if (primaries[0]) {
    if (primary !== undefined && primary !== primaries[0].privateIpAddress) {
      throw new Ec2Error('InvalidParameterCombination', 'The primary private IP address is specified twice with different values.');
    }
    primary = primaries[0].privateIpAddress;
  }
  const secondary = listed.map((p) => p.privateIpAddress!).filter((ip) => ip !== primary);
  // A list without a Primary: its first address is the primary one (CreateNetworkInterface reference, PrivateIpAddresses)
  if (primary === undefined && secondary.length) primary = secondary.shift();
  const count = input.secondaryPrivateIpAddressCount;
  // InstanceNetworkInterfaceSpecification reference, SecondaryPrivateIpAddressCount: "You can't specify this
  // option and specify more than one private IP address using the private IP addresses option." [INF: text]
  if (count !== undefined && secondary.length) throw new Ec2Error('InvalidParameterCombination', SECONDARY_BOTH);
  if (count !== undefined && count < 1) throw new Ec2Error('InvalidParameterValue', `Invalid value '${count}' for SecondaryPrivateIpAddressCount.`);
  const v6 = input.ipv6Addresses.flatMap((a) => (a.ipv6Address ? [a.ipv6Address] : []));
  // observed: ansible/ansible#40334
  if (v6.length && input.ipv6AddressCount !== undefined) throw new Ec2Error('InvalidParameterCombination', 'IPv6 addresses and IPv6 address count may not be specified on the same request');
  return {
    primary,
    addresses: {
      ...(secondary.length ? { privateIps: secondary } : {}),
      ...(count !== undefined ? { secondaryCount: count } : {}),
      ...(v6.length ? { ipv6Addresses: v6 } : {}),
      ...(input.ipv6AddressCount !== undefined ? { ipv6Count: input.ipv6AddressCount } : {}),
    },
  };
}
