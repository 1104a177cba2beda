// Snapshots and images over the wire with the real SDK: CreateSnapshot/DescribeSnapshots/
// DeleteSnapshot, CreateVolume from a snapshot, CreateImage/DescribeImages/DeregisterImage,
// launch permissions, and the errors AWS gives.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachVolumeCommand,
  CopyImageCommand,
  CreateImageCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  ModifyImageAttributeCommand,
  ResetImageAttributeCommand,
  RunInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { awsError, startTestServer, type TestServer } from '../helpers/server.js';
import { describe as describeInstance, images, waitForState, type Images } from '../helpers/instances.js';

let server: TestServer;
let client: EC2Client;
let other: EC2Client;
let img: Images;
const OTHER = '222233334444';
before(async () => {
  server = await startTestServer({ instanceDelays: { start: 30, stop: 30, terminate: 30 }, storageDelayMs: 40 });
  client = server.client({ accessKeyId: '111122223333' });
  other = server.client({ accessKeyId: OTHER });
  img = await images(client);
});
after(() => server.close());

async function launch(c: EC2Client, imageId: string): Promise<string> {
  const r = await c.send(new RunInstancesCommand({ ImageId: imageId, MinCount: 1, MaxCount: 1 }));
  const id = r.Instances![0]!.InstanceId!;
  await waitForState(c, id, 'running');
  return id;
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('never settled');
}

describe('snapshots', () => {
  it('CreateSnapshot: pending → completed; Owner self; a volume from it; refused while an image uses it', async () => {
    const id = await launch(client, img.al2023);
    const root = (await describeInstance(client, id)).BlockDeviceMappings![0]!.Ebs!.VolumeId!;
    const snap = await client.send(new CreateSnapshotCommand({ VolumeId: root, Description: 'backup', TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'k', Value: 'v' }] }] }));
    assert.equal(snap.State, 'pending');
    assert.equal(snap.VolumeSize, 8);
    assert.equal(snap.OwnerId, '111122223333');
    const done = await until(
      async () => (await client.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots!.find((s) => s.SnapshotId === snap.SnapshotId),
      (s) => s?.State === 'completed',
    );
    assert.equal(done!.Progress, '100%');
    assert.deepEqual(done!.Tags, [{ Key: 'k', Value: 'v' }]);
    assert.deepEqual((await other.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots, []);
    const vol = await client.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', SnapshotId: snap.SnapshotId }));
    assert.equal(vol.Size, 8);
    assert.equal(vol.SnapshotId, snap.SnapshotId);
    const small = await awsError(() => client.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', SnapshotId: snap.SnapshotId, Size: 4 })));
    assert.equal(small.name, 'InvalidParameterValue');
    const missing = await awsError(() => client.send(new DescribeSnapshotsCommand({ SnapshotIds: ['snap-0123456789abcdef0'] })));
    assert.deepEqual(missing, { name: 'InvalidSnapshot.NotFound', message: "The snapshot 'snap-0123456789abcdef0' does not exist.", status: 400 });

    const { ImageId } = await client.send(new CreateImageCommand({ InstanceId: id, Name: 'snap-user', NoReboot: true }));
    const image = await until(async () => (await client.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0]!, (i) => i.State === 'available');
    const imageSnap = image.BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
    assert.deepEqual(await awsError(() => client.send(new DeleteSnapshotCommand({ SnapshotId: imageSnap }))), {
      name: 'InvalidSnapshot.InUse',
      message: `The snapshot ${imageSnap} is currently in use by ${ImageId}`,
      status: 400,
    });
    await client.send(new DeregisterImageCommand({ ImageId }));
    await client.send(new DeleteSnapshotCommand({ SnapshotId: imageSnap }));
    await client.send(new DeleteSnapshotCommand({ SnapshotId: snap.SnapshotId }));
    assert.deepEqual((await client.send(new DescribeSnapshotsCommand({ Filters: [{ Name: 'snapshot-id', Values: [imageSnap, snap.SnapshotId!] }] }))).Snapshots, []);
  });
});

describe('images', () => {
  it('CreateImage: pending → available beside the built-in images; Owners self; duplicate and malformed names refused', async () => {
    const id = await launch(client, img.al2023);
    const { ImageId } = await client.send(
      new CreateImageCommand({ InstanceId: id, Name: 'golden (v1)', Description: 'mine', TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'team', Value: 'a' }] }] }),
    );
    const mine = await until(async () => (await client.send(new DescribeImagesCommand({ Owners: ['self'] }))).Images!, (l) => l.some((i) => i.ImageId === ImageId && i.State === 'available'));
    const m = mine.find((i) => i.ImageId === ImageId)!;
    assert.equal(m.OwnerId, '111122223333');
    assert.equal(m.ImageOwnerAlias, undefined);
    assert.equal(m.Public, false);
    assert.equal(m.RootDeviceName, '/dev/xvda');
    assert.equal(m.ImageLocation, '111122223333/golden (v1)');
    assert.deepEqual(m.Tags, [{ Key: 'team', Value: 'a' }]);
    assert.match(m.BlockDeviceMappings![0]!.Ebs!.SnapshotId!, /^snap-/);
    const all = (await client.send(new DescribeImagesCommand({}))).Images!.map((i) => i.ImageId);
    assert.ok(all.includes(ImageId!) && all.includes(img.al2023));
    assert.ok(!(await client.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images!.some((i) => i.ImageId === ImageId));
    assert.deepEqual(await awsError(() => client.send(new CreateImageCommand({ InstanceId: id, Name: 'golden (v1)', NoReboot: true }))), {
      name: 'InvalidAMIName.Duplicate',
      message: `AMI name golden (v1) is already in use by AMI ${ImageId}`,
      status: 400,
    });
    assert.deepEqual(await awsError(() => client.send(new CreateImageCommand({ InstanceId: id, Name: 'x' }))), {
      name: 'InvalidAMIName.Malformed',
      message: "AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'",
      status: 400,
    });
    // instance-store instances cannot be imaged as EBS
    const store = await launch(client, img.instanceStore);
    assert.equal((await awsError(() => client.send(new CreateImageCommand({ InstanceId: store, Name: 'store-image' })))).name, 'UnsupportedOperation');
  });

  it('stays pending for the storage delay', async () => {
    const slow = await startTestServer({ instanceDelays: { start: 30, stop: 30, terminate: 30 }, storageDelayMs: 600_000 });
    try {
      const c = slow.client();
      const r = await c.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1 }));
      const id = r.Instances![0]!.InstanceId!;
      await waitForState(c, id, 'running');
      const { ImageId } = await c.send(new CreateImageCommand({ InstanceId: id, Name: 'slow', NoReboot: true }));
      const image = (await c.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0]!;
      assert.equal(image.State, 'pending');
      const snap = (await c.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots![0]!;
      assert.equal(snap.State, 'pending');
      assert.equal(snap.Progress, '');
    } finally {
      await slow.close();
    }
  });

  it('is private to its account until launch permission is granted; Group all makes it public; Reset takes it back', async () => {
    const id = await launch(client, img.ubuntu);
    const { ImageId } = await client.send(new CreateImageCommand({ InstanceId: id, Name: 'shared-one', NoReboot: true }));
    await until(async () => (await client.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0]!, (i) => i.State === 'available');
    assert.deepEqual(await awsError(() => other.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))), {
      name: 'InvalidAMIID.NotFound',
      message: `The image id '[${ImageId}]' does not exist`,
      status: 400,
    });
    const denied = await awsError(() => other.send(new RunInstancesCommand({ ImageId, MinCount: 1, MaxCount: 1 })));
    assert.equal(denied.name, 'AuthFailure');
    assert.equal(denied.message, `Not authorized for images: [${ImageId}]`);
    const bad = await awsError(() => client.send(new ModifyImageAttributeCommand({ ImageId, LaunchPermission: { Add: [{ UserId: 'nobody' }] } })));
    assert.deepEqual(bad, { name: 'InvalidAMIAttributeItemValue', message: 'Invalid attribute item value "nobody" for userId item type.', status: 400 });
    await client.send(new ModifyImageAttributeCommand({ ImageId, LaunchPermission: { Add: [{ UserId: OTHER }] } }));
    const attr = await client.send(new DescribeImageAttributeCommand({ ImageId, Attribute: 'launchPermission' }));
    assert.deepEqual(attr.LaunchPermissions, [{ UserId: OTHER }]);
    const seen = (await other.send(new DescribeImagesCommand({ ExecutableUsers: ['self'] }))).Images!;
    assert.deepEqual(seen.map((i) => [i.ImageId, i.OwnerId]), [[ImageId, '111122223333']]);
    const launched = await launch(other, ImageId!);
    assert.equal((await describeInstance(other, launched)).ImageId, ImageId);
    // the grantee cannot change or deregister it
    assert.equal((await awsError(() => other.send(new DeregisterImageCommand({ ImageId })))).name, 'AuthFailure');
    await client.send(new ModifyImageAttributeCommand({ ImageId, LaunchPermission: { Add: [{ Group: 'all' }] } }));
    assert.equal((await client.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0]!.Public, true);
    await client.send(new ResetImageAttributeCommand({ ImageId, Attribute: 'launchPermission' }));
    assert.deepEqual((await client.send(new DescribeImageAttributeCommand({ ImageId, Attribute: 'launchPermission' }))).LaunchPermissions, []);
    assert.equal((await awsError(() => other.send(new DescribeImagesCommand({ ImageIds: [ImageId!] })))).name, 'InvalidAMIID.NotFound');
  });

  it('CreateImage takes every attached EBS volume, honours NoDevice and DeleteOnTermination; launches get them all', async () => {
    const id = await launch(client, img.al2023);
    const { VolumeId } = await client.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 2 }));
    await until(async () => (await client.send(new DescribeVolumesCommand({ VolumeIds: [VolumeId!] }))).Volumes![0]!, (v) => v.State === 'available');
    await client.send(new AttachVolumeCommand({ VolumeId, InstanceId: id, Device: '/dev/sdf' }));
    const both = await client.send(new CreateImageCommand({ InstanceId: id, Name: 'with-data', NoReboot: true }));
    const rootOnly = await client.send(
      new CreateImageCommand({
        InstanceId: id,
        Name: 'root-only',
        NoReboot: true,
        BlockDeviceMappings: [{ DeviceName: '/dev/sdf', NoDevice: '' }, { DeviceName: '/dev/xvda', Ebs: { DeleteOnTermination: false } }],
      }),
    );
    const mappings = async (imageId: string) =>
      (await until(async () => (await client.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images![0]!, (i) => i.State === 'available'))
        .BlockDeviceMappings!.map((m) => [m.DeviceName, m.Ebs!.VolumeSize, m.Ebs!.DeleteOnTermination]);
    assert.deepEqual(await mappings(both.ImageId!), [
      ['/dev/xvda', 8, true],
      ['/dev/sdf', 2, false],
    ]);
    assert.deepEqual(await mappings(rootOnly.ImageId!), [['/dev/xvda', 8, false]]);
    const launched = await launch(client, both.ImageId!);
    const vols = (await client.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [launched] }] }))).Volumes!;
    assert.deepEqual(vols.map((v) => [v.Attachments![0]!.Device, v.Size, v.SnapshotId?.startsWith('snap-')]).sort(), [
      ['/dev/sdf', 2, true],
      ['/dev/xvda', 8, true],
    ]);
  });

  it('CopyImage into the region of the request: new id and snapshots, permissions not copied', async () => {
    const id = await launch(client, img.al2023);
    const { ImageId } = await client.send(new CreateImageCommand({ InstanceId: id, Name: 'to-copy', NoReboot: true }));
    await until(async () => (await client.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0]!, (i) => i.State === 'available');
    await client.send(new ModifyImageAttributeCommand({ ImageId, LaunchPermission: { Add: [{ UserId: OTHER }] } }));
    const west = server.client({ accessKeyId: '111122223333', region: 'eu-west-1' });
    const copy = await west.send(new CopyImageCommand({ SourceImageId: ImageId, SourceRegion: 'us-east-1', Name: 'copied' }));
    assert.notEqual(copy.ImageId, ImageId);
    const c = await until(async () => (await west.send(new DescribeImagesCommand({ ImageIds: [copy.ImageId!] }))).Images![0]!, (i) => i.State === 'available');
    assert.equal(c.Name, 'copied');
    const snaps = (await west.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots!;
    assert.deepEqual(snaps.map((s) => s.SnapshotId), [c.BlockDeviceMappings![0]!.Ebs!.SnapshotId]);
    assert.deepEqual((await west.send(new DescribeImageAttributeCommand({ ImageId: copy.ImageId, Attribute: 'launchPermission' }))).LaunchPermissions, []);
    // the source region does not know the copy, nor the copy's region the source
    assert.equal((await awsError(() => client.send(new DescribeImagesCommand({ ImageIds: [copy.ImageId!] })))).name, 'InvalidAMIID.NotFound');
    assert.equal((await awsError(() => west.send(new CopyImageCommand({ SourceImageId: 'ami-0123456789abcdef0', SourceRegion: 'us-east-1', Name: 'nope' })))).name, 'InvalidAMIID.NotFound');
  });
});
