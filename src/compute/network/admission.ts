// Security groups and network ACLs at an instance's SSH endpoint: each new connection is checked
// against the network ACL of the instance's subnet (stateless: the request inbound and the reply
// outbound to the client's port) and the rules of the groups of its primary interface, as they are
// now (a change applies to the next connection; established sessions stay, as AWS's tracked
// connections do). Used as the endpoint's admission callback; the decisions are rules.ts's.
import type { InstanceRecord, Scope, Store } from '../../store/port.js';
import type { MemberRule, MemberRules } from '../guest-engine.js';
import type { NetworkAclData, NetworkInterfaceData, RuleData, SecurityGroupData } from './model.js';
import { prefixListCidrs } from './prefix-list-cidrs.js';
import { evaluate, evaluateAcl, type GroupRules, type Verdict } from './rules.js';

/** The port the endpoint stands for, whatever port it had to bind. */
export const SSH_PORT = 22;

interface InstanceNetwork {
  groups: GroupRules[];
  acl?: { id: string; data: NetworkAclData };
  prefixLists: Map<string, string[]>;
}

/** The groups (with their rules), subnet ACL and named prefix lists of an instance's primary interface; undefined for instances from before networking. */
export async function instanceNetwork(store: Store, scope: Scope, networkInterfaceId: string | undefined): Promise<InstanceNetwork | undefined> {
  if (!networkInterfaceId) return undefined;
  const [eni] = await store.network.list<NetworkInterfaceData>(scope, 'network-interface', { ids: [networkInterfaceId] });
  if (!eni) return { groups: [], prefixLists: new Map() };
  const ids = eni.data.groupIds;
  const [groups, rules, acls] = await Promise.all([
    store.network.list<SecurityGroupData>(scope, 'security-group', { ids }),
    store.network.list<RuleData>(scope, 'security-group-rule', { parentIds: ids }),
    store.network.list<NetworkAclData>(scope, 'network-acl', { vpcId: eni.vpcId }),
  ]);
  const named = [...new Set(rules.map((r) => r.data.prefixListId).filter((x): x is string => x !== undefined))];
  const acl = acls.find((a) => a.data.associations.some((x) => x.subnetId === eni.data.subnetId));
  return {
    groups: ids.map((id) => ({
      groupId: id,
      groupName: groups.find((g) => g.id === id)?.data.groupName ?? '',
      rules: rules.filter((r) => r.parentId === id).map((r) => ({ ...r.data, ruleId: r.id })),
    })),
    acl: acl && { id: acl.id, data: acl.data },
    prefixLists: await prefixListCidrs(store, scope, named),
  };
}

/** The groups (with their rules) of an instance's primary interface; undefined for instances from before networking. */
export async function instanceGroupRules(store: Store, scope: Scope, networkInterfaceId: string | undefined): Promise<GroupRules[] | undefined> {
  return (await instanceNetwork(store, scope, networkInterfaceId))?.groups;
}

export type SshVerdict = Verdict & { by?: 'network-acl' | 'security-group' };

/** Whether `source` (from `sourcePort`) may open tcp/22 to the instance now: its subnet's ACL both ways, then its groups. */
export async function sshVerdict(
  store: Store,
  scope: Scope,
  record: Pick<InstanceRecord, 'instanceId' | 'networkInterfaceId'>,
  source: string,
  sourcePort?: number,
): Promise<SshVerdict> {
  const net = await instanceNetwork(store, scope, record.networkInterfaceId);
  if (!net) return { allowed: true, groupId: '' };
  return verdictOf(net, source, sourcePort);
}

function verdictOf(net: InstanceNetwork, source: string, sourcePort?: number): SshVerdict {
  if (net.acl) {
    const inbound = evaluateAcl(net.acl.id, net.acl.data.entries, { direction: 'ingress', protocol: 'tcp', port: SSH_PORT, peer: source });
    if (!inbound.allowed) return { allowed: false, missing: inbound.missing, by: 'network-acl' };
    // the reply leaves for the client's (ephemeral) port: a stateless ACL must allow it too
    if (sourcePort !== undefined) {
      const reply = evaluateAcl(net.acl.id, net.acl.data.entries, { direction: 'egress', protocol: 'tcp', port: sourcePort, peer: source });
      if (!reply.allowed) return { allowed: false, missing: reply.missing, by: 'network-acl' };
    }
  }
  const v = evaluate(net.groups, { protocol: 'tcp', port: SSH_PORT, source, prefixLists: net.prefixLists });
  return v.allowed ? v : { ...v, by: 'security-group' };
}

/** A fix a person can paste, for the refusal line and `ec2lite ssh`. */
export const sshHint = (groupId: string | undefined): string =>
  `aws ec2 authorize-security-group-ingress --group-id ${groupId ?? 'sg-…'} --protocol tcp --port 22 --cidr 0.0.0.0/0`;

const aclHint = (aclId: string): string =>
  `aws ec2 describe-network-acls --network-acl-ids ${aclId}, then create-network-acl-entry or replace-network-acl-entry to allow tcp/22 in and the client's port out`;

/** Why `source` may not open tcp/22 to the instance now (with the fix), or undefined when it may. */
export async function sshRefusal(
  store: Store,
  scope: Scope,
  record: Pick<InstanceRecord, 'instanceId' | 'networkInterfaceId'>,
  source: string,
  sourcePort?: number,
): Promise<string | undefined> {
  const net = await instanceNetwork(store, scope, record.networkInterfaceId);
  if (!net) return undefined;
  const v = verdictOf(net, source, sourcePort);
  if (v.allowed) return undefined;
  const hint = v.by === 'network-acl' ? aclHint(net.acl!.id) : sshHint(net.groups[0]?.groupId);
  return `${record.instanceId}: ${v.missing} (to allow it: ${hint})`;
}

/**
 * The SSH transport's `admit(instance, remoteAddress, localPort, remotePort)` hook: reads the
 * instance's interface at each connection and answers true, or the refusal line naming the
 * instance, the missing rule and the fix (the transport writes it to the client and logs it).
 */
export function securityGroupAdmit(store: Store, log: (line: string) => void) {
  return async (instance: { scope: Scope; instanceId: string }, remoteAddress: string, _localPort?: number, remotePort?: number): Promise<boolean | string> => {
    const [record] = await store.instances.list(instance.scope, [instance.instanceId]);
    if (!record) {
      log(`ssh ${instance.instanceId}: refused ${remoteAddress}: no such instance`);
      return false;
    }
    return (await sshRefusal(store, instance.scope, record, remoteAddress.replace(/^::ffff:/, ''), remotePort || undefined)) ?? true;
  };
}

/**
 * A new TCP connection to `target`'s `port` on its private address (a real guest network): from a
 * peer instance of its VPC (its address and groups: the peer's outbound rules must allow it, and
 * the target's inbound rules, by address or by the peer's groups), or from outside (the public
 * address: the target's inbound rules by the client's address).
 */
export async function connectionVerdict(
  store: Store,
  scope: Scope,
  target: Pick<InstanceRecord, 'networkInterfaceId' | 'privateIp'>,
  port: number,
  from: { address: string; networkInterfaceId?: string },
): Promise<Verdict> {
  const groups = await instanceGroupRules(store, scope, target.networkInterfaceId);
  if (!groups) return { allowed: true, groupId: '' };
  let sourceGroupIds: string[] | undefined;
  if (from.networkInterfaceId) {
    const peer = (await instanceGroupRules(store, scope, from.networkInterfaceId)) ?? [];
    sourceGroupIds = peer.map((g) => g.groupId);
    const out = evaluate(peer, { protocol: 'tcp', port, source: target.privateIp, sourceGroupIds: groups.map((g) => g.groupId), direction: 'egress' });
    if (!out.allowed) return out;
  }
  return evaluate(groups, { protocol: 'tcp', port, source: from.address, sourceGroupIds });
}

/**
 * The runtime's `trafficRules` hook: the groups of an instance's primary interface as a packet
 * filter needs them (UDP and ICMP between real instances, engines/crun/vpc-filter.ts). Prefix
 * lists become their CIDRs; IPv6 rules are left out (instances have no IPv6). A gone instance is
 * allowed nothing.
 */
export function memberRules(store: Store) {
  return async (instance: { scope: Scope; instanceId: string }): Promise<MemberRules | undefined> => {
    const [record] = await store.instances.list(instance.scope, [instance.instanceId]);
    if (!record) return { groupIds: [], rules: [] };
    const network = await instanceNetwork(store, instance.scope, record.networkInterfaceId);
    if (!network) return undefined;
    const rules: MemberRule[] = [];
    for (const g of network.groups) {
      for (const r of g.rules) {
        const base = { egress: r.egress, protocol: r.ipProtocol, fromPort: r.fromPort, toPort: r.toPort };
        if (r.cidrIpv4) rules.push({ ...base, cidr: r.cidrIpv4 });
        else if (r.referencedGroupId) rules.push({ ...base, groupId: r.referencedGroupId });
        else if (r.prefixListId) for (const cidr of network.prefixLists.get(r.prefixListId) ?? []) if (!cidr.includes(':')) rules.push({ ...base, cidr });
      }
    }
    return { groupIds: network.groups.map((g) => g.groupId), rules };
  };
}

/**
 * The runtime's `traffic` hook: a new TCP connection to an instance's `port` (through its public
 * address, or from a peer instance by its private address), decided by the groups as they are now.
 */
export function connectionAdmit(store: Store) {
  return async (instance: { scope: Scope; instanceId: string }, port: number, from: { address: string; instanceId?: string }): Promise<true | string> => {
    const ids = from.instanceId ? [instance.instanceId, from.instanceId] : [instance.instanceId];
    const records = await store.instances.list(instance.scope, ids);
    const target = records.find((r) => r.instanceId === instance.instanceId);
    if (!target) return `${instance.instanceId}: no such instance`;
    const peer = from.instanceId ? records.find((r) => r.instanceId === from.instanceId) : undefined;
    if (from.instanceId && !peer) return `${from.instanceId}: no such instance`;
    const address = from.address.replace(/^::ffff:/, '');
    const v = await connectionVerdict(store, instance.scope, target, port, { address, networkInterfaceId: peer?.networkInterfaceId });
    return v.allowed ? true : `${instance.instanceId}: ${v.missing}`;
  };
}
