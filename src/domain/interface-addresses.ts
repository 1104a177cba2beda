// Private IPv4 addresses per network interface, by instance type (EC2 User Guide, "Maximum IP
// addresses per network interface"; the same numbers as DescribeInstanceTypes'
// NetworkInfo.Ipv4AddressesPerInterface, as aws/amazon-vpc-cni-k8s pkg/vpc/vpc_ip_resource_limit.go
// records them for 1,391 types). Kept compact: the usual figure per size, then each family's exceptions.
// IPv6 addresses per interface are the same number (AssignIpv6Addresses reference: "You can assign as
// many IPv6 addresses to a network interface as you can assign private IPv4 addresses").

const BY_SIZE: Readonly<Record<string, number>> = { 'micro': 2, 'nano': 2, 'medium': 4, 'small': 4, 'large': 10, '2xlarge': 15, 'xlarge': 15, '3xlarge': 15, '4xlarge': 30, '8xlarge': 30, '12xlarge': 30, '9xlarge': 30, '6xlarge': 30, '10xlarge': 30, '56xlarge': 30, 'metal': 50, '18xlarge': 50, '24xlarge': 50, '16xlarge': 50, '32xlarge': 50, '48xlarge': 50, 'metal-24xl': 50, 'metal-16xl': 50, 'metal-32xl': 50, '112xlarge': 50, '224xlarge': 50, 'metal-48xl': 64, '96xlarge': 64, 'metal-96xl': 64, 'metal-12xl': 64, '64xlarge': 64 };

/** Family → `size=limit` where it differs from BY_SIZE. */
const EXCEPTIONS: Readonly<Record<string, string>> = {
  'a1': 'metal=30',
  'c1': 'medium=6',
  'c7a': 'metal-48xl=50',
  'c7i': 'metal-48xl=50',
  'c8a': '12xlarge=64 16xlarge=64 24xlarge=64 2xlarge=40 48xlarge=64 4xlarge=40 8xlarge=40 large=20 metal-24xl=64 xlarge=20',
  'c8g': 'metal-48xl=50',
  'c8gb': 'metal-48xl=50',
  'c8gd': 'metal-48xl=50',
  'c8gn': 'metal-48xl=50',
  'c8i': '12xlarge=50 16xlarge=64 24xlarge=64 2xlarge=30 32xlarge=64 48xlarge=64 4xlarge=50 8xlarge=50 large=20 xlarge=30',
  'c8i-flex': '12xlarge=50 16xlarge=64 2xlarge=30 4xlarge=50 8xlarge=50 large=20 xlarge=30',
  'c8ib': '12xlarge=50 16xlarge=64 24xlarge=64 2xlarge=30 32xlarge=64 48xlarge=64 4xlarge=50 8xlarge=50 large=20 xlarge=30',
  'c8id': '12xlarge=50 16xlarge=64 24xlarge=64 2xlarge=30 32xlarge=64 48xlarge=64 4xlarge=50 8xlarge=50 large=20 xlarge=30',
  'c8in': '12xlarge=50 16xlarge=64 24xlarge=64 2xlarge=30 32xlarge=64 48xlarge=64 4xlarge=50 8xlarge=50 large=20 xlarge=30',
  'c8ine': '12xlarge=50 2xlarge=30 4xlarge=50 8xlarge=50 large=20 xlarge=30',
  'c9g': '12xlarge=50 16xlarge=64 24xlarge=64 2xlarge=30 48xlarge=64 4xlarge=50 8xlarge=50 large=20 medium=20 xlarge=30',
  'c9gd': '12xlarge=50 16xlarge=64 24xlarge=64 2xlarge=30 48xlarge=64 4xlarge=50 8xlarge=50 large=20 medium=20 xlarge=30',
  'd3': '2xlarge=5 4xlarge=10 8xlarge=20 xlarge=3',
  'd3en': '2xlarge=5 4xlarge=10 6xlarge=15 8xlarge=20 xlarge=3',
  'g4ad': '16xlarge=30 2xlarge=4 4xlarge=10 8xlarge=15 xlarge=4',
  'g4dn': '16xlarge=15 2xlarge=10 4xlarge=10 8xlarge=15 xlarge=10',
  'g5': '12xlarge=50 16xlarge=30',
  'g7': '12xlarge=64 24xlarge=64 2xlarge=64 48xlarge=64 4xlarge=64 8xlarge=64',
  'g7e': '12xlarge=64 24xlarge=64 2xlarge=64 48xlarge=64 4xlarge=64 8xlarge=64',
  'hpc7a': '12xlarge=50 96xlarge=50',
  'hpc7g': '4xlarge=50 8xlarge=50',
  'hpc8a': '96xlarge=50',
  'i4i': '24xlarge=30',
  'i7i': 'metal-48xl=50',
  'i7ie': '12xlarge=50 metal-48xl=50',
  'i8g': 'metal-48xl=50',
  'i8ge': '3xlarge=30 metal-48xl=50',
  'inf1': '24xlarge=30 2xlarge=10 xlarge=10',
  'm1': 'medium=6',
  'm2': '2xlarge=30',
  'm3': '2xlarge=30 medium=6',
  'm4': '16xlarge=30',
  'm5zn': '12xlarge=50 3xlarge=30',
  'm7a': 'metal-48xl=50',
  'm7i': 'metal-48xl=50',
  'm8a': '12xlarge=64 16xlarge=64 24xlarge=64 2xlarge=40 48xlarge=64 4xlarge=40 8xlarge=40 large=20 metal-24xl=64 xlarge=20',
  'm8azn': '12xlarge=64 24xlarge=64 3xlarge=40 6xlarge=40 large=20 metal-24xl=64 xlarge=20',
  'm8g': 'metal-48xl=50',
  'm8gb': 'metal-48xl=50',
  'm8gd': 'metal-48xl=50',
  'm8gn': 'metal-48xl=50',
  'm8i': '12xlarge=50 16xlarge=64 24xlarge=64 2xlarge=30 32xlarge=64 48xlarge=64 4xlarge=50 8xlarge=50 large=20 xlarge=30',
  'm8i-flex': '12xlarge=50 16xlarge=64 2xlarge=30 4xlarge=50 8xlarge=50 large=20 xlarge=30',
  'm8ib': '12xlarge=50 16xlarge=64 24xlarge=64 2xlarge=30 32xlarge=64 48xlarge=64 4xlarge=50 8xlarge=50 large=20 xlarge=30',
  'm8id': '12xlarge=50 16xlarge=64 24xlarge=64 2xlarge=30 32xlarge=64 48xlarge=64 4xlarge=50 8xlarge=50 large=20 xlarge=30',
  'm8idb': '12xlarge=50 16xlarge=64 24xlarge=64 2xlarge=30 32xlarge=64 48xlarge=64 4xlarge=50 8xlarge=50 large=20 xlarge=30',
  'm8idn': '12xlarge=50 16xlarge=64 24xlarge=64 2xlarge=30 32xlarge=64 48xlarge=64 4xlarge=50 8xlarge=50 large=20 xlarge=30',
  'm8in': '12xlarge=50 16xlarge=64 24xlarge=64 2xlarge=30 32xlarge=64 48xlarge=64 4xlarge=50 8xlarge=50 large=20 xlarge=30',
  'm8ine': '12xlarge=50 2xlarge=30 4xlarge=50 8xlarge=50 large=20 xlarge=30',
  'm9g': '12xlarge=50 16xlarge=64 24xlarge=64 2xlarge=30 48xlarge=64 4xlarge=50 8xlarge=50 large=20 medium=20 xlarge=30',
  'm9gd': '12xlarge=50 16xlarge=64 24xlarge=64 2xlarge=30 48xlarge=64 4xlarge=50 8xlarge=50 large=20 medium=20 xlarge=30',
  'mac-m3ultra': 'metal=30',
  'mac-m4': 'metal=30',
  'mac-m4max': 'metal=30',
  'mac-m4pro': 'metal=30',
  'mac1': 'metal=30',
  'mac2': 'metal=30',
  'mac2-m1ultra': 'metal=30',
  'mac2-m2': 'metal=30',
  'mac2-m2pro': 'metal=30',
  'p3': '16xlarge=30',
  'r7a': 'metal-48xl=50',
  'r7i': 'metal-48xl=50',
  'r8a': '12xlarge=64 16xlarge=64 24xlarge=64 2xlarge=40 48xlarge=64 4xlarge=40 8xlarge=40 large=20 metal-24xl=64 xlarge=20',
  'r8g': 'metal-48xl=50',
  'r8gb': 'metal-48xl=50',
  'r8gd': 'metal-48xl=50',
  'r8gn': 'metal-48xl=50',
  'r8i': '12xlarge=50 16xlarge=64 24xlarge=64 2xlarge=30 32xlarge=64 48xlarge=64 4xlarge=50 8xlarge=50 large=20 xlarge=30',
  'r8i-flex': '12xlarge=50 16xlarge=64 2xlarge=30 4xlarge=50 8xlarge=50 large=20 xlarge=30',
  'r8ib': '12xlarge=50 16xlarge=64 24xlarge=64 2xlarge=30 32xlarge=64 48xlarge=64 4xlarge=50 8xlarge=50 large=20 xlarge=30',
  'r8id': '12xlarge=50 16xlarge=64 24xlarge=64 2xlarge=30 32xlarge=64 48xlarge=64 4xlarge=50 8xlarge=50 large=20 xlarge=30',
  'r8idb': '12xlarge=50 16xlarge=64 24xlarge=64 2xlarge=30 32xlarge=64 48xlarge=64 4xlarge=50 8xlarge=50 large=20 xlarge=30',
  'r8idn': '12xlarge=50 16xlarge=64 24xlarge=64 2xlarge=30 32xlarge=64 48xlarge=64 4xlarge=50 8xlarge=50 large=20 xlarge=30',
  'r8in': '12xlarge=50 16xlarge=64 24xlarge=64 2xlarge=30 32xlarge=64 48xlarge=64 4xlarge=50 8xlarge=50 large=20 xlarge=30',
  't2': 'large=12 medium=6',
  't3': 'large=12 medium=6',
  't3a': 'large=12 medium=6',
  't4g': 'large=12 medium=6',
  'u-12tb1': 'metal=30',
  'u-6tb1': '56xlarge=50 metal=30',
  'u-9tb1': 'metal=30',
  'x1': '16xlarge=30 32xlarge=30',
  'x1e': '16xlarge=30 32xlarge=30 4xlarge=15 8xlarge=15 xlarge=10',
  'x2iezn': '12xlarge=50',
  'x8aedz': '12xlarge=64 24xlarge=64 3xlarge=40 6xlarge=40 large=20 metal-24xl=64 xlarge=20',
  'x8g': 'metal-48xl=50',
  'x8i': '12xlarge=50 16xlarge=64 24xlarge=64 2xlarge=30 32xlarge=64 48xlarge=64 4xlarge=50 8xlarge=50 large=20 xlarge=30',
  'z1d': '12xlarge=50 3xlarge=30',
};

const parsed = new Map<string, number>();
for (const [family, text] of Object.entries(EXCEPTIONS)) {
  for (const pair of text.split(' ')) {
    const [size, n] = pair.split('=');
    parsed.set(`${family}.${size}`, Number(n));
  }
}

/** Private IPv4 addresses (the primary included) one interface of this type may have. */
export function ipv4AddressesPerInterface(instanceType: string): number {
  return parsed.get(instanceType) ?? BY_SIZE[instanceType.slice(instanceType.indexOf('.') + 1)] ?? 15;
}

/** IPv6 addresses one interface of this type may have. */
export const ipv6AddressesPerInterface = ipv4AddressesPerInterface;
