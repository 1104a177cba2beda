// A VPC's CIDR blocks (pure): the primary IPv4 block, up to 4 secondary ones, and one Amazon-provided
// IPv6 /56 per network border group; subnets take a /64 (or larger, to /44) of it.
import { randomBytes } from 'node:crypto';
import { formatCidr6, network6, overlaps4, overlaps6, parseCidr4, parseCidr6, within4, within6, type Cidr4 } from './cidr.js';
import { vpcCidrs, type AclEntry, type RouteData, type SubnetData, type VpcData } from './model.js';

/** IPv4 blocks per VPC, the primary included (VPC quotas page: "IPv4 CIDR blocks per VPC", 5). */
export const IPV4_BLOCKS_PER_VPC = 5;
/** Amazon-provided IPv6 blocks per VPC: one per network border group, and a Region has one group here. */
export const AMAZON_IPV6_BLOCKS_PER_VPC = 1;
/** Subnet IPv6 sizes (VPC User Guide, "IPv6 VPC CIDR blocks"): /44 to /64 in steps of 4; /64 is the usual one. */
export const subnetIpv6PrefixOk = (prefix: number): boolean => prefix >= 44 && prefix <= 64 && prefix % 4 === 0;

/** A fresh Amazon-provided /56 from the 2600:1f00::/24 space AWS allocates VPC blocks from, unlike any in `taken`. */
export function amazonIpv6Block(taken: ReadonlySet<string>): string {
  for (;;) {
    const b = randomBytes(4);
    const text = formatCidr6(network6({ groups: [0x2600, 0x1f00 | b[0]!, (b[1]! << 8) | b[2]!, b[3]! << 8, 0, 0, 0, 0], prefix: 56 }));
    if (!taken.has(text)) return text;
  }
}

/** Whether an IPv4 block lies inside one of the VPC's blocks. */
export const insideVpc4 = (vpc: VpcData, c: Cidr4): boolean => vpcCidrs(vpc).some((b) => within4(c, parseCidr4(b.cidrBlock)!));

/** Whether an IPv4 block overlaps one of the VPC's blocks. */
export const overlapsVpc4 = (vpc: VpcData, c: Cidr4): boolean => vpcCidrs(vpc).some((b) => overlaps4(c, parseCidr4(b.cidrBlock)!));

/** The VPC's IPv6 block that holds `cidr` (a subnet's /64), if any. */
export function vpcIpv6For(vpc: VpcData, cidr: string): string | undefined {
  const c = parseCidr6(cidr)!;
  return vpc.ipv6Cidrs?.find((b) => within6(c, parseCidr6(b.ipv6CidrBlock)!))?.ipv6CidrBlock;
}

/** Whether a subnet's IPv6 block overlaps another subnet's. */
export const overlapsSubnets6 = (subnets: readonly SubnetData[], cidr: string): boolean =>
  subnets.some((s) => (s.ipv6Cidrs ?? []).some((b) => overlaps6(parseCidr6(b.ipv6CidrBlock)!, parseCidr6(cidr)!)));

/** The local routes every route table of the VPC has: one per IPv4 block and one per IPv6 block (VPC User Guide, "Route tables": the local route for each CIDR block). */
export function localRoutes(vpc: VpcData): RouteData[] {
  return [
    ...vpcCidrs(vpc).map((b) => ({ destinationCidrBlock: b.cidrBlock, gatewayId: 'local', origin: 'CreateRouteTable' as const })),
    ...(vpc.ipv6Cidrs ?? []).map((b) => ({ destinationIpv6CidrBlock: b.ipv6CidrBlock, gatewayId: 'local', origin: 'CreateRouteTable' as const })),
  ];
}

/** A table's routes with its local routes made to match the VPC's blocks now (AWS adds and removes them as blocks come and go). */
export const syncLocalRoutes = (routes: readonly RouteData[], vpc: VpcData): RouteData[] => [...localRoutes(vpc), ...routes.filter((r) => r.gatewayId !== 'local')];

const IPV6_ALL = '::/0';
const isIpv6Star = (e: AclEntry) => e.ruleNumber === 32767 && e.ipv6CidrBlock === IPV6_ALL;
const isIpv6Allow = (e: AclEntry) => e.ruleNumber === 101 && e.ipv6CidrBlock === IPV6_ALL && e.ruleAction === 'allow' && e.protocol === '-1';

/** Whether one direction of a default ACL is as AWS made it (rule 100 allow all, `*` deny). */
const untouched = (entries: readonly AclEntry[], egress: boolean) => {
  const own = entries.filter((e) => e.egress === egress && !isIpv6Star(e));
  return own.length === 2 && own.some((e) => e.ruleNumber === 100 && e.ruleAction === 'allow' && e.cidrBlock === '0.0.0.0/0' && e.protocol === '-1') && own.some((e) => e.ruleNumber === 32767);
};

/**
 * An ACL's entries once its VPC has (or no longer has) an IPv6 block. VPC User Guide, "Default network
 * ACL": the IPv6 rules (101 allow ::/0, * deny ::/0) are added when an IPv6 block is associated, except
 * that the allow rule is not added to a direction whose rules were changed; every ACL's `*` rules
 * include the IPv6 deny once the VPC has IPv6 ("Custom network ACLs"). Removing the block removes them [INF].
 */
export function syncIpv6AclEntries(entries: readonly AclEntry[], isDefault: boolean, hasIpv6: boolean): AclEntry[] {
  if (!hasIpv6) return entries.filter((e) => !isIpv6Star(e) && !(isDefault && isIpv6Allow(e)));
  const out = [...entries];
  for (const egress of [false, true]) {
    if (isDefault && untouched(entries, egress) && !out.some((e) => e.egress === egress && e.ruleNumber === 101)) {
      out.push({ ruleNumber: 101, egress, protocol: '-1', ruleAction: 'allow', ipv6CidrBlock: IPV6_ALL });
    }
    if (!out.some((e) => e.egress === egress && isIpv6Star(e))) out.push({ ruleNumber: 32767, egress, protocol: '-1', ruleAction: 'deny', ipv6CidrBlock: IPV6_ALL });
  }
  return out;
}
