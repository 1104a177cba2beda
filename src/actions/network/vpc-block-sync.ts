// What changes in a VPC's other objects when its blocks change, as AWS does it: every route table's
// local routes follow the blocks; with an IPv6 block, the ACLs get their IPv6 rules and the default
// security group an outbound rule to ::/0 (VPC User Guide, "Default security groups": "This rule is
// added if you create a VPC with an IPv6 CIDR block or if you associate an IPv6 CIDR block with your
// existing VPC"). The rule stays when the block goes, as a rule of the group's own.
import { DEFAULT_GROUP_NAME, ruleObject } from '../../compute/network/defaults.js';
import { ofKind, ruleUnique, type Obj, type RuleData, type VpcData } from '../../compute/network/model.js';
import { syncIpv6AclEntries, syncLocalRoutes } from '../../compute/network/vpc-blocks.js';
import type { IdSource } from '../../domain/ids.js';
import type { NetObject, NetView } from '../../store/port.js';

/** The kinds `vpcBlockChanges` reads. */
export const VPC_BLOCK_KINDS = ['vpc', 'subnet', 'route-table', 'network-acl', 'security-group', 'security-group-rule'] as const;

export function vpcBlockChanges(view: NetView, ids: IdSource, vpc: Obj<'vpc'>, data: VpcData): NetObject[] {
  const put: NetObject[] = [];
  for (const t of ofKind(view, 'route-table').filter((x) => x.vpcId === vpc.id)) put.push({ ...t, data: { ...t.data, routes: syncLocalRoutes(t.data.routes, data) } });
  const ipv6 = !!data.ipv6Cidrs?.length;
  for (const a of ofKind(view, 'network-acl').filter((x) => x.vpcId === vpc.id)) put.push({ ...a, data: { ...a.data, entries: syncIpv6AclEntries(a.data.entries, a.data.isDefault, ipv6) } });
  const group = ofKind(view, 'security-group').find((g) => g.vpcId === vpc.id && g.data.groupName === DEFAULT_GROUP_NAME);
  if (ipv6 && group) {
    const rule: RuleData = { egress: true, ipProtocol: '-1', fromPort: -1, toPort: -1, cidrIpv6: '::/0' };
    const has = ofKind(view, 'security-group-rule').some((r) => r.parentId === group.id && ruleUnique(group.id, r.data) === ruleUnique(group.id, rule));
    if (!has) put.push(ruleObject(ids.next('sgr'), group.id, vpc.id, rule));
  }
  return put;
}
