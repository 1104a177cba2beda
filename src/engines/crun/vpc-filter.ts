// UDP and ICMP between instances of a VPC: forwarded by the VPC namespace's kernel (TCP goes
// through the relay, vpc-relay.ts) and filtered there by an nftables ruleset made from the
// members' security groups. Groups are stateful (replies and related ICMP errors pass) and only
// allow: a new flow passes when the sender's outbound rules allow it to the receiver and the
// receiver's inbound rules allow it from the sender, as for TCP (compute/network/admission.ts).
// The ruleset is rebuilt from the groups as they are now and replaced in one nft transaction.
import type { MemberRule } from '../../compute/guest-engine.js';

export interface PeerMember {
  /** The member's link in the VPC namespace (`v3`). */
  dev: string;
  privateIp: string;
  /** The member's own groups (rules of others may reference them). */
  groupIds: readonly string[];
  /** Undefined: nothing restricts it (security groups not enforced, or an instance without an interface). */
  rules: readonly MemberRule[] | undefined;
}

const PEER_TABLE = 'ec2lite_peers';

const kind = (protocol: string): 'all' | 'udp' | 'icmp' | undefined => {
  const p = protocol.toLowerCase();
  if (p === '-1' || p === 'all') return 'all';
  if (p === 'udp' || p === '17') return 'udp';
  if (p === 'icmp' || p === '1') return 'icmp';
  return undefined; // TCP is the relay's; other protocols are not carried
};

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(\/\d{1,2})?$/;

/** The nft match for a rule's protocol and ports, or undefined when it allows no UDP/ICMP. */
function protocolMatch(r: MemberRule): string | undefined {
  switch (kind(r.protocol)) {
    case 'all':
      return 'meta l4proto { udp, icmp }';
    case 'udp': {
      const from = Math.max(0, r.fromPort);
      const to = r.toPort < 0 ? 65535 : Math.min(65535, r.toPort);
      if (r.fromPort < 0 || (from === 0 && to === 65535)) return 'meta l4proto udp';
      if (from > to) return undefined;
      return from === to ? `udp dport ${from}` : `udp dport ${from}-${to}`;
    }
    case 'icmp': {
      // ICMP rules: FromPort is the type, ToPort the code (-1: all)
      if (r.fromPort < 0 || r.fromPort > 255) return 'meta l4proto icmp';
      if (r.toPort < 0 || r.toPort > 255) return `icmp type ${r.fromPort}`;
      return `icmp type ${r.fromPort} icmp code ${r.toPort}`;
    }
    default:
      return undefined;
  }
}

/** The addresses a rule names on its far side (`ip saddr`/`ip daddr` operand), or undefined for none. */
function peerMatch(r: MemberRule, members: readonly PeerMember[]): string | undefined {
  if (r.cidr) return IPV4_CIDR.test(r.cidr) ? r.cidr : undefined;
  if (r.groupId) {
    const ips = members.filter((m) => m.groupIds.includes(r.groupId!)).map((m) => m.privateIp);
    return ips.length ? `{ ${ips.join(', ')} }` : undefined;
  }
  return undefined;
}

const chain = (side: 'out' | 'in', m: PeerMember) => `${side}_${m.dev.replace(/[^a-zA-Z0-9_]/g, '_')}`;

/**
 * The whole ruleset for a VPC's members (an `nft -f` script that replaces the table atomically).
 * Only traffic from one instance link to another is judged; the way out to the Internet is not.
 */
export function peerRuleset(members: readonly PeerMember[]): string {
  const lines: string[] = [
    `table ip ${PEER_TABLE}`,
    `delete table ip ${PEER_TABLE}`,
    `table ip ${PEER_TABLE} {`,
    '  chain forward {',
    '    type filter hook forward priority 0; policy accept;',
    '    iifname "v*" oifname "v*" jump peers',
    '  }',
    '  chain peers {',
    '    ct state established,related accept',
    '    meta l4proto != { udp, icmp } drop',
  ];
  if (members.length) lines.push(`    ip saddr vmap { ${members.map((m) => `${m.privateIp} : jump ${chain('out', m)}`).join(', ')} }`);
  lines.push('    drop', '  }', '  chain admit {');
  if (members.length) lines.push(`    ip daddr vmap { ${members.map((m) => `${m.privateIp} : jump ${chain('in', m)}`).join(', ')} }`);
  lines.push('  }');
  for (const m of members) {
    for (const side of ['out', 'in'] as const) {
      lines.push(`  chain ${chain(side, m)} {`);
      const verdict = side === 'out' ? 'jump admit' : 'accept';
      if (!m.rules) lines.push(`    meta l4proto { udp, icmp } ${verdict}`);
      for (const r of m.rules ?? []) {
        if (r.egress !== (side === 'out')) continue;
        const proto = protocolMatch(r);
        const peer = peerMatch(r, members);
        if (!proto || !peer) continue;
        lines.push(`    ip ${side === 'out' ? 'daddr' : 'saddr'} ${peer} ${proto} ${verdict}`);
      }
      lines.push('  }');
    }
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
