// Security group and network ACL evaluation: the one place that decides whether traffic is allowed
// (pure). Every engine asks here: today the SSH endpoints at connection accept; a guest engine with
// its own network later. Groups only allow (no deny rules) and are stateful: replies are always
// allowed, so only the direction that opens a connection is checked. Network ACLs are stateless:
// numbered entries, lowest first, the first that matches decides, `*` denies; the request and its
// reply are each checked in their own direction.
import { contains4, contains6, parseCidr4, parseCidr6, parseIpv4, parseIpv6 } from './cidr.js';
import type { AclEntry, RuleData } from './model.js';

export interface GroupRules {
  groupId: string;
  groupName: string;
  rules: readonly (RuleData & { ruleId?: string })[];
}

export interface Traffic {
  /** Lower-case name (`tcp`, `udp`, `icmp`) or number as text. */
  protocol: string;
  port: number;
  /** The connecting address (IPv4 or IPv6 text). */
  source: string;
  /** Groups of the sender (its private traffic): matches rules that reference a group. */
  sourceGroupIds?: readonly string[];
  /** The addresses of managed prefix lists the rules may name (pl-… → CIDRs). */
  prefixLists?: ReadonlyMap<string, readonly string[]>;
  direction?: 'ingress' | 'egress';
}

export type Verdict =
  | { allowed: true; groupId: string; ruleId?: string }
  | { allowed: false; missing: string };

const PROTOCOL_NUMBERS: Record<string, string> = { tcp: '6', udp: '17', icmp: '1', icmpv6: '58' };
const protocolNumber = (p: string): string => PROTOCOL_NUMBERS[p.toLowerCase()] ?? p;

function protocolMatches(rule: RuleData, t: Traffic): boolean {
  if (rule.ipProtocol === '-1') return true;
  if (protocolNumber(rule.ipProtocol) !== protocolNumber(t.protocol)) return false;
  const p = protocolNumber(rule.ipProtocol);
  // Ports only mean something for TCP and UDP; ICMP's are type/code (-1 = all).
  if (p !== '6' && p !== '17') return true;
  return t.port >= rule.fromPort && t.port <= rule.toPort;
}

/** Whether `address` lies in an IPv4 or IPv6 CIDR. */
function inCidr(cidr: string, address: string): boolean {
  if (cidr.includes(':')) {
    const c = parseCidr6(cidr);
    const ip = parseIpv6(address);
    return c !== undefined && ip !== undefined && contains6(c, ip);
  }
  const c = parseCidr4(cidr);
  const ip = parseIpv4(address.replace(/^::ffff:/, ''));
  return c !== undefined && ip !== undefined && contains4(c, ip);
}

function sourceMatches(rule: RuleData, t: Traffic): boolean {
  if (rule.cidrIpv4) return inCidr(rule.cidrIpv4, t.source);
  if (rule.cidrIpv6) return inCidr(rule.cidrIpv6, t.source);
  if (rule.referencedGroupId) return t.sourceGroupIds?.includes(rule.referencedGroupId) ?? false;
  if (rule.prefixListId) return (t.prefixLists?.get(rule.prefixListId) ?? []).some((c) => inCidr(c, t.source));
  return false;
}

/** Whether any rule of any group allows the traffic; if none does, what rule would. */
export function evaluate(groups: readonly GroupRules[], t: Traffic): Verdict {
  const egress = t.direction === 'egress';
  for (const g of groups) {
    for (const r of g.rules) {
      if (r.egress !== egress) continue;
      if (protocolMatches(r, t) && sourceMatches(r, t)) return { allowed: true, groupId: g.groupId, ruleId: r.ruleId };
    }
  }
  const names = groups.map((g) => `${g.groupId} (${g.groupName})`).join(', ') || 'none';
  return {
    allowed: false,
    missing: `no ${egress ? 'outbound' : 'inbound'} rule allows ${t.protocol}/${t.port} from ${t.source} in security groups ${names}`,
  };
}

export type AclVerdict = { allowed: true; ruleNumber: number } | { allowed: false; ruleNumber: number | '*'; missing: string };

function aclEntryMatches(e: AclEntry, t: { protocol: string; port: number; peer: string }): boolean {
  const cidr = e.cidrBlock ?? e.ipv6CidrBlock;
  if (!cidr || !inCidr(cidr, t.peer)) return false;
  if (e.protocol === '-1') return true;
  const p = protocolNumber(t.protocol);
  if (e.protocol !== p) return false;
  if (p !== '6' && p !== '17') return true;
  return e.portRange !== undefined && t.port >= e.portRange.from && t.port <= e.portRange.to;
}

/**
 * A network ACL's verdict on one packet direction: `ingress` packets come from `peer` to `port` of
 * the instance, `egress` packets go to `peer`'s `port`. Entries are tried by rule number; the first
 * that matches allows or denies; none matching is the `*` deny.
 */
export function evaluateAcl(
  aclId: string,
  entries: readonly AclEntry[],
  t: { direction: 'ingress' | 'egress'; protocol: string; port: number; peer: string },
): AclVerdict {
  const egress = t.direction === 'egress';
  const ordered = entries.filter((e) => e.egress === egress && e.ruleNumber < 32767).sort((a, b) => a.ruleNumber - b.ruleNumber);
  const what = `${t.protocol}/${t.port} ${egress ? 'to' : 'from'} ${t.peer}`;
  for (const e of ordered) {
    if (!aclEntryMatches(e, t)) continue;
    if (e.ruleAction === 'allow') return { allowed: true, ruleNumber: e.ruleNumber };
    return { allowed: false, ruleNumber: e.ruleNumber, missing: `${egress ? 'outbound' : 'inbound'} rule ${e.ruleNumber} of network ACL ${aclId} denies ${what}` };
  }
  return { allowed: false, ruleNumber: '*', missing: `no ${egress ? 'outbound' : 'inbound'} rule of network ACL ${aclId} allows ${what} (its * rule denies it)` };
}
