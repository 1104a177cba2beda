// CIDR rules shared by CreateVpc and CreateSubnet.
import { Ec2Error } from '../../errors/ec2-error.js';
import { parseCidr4, type Cidr4 } from '../../compute/network/cidr.js';

/**
 * A VPC or subnet block: a valid IPv4 CIDR (else InvalidParameterValue), /16 to /28 (else
 * `rangeError`). Host bits are cleared (`10.0.1.0/16` is stored as `10.0.0.0/16`): EC2 accepts such
 * blocks and answers the network, which is why Terraform added its own "must contain a valid
 * network CIDR" check (hashicorp/terraform#2514, #5255) against the perpetual diff.
 */
export function blockCidr(text: string, member: string, rangeError: 'InvalidVpc.Range' | 'InvalidSubnet.Range'): Cidr4 {
  const c = parseCidr4(text);
  // moto and AWS CLI captures: "Value (x) for parameter cidrBlock is invalid. This is not a valid CIDR block."
  if (!c) throw new Ec2Error('InvalidParameterValue', `Value (${text}) for parameter ${member} is invalid. This is not a valid CIDR block.`);
  if (c.prefix < 16 || c.prefix > 28) throw new Ec2Error(rangeError, text);
  return c;
}

/**
 * The IPv6 part of CreateVpc / AssociateVpcCidrBlock: an Amazon-provided /56 (its network border
 * group must be the Region, the only one here). A block from a BYOIP pool (Ipv6Pool) needs a pool,
 * and this account has none.
 */
export function ipv6Request(
  input: { amazonProvidedIpv6CidrBlock?: boolean; ipv6CidrBlockNetworkBorderGroup?: string; ipv6Pool?: string; ipv6CidrBlock?: string },
  region: string,
): { networkBorderGroup: string } | undefined {
  if (input.ipv6Pool !== undefined) throw new Ec2Error('InvalidParameterValue', `The pool ID '${input.ipv6Pool}' does not exist`);
  if (input.ipv6CidrBlock !== undefined) throw new Ec2Error('MissingParameter', 'Ipv6Pool');
  if (input.ipv6CidrBlockNetworkBorderGroup !== undefined && !input.amazonProvidedIpv6CidrBlock)
    throw new Ec2Error('InvalidParameterCombination', 'The parameter Ipv6CidrBlockNetworkBorderGroup requires AmazonProvidedIpv6CidrBlock.');
  if (!input.amazonProvidedIpv6CidrBlock) return undefined;
  const group = input.ipv6CidrBlockNetworkBorderGroup ?? region;
  if (group !== region) throw new Ec2Error('InvalidParameterValue', `Value (${group}) for parameter ipv6CidrBlockNetworkBorderGroup is invalid.`);
  return { networkBorderGroup: group };
}
