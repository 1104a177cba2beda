// Launch configuration members kept, described and applied (issue 23: a member accepted is stored,
// returned and applied, never dropped): block device mappings, monitoring (on by default), EBS
// optimization, IAM instance profile, tenancy, security groups, AssociatePublicIpAddress; groups
// and launch configurations made from an instance (InstanceId). Real SDK v3 clients.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  RunInstancesCommand,
  type EC2Client,
  type Instance,
} from '@aws-sdk/client-ec2';
import {
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
  DescribeLaunchConfigurationsCommand,
  type AutoScalingClient,
} from '@aws-sdk/client-auto-scaling';
import { awsError, startTestServer, type TestServer } from '../helpers/server.js';
import { images, waitForState, type Images } from '../helpers/instances.js';
import { autoScalingClient, destroyAutoScalingClients, FAST_AUTOSCALING, inService } from '../helpers/autoscaling.js';

let server: TestServer;
let ec2: EC2Client;
let as: AutoScalingClient;
let img: Images;
let subnetId: string;
let groupId: string;

before(async () => {
  server = await startTestServer({ storageDelayMs: 0, sshPort: 0, autoScaling: FAST_AUTOSCALING });
  ec2 = server.client();
  as = autoScalingClient(server.url);
  img = await images(ec2);
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.60.0.0/16' }))).Vpc!;
  subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: '10.60.1.0/24', AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
  groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'lc-sg', Description: 'lc', VpcId: vpc.VpcId }))).GroupId!;
});
after(async () => {
  destroyAutoScalingClients();
  await server.close();
});

const lc = async (name: string) => (await as.send(new DescribeLaunchConfigurationsCommand({ LaunchConfigurationNames: [name] }))).LaunchConfigurations![0]!;
const instance = async (id: string): Promise<Instance> => (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;

describe('launch configuration members', () => {
  it('stores and describes every member given, with AWS defaults for the rest', async () => {
    const profile = 'arn:aws:iam::000000000000:instance-profile/web';
    await as.send(new CreateLaunchConfigurationCommand({
      LaunchConfigurationName: 'full', ImageId: img.al2023, InstanceType: 't3.micro',
      SecurityGroups: [groupId], InstanceMonitoring: { Enabled: false }, EbsOptimized: true, IamInstanceProfile: profile,
      SpotPrice: '0.05', KernelId: 'aki-12345678', RamdiskId: 'ari-12345678', PlacementTenancy: 'default', AssociatePublicIpAddress: false,
      ClassicLinkVPCId: 'vpc-0123456789abcdef0', ClassicLinkVPCSecurityGroups: ['sg-0123456789abcdef0'],
      BlockDeviceMappings: [
        { DeviceName: '/dev/sdf', Ebs: { VolumeSize: 8, VolumeType: 'gp3', DeleteOnTermination: true, Encrypted: true, Throughput: 150, Iops: 3000 } },
        { DeviceName: '/dev/sdg', NoDevice: true },
      ],
    }));
    const c = await lc('full');
    assert.deepEqual(c.BlockDeviceMappings, [
      { DeviceName: '/dev/sdf', Ebs: { VolumeSize: 8, VolumeType: 'gp3', DeleteOnTermination: true, Encrypted: true, Throughput: 150, Iops: 3000 } },
      { DeviceName: '/dev/sdg', NoDevice: true },
    ]);
    assert.deepEqual(c.InstanceMonitoring, { Enabled: false });
    assert.equal(c.EbsOptimized, true);
    assert.equal(c.IamInstanceProfile, profile);
    assert.equal(c.SpotPrice, '0.05');
    assert.equal(c.KernelId, 'aki-12345678');
    assert.equal(c.RamdiskId, 'ari-12345678');
    assert.equal(c.PlacementTenancy, 'default');
    assert.equal(c.AssociatePublicIpAddress, false);
    assert.equal(c.ClassicLinkVPCId, 'vpc-0123456789abcdef0');
    assert.deepEqual(c.ClassicLinkVPCSecurityGroups, ['sg-0123456789abcdef0']);

    await as.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'bare', ImageId: img.al2023, InstanceType: 't3.micro' }));
    const bare = await lc('bare');
    assert.deepEqual(bare.InstanceMonitoring, { Enabled: true }); // the API's default
    assert.equal(bare.EbsOptimized, false);
    assert.deepEqual(bare.BlockDeviceMappings, []);
    assert.equal(bare.IamInstanceProfile, undefined);
  });

  it('applies them to the instances a group launches', async () => {
    await as.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'g-full', LaunchConfigurationName: 'full', MinSize: 1, MaxSize: 1, VPCZoneIdentifier: subnetId }));
    const g = await inService(as, 'g-full', 1);
    const i = await instance(g.Instances![0]!.InstanceId!);
    assert.equal(i.Monitoring?.State, 'disabled');
    assert.equal(i.EbsOptimized, true);
    assert.equal(i.IamInstanceProfile?.Arn, 'arn:aws:iam::000000000000:instance-profile/web');
    assert.deepEqual(i.SecurityGroups!.map((s) => s.GroupId), [groupId]);
    assert.equal(i.SubnetId, subnetId);
    assert.equal(i.PublicIpAddress, undefined); // AssociatePublicIpAddress false
    assert.ok(i.BlockDeviceMappings!.some((m) => m.DeviceName === '/dev/sdf'));
    const vols = (await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [i.InstanceId!] }] }))).Volumes!;
    const sdf = vols.find((v) => v.Attachments![0]!.Device === '/dev/sdf')!;
    assert.equal(sdf.Size, 8);
    assert.equal(sdf.Encrypted, true);
    assert.equal(sdf.Throughput, 150);

    await as.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'g-bare', LaunchConfigurationName: 'bare', MinSize: 1, MaxSize: 1, VPCZoneIdentifier: subnetId }));
    const b = await inService(as, 'g-bare', 1);
    assert.equal((await instance(b.Instances![0]!.InstanceId!)).Monitoring?.State, 'enabled');
  });

  it('refuses a configuration with neither InstanceId nor both ImageId and InstanceType', async () => {
    const e = await awsError(() => as.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'x', ImageId: img.al2023 })));
    assert.equal(e.name, 'ValidationError');
    assert.equal(e.message, 'Valid requests must contain either the InstanceID parameter or both the ImageId and InstanceType parameters.');
  });
});

describe('InstanceId as the launch source', () => {
  it("makes the group's launch configuration (its name) from the instance, in the instance's subnet", async () => {
    const run = await ec2.send(new RunInstancesCommand({ ImageId: img.ubuntu, InstanceType: 't3.small', MinCount: 1, MaxCount: 1, SubnetId: subnetId, SecurityGroupIds: [groupId], Monitoring: { Enabled: true } }));
    const id = run.Instances![0]!.InstanceId!;
    await waitForState(ec2, id, 'running');
    await as.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'from-instance', InstanceId: id, MinSize: 1, MaxSize: 2 }));
    const c = await lc('from-instance');
    assert.equal(c.ImageId, img.ubuntu);
    assert.equal(c.InstanceType, 't3.small');
    assert.deepEqual(c.SecurityGroups, [groupId]);
    assert.deepEqual(c.InstanceMonitoring, { Enabled: true });
    const g = await inService(as, 'from-instance', 1);
    assert.equal(g.LaunchConfigurationName, 'from-instance');
    assert.equal(g.VPCZoneIdentifier, subnetId);
    const launched = await instance(g.Instances![0]!.InstanceId!);
    assert.equal(launched.ImageId, img.ubuntu);
    assert.equal(launched.InstanceType, 't3.small');

    const bad = await awsError(() => as.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'nope', InstanceId: 'i-0123456789abcdef0', MinSize: 1, MaxSize: 1, VPCZoneIdentifier: subnetId })));
    assert.equal(bad.name, 'ValidationError');
    assert.equal(bad.message, 'Instance [i-0123456789abcdef0] is invalid.');
    const lcFrom = await as.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'lc-from', InstanceId: id, InstanceType: 't3.large' }));
    assert.ok(lcFrom);
    const c2 = await lc('lc-from');
    assert.equal(c2.InstanceType, 't3.large'); // the request's member wins
    assert.equal(c2.ImageId, img.ubuntu);
  });
});

describe('empty Query lists', () => {
  it('SetInstanceProtection takes InstanceIds= (an empty list, as botocore sends []); an absent one is refused', async () => {
    await as.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'empty-list', LaunchConfigurationName: 'bare', MinSize: 0, MaxSize: 1, VPCZoneIdentifier: subnetId }));
    const base = { Action: 'SetInstanceProtection', Version: '2011-01-01', AutoScalingGroupName: 'empty-list', ProtectedFromScaleIn: 'true' };
    const empty = await server.raw({ ...base, InstanceIds: '' });
    assert.equal(empty.status, 200);
    assert.match(empty.body, /<SetInstanceProtectionResult\/>|<SetInstanceProtectionResult><\/SetInstanceProtectionResult>|<SetInstanceProtectionResult>\s*<\/SetInstanceProtectionResult>/);
    const absent = await server.raw(base);
    assert.equal(absent.status, 400);
    assert.match(absent.body, /Value null at 'instanceIds' failed to satisfy constraint: Member must not be null/);
  });
});
