// VPCs, subnets and security groups over the wire with the real SDK: the default VPC from the
// first call, CIDR rules, AWS's errors, rules with sgr- ids, and instances placed in subnets.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateDefaultVpcCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeAccountAttributesCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  ModifyInstanceAttributeCommand,
  ModifySecurityGroupRulesCommand,
  ModifySubnetAttributeCommand,
  ModifyVpcAttributeCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  UpdateSecurityGroupRuleDescriptionsIngressCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { awsError, type TestServer } from '../helpers/server.js';
import { waitForState, type Images } from '../helpers/instances.js';
import { startLaunchServer } from '../helpers/launch-fixture.js';

let server: TestServer;
let client: EC2Client;
let img: Images;
before(async () => ({ server, client, img } = await startLaunchServer()));
after(() => server.close());

const defaultVpc = async () => (await client.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0]!;

describe('the default VPC', () => {
  it('exists from the first call with a /20 default subnet per zone, its gateway and default group', async () => {
    const vpc = await defaultVpc();
    assert.equal(vpc.CidrBlock, '172.31.0.0/16');
    assert.equal(vpc.IsDefault, true);
    assert.equal(vpc.State, 'available');
    assert.match(vpc.VpcId!, /^vpc-[0-9a-f]{17}$/);
    const subnets = (await client.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }))).Subnets!;
    assert.equal(subnets.length, 6);
    const a = subnets.find((s) => s.AvailabilityZone === 'us-east-1a')!;
    assert.equal(a.CidrBlock, '172.31.0.0/20');
    assert.equal(a.DefaultForAz, true);
    assert.equal(a.MapPublicIpOnLaunch, true);
    assert.equal(a.AvailableIpAddressCount, 4091);
    const [group] = (await client.send(new DescribeSecurityGroupsCommand({ GroupNames: ['default'] }))).SecurityGroups!;
    assert.equal(group!.Description, 'default VPC security group');
    assert.equal(group!.VpcId, vpc.VpcId);
    assert.deepEqual(group!.IpPermissions!.map((p) => [p.IpProtocol, p.UserIdGroupPairs![0]!.GroupId]), [['-1', group!.GroupId]]);
    assert.deepEqual(group!.IpPermissionsEgress!.map((p) => [p.IpProtocol, p.IpRanges![0]!.CidrIp]), [['-1', '0.0.0.0/0']]);
    const attrs = (await client.send(new DescribeAccountAttributesCommand({ AttributeNames: ['default-vpc', 'supported-platforms'] }))).AccountAttributes!;
    assert.deepEqual(attrs.map((a) => [a.AttributeName, a.AttributeValues![0]!.AttributeValue]), [['default-vpc', vpc.VpcId], ['supported-platforms', 'VPC']]);
    assert.equal((await awsError(() => client.send(new CreateDefaultVpcCommand({})))).name, 'DefaultVpcAlreadyExists');
    assert.equal((await awsError(() => client.send(new DeleteSecurityGroupCommand({ GroupName: 'default' })))).message, `the specified group: "${group!.GroupId}" name: "default" cannot be deleted by a user`);
  });
});

describe('VPCs and subnets', () => {
  it('creates, refuses bad CIDRs and overlaps, and deletes only empty VPCs', async () => {
    const bad = await awsError(() => client.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/8' })));
    assert.deepEqual([bad.name, bad.message], ['InvalidVpc.Range', "The CIDR '10.0.0.0/8' is invalid."]);
    const vpc = (await client.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: 'lab' }] }] }))).Vpc!;
    assert.deepEqual(vpc.Tags, [{ Key: 'Name', Value: 'lab' }]);
    const named = (await client.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: ['lab'] }] }))).Vpcs!;
    assert.deepEqual(named.map((v) => v.VpcId), [vpc.VpcId]);
    const dns = await client.send(new DescribeVpcAttributeCommand({ VpcId: vpc.VpcId!, Attribute: 'enableDnsHostnames' }));
    assert.equal(dns.EnableDnsHostnames!.Value, false);
    await client.send(new ModifyVpcAttributeCommand({ VpcId: vpc.VpcId!, EnableDnsHostnames: { Value: true } }));
    assert.equal((await client.send(new DescribeVpcAttributeCommand({ VpcId: vpc.VpcId!, Attribute: 'enableDnsHostnames' }))).EnableDnsHostnames!.Value, true);

    const subnet = (await client.send(new CreateSubnetCommand({ VpcId: vpc.VpcId!, CidrBlock: '10.1.1.0/24', AvailabilityZone: 'us-east-1b' }))).Subnet!;
    assert.equal(subnet.MapPublicIpOnLaunch, false);
    assert.equal(subnet.AvailableIpAddressCount, 251);
    const conflict = await awsError(() => client.send(new CreateSubnetCommand({ VpcId: vpc.VpcId!, CidrBlock: '10.1.1.128/25' })));
    assert.deepEqual([conflict.name, conflict.message], ['InvalidSubnet.Conflict', "The CIDR '10.1.1.128/25' conflicts with another subnet"]);
    assert.equal((await awsError(() => client.send(new CreateSubnetCommand({ VpcId: vpc.VpcId!, CidrBlock: '10.2.0.0/24' })))).name, 'InvalidSubnet.Range');
    assert.equal((await awsError(() => client.send(new CreateSubnetCommand({ VpcId: 'vpc-0123456789abcdef0', CidrBlock: '10.2.0.0/24' })))).message, "The vpc ID 'vpc-0123456789abcdef0' does not exist");
    await client.send(new ModifySubnetAttributeCommand({ SubnetId: subnet.SubnetId!, MapPublicIpOnLaunch: { Value: true } }));

    const dep = await awsError(() => client.send(new DeleteVpcCommand({ VpcId: vpc.VpcId! })));
    assert.deepEqual([dep.name, dep.message], ['DependencyViolation', `The vpc '${vpc.VpcId}' has dependencies and cannot be deleted.`]);
    await client.send(new DeleteSubnetCommand({ SubnetId: subnet.SubnetId! }));
    await client.send(new DeleteVpcCommand({ VpcId: vpc.VpcId! }));
    assert.equal((await awsError(() => client.send(new DescribeVpcsCommand({ VpcIds: [vpc.VpcId!] })))).name, 'InvalidVpcID.NotFound');
    // Its default group went with it.
    const left = (await client.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }))).SecurityGroups!;
    assert.equal(left.length, 0);
  });

  it('counts 5 VPCs per Region, the default one included', async () => {
    const made: string[] = [];
    for (let i = 0; i < 4; i++) made.push((await client.send(new CreateVpcCommand({ CidrBlock: `10.${10 + i}.0.0/16` }))).Vpc!.VpcId!);
    const e = await awsError(() => client.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' })));
    assert.deepEqual([e.name, e.message], ['VpcLimitExceeded', 'The maximum number of VPCs has been reached.']);
    for (const id of made) await client.send(new DeleteVpcCommand({ VpcId: id }));
  });
});

describe('security groups', () => {
  it('authorizes, describes, modifies and revokes rules as AWS does', async () => {
    const { GroupId } = await client.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web servers' }));
    const dup = await awsError(() => client.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'again' })));
    assert.equal(dup.name, 'InvalidGroup.Duplicate');
    assert.equal(dup.message, `The security group 'web' already exists for VPC '${(await defaultVpc()).VpcId}'`);
    const added = await client.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ssh' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
          { IpProtocol: '6', FromPort: 80, ToPort: 443, UserIdGroupPairs: [{ GroupId }] },
        ],
      }),
    );
    assert.equal(added.SecurityGroupRules!.length, 3);
    assert.match(added.SecurityGroupRules![0]!.SecurityGroupRuleId!, /^sgr-[0-9a-f]{17}$/);
    const again = await awsError(() => client.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' })));
    assert.deepEqual([again.name, again.message], ['InvalidPermission.Duplicate', 'the specified rule "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW" already exists']);
    const [group] = (await client.send(new DescribeSecurityGroupsCommand({ GroupIds: [GroupId!] }))).SecurityGroups!;
    const ssh = group!.IpPermissions!.find((p) => p.FromPort === 22)!;
    assert.deepEqual(ssh.IpRanges, [{ CidrIp: '0.0.0.0/0', Description: 'ssh' }]);
    assert.deepEqual(ssh.Ipv6Ranges, [{ CidrIpv6: '::/0' }]);
    assert.equal(group!.IpPermissions!.find((p) => p.FromPort === 80)!.IpProtocol, 'tcp');
    const filtered = (await client.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'ip-permission.from-port', Values: ['80'] }] }))).SecurityGroups!;
    assert.deepEqual(filtered.map((g) => g.GroupId), [GroupId]);

    await client.send(new UpdateSecurityGroupRuleDescriptionsIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'admins' }] }] }));
    const rules = (await client.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [GroupId!] }] }))).SecurityGroupRules!;
    assert.equal(rules.length, 4); // three inbound, the default outbound
    const sshRule = rules.find((r) => r.CidrIpv4 === '0.0.0.0/0' && !r.IsEgress)!;
    assert.equal(sshRule.Description, 'admins');
    await client.send(new ModifySecurityGroupRulesCommand({ GroupId, SecurityGroupRules: [{ SecurityGroupRuleId: sshRule.SecurityGroupRuleId, SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 2222, ToPort: 2222, CidrIpv4: '10.0.0.0/8' } }] }));
    const [modified] = (await client.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [sshRule.SecurityGroupRuleId!] }))).SecurityGroupRules!;
    assert.deepEqual([modified!.FromPort, modified!.CidrIpv4], [2222, '10.0.0.0/8']);

    await client.send(new RevokeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 2222, ToPort: 2222, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] }));
    const gone = await awsError(() => client.send(new RevokeSecurityGroupIngressCommand({ GroupId, IpProtocol: 'tcp', FromPort: 2222, ToPort: 2222, CidrIp: '10.0.0.0/8' })));
    assert.deepEqual([gone.name, gone.message], ['InvalidPermission.NotFound', 'The specified rule does not exist in this security group.']);
    // Terraform's dance: drop the default egress rule, add its own.
    await client.send(new RevokeSecurityGroupEgressCommand({ GroupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    await client.send(new AuthorizeSecurityGroupEgressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'udp', FromPort: 53, ToPort: 53, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    const [after] = (await client.send(new DescribeSecurityGroupsCommand({ GroupIds: [GroupId!] }))).SecurityGroups!;
    assert.deepEqual(after!.IpPermissionsEgress!.map((p) => [p.IpProtocol, p.FromPort]), [['udp', 53]]);
    assert.equal((await awsError(() => client.send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-0123456789abcdef0'] })))).message, "The security group 'sg-0123456789abcdef0' does not exist");
    assert.equal((await awsError(() => client.send(new DescribeSecurityGroupsCommand({ GroupIds: ['web'] })))).message, 'Invalid id: "web" (expecting "sg-...")');
    await client.send(new DeleteSecurityGroupCommand({ GroupId }));
  });

  it('refuses the 61st inbound rule', async () => {
    const { GroupId } = await client.send(new CreateSecurityGroupCommand({ GroupName: 'many', Description: 'many rules' }));
    await client.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1, ToPort: 1, IpRanges: Array.from({ length: 60 }, (_, i) => ({ CidrIp: `10.0.${i}.0/24` })) }] }));
    const e = await awsError(() => client.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpProtocol: 'tcp', FromPort: 2, ToPort: 2, CidrIp: '10.9.0.0/16' })));
    assert.deepEqual([e.name, e.message], ['RulesPerSecurityGroupLimitExceeded', 'The maximum number of rules per security group has been reached.']);
    await client.send(new DeleteSecurityGroupCommand({ GroupId }));
  });
});

describe('instances in a VPC', () => {
  it('get a subnet, groups and a primary interface; addresses return at termination', async () => {
    const r = await client.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 2, MaxCount: 2, Placement: { AvailabilityZone: 'us-east-1b' } }));
    const [a, b] = r.Instances!;
    const vpc = await defaultVpc();
    assert.equal(a!.VpcId, vpc.VpcId);
    assert.match(a!.PrivateIpAddress!, /^172\.31\.(1[6-9]|2\d|3[01])\.\d+$/); // 172.31.16.0/20 of us-east-1b
    assert.notEqual(a!.PrivateIpAddress, b!.PrivateIpAddress);
    assert.equal(a!.SecurityGroups![0]!.GroupName, 'default');
    const eni = a!.NetworkInterfaces![0]!;
    assert.match(eni.NetworkInterfaceId!, /^eni-[0-9a-f]{17}$/);
    assert.match(eni.MacAddress!, /^0a(:[0-9a-f]{2}){5}$/);
    assert.equal(eni.Attachment!.DeviceIndex, 0);
    assert.equal(eni.Attachment!.DeleteOnTermination, true);
    const subnet = (await client.send(new DescribeSubnetsCommand({ SubnetIds: [a!.SubnetId!] }))).Subnets![0]!;
    assert.equal(subnet.AvailableIpAddressCount, 4089);
    const byGroup = await client.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance.group-name', Values: ['default'] }, { Name: 'subnet-id', Values: [a!.SubnetId!] }] }));
    assert.ok(byGroup.Reservations!.flatMap((x) => x.Instances!).some((i) => i.InstanceId === a!.InstanceId));

    const { GroupId } = await client.send(new CreateSecurityGroupCommand({ GroupName: 'app', Description: 'app' }));
    await waitForState(client, a!.InstanceId!, 'running');
    await client.send(new ModifyInstanceAttributeCommand({ InstanceId: a!.InstanceId!, Groups: [GroupId!] }));
    const described = (await client.send(new DescribeInstancesCommand({ InstanceIds: [a!.InstanceId!] }))).Reservations![0]!.Instances![0]!;
    assert.deepEqual(described.SecurityGroups, [{ GroupName: 'app', GroupId }]);
    assert.equal((await awsError(() => client.send(new DeleteSecurityGroupCommand({ GroupId })))).name, 'DependencyViolation');

    await client.send(new TerminateInstancesCommand({ InstanceIds: [a!.InstanceId!, b!.InstanceId!] }));
    await waitForState(client, a!.InstanceId!, 'terminated');
    await waitForState(client, b!.InstanceId!, 'terminated');
    assert.equal((await client.send(new DescribeSubnetsCommand({ SubnetIds: [a!.SubnetId!] }))).Subnets![0]!.AvailableIpAddressCount, 4091);
    await client.send(new DeleteSecurityGroupCommand({ GroupId }));
  });

  it('launch into a new subnet with a fixed address, and refuse AWS combinations', async () => {
    const vpc = (await client.send(new CreateVpcCommand({ CidrBlock: '10.5.0.0/16' }))).Vpc!;
    const subnet = (await client.send(new CreateSubnetCommand({ VpcId: vpc.VpcId!, CidrBlock: '10.5.0.0/24', AvailabilityZone: 'us-east-1a' }))).Subnet!;
    const { GroupId } = await client.send(new CreateSecurityGroupCommand({ GroupName: 'lab', Description: 'lab', VpcId: vpc.VpcId }));
    const r = await client.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1, SubnetId: subnet.SubnetId, SecurityGroupIds: [GroupId!], PrivateIpAddress: '10.5.0.10' }));
    const i = r.Instances![0]!;
    assert.deepEqual([i.SubnetId, i.VpcId, i.PrivateIpAddress, i.PublicIpAddress], [subnet.SubnetId, vpc.VpcId, '10.5.0.10', undefined]);
    const inUse = await awsError(() => client.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1, SubnetId: subnet.SubnetId, PrivateIpAddress: '10.5.0.10' })));
    assert.deepEqual([inUse.name, inUse.message], ['InvalidIPAddress.InUse', 'Address 10.5.0.10 is in use.']);
    const names = await awsError(() => client.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1, SubnetId: subnet.SubnetId, SecurityGroups: ['lab'] })));
    assert.deepEqual([names.name, names.message], ['InvalidParameterCombination', 'The parameter groupName cannot be used with the parameter subnet']);
    const both = await awsError(() =>
      client.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1, SecurityGroupIds: [GroupId!], NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnet.SubnetId }] })),
    );
    assert.equal(both.message, 'Network interfaces and an instance-level security groups may not be specified on the same request');
    const ni = await client.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1, NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnet.SubnetId, Groups: [GroupId!], AssociatePublicIpAddress: true }] }));
    assert.ok(ni.Instances![0]!.NetworkInterfaces![0]!.Association?.PublicIp);
    assert.equal((await awsError(() => client.send(new DeleteSubnetCommand({ SubnetId: subnet.SubnetId! })))).name, 'DependencyViolation');
    await client.send(new TerminateInstancesCommand({ InstanceIds: [i.InstanceId!, ni.Instances![0]!.InstanceId!] }));
    await waitForState(client, i.InstanceId!, 'terminated');
    await waitForState(client, ni.Instances![0]!.InstanceId!, 'terminated');
    await client.send(new DeleteSubnetCommand({ SubnetId: subnet.SubnetId! }));
    await client.send(new DeleteSecurityGroupCommand({ GroupId }));
    await client.send(new DeleteVpcCommand({ VpcId: vpc.VpcId! }));
  });
});

describe('network interfaces and Elastic IPs', () => {
  it('creates, attaches, modifies, detaches and deletes an interface; limits and errors as AWS', async () => {
    const {
      CreateNetworkInterfaceCommand,
      DescribeNetworkInterfacesCommand,
      AttachNetworkInterfaceCommand,
      DetachNetworkInterfaceCommand,
      ModifyNetworkInterfaceAttributeCommand,
      DeleteNetworkInterfaceCommand,
      AllocateAddressCommand,
      AssociateAddressCommand,
      DescribeAddressesCommand,
      DisassociateAddressCommand,
      ReleaseAddressCommand,
      CreateTagsCommand,
    } = await import('@aws-sdk/client-ec2');
    const subnet = (await client.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'availability-zone', Values: ['us-east-1c'] }, { Name: 'default-for-az', Values: ['true'] }] }))).Subnets![0]!;
    const eni = (await client.send(new CreateNetworkInterfaceCommand({ SubnetId: subnet.SubnetId, Description: 'extra' }))).NetworkInterface!;
    assert.match(eni.NetworkInterfaceId!, /^eni-[0-9a-f]{17}$/);
    assert.equal(eni.Groups![0]!.GroupName, 'default');
    await client.send(new CreateTagsCommand({ Resources: [eni.NetworkInterfaceId!], Tags: [{ Key: 'role', Value: 'extra' }] }));
    const byTag = (await client.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'tag:role', Values: ['extra'] }] }))).NetworkInterfaces!;
    assert.deepEqual(byTag.map((e) => e.Status), ['available']);

    const r = await client.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: 'us-east-1c' } }));
    const id = r.Instances![0]!.InstanceId!;
    await waitForState(client, id, 'running');
    const { AttachmentId } = await client.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eni.NetworkInterfaceId, InstanceId: id, DeviceIndex: 1 }));
    const inUse = await awsError(() => client.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni.NetworkInterfaceId })));
    assert.equal(inUse.name, 'InvalidNetworkInterface.InUse');
    const inst = (await client.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;
    assert.deepEqual(inst.NetworkInterfaces!.map((n) => n.Attachment!.DeviceIndex), [0, 1]);
    await client.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni.NetworkInterfaceId, SourceDestCheck: { Value: false } }));
    const primary = inst.NetworkInterfaces![0]!;
    const detachPrimary = await awsError(() => client.send(new DetachNetworkInterfaceCommand({ AttachmentId: primary.Attachment!.AttachmentId })));
    assert.equal(detachPrimary.name, 'OperationNotPermitted');

    // Elastic IPs: 5 per Region; associate to the instance; describe; release refused while associated.
    const allocs: { AllocationId?: string; PublicIp?: string }[] = [];
    for (let i = 0; i < 5; i++) allocs.push(await client.send(new AllocateAddressCommand({ Domain: 'vpc' })));
    const sixth = await awsError(() => client.send(new AllocateAddressCommand({ Domain: 'vpc' })));
    assert.deepEqual([sixth.name, sixth.message], ['AddressLimitExceeded', 'The maximum number of addresses has been reached.']);
    const { AssociationId } = await client.send(new AssociateAddressCommand({ AllocationId: allocs[0]!.AllocationId, InstanceId: id }));
    const again = await awsError(() => client.send(new AssociateAddressCommand({ AllocationId: allocs[0]!.AllocationId, NetworkInterfaceId: eni.NetworkInterfaceId })));
    assert.equal(again.name, 'Resource.AlreadyAssociated');
    const [addr] = (await client.send(new DescribeAddressesCommand({ AllocationIds: [allocs[0]!.AllocationId!] }))).Addresses!;
    assert.deepEqual([addr!.InstanceId, addr!.NetworkInterfaceId, addr!.PrivateIpAddress], [id, primary.NetworkInterfaceId, primary.PrivateIpAddress]);
    assert.equal((await client.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!.PublicIpAddress, allocs[0]!.PublicIp);
    await client.send(new DisassociateAddressCommand({ AssociationId }));
    for (const a of allocs) await client.send(new ReleaseAddressCommand({ AllocationId: a.AllocationId }));
    assert.equal((await awsError(() => client.send(new ReleaseAddressCommand({ AllocationId: allocs[0]!.AllocationId })))).name, 'InvalidAllocationID.NotFound');

    await client.send(new DetachNetworkInterfaceCommand({ AttachmentId }));
    await client.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni.NetworkInterfaceId }));
    assert.equal((await awsError(() => client.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni.NetworkInterfaceId!] })))).message, `The networkInterface ID '${eni.NetworkInterfaceId}' does not exist`);
    await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
  });
});

describe('launch templates carry network settings', () => {
  it('SecurityGroupIds and NetworkInterfaces of the template apply at RunInstances and are described', async () => {
    const { CreateLaunchTemplateCommand, DescribeLaunchTemplateVersionsCommand } = await import('@aws-sdk/client-ec2');
    const vpc = (await client.send(new CreateVpcCommand({ CidrBlock: '10.40.0.0/16' }))).Vpc!;
    const subnet = (await client.send(new CreateSubnetCommand({ VpcId: vpc.VpcId!, CidrBlock: '10.40.2.0/24', AvailabilityZone: 'us-east-1d' }))).Subnet!;
    const { GroupId } = await client.send(new CreateSecurityGroupCommand({ GroupName: 'lt', Description: 'from a template', VpcId: vpc.VpcId }));
    await client.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: 'net-lt',
        LaunchTemplateData: { ImageId: img.al2023, NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnet.SubnetId, Groups: [GroupId!], AssociatePublicIpAddress: true }] },
      }),
    );
    const [version] = (await client.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'net-lt' }))).LaunchTemplateVersions!;
    assert.deepEqual(version!.LaunchTemplateData!.NetworkInterfaces!.map((n) => [n.DeviceIndex, n.SubnetId, n.Groups, n.AssociatePublicIpAddress]), [[0, subnet.SubnetId, [GroupId], true]]);
    const r = await client.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: 'net-lt' } }));
    const i = r.Instances![0]!;
    assert.deepEqual([i.SubnetId, i.VpcId, i.Placement!.AvailabilityZone, i.SecurityGroups!.map((g) => g.GroupId)], [subnet.SubnetId, vpc.VpcId, 'us-east-1d', [GroupId]]);
    assert.ok(i.PublicIpAddress);
    await client.send(new TerminateInstancesCommand({ InstanceIds: [i.InstanceId!] }));
  });
});

describe('instance attributes of the network', () => {
  it('DescribeInstanceAttribute groupSet; SourceDestCheck the same through the instance and its interface', async () => {
    const { DescribeInstanceAttributeCommand, ModifyNetworkInterfaceAttributeCommand, DescribeNetworkInterfacesCommand } = await import('@aws-sdk/client-ec2');
    const r = await client.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1 }));
    const i = r.Instances![0]!;
    const groups = (await client.send(new DescribeInstanceAttributeCommand({ InstanceId: i.InstanceId, Attribute: 'groupSet' }))).Groups!;
    assert.deepEqual(groups.map((g) => g.GroupName), ['default']);
    await client.send(new ModifyInstanceAttributeCommand({ InstanceId: i.InstanceId, SourceDestCheck: { Value: false } }));
    const eni = (await client.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [i.NetworkInterfaces![0]!.NetworkInterfaceId!] }))).NetworkInterfaces![0]!;
    assert.equal(eni.SourceDestCheck, false);
    await client.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni.NetworkInterfaceId, SourceDestCheck: { Value: true } }));
    const attr = await client.send(new DescribeInstanceAttributeCommand({ InstanceId: i.InstanceId, Attribute: 'sourceDestCheck' }));
    assert.equal(attr.SourceDestCheck!.Value, true);
    await client.send(new TerminateInstancesCommand({ InstanceIds: [i.InstanceId!] }));
  });
});

describe('CreateDefaultSubnet', () => {
  it('brings back a deleted default subnet with its /20; refuses a zone that has one', async () => {
    const { CreateDefaultSubnetCommand } = await import('@aws-sdk/client-ec2');
    const eu = server.client({ region: 'eu-west-1' });
    const subnets = (await eu.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }))).Subnets!;
    assert.deepEqual(subnets.map((s) => s.AvailabilityZone).sort(), ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    const c = subnets.find((s) => s.AvailabilityZone === 'eu-west-1c')!;
    const exists = await awsError(() => eu.send(new CreateDefaultSubnetCommand({ AvailabilityZone: 'eu-west-1c' })));
    assert.deepEqual([exists.name, exists.message], ['DefaultSubnetAlreadyExistsInAvailabilityZone', `'${c.SubnetId}' is already the default subnet in eu-west-1c.`]);
    await eu.send(new DeleteSubnetCommand({ SubnetId: c.SubnetId! }));
    const made = (await eu.send(new CreateDefaultSubnetCommand({ AvailabilityZone: 'eu-west-1c' }))).Subnet!;
    assert.deepEqual([made.CidrBlock, made.DefaultForAz, made.MapPublicIpOnLaunch, made.VpcId], [c.CidrBlock, true, true, c.VpcId]);
  });
});

describe('DescribeInstances network filters', () => {
  it('vpc-id, network-interface.*, private-dns-name, dns-name', async () => {
    const r = await client.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1 }));
    const i = (await waitForState(client, r.Instances![0]!.InstanceId!, 'running'));
    const ids = async (name: string, value: string) =>
      (await client.send(new DescribeInstancesCommand({ Filters: [{ Name: name, Values: [value] }] }))).Reservations!.flatMap((x) => x.Instances!).map((x) => x.InstanceId);
    const eni = i.NetworkInterfaces![0]!;
    for (const [name, value] of [
      ['vpc-id', i.VpcId!],
      ['network-interface.network-interface-id', eni.NetworkInterfaceId!],
      ['network-interface.mac-address', eni.MacAddress!],
      ['network-interface.private-ip-address', i.PrivateIpAddress!],
      ['network-interface.group-name', 'default'],
      ['private-dns-name', i.PrivateDnsName!],
      ['dns-name', i.PublicDnsName!],
      ['ip-address', i.PublicIpAddress!],
    ] as const) {
      assert.ok((await ids(name, value)).includes(i.InstanceId), `${name}=${value}`);
    }
    assert.deepEqual(await ids('network-interface.network-interface-id', 'eni-0000000000000000f'), []);
    await client.send(new TerminateInstancesCommand({ InstanceIds: [i.InstanceId!] }));
  });
});
