// Opening an instance to SSH, as a user would before logging in: security groups refuse tcp/22
// until a rule allows it (issue 20). allowSsh authorizes tcp/22 from 0.0.0.0/0 on every group of
// the instance (a rule already there is fine).
import { AuthorizeSecurityGroupIngressCommand, DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';

export async function allowSsh(client: EC2Client, instanceId: string): Promise<void> {
  const r = await client.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  const groups = r.Reservations?.[0]?.Instances?.[0]?.SecurityGroups ?? [];
  for (const g of groups) {
    try {
      await client.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: g.GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    } catch (e) {
      if ((e as { name?: string }).name !== 'InvalidPermission.Duplicate') throw e;
    }
  }
}

/**
 * The README's one line, through /usr/bin/aws: tcp/22 from anywhere on the default group of the
 * account and Region in `env` (AWS_ACCESS_KEY_ID, AWS_DEFAULT_REGION); a rule already there is fine.
 */
export async function allowSshCli(endpoint: string, env: Record<string, string> = {}): Promise<void> {
  const { awsCli } = await import('./awscli.js');
  const r = await awsCli(endpoint, ['ec2', 'authorize-security-group-ingress', '--group-name', 'default', '--protocol', 'tcp', '--port', '22', '--cidr', '0.0.0.0/0'], env);
  if (r.status !== 0 && !r.stderr.includes('InvalidPermission.Duplicate')) throw new Error(`authorize-security-group-ingress: ${r.stderr}`);
}
