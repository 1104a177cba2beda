// `ec2lite ssh` before it runs ssh: would the instance's subnet ACL and security groups let this
// host in? The endpoint closes a refused connection before the SSH banner (OpenSSH then only says
// "Connection closed"), so the command names the missing rule itself, and the fix, from the same
// evaluation the server uses (compute/network/rules.ts).
import type { EC2Client, Instance } from '@aws-sdk/client-ec2';
import { evaluate, evaluateAcl, type GroupRules } from '../compute/network/rules.js';
import type { AclEntry, RuleData } from '../compute/network/model.js';

/** The subnet's ACL entries as the API describes them. */
async function subnetAcl(client: EC2Client, subnetId: string | undefined): Promise<{ id: string; entries: AclEntry[] } | undefined> {
  if (!subnetId) return undefined;
  const { DescribeNetworkAclsCommand } = await import('@aws-sdk/client-ec2');
  const acl = (await client.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }))).NetworkAcls?.[0];
  if (!acl?.NetworkAclId) return undefined;
  const entries = (acl.Entries ?? []).map(
    (e): AclEntry => ({
      ruleNumber: e.RuleNumber ?? 32767,
      egress: e.Egress ?? false,
      protocol: e.Protocol ?? '-1',
      ruleAction: e.RuleAction === 'allow' ? 'allow' : 'deny',
      cidrBlock: e.CidrBlock,
      ipv6CidrBlock: e.Ipv6CidrBlock,
      portRange: e.PortRange && { from: e.PortRange.From ?? 0, to: e.PortRange.To ?? 65535 },
    }),
  );
  return { id: acl.NetworkAclId, entries };
}

/** Why the instance refuses SSH from this host (a loopback client, matched as 127.0.0.1), or undefined. */
export async function sshRefusal(client: EC2Client, instance: Instance): Promise<string | undefined> {
  const ids = (instance.SecurityGroups ?? []).map((g) => g.GroupId!).filter(Boolean);
  if (ids.length === 0) return undefined;
  const acl = await subnetAcl(client, instance.SubnetId);
  if (acl) {
    // the reply's port is the client's own, unknown before it connects: a typical ephemeral one
    for (const t of [{ direction: 'ingress' as const, port: 22 }, { direction: 'egress' as const, port: 50000 }]) {
      const v = evaluateAcl(acl.id, acl.entries, { ...t, protocol: 'tcp', peer: '127.0.0.1' });
      if (!v.allowed) return `${instance.InstanceId} refuses SSH from this host: ${v.missing}.\nTo allow it: aws ec2 replace-network-acl-entry or create-network-acl-entry on ${acl.id}`;
    }
  }
  const { DescribeSecurityGroupRulesCommand, GetManagedPrefixListEntriesCommand } = await import('@aws-sdk/client-ec2');
  const out = await client.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: ids }] }));
  const groups: GroupRules[] = (instance.SecurityGroups ?? []).map((g) => ({
    groupId: g.GroupId!,
    groupName: g.GroupName ?? '',
    rules: (out.SecurityGroupRules ?? [])
      .filter((r) => r.GroupId === g.GroupId)
      .map(
        (r): RuleData => ({
          egress: r.IsEgress ?? false,
          ipProtocol: r.IpProtocol ?? '-1',
          fromPort: r.FromPort ?? -1,
          toPort: r.ToPort ?? -1,
          cidrIpv4: r.CidrIpv4,
          cidrIpv6: r.CidrIpv6,
          prefixListId: r.PrefixListId,
          referencedGroupId: r.ReferencedGroupInfo?.GroupId,
        }),
      ),
  }));
  const prefixLists = new Map<string, string[]>();
  for (const id of new Set((out.SecurityGroupRules ?? []).map((r) => r.PrefixListId).filter((x): x is string => !!x))) {
    const e = await client.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: id }));
    prefixLists.set(id, (e.Entries ?? []).map((x) => x.Cidr!).filter(Boolean));
  }
  const v = evaluate(groups, { protocol: 'tcp', port: 22, source: '127.0.0.1', prefixLists });
  if (v.allowed) return undefined;
  return `${instance.InstanceId} refuses SSH from this host: ${v.missing}.\nTo allow it: aws ec2 authorize-security-group-ingress --group-id ${ids[0]} --protocol tcp --port 22 --cidr 0.0.0.0/0`;
}
