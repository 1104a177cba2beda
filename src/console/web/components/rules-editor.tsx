// The security group rules editor ("Edit inbound rules" / "Edit outbound rules", and the rules
// sections of Create security group): rows of Type, Protocol, Port range, Source (or Destination)
// and Description, with Add rule / Delete. saveRules turns the edited rows into the API calls:
// Revoke for deleted rules, ModifySecurityGroupRules for changed ones, Authorize for new ones.
import type { ApiClient, Params } from '../api.js';
import { RULE_TYPES, portRangeLabel, protocolLabel, ruleTypeOf, type Rule } from '../network-api.js';

export interface RuleRow {
  /** The sgr- id of a rule that exists; undefined for a new row. */
  ruleId?: string;
  type: string;
  protocol: string;
  portRange: string;
  peer: string;
  description: string;
}

export const rowOf = (r: Rule): RuleRow => ({
  ruleId: r.id,
  type: ruleTypeOf(r.protocol, r.fromPort, r.toPort).label,
  protocol: r.protocol,
  portRange: portRangeLabel(r.protocol, r.fromPort, r.toPort),
  peer: r.peer,
  description: r.description,
});

export const newRow = (type = 'Custom TCP', peer = ''): RuleRow => {
  const t = RULE_TYPES.find((x) => x.label === type)!;
  return { type, protocol: t.protocol, portRange: t.ports ? portRangeLabel(t.protocol, t.ports[0], t.ports[1]) : '', peer, description: '' };
};

const ANYWHERE: Record<string, string> = { 'Anywhere-IPv4': '0.0.0.0/0', 'Anywhere-IPv6': '::/0' };

export function RulesEditor({ rows, onChange, egress }: { rows: RuleRow[]; onChange: (rows: RuleRow[]) => void; egress: boolean }) {
  const peerLabel = egress ? 'Destination' : 'Source';
  const set = (i: number, patch: Partial<RuleRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const setType = (i: number, label: string) => {
    const t = RULE_TYPES.find((x) => x.label === label)!;
    set(i, { type: label, protocol: t.protocol, portRange: t.ports ? portRangeLabel(t.protocol, t.ports[0], t.ports[1]) : '' });
  };
  return (
    <div class="rules-editor">
      <table class="table compact" aria-label={egress ? 'Outbound rules' : 'Inbound rules'}>
        <thead>
          <tr>
            <th>Security group rule ID</th>
            <th>Type</th>
            <th>Protocol</th>
            <th>Port range</th>
            <th>{peerLabel} type</th>
            <th>{peerLabel}</th>
            <th>Description - optional</th>
            <th>
              <span class="visually-hidden">Delete</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => {
            const fixed = RULE_TYPES.find((t) => t.label === r.type)?.ports !== undefined;
            const peerType = Object.entries(ANYWHERE).find(([, v]) => v === r.peer)?.[0] ?? 'Custom';
            const n = i + 1;
            return (
              <tr key={i}>
                <td class="mono">{r.ruleId ?? '–'}</td>
                <td>
                  <select aria-label={`Rule ${n} type`} value={r.type} onChange={(e) => setType(i, e.currentTarget.value)}>
                    {RULE_TYPES.map((t) => (
                      <option key={t.label}>{t.label}</option>
                    ))}
                    {!RULE_TYPES.some((t) => t.label === r.type) && <option>{r.type}</option>}
                  </select>
                </td>
                <td>{protocolLabel(r.protocol)}</td>
                <td>
                  <input aria-label={`Rule ${n} port range`} value={r.portRange} disabled={fixed} placeholder="0 - 65535" size={10} onInput={(e) => set(i, { portRange: e.currentTarget.value })} />
                </td>
                <td>
                  <select aria-label={`Rule ${n} ${peerLabel.toLowerCase()} type`} value={peerType} onChange={(e) => set(i, { peer: ANYWHERE[e.currentTarget.value] ?? '' })}>
                    <option>Custom</option>
                    <option>Anywhere-IPv4</option>
                    <option>Anywhere-IPv6</option>
                  </select>
                </td>
                <td>
                  <input
                    aria-label={`Rule ${n} ${peerLabel.toLowerCase()}`}
                    value={r.peer}
                    placeholder="CIDR blocks or security group ID"
                    onInput={(e) => set(i, { peer: e.currentTarget.value.trim() })}
                  />
                </td>
                <td>
                  <input aria-label={`Rule ${n} description`} value={r.description} maxLength={255} onInput={(e) => set(i, { description: e.currentTarget.value })} />
                </td>
                <td>
                  <button type="button" class="secondary" aria-label={`Delete rule ${n}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
                    Delete
                  </button>
                </td>
              </tr>
            );
          })}
          {rows.length === 0 && (
            <tr>
              <td colSpan={8} class="empty">
                This security group has no {egress ? 'outbound' : 'inbound'} rules.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <button type="button" class="secondary" onClick={() => onChange([...rows, newRow()])}>
        Add rule
      </button>
    </div>
  );
}

/** From/to ports of a row: "22", "1000-2000", "All" (icmp: "type" or "type-code"). */
function ports(r: RuleRow): [number, number] {
  if (r.protocol === '-1') return [-1, -1];
  const text = r.portRange.trim();
  if (/^all$/i.test(text)) return r.protocol === 'icmp' ? [-1, -1] : [0, 65535];
  const m = /^(-?\d+)\s*(?:-\s*(-?\d+))?$/.exec(text);
  // AWS's own validation answers for anything else (the server's InvalidParameterValue)
  if (!m) return [Number.NaN, Number.NaN];
  const from = Number(m[1]);
  return [from, m[2] !== undefined ? Number(m[2]) : r.protocol === 'icmp' ? -1 : from];
}

const PEER_LISTS = (peer: string): [string, string] =>
  peer.startsWith('sg-') ? ['Groups', 'GroupId'] : peer.startsWith('pl-') ? ['PrefixListIds', 'PrefixListId'] : peer.includes(':') ? ['Ipv6Ranges', 'CidrIpv6'] : ['IpRanges', 'CidrIp'];

const MODIFY_PEER = (peer: string): string => (peer.startsWith('sg-') ? 'ReferencedGroupId' : peer.startsWith('pl-') ? 'PrefixListId' : peer.includes(':') ? 'CidrIpv6' : 'CidrIpv4');

const portParams = (r: RuleRow, prefix: string): Params => {
  const [from, to] = ports(r);
  return r.protocol === '-1' ? {} : { [`${prefix}FromPort`]: String(from), [`${prefix}ToPort`]: String(to) };
};

/** Sends the edit as AWS's console does: revoke what was deleted, modify what changed, authorize what is new. */
export async function saveRules(api: ApiClient, groupId: string, egress: boolean, before: Rule[], rows: RuleRow[]): Promise<void> {
  const kept = new Set(rows.map((r) => r.ruleId).filter(Boolean));
  const removed = before.filter((r) => !kept.has(r.id));
  const dir = egress ? 'Egress' : 'Ingress';
  if (removed.length) {
    const p: Params = { GroupId: groupId };
    removed.forEach((r, n) => (p[`SecurityGroupRuleId.${n + 1}`] = r.id));
    await api.ec2(`RevokeSecurityGroup${dir}`, p);
  }
  const changed = rows.filter((row) => {
    if (!row.ruleId) return false;
    const was = before.find((r) => r.id === row.ruleId);
    return !was || JSON.stringify(rowOf(was)) !== JSON.stringify(row);
  });
  if (changed.length) {
    const p: Params = { GroupId: groupId };
    changed.forEach((r, n) => {
      const at = `SecurityGroupRule.${n + 1}.`;
      p[`${at}SecurityGroupRuleId`] = r.ruleId;
      p[`${at}SecurityGroupRule.IpProtocol`] = r.protocol;
      Object.assign(p, portParams(r, `${at}SecurityGroupRule.`));
      p[`${at}SecurityGroupRule.${MODIFY_PEER(r.peer)}`] = r.peer;
      p[`${at}SecurityGroupRule.Description`] = r.description;
    });
    await api.ec2('ModifySecurityGroupRules', p);
  }
  const added = rows.filter((r) => !r.ruleId);
  if (added.length) await api.ec2(`AuthorizeSecurityGroup${dir}`, { GroupId: groupId, ...permissionParams(added) });
}

/** IpPermissions.N for new rows (one permission per row, its peer inside). */
export function permissionParams(rows: RuleRow[]): Params {
  const p: Params = {};
  rows.forEach((r, i) => {
    const at = `IpPermissions.${i + 1}.`;
    p[`${at}IpProtocol`] = r.protocol;
    Object.assign(p, portParams(r, at));
    const [list, member] = PEER_LISTS(r.peer);
    p[`${at}${list}.1.${member}`] = r.peer;
    if (r.description) p[`${at}${list}.1.Description`] = r.description;
  });
  return p;
}
