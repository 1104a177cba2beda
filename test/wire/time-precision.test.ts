// Each time field at AWS's precision (AWS CLI reference outputs and real captures,
// docs/moto-compatibility.md "Time precision per field"): whole seconds for launchTime, attachment
// times, image creationDate, key pair and launch template createTime, volume modification
// startTime and password timestamps; milliseconds for a volume's createTime and a snapshot's
// startTime; Auto Scaling EndTime without a fraction. Filters on these fields match what is shown.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateImageCommand,
  CreateKeyPairCommand,
  CreateLaunchTemplateCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  ModifyVolumeCommand,
  RunInstancesCommand,
  type EC2Client,
  type Filter,
  waitUntilVolumeAvailable,
} from '@aws-sdk/client-ec2';
import { CreateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { describe as describeInstance, images, waitForState } from '../helpers/instances.js';
import { activities, autoScalingClient, destroyAutoScalingClients, eventually, FAST_AUTOSCALING } from '../helpers/autoscaling.js';

let server: TestServer;
let client: EC2Client;
let instanceId: string;
before(async () => {
  server = await startTestServer({ instanceDelays: { start: 20, stop: 20, terminate: 20 }, storageDelayMs: 20, autoScaling: FAST_AUTOSCALING });
  client = server.client();
  const img = await images(client);
  instanceId = (await client.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
  await waitForState(client, instanceId, 'running');
});
after(async () => {
  destroyAutoScalingClients();
  await server.close();
});

const whole = (d: Date | undefined, what: string) => {
  assert.ok(d instanceof Date, `${what} is a time`);
  assert.equal(d.getUTCMilliseconds(), 0, `${what} at whole seconds: ${d.toISOString()}`);
};
const instanceIds = async (f: Filter) =>
  (await client.send(new DescribeInstancesCommand({ Filters: [f] }))).Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId));

describe('time precision per field', () => {
  it('instances: launchTime, block device and interface attachTime at whole seconds; their filters match the shown values', async () => {
    const i = await describeInstance(client, instanceId);
    whole(i.LaunchTime, 'LaunchTime');
    const ebs = i.BlockDeviceMappings![0]!.Ebs!;
    whole(ebs.AttachTime, 'BlockDeviceMappings AttachTime');
    whole(i.NetworkInterfaces![0]!.Attachment!.AttachTime, 'NetworkInterfaces Attachment.AttachTime');
    assert.deepEqual(await instanceIds({ Name: 'launch-time', Values: [i.LaunchTime!.toISOString()] }), [instanceId]);
    assert.deepEqual(await instanceIds({ Name: 'block-device-mapping.attach-time', Values: [ebs.AttachTime!.toISOString()] }), [instanceId]);
    const eni = (await client.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }] }))).NetworkInterfaces![0]!;
    whole(eni.Attachment!.AttachTime, 'DescribeNetworkInterfaces Attachment.AttachTime');
    const at = eni.Attachment!.AttachTime!.toISOString();
    const byEniTime = await client.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.attach-time', Values: [at] }] }));
    assert.deepEqual(byEniTime.NetworkInterfaces!.map((e) => e.NetworkInterfaceId), [eni.NetworkInterfaceId]);
    assert.deepEqual(await instanceIds({ Name: 'network-interface.attachment.attach-time', Values: [at] }), [instanceId]);
  });

  it('volumes: attachment attachTime and modification startTime whole, createTime with milliseconds', async () => {
    const i = await describeInstance(client, instanceId);
    const root = i.BlockDeviceMappings![0]!.Ebs!;
    const v = (await client.send(new DescribeVolumesCommand({ VolumeIds: [root.VolumeId!] }))).Volumes![0]!;
    whole(v.Attachments![0]!.AttachTime, 'volume AttachTime');
    const byAttach = await client.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.attach-time', Values: [root.AttachTime!.toISOString()] }] }));
    assert.deepEqual(byAttach.Volumes!.map((x) => x.VolumeId), [root.VolumeId]);
    // createTime keeps milliseconds (describe-volumes example: "2019-12-18T22:35:00.084Z"): of three
    // volumes at least one has a non-zero millisecond (all three zero: one chance in 10^9).
    const made = [];
    for (let n = 0; n < 3; n++) made.push(await client.send(new CreateVolumeCommand({ AvailabilityZone: i.Placement!.AvailabilityZone!, Size: 1 })));
    assert.ok(made.some((m) => m.CreateTime!.getUTCMilliseconds() !== 0), made.map((m) => m.CreateTime!.toISOString()).join(' '));
    const byCreate = await client.send(new DescribeVolumesCommand({ Filters: [{ Name: 'create-time', Values: [made[0]!.CreateTime!.toISOString()] }] }));
    assert.deepEqual(byCreate.Volumes!.map((x) => x.VolumeId), [made[0]!.VolumeId]);
    // (a volume in `creating` cannot be modified: wait as a user would)
    await waitUntilVolumeAvailable({ client, maxWaitTime: 60, minDelay: 1 }, { VolumeIds: [made[0]!.VolumeId!] });
    const mod = await client.send(new ModifyVolumeCommand({ VolumeId: made[0]!.VolumeId!, Size: 2 }));
    whole(mod.VolumeModification!.StartTime, 'VolumeModification StartTime');
  });

  it('snapshots keep milliseconds in startTime, and the start-time filter matches them', async () => {
    const i = await describeInstance(client, instanceId);
    const vol = i.BlockDeviceMappings![0]!.Ebs!.VolumeId!;
    const snaps = [];
    for (let n = 0; n < 3; n++) snaps.push(await client.send(new CreateSnapshotCommand({ VolumeId: vol })));
    assert.ok(snaps.some((s) => s.StartTime!.getUTCMilliseconds() !== 0), snaps.map((s) => s.StartTime!.toISOString()).join(' '));
    const found = await client.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: 'start-time', Values: [snaps[0]!.StartTime!.toISOString()] }] }));
    assert.deepEqual(found.Snapshots!.map((s) => s.SnapshotId), [snaps[0]!.SnapshotId]);
  });

  it('images, key pairs and launch templates at whole seconds; creation-date and create-time filters match', async () => {
    const { ImageId } = await client.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'time-precision', NoReboot: true }));
    const image = (await client.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0]!;
    assert.match(image.CreationDate!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    const byDate = await client.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'creation-date', Values: [image.CreationDate!] }] }));
    assert.deepEqual(byDate.Images!.map((x) => x.ImageId), [ImageId]);

    await client.send(new CreateKeyPairCommand({ KeyName: 'time-precision' }));
    const key = (await client.send(new DescribeKeyPairsCommand({ KeyNames: ['time-precision'] }))).KeyPairs![0]!;
    whole(key.CreateTime, 'key pair CreateTime');

    const lt = (await client.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'time-precision', LaunchTemplateData: { InstanceType: 't3.micro' } }))).LaunchTemplate!;
    whole(lt.CreateTime, 'CreateLaunchTemplate CreateTime');
    const v = (await client.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: lt.LaunchTemplateId }))).LaunchTemplateVersions![0]!;
    whole(v.CreateTime, 'launch template version CreateTime');
    const byTime = await client.send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: 'create-time', Values: [lt.CreateTime!.toISOString()] }] }));
    assert.deepEqual(byTime.LaunchTemplates!.map((t) => t.LaunchTemplateId), [lt.LaunchTemplateId]);
  });

  it('Auto Scaling activities: EndTime written without a fraction (describe-scaling-activities example "2020-10-30T19:36:41Z")', async () => {
    const as = autoScalingClient(server.url);
    const i = await describeInstance(client, instanceId);
    await as.send(new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: 'time-precision', InstanceId: instanceId, MinSize: 0, MaxSize: 1, DesiredCapacity: 1, AvailabilityZones: [i.Placement!.AvailabilityZone!],
    }));
    await eventually('an ended activity', async () => (await activities(as, 'time-precision')).find((a) => a.EndTime));
    const raw = await server.raw({ Action: 'DescribeScalingActivities', Version: '2011-01-01', AutoScalingGroupName: 'time-precision' });
    assert.match(raw.body, /<EndTime>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/EndTime>/);
    assert.match(raw.body, /<StartTime>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z<\/StartTime>/);
  });
});
