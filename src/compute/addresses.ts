// Addresses for instances. Public addresses are loopback addresses of the host (127.z.y.x,
// never 127.0.0.1) so each instance's SSH endpoint can be reached as `ssh user@ADDRESS`, as on
// AWS; Linux routes all of 127/8 to loopback without configuration.

/** The n-th (1-based) public address: 127.1.0.1, 127.1.0.2, … skipping .0 and .255. */
export function publicAddress(n: number): string {
  const i = n - 1;
  const x = (i % 254) + 1;
  const y = Math.floor(i / 254) % 256;
  const z = 1 + (Math.floor(i / (254 * 256)) % 254);
  return `127.${z}.${y}.${x}`;
}

/** The n-th private address in the default VPC's 172.31.0.0/16. */
export function privateAddress(n: number): string {
  const i = n - 1;
  return `172.31.${Math.floor(i / 254) % 256}.${(i % 254) + 1}`;
}

export function privateDnsName(ip: string, region: string): string {
  const host = `ip-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}
