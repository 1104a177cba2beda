// The addresses of a network interface beyond its primary private IPv4 address: secondary private
// IPv4 addresses and IPv6 addresses, picked from (or checked against) the interface's subnet, unique
// in the subnet, within the instance type's per-interface limit. Pure: the callers run it inside the
// network store's transaction (the scope's lock), so two requests never take one address.
import { randomBytes } from 'node:crypto';
import { Ec2Error } from '../../errors/ec2-error.js';
import { ipv4AddressesPerInterface, ipv6AddressesPerInterface } from '../../domain/interface-addresses.js';
import { contains4, contains6, formatIpv6, freeAddress, isReserved4, parseCidr4, parseCidr6, parseIpv4, parseIpv6 } from './cidr.js';
import type { NetworkInterfaceData, Obj } from './model.js';

export interface AddressRequest {
  /** Secondary private IPv4 addresses asked for by value. */
  privateIps?: readonly string[];
  /** …or by number, picked from the subnet. */
  secondaryCount?: number;
  ipv6Addresses?: readonly string[];
  ipv6Count?: number;
}

/** Every private IPv4 address of an interface, the primary first. */
export const privateIpsOf = (d: NetworkInterfaceData): string[] => [d.privateIp, ...(d.secondaryPrivateIps ?? []).map((s) => s.ip)];

/** The private IPv4 addresses in use in a subnet (every interface's, secondaries included). */
export const takenIn = (enis: readonly Obj<'network-interface'>[], subnetId: string): Set<string> =>
  new Set(enis.filter((e) => e.data.subnetId === subnetId).flatMap((e) => privateIpsOf(e.data)));

/** The IPv6 addresses in use in a subnet. */
export const takenIpv6In = (enis: readonly Obj<'network-interface'>[], subnetId: string): Set<string> =>
  new Set(enis.filter((e) => e.data.subnetId === subnetId).flatMap((e) => e.data.ipv6Addresses ?? []));

/** A private IPv4 address given by value: in the subnet, not reserved, free (AWS's errors). */
export function checkPrivateIp(subnet: Obj<'subnet'>, text: string, taken: ReadonlySet<string>): string {
  const cidr = parseCidr4(subnet.data.cidrBlock);
  const n = parseIpv4(text);
  if (n === undefined) throw new Ec2Error('InvalidParameterValue', `Invalid value '${text}' for PrivateIpAddress.`);
  // AWS CLI captures: "Address 10.0.0.300 does not fall within the subnet's address range"
  if (!cidr || !contains4(cidr, n)) throw new Ec2Error('InvalidParameterValue', `Address ${text} does not fall within the subnet's address range`);
  if (isReserved4(cidr, n)) throw new Ec2Error('InvalidParameterValue', `Address ${text} is reserved`);
  if (taken.has(text)) throw new Ec2Error('InvalidIPAddress.InUse', `Address ${text} is in use.`);
  return text;
}

/** The secondary IPv4 addresses a request adds (by value or count); `taken` gains them. */
export function pickSecondaryIps(subnet: Obj<'subnet'>, taken: Set<string>, req: AddressRequest): string[] {
  const out: string[] = [];
  for (const ip of req.privateIps ?? []) {
    checkPrivateIp(subnet, ip, taken);
    taken.add(ip);
    out.push(ip);
  }
  const cidr = parseCidr4(subnet.data.cidrBlock);
  for (let i = 0; i < (req.secondaryCount ?? 0); i++) {
    const ip = cidr && freeAddress(cidr, taken);
    // observed (error-code reference: InsufficientFreeAddressesInSubnet)
    if (!ip) throw Ec2Error.withMessage('InsufficientFreeAddressesInSubnet', `The specified subnet ${subnet.id} does not have enough free addresses to satisfy the request.`);
    taken.add(ip);
    out.push(ip);
  }
  return out;
}

const ipv6Block = (subnet: Obj<'subnet'>) => {
  const text = subnet.data.ipv6Cidrs?.[0]?.ipv6CidrBlock;
  return text === undefined ? undefined : parseCidr6(text)!;
};

/** Whether the subnet can give IPv6 addresses (it has an IPv6 block). */
export const hasIpv6 = (subnet: Obj<'subnet'>): boolean => ipv6Block(subnet) !== undefined;

/** The IPv6 addresses a request adds (by value or count) from the subnet's block; `taken` gains them. */
export function pickIpv6(subnet: Obj<'subnet'>, taken: Set<string>, req: AddressRequest): string[] {
  const wanted = (req.ipv6Addresses?.length ?? 0) + (req.ipv6Count ?? 0);
  if (wanted === 0) return [];
  const block = ipv6Block(subnet);
  // [INF] AWS's wording for a subnet without an IPv6 block is unconfirmed; the code is InvalidParameterValue
  if (!block) throw new Ec2Error('InvalidParameterValue', `The subnet ${subnet.id} has no IPv6 CIDR block: associate one (AssociateSubnetCidrBlock) before asking for IPv6 addresses.`);
  const out: string[] = [];
  for (const text of req.ipv6Addresses ?? []) {
    const groups = parseIpv6(text);
    if (!groups) throw new Ec2Error('InvalidParameterValue', `Invalid value '${text}' for Ipv6Address.`);
    const ip = formatIpv6(groups);
    if (!contains6(block, groups)) throw new Ec2Error('InvalidParameterValue', `Address ${text} does not fall within the subnet's address range`);
    if (taken.has(ip)) throw new Ec2Error('InvalidIPAddress.InUse', `Address ${text} is in use.`);
    taken.add(ip);
    out.push(ip);
  }
  for (let i = 0; i < (req.ipv6Count ?? 0); i++) {
    let ip: string;
    // a random interface identifier in the subnet's /64 (2^64 of them: a clash is retried, never exhausts)
    do {
      const r = randomBytes(8);
      const groups = block.groups.slice(0, 4).concat([0, 2, 4, 6].map((k) => (r[k]! << 8) | r[k + 1]!));
      ip = formatIpv6(groups);
    } while (taken.has(ip));
    taken.add(ip);
    out.push(ip);
  }
  return out;
}

/** Refuses more addresses on one interface than the instance type allows (AWS's errors). */
export function checkInterfaceLimits(instanceType: string | undefined, ipv4Total: number, ipv6Total: number): void {
  if (instanceType === undefined) return;
  // observed: aws/amazon-vpc-cni-k8s#989 ("Number of private addresses will exceed limit.")
  if (ipv4Total > ipv4AddressesPerInterface(instanceType)) throw new Ec2Error('PrivateIpAddressLimitExceeded');
  if (ipv6Total > ipv6AddressesPerInterface(instanceType)) {
    // [INF] the IPv6 counterpart's code and text are unconfirmed
    throw new Ec2Error('InvalidParameterValue', `You may not assign more than ${ipv6AddressesPerInterface(instanceType)} IPv6 addresses to a network interface of instance type ${instanceType}.`);
  }
}

/** How many IPv6 addresses a launch gets when the request names none: one if the subnet assigns them on creation. */
export const defaultIpv6Count = (subnet: Obj<'subnet'>): number => (subnet.data.assignIpv6AddressOnCreation && hasIpv6(subnet) ? 1 : 0);

/** The interface without Elastic IP `allocationId` (on its primary address or a secondary one). */
export function withoutEip(d: NetworkInterfaceData, allocationId: string): NetworkInterfaceData {
  const out = { ...d };
  if (d.association?.allocationId === allocationId) out.association = undefined;
  if (d.secondaryPrivateIps?.some((x) => x.association?.allocationId === allocationId)) {
    out.secondaryPrivateIps = d.secondaryPrivateIps.map((x) => (x.association?.allocationId === allocationId ? { ip: x.ip } : x));
  }
  return out;
}
