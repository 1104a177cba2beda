// The second part of networking over the wire with the real SDK: VPC CIDR blocks (secondary IPv4,
// Amazon-provided IPv6, subnet IPv6 blocks, IPv6-only subnets), network ACL entries and
// associations, managed prefix lists as security group sources — shapes, limits and errors.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AssociateSubnetCidrBlockCommand,
  AssociateVpcCidrBlockCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateManagedPrefixListCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteManagedPrefixListCommand,
  DeleteNetworkAclEntryCommand,
  DescribeManagedPrefixListsCommand,
  DescribeNetworkAclsCommand,
  DescribePrefixListsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  DisassociateSubnetCidrBlockCommand,
  DisassociateVpcCidrBlockCommand,
  GetManagedPrefixListEntriesCommand,
  ModifyManagedPrefixListCommand,
  ModifySubnetAttributeCommand,
  ReplaceNetworkAclAssociationCommand,
  ReplaceNetworkAclEntryCommand,
  CreateRouteTableCommand,
  CreateVpcEndpointCommand,
  DeleteVpcEndpointsCommand,
  DescribeRouteTablesCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  ModifyVpcEndpointCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { awsError, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let client: EC2Client;
before(async () => {
  server = await startTestServer();
  client = server.client();
});
after(() => server.close());

describe('VPC CIDR blocks', () => {
  it('adds secondary IPv4 blocks up to 5, refuses the 6th and overlaps, removes all but the primary', async () => {
    const vpc = (await client.send(new CreateVpcCommand({ CidrBlock: '10.10.0.0/16' }))).Vpc!;
    const a = await client.send(new AssociateVpcCidrBlockCommand({ VpcId: vpc.VpcId, CidrBlock: '10.11.0.0/16' }));
    assert.equal(a.VpcId, vpc.VpcId);
    assert.equal(a.CidrBlockAssociation?.CidrBlock, '10.11.0.0/16');
    assert.equal(a.CidrBlockAssociation?.CidrBlockState?.State, 'associating');
    assert.match(a.CidrBlockAssociation!.AssociationId!, /^vpc-cidr-assoc-[0-9a-f]{17}$/);
    for (const c of ['10.12.0.0/16', '10.13.0.0/16', '10.14.0.0/16']) await client.send(new AssociateVpcCidrBlockCommand({ VpcId: vpc.VpcId, CidrBlock: c }));
    const sixth = await awsError(() => client.send(new AssociateVpcCidrBlockCommand({ VpcId: vpc.VpcId, CidrBlock: '10.15.0.0/16' })));
    assert.equal(sixth.name, 'CidrLimitExceeded');
    assert.equal(sixth.message, `This network ${vpc.VpcId} has met its maximum number of allowed CIDRs: 5`);
    const described = (await client.send(new DescribeVpcsCommand({ VpcIds: [vpc.VpcId!] }))).Vpcs![0]!;
    assert.deepEqual(described.CidrBlockAssociationSet!.map((b) => [b.CidrBlock, b.CidrBlockState?.State]), [
      ['10.10.0.0/16', 'associated'], ['10.11.0.0/16', 'associated'], ['10.12.0.0/16', 'associated'], ['10.13.0.0/16', 'associated'], ['10.14.0.0/16', 'associated'],
    ]);
    const byFilter = await client.send(new DescribeVpcsCommand({ Filters: [{ Name: 'cidr-block-association.cidr-block', Values: ['10.13.0.0/16'] }] }));
    assert.deepEqual(byFilter.Vpcs!.map((v) => v.VpcId), [vpc.VpcId]);

    // a subnet may use a secondary block
    const subnet = (await client.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: '10.11.1.0/24' }))).Subnet!;
    assert.equal(subnet.CidrBlock, '10.11.1.0/24');
    const inUse = await awsError(() => client.send(new DisassociateVpcCidrBlockCommand({ AssociationId: a.CidrBlockAssociation!.AssociationId })));
    assert.equal(inUse.name, 'DependencyViolation');

    const primary = await awsError(() => client.send(new DisassociateVpcCidrBlockCommand({ AssociationId: described.CidrBlockAssociationSet![0]!.AssociationId })));
    assert.equal(primary.name, 'OperationNotPermitted');
    assert.match(primary.message, /It is the primary IPv4 CIDR block of the VPC$/);
    const unknown = await awsError(() => client.send(new DisassociateVpcCidrBlockCommand({ AssociationId: 'vpc-cidr-assoc-0123456789abcdef0' })));
    assert.equal(unknown.name, 'InvalidVpcCidrBlockAssociationIdError.NotFound');
    const d = await client.send(new DisassociateVpcCidrBlockCommand({ AssociationId: described.CidrBlockAssociationSet![4]!.AssociationId }));
    assert.equal(d.CidrBlockAssociation?.CidrBlockState?.State, 'disassociating');
    const after = (await client.send(new DescribeVpcsCommand({ VpcIds: [vpc.VpcId!] }))).Vpcs![0]!;
    assert.equal(after.CidrBlockAssociationSet!.length, 4);

    const overlap = await awsError(() => client.send(new AssociateVpcCidrBlockCommand({ VpcId: vpc.VpcId, CidrBlock: '10.10.128.0/17' })));
    assert.equal(overlap.name, 'InvalidVpc.Range');
  });

  it('gives a VPC one Amazon-provided IPv6 /56, and its subnets /64s of it', async () => {
    const vpc = (await client.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16', AmazonProvidedIpv6CidrBlock: true }))).Vpc!;
    const v6 = vpc.Ipv6CidrBlockAssociationSet![0]!;
    assert.match(v6.Ipv6CidrBlock!, /^2600:1f[0-9a-f]{2}:[0-9a-f]{1,4}:[0-9a-f]{0,2}00::\/56$/);
    assert.equal(v6.NetworkBorderGroup, 'us-east-1');
    assert.equal(v6.Ipv6Pool, 'Amazon');
    const second = await awsError(() => client.send(new AssociateVpcCidrBlockCommand({ VpcId: vpc.VpcId, AmazonProvidedIpv6CidrBlock: true })));
    assert.equal(second.name, 'CidrLimitExceeded');
    assert.match(second.message, /maximum number of allowed CIDRs: 1$/);

    const block = v6.Ipv6CidrBlock!.replace('::/56', '::/64');
    const subnet = (await client.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: '10.20.1.0/24', Ipv6CidrBlock: block }))).Subnet!;
    assert.equal(subnet.Ipv6CidrBlockAssociationSet![0]!.Ipv6CidrBlock, block);
    assert.match(subnet.Ipv6CidrBlockAssociationSet![0]!.AssociationId!, /^subnet-cidr-assoc-[0-9a-f]{17}$/);
    const clash = await awsError(() => client.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: '10.20.2.0/24', Ipv6CidrBlock: block })));
    assert.equal(clash.name, 'InvalidSubnet.Conflict');
    const outside = await awsError(() => client.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: '10.20.3.0/24', Ipv6CidrBlock: '2001:db8::/64' })));
    assert.equal(outside.name, 'InvalidSubnet.Range');

    await client.send(new ModifySubnetAttributeCommand({ SubnetId: subnet.SubnetId, AssignIpv6AddressOnCreation: { Value: true } }));
    const s = (await client.send(new DescribeSubnetsCommand({ SubnetIds: [subnet.SubnetId!] }))).Subnets![0]!;
    assert.equal(s.AssignIpv6AddressOnCreation, true);

    // a subnet without a block: AssociateSubnetCidrBlock, then away again
    const plain = (await client.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: '10.20.4.0/24' }))).Subnet!;
    const noBlock = await awsError(() => client.send(new ModifySubnetAttributeCommand({ SubnetId: plain.SubnetId, AssignIpv6AddressOnCreation: { Value: true } })));
    assert.equal(noBlock.name, 'InvalidParameterValue');
    const block2 = v6.Ipv6CidrBlock!.replace(/00::\/56$/, '04::/64');
    const assoc = await client.send(new AssociateSubnetCidrBlockCommand({ SubnetId: plain.SubnetId, Ipv6CidrBlock: block2 }));
    assert.equal(assoc.Ipv6CidrBlockAssociation?.Ipv6CidrBlock, block2);
    const filtered = await client.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'ipv6-cidr-block-association.ipv6-cidr-block', Values: [block2] }] }));
    assert.deepEqual(filtered.Subnets!.map((x) => x.SubnetId), [plain.SubnetId]);
    await client.send(new DisassociateSubnetCidrBlockCommand({ AssociationId: assoc.Ipv6CidrBlockAssociation!.AssociationId }));
    const gone = await awsError(() => client.send(new DisassociateSubnetCidrBlockCommand({ AssociationId: assoc.Ipv6CidrBlockAssociation!.AssociationId })));
    assert.equal(gone.name, 'InvalidSubnetCidrBlockAssociationID.NotFound');

    // the VPC block stays while a subnet uses it
    const busy = await awsError(() => client.send(new DisassociateVpcCidrBlockCommand({ AssociationId: v6.AssociationId })));
    assert.equal(busy.name, 'DependencyViolation');
  });

  it('creates IPv6-only subnets with the answers AWS gives', async () => {
    const vpc = (await client.send(new CreateVpcCommand({ CidrBlock: '10.30.0.0/16', AmazonProvidedIpv6CidrBlock: true }))).Vpc!;
    const without = await awsError(() => client.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, Ipv6Native: true })));
    assert.deepEqual([without.name, without.message], ['MissingParameter', "Either 'ipv6CidrBlock' or 'ipv6IpamPoolId' should be provided."]);
    const both = await awsError(() => client.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, Ipv6Native: true, CidrBlock: '10.30.0.0/24', Ipv6CidrBlock: '2001:db8::/64' })));
    assert.equal(both.name, 'InvalidParameterCombination');
    const block = vpc.Ipv6CidrBlockAssociationSet![0]!.Ipv6CidrBlock!.replace('::/56', '::/64');
    const s = (await client.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, Ipv6Native: true, Ipv6CidrBlock: block }))).Subnet!;
    assert.equal(s.Ipv6Native, true);
    assert.equal(s.AssignIpv6AddressOnCreation, true);
    assert.equal(s.CidrBlock, undefined);
  });

  it('clears host bits of a VPC block and refuses an IPv6 pool it does not have', async () => {
    const vpc = (await client.send(new CreateVpcCommand({ CidrBlock: '10.40.7.0/16' }))).Vpc!;
    assert.equal(vpc.CidrBlock, '10.40.0.0/16');
    const pool = await awsError(() => client.send(new CreateVpcCommand({ CidrBlock: '10.41.0.0/16', Ipv6CidrBlock: '2602::/56' })));
    assert.equal(pool.name, 'MissingParameter');
  });
});

describe('network ACL entries', () => {
  it('creates, replaces and deletes numbered entries with AWS errors, and moves a subnet between ACLs', async () => {
    // the default VPC (the account's 5 VPCs are taken by the tests above)
    const vpc = (await client.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0]!;
    const subnet = (await client.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: '172.31.200.0/24' }))).Subnet!;
    const acl = (await client.send(new CreateNetworkAclCommand({ VpcId: vpc.VpcId }))).NetworkAcl!;
    const base = { NetworkAclId: acl.NetworkAclId, Egress: false, CidrBlock: '0.0.0.0/0' };
    await client.send(new CreateNetworkAclEntryCommand({ ...base, RuleNumber: 100, Protocol: '6', RuleAction: 'allow', PortRange: { From: 22, To: 22 } }));
    const dup = await awsError(() => client.send(new CreateNetworkAclEntryCommand({ ...base, RuleNumber: 100, Protocol: '-1', RuleAction: 'deny' })));
    assert.deepEqual([dup.name, dup.message], ['NetworkAclEntryAlreadyExists', 'The network acl entry identified by 100 already exists.']);
    const noPorts = await awsError(() => client.send(new CreateNetworkAclEntryCommand({ ...base, RuleNumber: 101, Protocol: '6', RuleAction: 'allow' })));
    assert.equal(noPorts.name, 'InvalidParameterValue');
    const badNumber = await awsError(() => client.send(new CreateNetworkAclEntryCommand({ ...base, RuleNumber: 32767, Protocol: '-1', RuleAction: 'allow' })));
    assert.equal(badNumber.name, 'InvalidParameterValue');
    for (let n = 1; n <= 19; n++) await client.send(new CreateNetworkAclEntryCommand({ ...base, RuleNumber: 200 + n, Protocol: '17', RuleAction: 'deny', PortRange: { From: n, To: n } }));
    const limit = await awsError(() => client.send(new CreateNetworkAclEntryCommand({ ...base, RuleNumber: 300, Protocol: '-1', RuleAction: 'deny' })));
    assert.equal(limit.name, 'NetworkAclEntryLimitExceeded');
    // egress counts separately
    await client.send(new CreateNetworkAclEntryCommand({ ...base, Egress: true, RuleNumber: 100, Protocol: '-1', RuleAction: 'allow' }));

    await client.send(new ReplaceNetworkAclEntryCommand({ ...base, RuleNumber: 100, Protocol: '6', RuleAction: 'deny', PortRange: { From: 20, To: 23 } }));
    const missing = await awsError(() => client.send(new ReplaceNetworkAclEntryCommand({ ...base, RuleNumber: 999, Protocol: '-1', RuleAction: 'deny' })));
    assert.equal(missing.name, 'InvalidNetworkAclEntry.NotFound');
    const shown = (await client.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [acl.NetworkAclId!] }))).NetworkAcls![0]!;
    const e100 = shown.Entries!.find((e) => e.RuleNumber === 100 && !e.Egress)!;
    assert.deepEqual([e100.Protocol, e100.RuleAction, e100.PortRange], ['6', 'deny', { From: 20, To: 23 }]);
    assert.ok(shown.Entries!.some((e) => e.RuleNumber === 32767 && e.RuleAction === 'deny'), 'the * entries stay listed');
    await client.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: acl.NetworkAclId, RuleNumber: 100, Egress: false }));
    const again = await awsError(() => client.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: acl.NetworkAclId, RuleNumber: 100, Egress: false })));
    assert.equal(again.name, 'InvalidNetworkAclEntry.NotFound');
    const malformed = await awsError(() => client.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: 'nacl-1', RuleNumber: 1, Egress: false })));
    assert.equal(malformed.name, 'InvalidNetworkAclID.Malformed');

    // the subnet starts on the VPC's default ACL; ReplaceNetworkAclAssociation moves it
    const current = (await client.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnet.SubnetId!] }] }))).NetworkAcls![0]!;
    assert.equal(current.IsDefault, true);
    const assocId = current.Associations!.find((x) => x.SubnetId === subnet.SubnetId)!.NetworkAclAssociationId!;
    const moved = await client.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: assocId, NetworkAclId: acl.NetworkAclId }));
    assert.match(moved.NewAssociationId!, /^aclassoc-[0-9a-f]{17}$/);
    const now = (await client.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnet.SubnetId!] }] }))).NetworkAcls!;
    assert.deepEqual(now.map((a) => a.NetworkAclId), [acl.NetworkAclId]);
    const stale = await awsError(() => client.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: assocId, NetworkAclId: acl.NetworkAclId })));
    assert.equal(stale.name, 'InvalidAssociationID.NotFound');
  });
});

describe('managed prefix lists', () => {
  it('lists AWS-managed S3 and DynamoDB lists', async () => {
    const all = (await client.send(new DescribeManagedPrefixListsCommand({}))).PrefixLists!;
    const s3 = all.find((p) => p.PrefixListName === 'com.amazonaws.us-east-1.s3')!;
    assert.equal(s3.PrefixListId, 'pl-63a5400a');
    assert.equal(s3.OwnerId, 'AWS');
    assert.ok(all.some((p) => p.PrefixListName === 'com.amazonaws.us-east-1.dynamodb'));
    const old = (await client.send(new DescribePrefixListsCommand({ PrefixListIds: ['pl-63a5400a'] }))).PrefixLists!;
    assert.ok(old[0]!.Cidrs!.length > 0);
    const readOnly = await awsError(() => client.send(new ModifyManagedPrefixListCommand({ PrefixListId: 'pl-63a5400a', PrefixListName: 'x' })));
    assert.equal(readOnly.name, 'InvalidPrefixListModification');
  });

  it('creates, versions, modifies and deletes a list, and a group rule names it', async () => {
    const bad = await awsError(() => client.send(new CreateManagedPrefixListCommand({ PrefixListName: 'x', MaxEntries: 2, AddressFamily: '?' })));
    assert.equal(bad.name, 'InvalidParameterValue');
    const notCidr = await awsError(() => client.send(new CreateManagedPrefixListCommand({ PrefixListName: 'x', MaxEntries: 2, AddressFamily: 'IPv4', Entries: [{ Cidr: '10.0.0.1' }] })));
    assert.equal(notCidr.name, 'InvalidParameterValue');
    const pl = (
      await client.send(
        new CreateManagedPrefixListCommand({
          PrefixListName: 'office',
          MaxEntries: 2,
          AddressFamily: 'IPv4',
          Entries: [{ Cidr: '192.0.2.0/24', Description: 'hq' }],
          TagSpecifications: [{ ResourceType: 'prefix-list', Tags: [{ Key: 'team', Value: 'net' }] }],
        }),
      )
    ).PrefixList!;
    assert.match(pl.PrefixListId!, /^pl-[0-9a-f]{17}$/);
    assert.deepEqual([pl.State, pl.Version, pl.MaxEntries, pl.AddressFamily], ['create-complete', 1, 2, 'IPv4']);
    assert.equal(pl.PrefixListArn, `arn:aws:ec2:us-east-1:${pl.OwnerId}:prefix-list/${pl.PrefixListId}`);
    assert.deepEqual(pl.Tags, [{ Key: 'team', Value: 'net' }]);

    const m = (await client.send(new ModifyManagedPrefixListCommand({ PrefixListId: pl.PrefixListId, CurrentVersion: 1, AddEntries: [{ Cidr: '198.51.100.0/24' }] }))).PrefixList!;
    assert.deepEqual([m.State, m.Version], ['modify-complete', 2]);
    const stale = await awsError(() => client.send(new ModifyManagedPrefixListCommand({ PrefixListId: pl.PrefixListId, CurrentVersion: 1, AddEntries: [{ Cidr: '203.0.113.0/24' }] })));
    assert.equal(stale.name, 'PrefixListVersionMismatch');
    const full = await awsError(() => client.send(new ModifyManagedPrefixListCommand({ PrefixListId: pl.PrefixListId, AddEntries: [{ Cidr: '203.0.113.0/24' }] })));
    assert.equal(full.name, 'PrefixListMaxEntriesExceeded');
    const v1 = (await client.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: pl.PrefixListId, TargetVersion: 1 }))).Entries!;
    assert.deepEqual(v1, [{ Cidr: '192.0.2.0/24', Description: 'hq' }]);
    const v2 = (await client.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: pl.PrefixListId }))).Entries!;
    assert.deepEqual(v2.map((e) => e.Cidr), ['192.0.2.0/24', '198.51.100.0/24']);

    const g = await client.send(new CreateSecurityGroupCommand({ GroupName: 'pl-users', Description: 'from the list' }));
    await client.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: g.GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, PrefixListIds: [{ PrefixListId: pl.PrefixListId, Description: 'office' }] }] }));
    const sg = (await client.send(new DescribeSecurityGroupsCommand({ GroupIds: [g.GroupId!] }))).SecurityGroups![0]!;
    assert.deepEqual(sg.IpPermissions![0]!.PrefixListIds, [{ PrefixListId: pl.PrefixListId, Description: 'office' }]);
    const unknown = await awsError(() =>
      client.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: g.GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, PrefixListIds: [{ PrefixListId: 'pl-0123456789abcdef0' }] }] })),
    );
    assert.deepEqual([unknown.name, unknown.message], ['InvalidPrefixListID.NotFound', "The prefix list ID 'pl-0123456789abcdef0' does not exist"]);

    const inUse = await awsError(() => client.send(new DeleteManagedPrefixListCommand({ PrefixListId: pl.PrefixListId })));
    assert.equal(inUse.name, 'DependencyViolation');
    const tagged = (await client.send(new DescribeManagedPrefixListsCommand({ Filters: [{ Name: 'tag:team', Values: ['net'] }] }))).PrefixLists!;
    assert.deepEqual(tagged.map((p) => p.PrefixListId), [pl.PrefixListId]);
  });
});

describe('VPC endpoints', () => {
  it('lists the Region\'s services, makes gateway and interface endpoints with AWS errors, routes and deletes them', async () => {
    const services = await client.send(new DescribeVpcEndpointServicesCommand({}));
    assert.ok(services.ServiceNames!.includes('com.amazonaws.us-east-1.s3'));
    const s3 = services.ServiceDetails!.find((d) => d.ServiceName === 'com.amazonaws.us-east-1.s3')!;
    assert.deepEqual(s3.ServiceType!.map((t) => t.ServiceType).sort(), ['Gateway', 'Interface']);
    const vpc = (await client.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0]!;
    const table = (await client.send(new CreateRouteTableCommand({ VpcId: vpc.VpcId }))).RouteTable!;

    const wrong = await awsError(() => client.send(new CreateVpcEndpointCommand({ VpcId: vpc.VpcId, ServiceName: 'com.amazonaws.us-west-2.s3' })));
    assert.deepEqual([wrong.name, wrong.message], ['InvalidServiceName', "The Vpc Endpoint Service 'com.amazonaws.us-west-2.s3' does not exist"]);
    const type = await awsError(() => client.send(new CreateVpcEndpointCommand({ VpcId: vpc.VpcId, ServiceName: 'com.amazonaws.us-east-1.ec2', VpcEndpointType: 'Gateway' })));
    assert.equal(type.name, 'InvalidParameter');

    const gw = (await client.send(new CreateVpcEndpointCommand({ VpcId: vpc.VpcId, ServiceName: 'com.amazonaws.us-east-1.s3', RouteTableIds: [table.RouteTableId!] }))).VpcEndpoint!;
    assert.match(gw.VpcEndpointId!, /^vpce-[0-9a-f]{17}$/);
    assert.deepEqual([gw.VpcEndpointType, gw.State, gw.RouteTableIds], ['Gateway', 'available', [table.RouteTableId]]);
    assert.deepEqual(JSON.parse(gw.PolicyDocument!).Statement[0].Effect, 'Allow');
    const routes = (await client.send(new DescribeRouteTablesCommand({ RouteTableIds: [table.RouteTableId!] }))).RouteTables![0]!.Routes!;
    assert.ok(routes.some((r) => r.DestinationPrefixListId === 'pl-63a5400a' && r.GatewayId === gw.VpcEndpointId && r.State === 'active'));

    const ifc = (await client.send(new CreateVpcEndpointCommand({ VpcId: vpc.VpcId, ServiceName: 'com.amazonaws.us-east-1.ssm', VpcEndpointType: 'Interface' }))).VpcEndpoint!;
    assert.equal(ifc.PrivateDnsEnabled, true);
    assert.equal(ifc.Groups!.length, 1, 'the default group');
    await client.send(new ModifyVpcEndpointCommand({ VpcEndpointId: gw.VpcEndpointId, RemoveRouteTableIds: [table.RouteTableId!], PolicyDocument: '{"Statement":[]}' }));
    const after = (await client.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [gw.VpcEndpointId!] }))).VpcEndpoints![0]!;
    assert.deepEqual([after.RouteTableIds, after.PolicyDocument], [[], '{"Statement":[]}']);
    const noRoute = (await client.send(new DescribeRouteTablesCommand({ RouteTableIds: [table.RouteTableId!] }))).RouteTables![0]!.Routes!;
    assert.ok(!noRoute.some((r) => r.GatewayId === gw.VpcEndpointId));
    const byType = await client.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-endpoint-type', Values: ['Interface'] }] }));
    assert.deepEqual(byType.VpcEndpoints!.map((e) => e.VpcEndpointId), [ifc.VpcEndpointId]);

    const del = await client.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [gw.VpcEndpointId!, ifc.VpcEndpointId!, 'vpce-0123456789abcdef0'] }));
    assert.deepEqual(del.Unsuccessful!.map((u) => [u.ResourceId, u.Error?.Code]), [['vpce-0123456789abcdef0', 'InvalidVpcEndpointId.NotFound']]);
    const none = await awsError(() => client.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [gw.VpcEndpointId!] })));
    assert.equal(none.name, 'InvalidVpcEndpointId.NotFound');
  });
});
