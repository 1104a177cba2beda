// IpPermissions on the wire (and the legacy flat members) → rule specifications: protocols
// normalised as AWS stores them (6 → tcp, all → -1), ports checked per protocol, one rule per peer.
import { Ec2Error } from '../../errors/ec2-error.js';
import { parseCidr4, parseCidr6 } from '../../compute/network/cidr.js';
import type { RuleData } from '../../compute/network/model.js';
import { fields } from '../input.js';

/** A rule as asked for: a group peer may be named (resolved by the caller) instead of given by id. */
export type RuleSpec = Omit<RuleData, 'egress'> & { referencedGroupName?: string };

const NAMES: Record<string, string> = { tcp: 'tcp', udp: 'udp', icmp: 'icmp', icmpv6: 'icmpv6', '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6', '-1': '-1', all: '-1' };

export function normaliseProtocol(raw: string): string {
  const p = NAMES[raw.toLowerCase()];
  if (p) return p;
  if (/^[0-9]{1,3}$/.test(raw) && Number(raw) <= 255) return String(Number(raw));
  // AWS CLI captures: "Invalid value 'foo' for IP protocol. Unknown protocol."
  throw new Ec2Error('InvalidParameterValue', `Invalid value '${raw}' for IP protocol. Unknown protocol.`);
}

function ports(protocol: string, from: string | undefined, to: string | undefined): [number, number] {
  if (protocol === '-1') return [-1, -1];
  const f = from === undefined ? undefined : Number(from);
  const t = to === undefined ? undefined : Number(to);
  if ((f !== undefined && !Number.isInteger(f)) || (t !== undefined && !Number.isInteger(t))) {
    throw new Ec2Error('InvalidParameterValue', `Invalid value for portRange. Must specify both from and to ports with TCP/UDP.`);
  }
  if (protocol === 'tcp' || protocol === 'udp') {
    if (f === undefined || t === undefined) throw new Ec2Error('InvalidParameterValue', "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.");
    if (f < 0 || t > 65535 || f > t) throw new Ec2Error('InvalidParameterValue', `Invalid value '${f}-${t}' for portRange. Port ranges must be within 0-65535 and from <= to.`);
    return [f, t];
  }
  if (protocol === 'icmp' || protocol === 'icmpv6') {
    const type = f ?? -1;
    const code = t ?? -1;
    if (type < -1 || type > 255 || code < -1 || code > 255) throw new Ec2Error('InvalidParameterValue', `Invalid value '${type},${code}' for ICMP type and code.`);
    return [type, code];
  }
  // Other protocols carry no ports.
  return [-1, -1];
}

function cidr4(text: string): string {
  // AWS CLI captures: "CIDR block 10.0.0.0/33 is malformed". Kept as given (host bits and all).
  if (!parseCidr4(text)) throw new Ec2Error('InvalidParameterValue', `CIDR block ${text} is malformed`);
  return text;
}

function cidr6(text: string): string {
  if (!parseCidr6(text)) throw new Ec2Error('InvalidParameterValue', `CIDR block ${text} is malformed`);
  return text.toLowerCase();
}

const PERMISSION_MEMBERS = /^(IpProtocol|FromPort|ToPort|IpRanges\.\d+\.(CidrIp|Description)|Ipv6Ranges\.\d+\.(CidrIpv6|Description)|(?:UserIdGroupPairs|Groups)\.\d+\.(GroupId|GroupName|UserId|Description|VpcId|VpcPeeringConnectionId|PeeringStatus)|PrefixListIds\.\d+\.(PrefixListId|Description))$/;

/** `IpPermissions.N.*` (as a `rest` field gives them: `N.Member…`) → rule specs, in request order. */
export function parsePermissions(rest: Record<string, string>, wire = 'IpPermissions'): RuleSpec[] {
  const byIndex = new Map<number, Map<string, string>>();
  for (const [key, value] of Object.entries(rest)) {
    const m = /^([1-9][0-9]*)\.(.+)$/.exec(key);
    if (!m || !PERMISSION_MEMBERS.test(m[2]!)) throw new Ec2Error('UnknownParameter', `${wire}.${key}`);
    const n = Number(m[1]);
    let g = byIndex.get(n);
    if (!g) byIndex.set(n, (g = new Map()));
    g.set(m[2]!, value);
  }
  const out: RuleSpec[] = [];
  for (const [, g] of [...byIndex].sort((a, b) => a[0] - b[0])) {
    const raw = g.get('IpProtocol');
    // moto's AWS-verified test (test_security_groups.py): the text AWS answers a rule without a protocol
    if (raw === undefined) throw new Ec2Error('InvalidParameterValue', "Invalid value 'null' for protocol. VPC security group rules must specify protocols explicitly.");
    const ipProtocol = normaliseProtocol(raw);
    const [fromPort, toPort] = ports(ipProtocol, g.get('FromPort'), g.get('ToPort'));
    const base = { ipProtocol, fromPort, toPort };
    const items = (list: string) => {
      const ix = new Map<number, Map<string, string>>();
      for (const [k, v] of g) {
        const m = new RegExp(`^${list}\\.(\\d+)\\.(.+)$`).exec(k);
        if (!m) continue;
        let e = ix.get(Number(m[1]));
        if (!e) ix.set(Number(m[1]), (e = new Map()));
        e.set(m[2]!, v);
      }
      return [...ix].sort((a, b) => a[0] - b[0]).map(([, e]) => e);
    };
    const description = (e: Map<string, string>) => (e.get('Description') === undefined ? {} : { description: e.get('Description')! });
    for (const e of items('IpRanges')) out.push({ ...base, cidrIpv4: cidr4(e.get('CidrIp') ?? ''), ...description(e) });
    for (const e of items('Ipv6Ranges')) out.push({ ...base, cidrIpv6: cidr6(e.get('CidrIpv6') ?? ''), ...description(e) });
    for (const e of items('PrefixListIds')) out.push({ ...base, prefixListId: e.get('PrefixListId') ?? '', ...description(e) });
    // The query protocol names UserIdGroupPairs `Groups` (its locationName); both are accepted.
    for (const e of [...items('Groups'), ...items('UserIdGroupPairs')]) {
      const groupId = e.get('GroupId');
      const groupName = e.get('GroupName');
      if (!groupId && !groupName) throw new Ec2Error('MissingParameter', 'UserIdGroupPairs.GroupId');
      out.push({
        ...base,
        ...(groupId ? { referencedGroupId: groupId } : { referencedGroupName: groupName }),
        ...(e.get('UserId') ? { referencedUserId: e.get('UserId')! } : {}),
        ...description(e),
      });
    }
  }
  return out;
}

/** The flat members of Authorize/Revoke (before IpPermissions existed). */
export const flatMembers = {
  ipProtocol: fields.string('IpProtocol'),
  fromPort: fields.integer('FromPort'),
  toPort: fields.integer('ToPort'),
  cidrIp: fields.string('CidrIp'),
  sourceSecurityGroupName: fields.string('SourceSecurityGroupName'),
  sourceSecurityGroupOwnerId: fields.string('SourceSecurityGroupOwnerId'),
};

export function parseFlat(input: { ipProtocol?: string; fromPort?: number; toPort?: number; cidrIp?: string; sourceSecurityGroupName?: string; sourceSecurityGroupOwnerId?: string }): RuleSpec[] {
  if (input.cidrIp === undefined && input.sourceSecurityGroupName === undefined && input.ipProtocol === undefined) return [];
  if (input.sourceSecurityGroupName !== undefined && input.cidrIp === undefined && input.ipProtocol === undefined) {
    // A group name alone allows everything from that group (EC2-Classic semantics AWS still accepts).
    return [{ ipProtocol: '-1', fromPort: -1, toPort: -1, referencedGroupName: input.sourceSecurityGroupName, ...(input.sourceSecurityGroupOwnerId ? { referencedUserId: input.sourceSecurityGroupOwnerId } : {}) }];
  }
  const ipProtocol = normaliseProtocol(input.ipProtocol ?? '-1');
  const [fromPort, toPort] = ports(ipProtocol, input.fromPort?.toString(), input.toPort?.toString());
  if (input.sourceSecurityGroupName !== undefined) {
    return [{ ipProtocol, fromPort, toPort, referencedGroupName: input.sourceSecurityGroupName, ...(input.sourceSecurityGroupOwnerId ? { referencedUserId: input.sourceSecurityGroupOwnerId } : {}) }];
  }
  return [{ ipProtocol, fromPort, toPort, cidrIpv4: cidr4(input.cidrIp ?? '0.0.0.0/0') }];
}

/** How AWS names a rule in InvalidPermission.Duplicate (observed: `peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW`). */
export function ruleText(r: RuleData): string {
  const peer = r.cidrIpv4 ?? r.cidrIpv6 ?? r.prefixListId ?? r.referencedGroupId ?? '';
  const proto = r.ipProtocol === '-1' ? 'ALL' : r.ipProtocol.toUpperCase();
  const portText = r.ipProtocol === 'tcp' || r.ipProtocol === 'udp' ? `, from port: ${r.fromPort}, to port: ${r.toPort}` : '';
  return `peer: ${peer}, ${proto}${portText}, ALLOW`;
}
