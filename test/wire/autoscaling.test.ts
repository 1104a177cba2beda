// Auto Scaling through @aws-sdk/client-auto-scaling and raw requests: the Query dialect on the
// shared port, launch configurations, groups, capacity changes, health, tags, and every error.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  CreateImageCommand,
  CreateKeyPairCommand,
  CreateLaunchTemplateCommand,
  DeleteKeyPairCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  RunInstancesCommand,
  StopInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import {
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
  CreateOrUpdateTagsCommand,
  DeleteAutoScalingGroupCommand,
  DeleteLaunchConfigurationCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
  DescribeLaunchConfigurationsCommand,
  DescribeTagsCommand,
  SetDesiredCapacityCommand,
  SetInstanceHealthCommand,
  SetInstanceProtectionCommand,
  TerminateInstanceInAutoScalingGroupCommand,
  UpdateAutoScalingGroupCommand,
  type AutoScalingClient,
} from '@aws-sdk/client-auto-scaling';
import { writeCredentials } from '../../src/auth/credentials-file.js';
import { awsError, startTestServer, type TestServer } from '../helpers/server.js';
import { images, waitForState, type Images } from '../helpers/instances.js';
import { send, sign } from '../helpers/sigv4-client.js';
import { tempDir } from '../helpers/tools.js';
import { activities, autoScalingClient, destroyAutoScalingClients, eventually, FAST_AUTOSCALING, group, inService } from '../helpers/autoscaling.js';

let server: TestServer;
let ec2: EC2Client;
let as: AutoScalingClient;
let img: Images;
const zones = ['us-east-1a', 'us-east-1b'];

before(async () => {
  server = await startTestServer({ instanceDelays: { start: 20, stop: 20, terminate: 20 }, storageDelayMs: 20, sshPort: 0, autoScaling: FAST_AUTOSCALING });
  ec2 = server.client();
  as = autoScalingClient(server.url);
  img = await images(ec2);
  await ec2.send(new CreateKeyPairCommand({ KeyName: 'asg-key', KeyType: 'ed25519' }));
  await as.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'lc', ImageId: img.al2023, InstanceType: 't3.micro', KeyName: 'asg-key' }));
});
after(async () => {
  destroyAutoScalingClients();
  await server.close();
});

const err = (fn: () => Promise<unknown>) => awsError(fn).then((e) => [e.name, e.message, e.status]);

describe('the Auto Scaling Query dialect', () => {
  it('answers on the same port in its own envelope (unsigned: told apart by Version)', async () => {
    const ok = await server.raw({ Action: 'DescribeLaunchConfigurations', Version: '2011-01-01' });
    assert.equal(ok.status, 200);
    assert.match(ok.body, /^<DescribeLaunchConfigurationsResponse xmlns="http:\/\/autoscaling\.amazonaws\.com\/doc\/2011-01-01\/">\n {4}<DescribeLaunchConfigurationsResult>\n {8}<LaunchConfigurations>\n {12}<member>\n {16}<LaunchConfigurationName>lc<\/LaunchConfigurationName>/);
    assert.match(ok.body, / {4}<ResponseMetadata>\n {8}<RequestId>[0-9a-f-]{36}<\/RequestId>\n {4}<\/ResponseMetadata>\n<\/DescribeLaunchConfigurationsResponse>\n$/);
    const bad = await server.raw({ Action: 'SetDesiredCapacity', Version: '2011-01-01', AutoScalingGroupName: 'nope', DesiredCapacity: '1' });
    assert.equal(bad.status, 400);
    assert.match(
      bad.body,
      /^<ErrorResponse xmlns="http:\/\/autoscaling\.amazonaws\.com\/doc\/2011-01-01\/">\n {4}<Error>\n {8}<Type>Sender<\/Type>\n {8}<Code>ValidationError<\/Code>\n {8}<Message>AutoScalingGroup name not found - AutoScalingGroup: nope not found<\/Message>\n {4}<\/Error>\n {4}<RequestId>[0-9a-f-]{36}<\/RequestId>\n<\/ErrorResponse>\n$/,
    );
    const v = await server.raw({ Action: 'CreateLaunchConfiguration', Version: '2011-01-01' });
    assert.equal(v.status, 400);
    assert.match(v.body, /<Message>1 validation error detected: Value null at 'launchConfigurationName' failed to satisfy constraint: Member must not be null<\/Message>/);
    // An action both services have (DescribeTags) goes where its Version says.
    const asTags = await server.raw({ Action: 'DescribeTags', Version: '2011-01-01' });
    assert.match(asTags.body, /^<DescribeTagsResponse xmlns="http:\/\/autoscaling\.amazonaws\.com\/doc\/2011-01-01\/">/);
    const ec2Tags = await server.raw({ Action: 'DescribeTags', Version: '2016-11-15' });
    assert.match(ec2Tags.body, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<DescribeTagsResponse xmlns="http:\/\/ec2\.amazonaws\.com\/doc\/2016-11-15\/">/);
    // EC2 still answers EC2 requests on the same port.
    const e = await server.raw({ Action: 'DescribeKeyPairs', Version: '2016-11-15' });
    assert.match(e.body, /<DescribeKeyPairsResponse xmlns="http:\/\/ec2\.amazonaws\.com\/doc\/2016-11-15\/">/);
  });
});

describe('launch configurations', () => {
  it('describes what was created, by name', async () => {
    const r = await as.send(new DescribeLaunchConfigurationsCommand({ LaunchConfigurationNames: ['lc', 'absent'] }));
    assert.equal(r.LaunchConfigurations!.length, 1);
    const c = r.LaunchConfigurations![0]!;
    assert.equal(c.ImageId, img.al2023);
    assert.equal(c.KeyName, 'asg-key');
    assert.equal(c.InstanceType, 't3.micro');
    assert.match(c.LaunchConfigurationARN!, /^arn:aws:autoscaling:us-east-1:000000000000:launchConfiguration:[0-9a-f-]{36}:launchConfigurationName\/lc$/);
  });

  it('refuses a missing key pair, a duplicate name, and deleting one in use', async () => {
    assert.deepEqual(
      await err(() => as.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'x', ImageId: img.al2023, InstanceType: 't3.micro', KeyName: 'nokey' }))),
      ['ValidationError', "The key pair 'nokey' does not exist", 400],
    );
    assert.deepEqual(
      await err(() => as.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'lc', ImageId: img.al2023, InstanceType: 't3.micro' }))),
      ['AlreadyExistsFault', 'Launch Configuration by this name already exists - A launch configuration already exists with the name lc', 400],
    );
    await as.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'uses-lc', LaunchConfigurationName: 'lc', MinSize: 0, MaxSize: 1, AvailabilityZones: zones }));
    const [code] = await err(() => as.send(new DeleteLaunchConfigurationCommand({ LaunchConfigurationName: 'lc' })));
    assert.equal(code, 'ResourceInUseFault');
    await as.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'uses-lc' }));
    assert.deepEqual(
      await err(() => as.send(new DeleteLaunchConfigurationCommand({ LaunchConfigurationName: 'absent' }))),
      ['ValidationError', 'Launch configuration name not found - Launch configuration absent not found', 400],
    );
  });

  it('is unavailable when the toggle says the account is too new (as after 2024-10-01)', async () => {
    const s = await startTestServer({ autoScaling: { ...FAST_AUTOSCALING, launchConfigurations: false } });
    try {
      const c = autoScalingClient(s.url);
      assert.deepEqual(
        await err(() => c.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'x', ImageId: img.al2023, InstanceType: 't3.micro' }))),
        ['UnsupportedOperation', 'The Launch Configuration creation operation is not available in your account. Use launch templates to create configuration templates for your Auto Scaling groups.', 400],
      );
    } finally {
      await s.close();
    }
  });
});

describe('CreateAutoScalingGroup errors', () => {
  const create = (o: Record<string, unknown>) =>
    err(() => as.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'bad', MinSize: 1, MaxSize: 3, AvailabilityZones: zones, LaunchConfigurationName: 'lc', ...o })));

  it('sizes', async () => {
    assert.deepEqual(await create({ DesiredCapacity: 5 }), ['ValidationError', 'Desired capacity:5 must be between the specified min size:1 and max size:3', 400]);
    assert.deepEqual(await create({ MinSize: 4 }), ['ValidationError', 'Max bound, 3, must be greater than or equal to min bound, 4', 400]);
  });

  it('launch sources', async () => {
    assert.deepEqual(await create({ LaunchConfigurationName: 'nope' }), ['ValidationError', 'Launch configuration name not found - Launch configuration nope not found', 400]);
    const [code] = await create({ LaunchConfigurationName: undefined });
    assert.equal(code, 'ValidationError');
    await ec2.send(new CreateKeyPairCommand({ KeyName: 'doomed', KeyType: 'ed25519' }));
    await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'doomed-lt', LaunchTemplateData: { ImageId: img.al2023, KeyName: 'doomed' } }));
    await ec2.send(new DeleteKeyPairCommand({ KeyName: 'doomed' }));
    assert.deepEqual(await create({ LaunchConfigurationName: undefined, LaunchTemplate: { LaunchTemplateName: 'doomed-lt' } }), [
      'ValidationError',
      "You must use a valid fully-formed launch template. The key pair 'doomed' does not exist",
      400,
    ]);
    assert.deepEqual(await create({ LaunchConfigurationName: undefined, LaunchTemplate: { LaunchTemplateName: 'no-such-lt' } }), [
      'ValidationError',
      'You must use a valid fully-formed launch template. The specified launch template, with template name no-such-lt, does not exist.',
      400,
    ]);
  });

  it('zones and duplicates', async () => {
    const [code] = await create({ AvailabilityZones: undefined });
    assert.equal(code, 'ValidationError');
    await as.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'twice', LaunchConfigurationName: 'lc', MinSize: 0, MaxSize: 1, AvailabilityZones: zones }));
    assert.deepEqual(
      await err(() => as.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'twice', LaunchConfigurationName: 'lc', MinSize: 0, MaxSize: 1, AvailabilityZones: zones }))),
      ['AlreadyExistsFault', 'AutoScalingGroup by this name already exists - A group with the name twice already exists', 400],
    );
    await as.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'twice' }));
  });
});

describe('a group at work', () => {
  // The default subnets of two zones: VPCZoneIdentifier names real subnets (issue 20).
  let subnetA = '';
  let subnetB = '';
  before(async () => {
    const { DescribeSubnetsCommand } = await import('@aws-sdk/client-ec2');
    const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }))).Subnets!;
    subnetA = subnets.find((s) => s.AvailabilityZone === 'us-east-1a')!.SubnetId!;
    subnetB = subnets.find((s) => s.AvailabilityZone === 'us-east-1b')!.SubnetId!;
    const unknown = await awsError(() =>
      as.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'nowhere', LaunchConfigurationName: 'lc', MinSize: 0, MaxSize: 1, VPCZoneIdentifier: 'subnet-0123456789abcdef0' })),
    );
    assert.deepEqual([unknown.name, unknown.message], ['ValidationError', "The subnet ID 'subnet-0123456789abcdef0' does not exist"]);
    await as.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: 'web',
        LaunchConfigurationName: 'lc',
        MinSize: 1,
        MaxSize: 3,
        DesiredCapacity: 2,
        VPCZoneIdentifier: `${subnetA},${subnetB}`,
        HealthCheckGracePeriod: 30,
        Tags: [{ Key: 'team', Value: 'blue', PropagateAtLaunch: true }, { Key: 'cost', Value: 'x', PropagateAtLaunch: false }],
      }),
    );
  });

  it('describes the group and its members; instances carry the group tag', async () => {
    const g = await inService(as, 'web', 2);
    assert.equal(g.DesiredCapacity, 2);
    assert.equal(g.HealthCheckGracePeriod, 30);
    assert.equal(g.VPCZoneIdentifier, `${subnetA},${subnetB}`);
    assert.match(g.AutoScalingGroupARN!, /^arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName\/web$/);
    assert.deepEqual(g.Tags!.map((t) => [t.Key, t.Value, t.PropagateAtLaunch, t.ResourceType]), [
      ['team', 'blue', true, 'auto-scaling-group'],
      ['cost', 'x', false, 'auto-scaling-group'],
    ]);
    const ids = g.Instances!.map((i) => i.InstanceId!);
    const described = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }))).Reservations!.flatMap((r) => r.Instances!);
    // Spread over the two zones, each member in the group's subnet of its zone.
    assert.deepEqual(described.map((i) => [i.Placement!.AvailabilityZone, i.SubnetId]).sort(), [['us-east-1a', subnetA], ['us-east-1b', subnetB]]);
    for (const i of described) {
      assert.equal(i.KeyName, 'asg-key');
      const tags = Object.fromEntries(i.Tags!.map((t) => [t.Key, t.Value]));
      assert.equal(tags['aws:autoscaling:groupName'], 'web');
      assert.equal(tags.team, 'blue');
      assert.equal(tags.cost, undefined);
    }
    const acts = await activities(as, 'web');
    assert.ok(acts.every((a) => a.Details === `{"Subnet ID":"${subnetA}","Availability Zone":"us-east-1a"}` || a.Details === `{"Subnet ID":"${subnetB}","Availability Zone":"us-east-1b"}`), JSON.stringify(acts.map((a) => a.Details)));
    const rows = (await as.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: ids }))).AutoScalingInstances!;
    assert.deepEqual(rows.map((r) => [r.AutoScalingGroupName, r.LifecycleState, r.HealthStatus]), [['web', 'InService', 'HEALTHY'], ['web', 'InService', 'HEALTHY']]);
  });

  it('SetDesiredCapacity scales out and in, within bounds', async () => {
    assert.deepEqual(
      await err(() => as.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web', DesiredCapacity: 4 }))),
      ['ValidationError', 'New SetDesiredCapacity value 4 is above max value 3 for the AutoScalingGroup.', 400],
    );
    assert.deepEqual(
      await err(() => as.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'nope', DesiredCapacity: 1 }))),
      ['ValidationError', 'AutoScalingGroup name not found - AutoScalingGroup: nope not found', 400],
    );
    await as.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web', DesiredCapacity: 3 }));
    await inService(as, 'web', 3);
    const up = (await activities(as, 'web')).find((a) => /explicitly set group desired capacity changing the desired capacity from 2 to 3/.test(a.Cause!))!;
    assert.match(up.Cause!, /increasing the capacity from 2 to 3\.$/);
    await as.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web', DesiredCapacity: 2 }));
    await inService(as, 'web', 2);
    const down = (await activities(as, 'web')).find((a) => a.Description!.startsWith('Terminating') && /from 3 to 2/.test(a.Cause!))!;
    assert.match(down.Cause!, /^At \S+Z a user request explicitly set group desired capacity changing the desired capacity from 3 to 2\.  At \S+Z an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from 3 to 2\.  At \S+Z instance i-0[0-9a-f]{16} was selected for termination\.$/);
  });

  it('replaces a member marked Unhealthy, and one whose instance was stopped', async () => {
    let g = await inService(as, 'web', 2);
    const [sick, stopped] = g.Instances!.map((i) => i.InstanceId!);
    await as.send(new SetInstanceHealthCommand({ InstanceId: sick, HealthStatus: 'Unhealthy' }));
    await ec2.send(new StopInstancesCommand({ InstanceIds: [stopped!] }));
    g = await eventually('both replaced', async () => {
      const x = await inService(as, 'web', 2);
      return x.Instances!.some((i) => i.InstanceId === sick || i.InstanceId === stopped) ? undefined : x;
    });
    const acts = await activities(as, 'web');
    const term = (id: string) => acts.find((a) => a.Description === `Terminating EC2 instance: ${id}`)!;
    assert.match(term(sick!).Cause!, /^At \S+Z an instance was taken out of service in response to a user health-check\.$/);
    assert.match(term(stopped!).Cause!, /^At \S+Z an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped\.$/);
    assert.equal(term(sick!).StatusCode, 'Successful');
    const replacements = acts.filter((a) => g.Instances!.some((i) => a.Description === `Launching a new EC2 instance: ${i.InstanceId}`));
    assert.equal(replacements.length, 2);
    for (const a of replacements) assert.match(a.Cause!, /^At \S+Z an instance was launched in response to an unhealthy instance needing to be replaced\.$/);
  });

  it('scale in passes over a member protected from scale in', async () => {
    await as.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web', DesiredCapacity: 3 }));
    const g = await inService(as, 'web', 3);
    const newest = g.Instances![2]!.InstanceId!;
    await as.send(new SetInstanceProtectionCommand({ AutoScalingGroupName: 'web', InstanceIds: [newest], ProtectedFromScaleIn: true }));
    assert.equal((await group(as, 'web'))!.Instances!.find((i) => i.InstanceId === newest)!.ProtectedFromScaleIn, true);
    await as.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web', DesiredCapacity: 2 }));
    const after = await inService(as, 'web', 2);
    assert.ok(after.Instances!.some((i) => i.InstanceId === newest), 'the protected member stayed');
    assert.deepEqual(
      await err(() => as.send(new SetInstanceProtectionCommand({ AutoScalingGroupName: 'web', InstanceIds: ['i-0123456789abcdef0'], ProtectedFromScaleIn: true }))),
      ['ValidationError', 'The instance i-0123456789abcdef0 is not part of Auto Scaling group web.', 400],
    );
    await as.send(new SetInstanceProtectionCommand({ AutoScalingGroupName: 'web', InstanceIds: [newest], ProtectedFromScaleIn: false }));
  });

  it('TerminateInstanceInAutoScalingGroup with ShouldDecrementDesiredCapacity shrinks the group, never below min', async () => {
    const g = await inService(as, 'web', 2);
    const id = g.Instances![0]!.InstanceId!;
    const r = await as.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: id, ShouldDecrementDesiredCapacity: true }));
    assert.match(r.Activity!.Cause!, new RegExp(`^At \\S+Z instance ${id} was taken out of service in response to a user request, shrinking the capacity from 2 to 1\\.$`));
    await inService(as, 'web', 1);
    assert.equal((await group(as, 'web'))!.DesiredCapacity, 1);
    const last = (await group(as, 'web'))!.Instances![0]!.InstanceId!;
    assert.deepEqual(
      await err(() => as.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: last, ShouldDecrementDesiredCapacity: true }))),
      [
        'ValidationError',
        "Currently, desiredSize equals minSize (1). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.",
        400,
      ],
    );
    assert.deepEqual(
      await err(() => as.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: 'i-0123456789abcdef0', ShouldDecrementDesiredCapacity: false }))),
      ['ValidationError', 'Instance Id not found - No managed instance found for instance ID i-0123456789abcdef0', 400],
    );
  });

  it('UpdateAutoScalingGroup moves desired capacity into new bounds', async () => {
    await as.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web', MinSize: 2 }));
    const g = await inService(as, 'web', 2);
    assert.deepEqual([g.MinSize, g.MaxSize, g.DesiredCapacity], [2, 3, 2]);
    assert.ok((await activities(as, 'web')).some((a) => /a user request update of AutoScalingGroup constraints to min: 2, max: 3, desired: 2 changing the desired capacity from 1 to 2\./.test(a.Cause!)));
    assert.deepEqual(
      await err(() => as.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web', DesiredCapacity: 9 }))),
      ['ValidationError', 'Desired capacity:9 must be between the specified min size:2 and max size:3', 400],
    );
  });

  it('tags: CreateOrUpdateTags and DescribeTags with filters', async () => {
    await as.send(new CreateOrUpdateTagsCommand({ Tags: [{ ResourceId: 'web', ResourceType: 'auto-scaling-group', Key: 'team', Value: 'green', PropagateAtLaunch: true }] }));
    const t = await as.send(new DescribeTagsCommand({ Filters: [{ Name: 'auto-scaling-group', Values: ['web'] }, { Name: 'key', Values: ['team'] }] }));
    assert.deepEqual(t.Tags!.map((x) => [x.ResourceId, x.Key, x.Value, x.PropagateAtLaunch]), [['web', 'team', 'green', true]]);
    const [code, message] = await err(() => as.send(new CreateOrUpdateTagsCommand({ Tags: [{ ResourceId: 'nope', ResourceType: 'auto-scaling-group', Key: 'a', Value: 'b' }] })));
    assert.deepEqual([code, message], ['ValidationError', 'AutoScalingGroup not found - AutoScaling Group nope not found']);
  });

  it('a group with instances is deleted only with ForceDelete', async () => {
    assert.deepEqual(await err(() => as.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'web' }))), [
      'ResourceInUseFault',
      'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.',
      400,
    ]);
    const ids = (await group(as, 'web'))!.Instances!.map((i) => i.InstanceId!);
    await as.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'web', ForceDelete: true }));
    // The reconciler may already have terminated the members and removed the group (terminations
    // settle at once with the default delays); while it is still listed, it says so.
    const deleting = await group(as, 'web');
    if (deleting) assert.equal(deleting.Status, 'Delete in progress');
    await eventually('group gone', async () => ((await group(as, 'web')) === undefined ? true : undefined));
    const states = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }))).Reservations!.flatMap((r) => r.Instances!.map((i) => i.State!.Name));
    assert.deepEqual(states, ['terminated', 'terminated']);
    assert.deepEqual((await as.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups, []);
  });
});

describe("a group launching from the account's own AMI", () => {
  it("fails its launches once the image is deregistered, in Auto Scaling's words", async () => {
    const source = (await ec2.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
    await waitForState(ec2, source, 'running');
    const imageId = (await ec2.send(new CreateImageCommand({ InstanceId: source, Name: 'golden', NoReboot: true }))).ImageId!;
    await eventually('image available', async () => {
      const i = (await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images![0];
      return i?.State === 'available' ? true : undefined;
    });
    await as.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'golden-lc', ImageId: imageId, InstanceType: 't3.micro' }));
    await as.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'golden', LaunchConfigurationName: 'golden-lc', MinSize: 1, MaxSize: 1, AvailabilityZones: ['us-east-1a'] }));
    const g = await inService(as, 'golden', 1);
    await ec2.send(new DeregisterImageCommand({ ImageId: imageId }));
    await as.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: g.Instances![0]!.InstanceId!, ShouldDecrementDesiredCapacity: false }));
    const failed = await eventually('a failed launch', async () => (await activities(as, 'golden')).find((a) => a.StatusCode === 'Failed'));
    assert.equal(failed.StatusMessage, `The image id '${imageId}' does not exist. Launching EC2 instance failed.`);
    await as.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'golden', ForceDelete: true }));
  });
});

describe('strict mode: the credential scope names the service', () => {
  const KEY = { accessKeyId: 'AKIAASGTEST000000001', secretAccessKey: 'asg/secret', accountId: '111122223333' };
  let strict: TestServer;
  const dir = tempDir();
  before(async () => {
    const file = join(dir.path, 'credentials.json');
    writeCredentials(file, [KEY]);
    strict = await startTestServer({ auth: 'strict', credentialsFile: file, autoScaling: FAST_AUTOSCALING });
  });
  after(async () => {
    await strict.close();
    dir.cleanup();
  });

  it('accepts requests signed for autoscaling, refuses other scopes in its words', async () => {
    const host = new URL(strict.url).host;
    const body = 'Action=DescribeAutoScalingGroups&Version=2011-01-01';
    const ok = await send(strict.url, await sign({ ...KEY, date: new Date(), host, service: 'autoscaling', body }));
    assert.equal(ok.status, 200, ok.body);
    assert.match(ok.body, /<DescribeAutoScalingGroupsResult>/);
    const wrong = await send(strict.url, await sign({ ...KEY, date: new Date(), host, service: 'sts', body }));
    assert.deepEqual([wrong.status, wrong.code, wrong.message], [403, 'SignatureDoesNotMatch', "Credential should be scoped to correct service: 'autoscaling'. "]);
    assert.match(wrong.body, /<ErrorResponse xmlns="http:\/\/autoscaling\.amazonaws\.com\/doc\/2011-01-01\/">/);
    const c = autoScalingClient(strict.url, { accessKeyId: KEY.accessKeyId });
    const sdkWrongSecret = await awsError(() => c.send(new DescribeAutoScalingGroupsCommand({})));
    assert.equal(sdkWrongSecret.name, 'SignatureDoesNotMatch');
  });
});
