// EBS volumes over the wire with the real SDK: CreateVolume/AttachVolume/DetachVolume/DeleteVolume/
// DescribeVolumes, their states, AWS's errors, and what DescribeInstances shows of attachments.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachVolumeCommand,
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DescribeVolumesCommand,
  DescribeInstancesCommand,
  DetachVolumeCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type EC2Client,
  type Volume,
} from '@aws-sdk/client-ec2';
import { awsError, startTestServer, type TestServer } from '../helpers/server.js';
import { describe as describeInstance, images, waitForState, type Images } from '../helpers/instances.js';
import { sshProbe, type SshProbe } from '../helpers/ssh-probe.js';

let server: TestServer;
let client: EC2Client;
let img: Images;
let probe: SshProbe;
before(async () => {
  server = await startTestServer({ instanceDelays: { start: 30, stop: 30, terminate: 30 }, storageDelayMs: 40 });
  client = server.client();
  img = await images(client);
  probe = await sshProbe(client);
});
after(async () => {
  await server.close();
  probe.cleanup();
});

async function launch(zone = 'us-east-1a', imageId = img.al2023): Promise<string> {
  const r = await client.send(new RunInstancesCommand({ ImageId: imageId, MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: zone }, KeyName: probe.keyName }));
  const id = r.Instances![0]!.InstanceId!;
  await waitForState(client, id, 'running');
  return id;
}

async function volume(id: string): Promise<Volume> {
  return (await client.send(new DescribeVolumesCommand({ VolumeIds: [id] }))).Volumes![0]!;
}

async function waitVolume(id: string, ok: (v: Volume) => boolean): Promise<Volume> {
  for (let i = 0; i < 400; i++) {
    const v = await volume(id);
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`volume ${id} did not settle`);
}

describe('volumes', () => {
  it('CreateVolume: creating → available, gp2 by default, tags; DeleteVolume removes it', async () => {
    const created = await client.send(
      new CreateVolumeCommand({
        AvailabilityZone: 'us-east-1a',
        Size: 10,
        TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'Name', Value: 'data' }] }],
      }),
    );
    assert.equal(created.State, 'creating');
    assert.equal(created.VolumeType, 'gp2');
    assert.equal(created.Size, 10);
    assert.equal(created.Iops, 100);
    assert.deepEqual(created.Tags, [{ Key: 'Name', Value: 'data' }]);
    const v = await waitVolume(created.VolumeId!, (x) => x.State === 'available');
    assert.deepEqual(v.Attachments, []);
    const filtered = await client.send(new DescribeVolumesCommand({ Filters: [{ Name: 'tag:Name', Values: ['data'] }, { Name: 'status', Values: ['available'] }] }));
    assert.deepEqual(filtered.Volumes!.map((x) => x.VolumeId), [created.VolumeId]);
    assert.deepEqual((await client.send(new DeleteVolumeCommand({ VolumeId: created.VolumeId }))).$metadata.httpStatusCode, 200);
    const gone = await awsError(() => volume(created.VolumeId!));
    assert.deepEqual(gone, { name: 'InvalidVolume.NotFound', message: `The volume '${created.VolumeId}' does not exist.`, status: 400 });
  });

  it('CreateVolume refuses a missing size and snapshot, a bad zone, an unknown snapshot', async () => {
    assert.equal((await awsError(() => client.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a' })))).message, 'The request must contain the parameter size/snapshot');
    assert.equal((await awsError(() => client.send(new CreateVolumeCommand({ AvailabilityZone: 'eu-west-1a', Size: 1 })))).message, 'Invalid availability zone: [eu-west-1a]');
    const e = await awsError(() => client.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', SnapshotId: 'snap-0123456789abcdef0' })));
    assert.equal(e.name, 'InvalidSnapshot.NotFound');
  });

  it('attaches hot to a running instance, shows in blockDeviceMapping with DeleteOnTermination false, detaches', async () => {
    const id = await launch();
    const { VolumeId } = await client.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 4 }));
    await waitVolume(VolumeId!, (x) => x.State === 'available');
    const att = await client.send(new AttachVolumeCommand({ VolumeId, InstanceId: id, Device: '/dev/sdf' }));
    assert.equal(att.State, 'attaching');
    assert.equal(att.Device, '/dev/sdf');
    assert.equal(att.DeleteOnTermination, false);
    assert.match(await probe.output(server.url, id, 'lsblk'), /^xvdf\s.*\s4G\s/m, 'the guest sees the disk as xvdf at once');
    const v = await waitVolume(VolumeId!, (x) => x.Attachments?.[0]?.State === 'attached');
    assert.equal(v.State, 'in-use');
    assert.equal(v.Attachments![0]!.InstanceId, id);
    const byFilter = await client.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [id] }, { Name: 'attachment.device', Values: ['/dev/sdf'] }] }));
    assert.deepEqual(byFilter.Volumes!.map((x) => x.VolumeId), [VolumeId]);
    const inst = await describeInstance(client, id);
    assert.deepEqual(
      inst.BlockDeviceMappings!.map((m) => [m.DeviceName, m.Ebs!.DeleteOnTermination]),
      [
        ['/dev/xvda', true],
        ['/dev/sdf', false],
      ],
    );
    const byVolume = await client.send(new DescribeInstancesCommand({ Filters: [{ Name: 'block-device-mapping.volume-id', Values: [VolumeId!] }] }));
    assert.deepEqual(byVolume.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId)), [id]);
    // the same device again, and the same volume again
    const { VolumeId: other } = await client.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1 }));
    await waitVolume(other!, (x) => x.State === 'available');
    assert.deepEqual(await awsError(() => client.send(new AttachVolumeCommand({ VolumeId: other, InstanceId: id, Device: '/dev/sdf' }))), {
      name: 'InvalidParameterValue',
      message: 'Invalid value \'/dev/sdf\' for unixDevice. Attachment point /dev/sdf is already in use',
      status: 400,
    });
    // the guest's name for the same disk is the same attachment point
    assert.equal((await awsError(() => client.send(new AttachVolumeCommand({ VolumeId: other, InstanceId: id, Device: '/dev/xvdf' })))).name, 'InvalidParameterValue');
    assert.deepEqual(await awsError(() => client.send(new AttachVolumeCommand({ VolumeId, InstanceId: id, Device: '/dev/sdg' }))), {
      name: 'VolumeInUse',
      message: `${VolumeId} is already attached to an instance`,
      status: 400,
    });
    assert.deepEqual(await awsError(() => client.send(new AttachVolumeCommand({ VolumeId: other, InstanceId: id, Device: '/dev/sdg1' }))), {
      name: 'InvalidParameterValue',
      message: 'Value (/dev/sdg1) for parameter device is invalid. /dev/sdg1 is not a valid EBS device name.',
      status: 400,
    });
    assert.deepEqual(await awsError(() => client.send(new DeleteVolumeCommand({ VolumeId }))), {
      name: 'VolumeInUse',
      message: `Volume ${VolumeId} is currently attached to ${id}`,
      status: 400,
    });
    const det = await client.send(new DetachVolumeCommand({ VolumeId }));
    assert.equal(det.State, 'detaching');
    assert.doesNotMatch(await probe.output(server.url, id, 'lsblk'), /^xvdf\s/m, 'the disk left the guest');
    await waitVolume(VolumeId!, (x) => x.State === 'available');
    assert.deepEqual(await awsError(() => client.send(new DetachVolumeCommand({ VolumeId }))), {
      name: 'IncorrectState',
      message: `Volume '${VolumeId}'is in the 'available' state.`,
      status: 400,
    });
    // the device is free again
    await client.send(new AttachVolumeCommand({ VolumeId: other, InstanceId: id, Device: '/dev/sdf' }));
  });

  it('refuses another zone; the root of a running instance cannot be detached, Force or not', async () => {
    const id = await launch('us-east-1b');
    const { VolumeId } = await client.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1 }));
    await waitVolume(VolumeId!, (x) => x.State === 'available');
    assert.deepEqual(await awsError(() => client.send(new AttachVolumeCommand({ VolumeId, InstanceId: id, Device: '/dev/sdf' }))), {
      name: 'InvalidVolume.ZoneMismatch',
      message: `The volume '${VolumeId}' is not in the same availability zone as instance '${id}'`,
      status: 400,
    });
    const root = (await describeInstance(client, id)).BlockDeviceMappings![0]!.Ebs!.VolumeId!;
    for (const Force of [false, true]) {
      assert.deepEqual(await awsError(() => client.send(new DetachVolumeCommand({ VolumeId: root, Force }))), {
        name: 'IncorrectState',
        message: `Unable to detach root volume '${root}' from instance '${id}'`,
        status: 400,
      });
    }
  });

  it('a stopped instance gives up its root; StartInstances then fails; reattached at the root it starts, DeleteOnTermination false', async () => {
    const id = await launch();
    await client.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await waitForState(client, id, 'stopped');
    const root = (await describeInstance(client, id)).BlockDeviceMappings![0]!.Ebs!.VolumeId!;
    await client.send(new DetachVolumeCommand({ VolumeId: root }));
    await waitVolume(root, (x) => x.State === 'available');
    const bare = await describeInstance(client, id);
    assert.equal(bare.RootDeviceName, '/dev/xvda');
    assert.deepEqual(bare.BlockDeviceMappings, []);
    assert.deepEqual(await awsError(() => client.send(new StartInstancesCommand({ InstanceIds: [id] }))), {
      name: 'InvalidParameterValue',
      message: `Invalid value '${id}' for instanceId. Instance does not have a volume attached at root (/dev/xvda)`,
      status: 400,
    });
    await client.send(new AttachVolumeCommand({ VolumeId: root, InstanceId: id, Device: '/dev/xvda' }));
    await client.send(new StartInstancesCommand({ InstanceIds: [id] }));
    const running = await waitForState(client, id, 'running');
    assert.deepEqual(running.BlockDeviceMappings!.map((m) => [m.DeviceName, m.Ebs!.VolumeId, m.Ebs!.DeleteOnTermination]), [['/dev/xvda', root, false]]);
    // termination leaves a DeleteOnTermination=false root behind, available
    await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    await waitForState(client, id, 'terminated');
    assert.equal((await volume(root)).State, 'available');
  });
});
