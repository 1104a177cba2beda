// IPv6 block checks shared by CreateSubnet and AssociateSubnetCidrBlock.
import { Ec2Error } from '../../errors/ec2-error.js';
import { formatCidr6, network6, parseCidr6 } from '../../compute/network/cidr.js';
import { overlapsSubnets6, subnetIpv6PrefixOk, vpcIpv6For } from '../../compute/network/vpc-blocks.js';
import type { Obj } from '../../compute/network/model.js';

/** A subnet IPv6 block as text: a valid IPv6 CIDR, else InvalidParameterValue. */
export function subnetIpv6Text(text: string): string {
  const c = parseCidr6(text);
  if (!c) throw new Ec2Error('InvalidParameterValue', `Value (${text}) for parameter ipv6CidrBlock is invalid. This is not a valid CIDR block.`);
  return formatCidr6(network6(c));
}

/** Refuses a subnet block that is not a /44–/64 of the VPC's IPv6 block, or overlaps another subnet's. */
export function checkSubnetIpv6(vpc: Obj<'vpc'>, siblings: readonly Obj<'subnet'>[], cidr: string): void {
  if (!subnetIpv6PrefixOk(parseCidr6(cidr)!.prefix) || !vpcIpv6For(vpc.data, cidr)) throw new Ec2Error('InvalidSubnet.Range', cidr);
  if (overlapsSubnets6(siblings.map((s) => s.data), cidr)) throw new Ec2Error('InvalidSubnet.Conflict', cidr);
}
