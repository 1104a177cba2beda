import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ipv4AddressesPerInterface, ipv6AddressesPerInterface } from './interface-addresses.js';

// Figures from the EC2 User Guide's "Maximum IP addresses per network interface" (DescribeInstanceTypes'
// Ipv4AddressesPerInterface): the size rule, family exceptions, and both kinds of address.
describe('addresses per network interface', () => {
  it('follows AWS per instance type', () => {
    const expected: [string, number][] = [
      ['t2.nano', 2],
      ['t3.micro', 2],
      ['t3.small', 4],
      ['t3.medium', 6],
      ['t3.large', 12],
      ['m1.small', 4],
      ['m5.large', 10],
      ['m5.4xlarge', 30],
      ['c5.18xlarge', 50],
      ['c8a.large', 20],
      ['d3.xlarge', 3],
    ];
    for (const [type, n] of expected) assert.equal(ipv4AddressesPerInterface(type), n, type);
    assert.equal(ipv6AddressesPerInterface('t3.micro'), 2);
  });
});
