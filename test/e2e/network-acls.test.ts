// Network ACLs and prefix lists filter for real at the SSH endpoint, with the real OpenSSH client:
// a deny entry in the subnet's ACL blocks SSH even though the security group allows it; replacing
// the entry lets it through; a stateless ACL that allows tcp/22 in but not the reply out still
// blocks it. A security group rule naming a managed prefix list admits the addresses in the list
// and stops admitting them once the entry is removed. IMDS shows group changes without a restart.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateKeyPairCommand,
  CreateManagedPrefixListCommand,
  CreateSecurityGroupCommand,
  DescribeNetworkAclsCommand,
  ModifyInstanceAttributeCommand,
  ModifyManagedPrefixListCommand,
  RunInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { awsCli } from '../helpers/awscli.js';
import { images, waitForState } from '../helpers/instances.js';
import { allowSsh } from '../helpers/network.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { sshInstance } from '../helpers/ssh.js';
import { requireTools, runAsync, tempDir } from '../helpers/tools.js';

requireTools(['/usr/bin/ssh', '/usr/bin/aws'], 'the network ACL tests');

const dir = tempDir('ec2lite-nacl-');
const key = dir.file('nacl.pem');

describe('network ACLs and prefix lists at the SSH endpoint', () => {
  let server: TestServer;
  let client: EC2Client;
  let id = '';
  let aclId = '';
  before(async () => {
    server = await startTestServer({ instanceDelays: { start: 20, stop: 20, terminate: 20 } });
    client = server.client();
    const img = await images(client);
    const k = await client.send(new CreateKeyPairCommand({ KeyName: 'nacl' }));
    await writeFile(key, k.KeyMaterial!, { mode: 0o600 });
    const r = await client.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1, KeyName: 'nacl' }));
    id = r.Instances![0]!.InstanceId!;
    await waitForState(client, id, 'running');
    const subnetId = r.Instances![0]!.SubnetId!;
    const acls = await client.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }));
    aclId = acls.NetworkAcls![0]!.NetworkAclId!;
  });
  after(() => server.close());
  const ssh = (command = 'whoami') => sshInstance(server.url, id, command, { key, knownHosts: dir.file('known_hosts') });
  const cli = (...args: string[]) => awsCli(server.url, ['ec2', ...args]);

  it('a deny entry blocks SSH that the security group allows; replacing it lets SSH through', async () => {
    await allowSsh(client, id);
    const open = await ssh();
    assert.equal(open.code, 0, open.stderr);
    assert.equal(open.stdout, 'ec2-user\n');

    // rule 50 comes before the default ACL's rule 100 (allow all): the first match decides
    const deny = await cli('create-network-acl-entry', '--network-acl-id', aclId, '--ingress', '--rule-number', '50', '--protocol', 'tcp', '--port-range', 'From=22,To=22', '--cidr-block', '0.0.0.0/0', '--rule-action', 'deny');
    assert.equal(deny.status, 0, deny.stderr);
    const blocked = await ssh();
    assert.equal(blocked.code, 255);
    assert.match(blocked.stderr, /Connection closed|kex_exchange_identification|Connection reset/);
    // `ec2lite ssh` names the entry instead of calling ssh
    const named = await runAsync(process.execPath, ['dist/src/cli/main.js', 'ssh', id, '-i', key, '--endpoint', server.url, 'whoami']);
    assert.equal(named.code, 255);
    assert.match(named.stderr, new RegExp(`${id} refuses SSH from this host: inbound rule 50 of network ACL ${aclId} denies tcp/22 from 127\\.0\\.0\\.1`));

    const replace = await cli('replace-network-acl-entry', '--network-acl-id', aclId, '--ingress', '--rule-number', '50', '--protocol', 'tcp', '--port-range', 'From=22,To=22', '--cidr-block', '127.0.0.1/32', '--rule-action', 'allow');
    assert.equal(replace.status, 0, replace.stderr);
    const through = await ssh();
    assert.equal(through.code, 0, through.stderr);
    assert.equal(through.stdout, 'ec2-user\n');
  });

  it('checks the reply too: an ACL that allows tcp/22 in but nothing out blocks SSH until the client ports are allowed out', async () => {
    const acl = await cli('create-network-acl', '--vpc-id', (await cli('describe-network-acls', '--network-acl-ids', aclId, '--query', 'NetworkAcls[0].VpcId', '--output', 'text')).stdout.trim(), '--query', 'NetworkAcl.NetworkAclId', '--output', 'text');
    assert.equal(acl.status, 0, acl.stderr);
    const custom = acl.stdout.trim();
    const inbound = await cli('create-network-acl-entry', '--network-acl-id', custom, '--ingress', '--rule-number', '100', '--protocol', 'tcp', '--port-range', 'From=22,To=22', '--cidr-block', '0.0.0.0/0', '--rule-action', 'allow');
    assert.equal(inbound.status, 0, inbound.stderr);
    const acls = (await client.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [aclId] }))).NetworkAcls![0]!;
    const subnetId = (await cli('describe-instances', '--instance-ids', id, '--query', 'Reservations[0].Instances[0].SubnetId', '--output', 'text')).stdout.trim();
    const assoc = acls.Associations!.find((a) => a.SubnetId === subnetId)!.NetworkAclAssociationId!;
    const moved = await cli('replace-network-acl-association', '--association-id', assoc, '--network-acl-id', custom);
    assert.equal(moved.status, 0, moved.stderr);

    const noReply = await ssh();
    assert.equal(noReply.code, 255, 'the reply to the client port is denied by the * rule outbound');
    const out = await cli('create-network-acl-entry', '--network-acl-id', custom, '--egress', '--rule-number', '100', '--protocol', 'tcp', '--port-range', 'From=1024,To=65535', '--cidr-block', '0.0.0.0/0', '--rule-action', 'allow');
    assert.equal(out.status, 0, out.stderr);
    const ok = await ssh();
    assert.equal(ok.code, 0, ok.stderr);
  });

  it('admits the addresses of a prefix list a group rule names, and stops when the entry goes', async () => {
    const pl = (await client.send(new CreateManagedPrefixListCommand({ PrefixListName: 'me', MaxEntries: 5, AddressFamily: 'IPv4', Entries: [{ Cidr: '127.0.0.0/8' }] }))).PrefixList!;
    const g = await client.send(new CreateSecurityGroupCommand({ GroupName: 'from-list', Description: 'ssh from the list' }));
    await client.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: g.GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, PrefixListIds: [{ PrefixListId: pl.PrefixListId }] }] }));
    await client.send(new ModifyInstanceAttributeCommand({ InstanceId: id, Groups: [g.GroupId!] }));
    // IMDS shows the group change of the running instance at once (no restart)
    const imds = (path: string) =>
      `T=$(curl -s -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 60" http://169.254.169.254/latest/api/token); curl -s -H "X-aws-ec2-metadata-token: $T" http://169.254.169.254/latest/meta-data/${path}; echo`;
    const inList = await ssh(`${imds('security-groups')}; ${imds('mac')}`);
    assert.equal(inList.code, 0, inList.stderr);
    const [groups, mac] = inList.stdout.split('\n');
    assert.equal(groups, 'from-list');
    const ids = await ssh(imds(`network/interfaces/macs/${mac}/security-group-ids`));
    assert.equal(ids.stdout.trim(), g.GroupId);
    await client.send(new ModifyManagedPrefixListCommand({ PrefixListId: pl.PrefixListId, AddEntries: [{ Cidr: '10.0.0.0/8' }], RemoveEntries: [{ Cidr: '127.0.0.0/8' }] }));
    const gone = await ssh();
    assert.equal(gone.code, 255);
  });
});
