// The network actions through Debian's AWS CLI (/usr/bin/aws): what it sends is what people script.
// VPCs, subnets, security groups and rules, gateways, route tables, ACLs, DHCP options, interfaces,
// Elastic IPs, secondary and IPv6 addresses, egress-only gateways, DescribeAccountAttributes; AWS's
// error codes as the CLI prints them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { awsCli } from '../helpers/awscli.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { requireTools } from '../helpers/tools.js';

requireTools(['/usr/bin/aws'], 'the AWS CLI networking tests');

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

async function ec2(...args: string[]): Promise<any> {
  const r = await awsCli(server.url, ['ec2', ...args, '--output', 'json']);
  assert.equal(r.status, 0, `aws ec2 ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : undefined;
}
async function fails(code: string, ...args: string[]): Promise<string> {
  const r = await awsCli(server.url, ['ec2', ...args]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, new RegExp(`\\(${code.replace('.', '\\.')}\\)`), r.stderr);
  return r.stderr;
}

describe('aws ec2 … networking', () => {
  it('the default VPC, then a VPC with a subnet, gateway and route table of its own', async () => {
    const attrs = await ec2('describe-account-attributes', '--attribute-names', 'default-vpc');
    const defaultVpc = attrs.AccountAttributes[0].AttributeValues[0].AttributeValue;
    assert.match(defaultVpc, /^vpc-/);
    const igws = await ec2('describe-internet-gateways', '--filters', `Name=attachment.vpc-id,Values=${defaultVpc}`);
    assert.equal(igws.InternetGateways.length, 1);
    const main = (await ec2('describe-route-tables', '--filters', `Name=vpc-id,Values=${defaultVpc}`, 'Name=association.main,Values=true')).RouteTables[0];
    assert.deepEqual(main.Routes.map((r: { DestinationCidrBlock: string; GatewayId: string }) => [r.DestinationCidrBlock, r.GatewayId]), [['172.31.0.0/16', 'local'], ['0.0.0.0/0', igws.InternetGateways[0].InternetGatewayId]]);
    const acl = (await ec2('describe-network-acls', '--filters', `Name=vpc-id,Values=${defaultVpc}`, 'Name=default,Values=true')).NetworkAcls[0];
    assert.equal(acl.Associations.length, 6);
    assert.deepEqual(acl.Entries.filter((e: { Egress: boolean }) => !e.Egress).map((e: { RuleNumber: number; RuleAction: string }) => [e.RuleNumber, e.RuleAction]), [[100, 'allow'], [32767, 'deny']]);
    const dhcp = (await ec2('describe-dhcp-options')).DhcpOptions[0];
    assert.deepEqual(dhcp.DhcpConfigurations.map((c: { Key: string; Values: { Value: string }[] }) => [c.Key, c.Values[0]!.Value]), [['domain-name', 'ec2.internal'], ['domain-name-servers', 'AmazonProvidedDNS']]);

    const vpc = (await ec2('create-vpc', '--cidr-block', '10.8.0.0/16', '--tag-specifications', 'ResourceType=vpc,Tags=[{Key=Name,Value=cli}]')).Vpc;
    await ec2('modify-vpc-attribute', '--vpc-id', vpc.VpcId, '--enable-dns-hostnames', '{"Value":true}');
    const subnet = (await ec2('create-subnet', '--vpc-id', vpc.VpcId, '--cidr-block', '10.8.1.0/24', '--availability-zone', 'us-east-1a')).Subnet;
    await ec2('modify-subnet-attribute', '--subnet-id', subnet.SubnetId, '--map-public-ip-on-launch');
    assert.equal((await ec2('describe-subnets', '--subnet-ids', subnet.SubnetId)).Subnets[0].MapPublicIpOnLaunch, true);
    await fails('InvalidSubnet.Conflict', 'create-subnet', '--vpc-id', vpc.VpcId, '--cidr-block', '10.8.1.0/25');
    const igw = (await ec2('create-internet-gateway')).InternetGateway;
    await ec2('attach-internet-gateway', '--internet-gateway-id', igw.InternetGatewayId, '--vpc-id', vpc.VpcId);
    await fails('Resource.AlreadyAssociated', 'attach-internet-gateway', '--internet-gateway-id', igw.InternetGatewayId, '--vpc-id', vpc.VpcId);
    await fails('DependencyViolation', 'delete-internet-gateway', '--internet-gateway-id', igw.InternetGatewayId);
    const rtb = (await ec2('create-route-table', '--vpc-id', vpc.VpcId)).RouteTable;
    await ec2('create-route', '--route-table-id', rtb.RouteTableId, '--destination-cidr-block', '0.0.0.0/0', '--gateway-id', igw.InternetGatewayId);
    await fails('RouteAlreadyExists', 'create-route', '--route-table-id', rtb.RouteTableId, '--destination-cidr-block', '0.0.0.0/0', '--gateway-id', igw.InternetGatewayId);
    const assoc = await ec2('associate-route-table', '--route-table-id', rtb.RouteTableId, '--subnet-id', subnet.SubnetId);
    await fails('DependencyViolation', 'delete-route-table', '--route-table-id', rtb.RouteTableId);
    await fails('DependencyViolation', 'delete-vpc', '--vpc-id', vpc.VpcId);
    const dopt = (await ec2('create-dhcp-options', '--dhcp-configurations', 'Key=domain-name,Values=lab.internal')).DhcpOptions;
    await ec2('associate-dhcp-options', '--dhcp-options-id', dopt.DhcpOptionsId, '--vpc-id', vpc.VpcId);
    assert.equal((await ec2('describe-vpcs', '--vpc-ids', vpc.VpcId)).Vpcs[0].DhcpOptionsId, dopt.DhcpOptionsId);
    await fails('DependencyViolation', 'delete-dhcp-options', '--dhcp-options-id', dopt.DhcpOptionsId);

    // Take it all down again, in the order AWS requires.
    await ec2('disassociate-route-table', '--association-id', assoc.AssociationId);
    await ec2('delete-route', '--route-table-id', rtb.RouteTableId, '--destination-cidr-block', '0.0.0.0/0');
    await ec2('delete-route-table', '--route-table-id', rtb.RouteTableId);
    await ec2('detach-internet-gateway', '--internet-gateway-id', igw.InternetGatewayId, '--vpc-id', vpc.VpcId);
    await ec2('delete-internet-gateway', '--internet-gateway-id', igw.InternetGatewayId);
    await ec2('delete-subnet', '--subnet-id', subnet.SubnetId);
    await ec2('associate-dhcp-options', '--dhcp-options-id', 'default', '--vpc-id', vpc.VpcId);
    await ec2('delete-dhcp-options', '--dhcp-options-id', dopt.DhcpOptionsId);
    await ec2('delete-vpc', '--vpc-id', vpc.VpcId);
    await fails('InvalidVpcID.NotFound', 'describe-vpcs', '--vpc-ids', vpc.VpcId);
  });

  it('security groups: the CLI shorthand, rule ids, descriptions, revoke, DryRun', async () => {
    const { GroupId } = await ec2('create-security-group', '--group-name', 'cli-web', '--description', 'cli web');
    await ec2('authorize-security-group-ingress', '--group-id', GroupId, '--ip-permissions', 'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=10.0.0.0/8,Description=https}]');
    await ec2('authorize-security-group-ingress', '--group-name', 'cli-web', '--protocol', 'udp', '--port', '53', '--cidr', '0.0.0.0/0');
    await ec2('authorize-security-group-ingress', '--group-id', GroupId, '--protocol', 'tcp', '--port', '8000-8080', '--source-group', 'default');
    await fails('InvalidPermission.Duplicate', 'authorize-security-group-ingress', '--group-id', GroupId, '--protocol', 'udp', '--port', '53', '--cidr', '0.0.0.0/0');
    const dry = await awsCli(server.url, ['ec2', 'authorize-security-group-ingress', '--group-id', GroupId, '--protocol', 'tcp', '--port', '1', '--cidr', '1.2.3.4/32', '--dry-run']);
    assert.match(dry.stderr, /DryRunOperation/);
    const g = (await ec2('describe-security-groups', '--group-ids', GroupId)).SecurityGroups[0];
    assert.deepEqual(g.IpPermissions.map((p: { IpProtocol: string; FromPort: number; ToPort: number }) => [p.IpProtocol, p.FromPort, p.ToPort]), [['tcp', 443, 443], ['udp', 53, 53], ['tcp', 8000, 8080]]);
    assert.equal(g.IpPermissions[2].UserIdGroupPairs[0].UserId, '000000000000');
    const rules = (await ec2('describe-security-group-rules', '--filters', `Name=group-id,Values=${GroupId}`)).SecurityGroupRules;
    assert.equal(rules.length, 4);
    const https = rules.find((r: { FromPort: number }) => r.FromPort === 443);
    await ec2('update-security-group-rule-descriptions-ingress', '--group-id', GroupId, '--security-group-rule-descriptions', `SecurityGroupRuleId=${https.SecurityGroupRuleId},Description=web`);
    assert.equal((await ec2('describe-security-group-rules', '--security-group-rule-ids', https.SecurityGroupRuleId)).SecurityGroupRules[0].Description, 'web');
    await ec2('revoke-security-group-ingress', '--group-id', GroupId, '--security-group-rule-ids', https.SecurityGroupRuleId);
    await fails('InvalidPermission.NotFound', 'revoke-security-group-ingress', '--group-id', GroupId, '--protocol', 'tcp', '--port', '443', '--cidr', '10.0.0.0/8');
    await fails('InvalidGroup.NotFound', 'describe-security-groups', '--group-names', 'nope');
    await fails('InvalidGroupId.Malformed', 'describe-security-groups', '--group-ids', 'nope');
    await fails('CannotDelete', 'delete-security-group', '--group-name', 'default');
    await ec2('delete-security-group', '--group-id', GroupId);
  });

  it('aws sts get-caller-identity at the same endpoint (what amazon.aws asks for the account id)', async () => {
    const r = await awsCli(server.url, ['sts', 'get-caller-identity', '--output', 'json']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { UserId: 'AKIDEXAMPLE', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:user/ec2lite' });
  });

  it('interfaces and Elastic IPs', async () => {
    const subnet = (await ec2('describe-subnets', '--filters', 'Name=default-for-az,Values=true', 'Name=availability-zone,Values=us-east-1a')).Subnets[0];
    const eni = (await ec2('create-network-interface', '--subnet-id', subnet.SubnetId, '--private-ip-address', '172.31.0.50')).NetworkInterface;
    assert.equal(eni.PrivateIpAddress, '172.31.0.50');
    await fails('InvalidIPAddress.InUse', 'create-network-interface', '--subnet-id', subnet.SubnetId, '--private-ip-address', '172.31.0.50');
    await ec2('modify-network-interface-attribute', '--network-interface-id', eni.NetworkInterfaceId, '--no-source-dest-check');
    assert.equal((await ec2('describe-network-interfaces', '--network-interface-ids', eni.NetworkInterfaceId)).NetworkInterfaces[0].SourceDestCheck, false);
    const eip = await ec2('allocate-address', '--domain', 'vpc');
    const assoc = await ec2('associate-address', '--allocation-id', eip.AllocationId, '--network-interface-id', eni.NetworkInterfaceId);
    assert.equal((await ec2('describe-network-interfaces', '--network-interface-ids', eni.NetworkInterfaceId)).NetworkInterfaces[0].Association.PublicIp, eip.PublicIp);
    await fails('InvalidIPAddress.InUse', 'release-address', '--allocation-id', eip.AllocationId);
    await fails('InvalidNetworkInterface.InUse', 'delete-network-interface', '--network-interface-id', eni.NetworkInterfaceId);
    await ec2('disassociate-address', '--association-id', assoc.AssociationId);
    await ec2('release-address', '--allocation-id', eip.AllocationId);
    await ec2('delete-network-interface', '--network-interface-id', eni.NetworkInterfaceId);
    assert.equal((await ec2('describe-addresses')).Addresses.length, 0);
  });
  it('secondary private and IPv6 addresses, IPv6 routes and egress-only gateways', async () => {
    const vpc = (await ec2('create-vpc', '--cidr-block', '10.9.0.0/16', '--amazon-provided-ipv6-cidr-block')).Vpc;
    const block = (await ec2('describe-vpcs', '--vpc-ids', vpc.VpcId)).Vpcs[0].Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock as string;
    const subnet = (await ec2('create-subnet', '--vpc-id', vpc.VpcId, '--cidr-block', '10.9.1.0/24', '--ipv6-cidr-block', block.replace('::/56', '::/64'))).Subnet;
    const eni = (await ec2('create-network-interface', '--subnet-id', subnet.SubnetId, '--secondary-private-ip-address-count', '1', '--ipv6-address-count', '1')).NetworkInterface;
    assert.equal(eni.PrivateIpAddresses.length, 2);
    assert.equal(eni.Ipv6Addresses.length, 1);
    const assigned = await ec2('assign-private-ip-addresses', '--network-interface-id', eni.NetworkInterfaceId, '--private-ip-addresses', '10.9.1.77');
    assert.deepEqual(assigned.AssignedPrivateIpAddresses, [{ PrivateIpAddress: '10.9.1.77' }]);
    await ec2('unassign-private-ip-addresses', '--network-interface-id', eni.NetworkInterfaceId, '--private-ip-addresses', '10.9.1.77');
    const v6 = await ec2('assign-ipv6-addresses', '--network-interface-id', eni.NetworkInterfaceId, '--ipv6-address-count', '1');
    assert.equal(v6.AssignedIpv6Addresses.length, 1);
    const un = await ec2('unassign-ipv6-addresses', '--network-interface-id', eni.NetworkInterfaceId, '--ipv6-addresses', v6.AssignedIpv6Addresses[0]);
    assert.deepEqual(un.UnassignedIpv6Addresses, v6.AssignedIpv6Addresses);
    await fails('InvalidParameterCombination', 'assign-ipv6-addresses', '--network-interface-id', eni.NetworkInterfaceId, '--ipv6-address-count', '1', '--ipv6-addresses', `${block.replace('::/56', '::9')}`);
    const eigw = (await ec2('create-egress-only-internet-gateway', '--vpc-id', vpc.VpcId)).EgressOnlyInternetGateway;
    const main = (await ec2('describe-route-tables', '--filters', `Name=vpc-id,Values=${vpc.VpcId}`)).RouteTables[0];
    assert.ok(main.Routes.some((r: { DestinationIpv6CidrBlock?: string; GatewayId?: string }) => r.DestinationIpv6CidrBlock === block && r.GatewayId === 'local'));
    await ec2('create-route', '--route-table-id', main.RouteTableId, '--destination-ipv6-cidr-block', '::/0', '--egress-only-internet-gateway-id', eigw.EgressOnlyInternetGatewayId);
    const after = (await ec2('describe-route-tables', '--route-table-ids', main.RouteTableId)).RouteTables[0];
    assert.ok(after.Routes.some((r: { DestinationIpv6CidrBlock?: string; EgressOnlyInternetGatewayId?: string }) => r.DestinationIpv6CidrBlock === '::/0' && r.EgressOnlyInternetGatewayId === eigw.EgressOnlyInternetGatewayId));
    assert.equal((await ec2('describe-egress-only-internet-gateways', '--egress-only-internet-gateway-ids', eigw.EgressOnlyInternetGatewayId)).EgressOnlyInternetGateways.length, 1);
    await ec2('delete-route', '--route-table-id', main.RouteTableId, '--destination-ipv6-cidr-block', '::/0');
    assert.equal((await ec2('delete-egress-only-internet-gateway', '--egress-only-internet-gateway-id', eigw.EgressOnlyInternetGatewayId)).ReturnCode, true);
  });
});
