// EBS beyond create/attach, over the wire with the real SDK: snapshot sharing (createVolumePermission)
// used by another account's CreateVolume, CopySnapshot across Regions with encryption, CreateSnapshots
// of an instance, ModifyVolume and DescribeVolumesModifications (states, errors, the guest's disk).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachVolumeCommand,
  CreateImageCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  CopySnapshotCommand,
  CreateSnapshotCommand,
  CreateSnapshotsCommand,
  CreateVolumeCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  DescribeVolumesModificationsCommand,
  DetachVolumeCommand,
  ModifySnapshotAttributeCommand,
  ModifyVolumeCommand,
  ResetSnapshotAttributeCommand,
  RunInstancesCommand,
  type EC2Client,
  TerminateInstancesCommand,
  type _InstanceType,
} from '@aws-sdk/client-ec2';
import { awsError, startTestServer, type TestServer } from '../helpers/server.js';
import { images, waitForState } from '../helpers/instances.js';

const OWNER = '111122223333';
const OTHER = '444455556666';
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
let server: TestServer;
let client: EC2Client;
let other: EC2Client;
let west: EC2Client;
const DELAY = 40;
before(async () => {
  server = await startTestServer({ storageDelayMs: DELAY, instanceDelays: { start: 20, stop: 20, terminate: 20 } });
  client = server.client({ accessKeyId: OWNER });
  other = server.client({ accessKeyId: OTHER });
  west = server.client({ accessKeyId: OWNER, region: 'eu-west-1' });
});
after(() => server.close());

const settle = () => new Promise((r) => setTimeout(r, DELAY * 2 + 20));

async function snapshotOf(input: Partial<ConstructorParameters<typeof CreateVolumeCommand>[0]> = {}): Promise<string> {
  const v = await client.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 3, ...input }));
  await settle();
  const s = await client.send(new CreateSnapshotCommand({ VolumeId: v.VolumeId }));
  await settle();
  return s.SnapshotId!;
}

describe('snapshot sharing', () => {
  it('createVolumePermission: added, described, used by the other account (DescribeSnapshots, CreateVolume), removed, reset', async () => {
    const snap = await snapshotOf();
    assert.equal((await awsError(() => other.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', SnapshotId: snap })))).name, 'InvalidSnapshot.NotFound');
    await client.send(new ModifySnapshotAttributeCommand({ SnapshotId: snap, Attribute: 'createVolumePermission', OperationType: 'add', UserIds: [OTHER] }));
    const attr = await client.send(new DescribeSnapshotAttributeCommand({ SnapshotId: snap, Attribute: 'createVolumePermission' }));
    assert.deepEqual(attr.CreateVolumePermissions, [{ UserId: OTHER }]);
    assert.equal(attr.SnapshotId, snap);
    const seen = await other.send(new DescribeSnapshotsCommand({ RestorableByUserIds: ['self'] }));
    assert.deepEqual(seen.Snapshots!.map((s) => [s.SnapshotId, s.OwnerId]), [[snap, OWNER]]);
    const v = await other.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', SnapshotId: snap }));
    assert.equal(v.SnapshotId, snap);
    assert.equal(v.Size, 3);
    // the grantee may not change the owner's snapshot
    assert.equal((await awsError(() => other.send(new ResetSnapshotAttributeCommand({ SnapshotId: snap, Attribute: 'createVolumePermission' })))).name, 'InvalidSnapshot.NotFound');
    await client.send(new ModifySnapshotAttributeCommand({ SnapshotId: snap, CreateVolumePermission: { Remove: [{ UserId: OTHER }], Add: [{ Group: 'all' }] } }));
    assert.deepEqual((await client.send(new DescribeSnapshotAttributeCommand({ SnapshotId: snap, Attribute: 'createVolumePermission' }))).CreateVolumePermissions, [{ Group: 'all' }]);
    await client.send(new ResetSnapshotAttributeCommand({ SnapshotId: snap, Attribute: 'createVolumePermission' }));
    assert.deepEqual((await client.send(new DescribeSnapshotAttributeCommand({ SnapshotId: snap, Attribute: 'createVolumePermission' }))).CreateVolumePermissions, []);
    assert.deepEqual((await other.send(new DescribeSnapshotsCommand({}))).Snapshots, []);
  });

  it('encrypted snapshots: not under the AWS managed key, never public', async () => {
    const managed = await snapshotOf({ Encrypted: true });
    assert.deepEqual(await awsError(() => client.send(new ModifySnapshotAttributeCommand({ SnapshotId: managed, Attribute: 'createVolumePermission', OperationType: 'add', UserIds: [OTHER] }))), {
      name: 'OperationNotPermitted',
      message: 'Encrypted snapshots with EBS default key cannot be shared',
      status: 400,
    });
    const custom = await snapshotOf({ Encrypted: true, KmsKeyId: KEY });
    await client.send(new ModifySnapshotAttributeCommand({ SnapshotId: custom, Attribute: 'createVolumePermission', OperationType: 'add', UserIds: [OTHER] }));
    assert.equal((await awsError(() => client.send(new ModifySnapshotAttributeCommand({ SnapshotId: custom, Attribute: 'createVolumePermission', OperationType: 'add', GroupNames: ['all'] })))).name, 'OperationNotPermitted');
  });
});

describe('CopySnapshot', () => {
  it('copies across Regions; an encrypted source stays encrypted (destination default key), Encrypted encrypts a plain one with the key asked for', async () => {
    const plain = await snapshotOf();
    const copy = await west.send(new CopySnapshotCommand({ SourceSnapshotId: plain, SourceRegion: 'us-east-1', Description: 'dr copy', TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'k', Value: 'v' }] }] }));
    assert.deepEqual(copy.Tags, [{ Key: 'k', Value: 'v' }]);
    const [c] = (await west.send(new DescribeSnapshotsCommand({ SnapshotIds: [copy.SnapshotId!] }))).Snapshots!;
    assert.equal(c!.Description, 'dr copy');
    assert.equal(c!.VolumeSize, 3);
    assert.equal(c!.Encrypted, false);
    assert.equal(c!.VolumeId, 'vol-ffffffff');
    const westKey = 'arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-4000-8000-000000000001';
    const enc = await west.send(new CopySnapshotCommand({ SourceSnapshotId: plain, SourceRegion: 'us-east-1', Encrypted: true, KmsKeyId: westKey }));
    assert.equal((await west.send(new DescribeSnapshotsCommand({ SnapshotIds: [enc.SnapshotId!] }))).Snapshots![0]!.KmsKeyId, westKey);
    const source = await snapshotOf({ Encrypted: true, KmsKeyId: KEY });
    const stays = await west.send(new CopySnapshotCommand({ SourceSnapshotId: source, SourceRegion: 'us-east-1' }));
    const [s] = (await west.send(new DescribeSnapshotsCommand({ SnapshotIds: [stays.SnapshotId!] }))).Snapshots!;
    assert.equal(s!.Encrypted, true);
    assert.match(s!.KmsKeyId!, /^arn:aws:kms:eu-west-1:111122223333:key\//);
    await settle();
    // the copy's contents make a volume in the destination
    const v = await west.send(new CreateVolumeCommand({ AvailabilityZone: 'eu-west-1b', SnapshotId: stays.SnapshotId }));
    assert.equal(v.Encrypted, true);
    assert.equal((await awsError(() => west.send(new CopySnapshotCommand({ SourceSnapshotId: 'snap-0123456789abcdef0', SourceRegion: 'us-east-1' })))).name, 'InvalidSnapshot.NotFound');
    assert.equal((await awsError(() => west.send(new CopySnapshotCommand({ SourceSnapshotId: plain, SourceRegion: 'us-east-1', KmsKeyId: westKey })))).name, 'InvalidParameterDependency');
  });
});

describe('CreateSnapshots', () => {
  it('snapshots every volume of an instance at once, or without the root; tags, CopyTagsFromSource', async () => {
    const img = await images(client);
    const run = await client.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: 'us-east-1a' } }));
    const id = run.Instances![0]!.InstanceId!;
    await waitForState(client, id, 'running');
    const data = await client.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 2, TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'Name', Value: 'data' }] }] }));
    await settle();
    await client.send(new AttachVolumeCommand({ VolumeId: data.VolumeId, InstanceId: id, Device: '/dev/sdf' }));
    await settle();
    const all = await client.send(new CreateSnapshotsCommand({ InstanceSpecification: { InstanceId: id }, Description: 'set', TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'set', Value: '1' }] }], CopyTagsFromSource: 'volume' }));
    assert.equal(all.Snapshots!.length, 2);
    const forData = all.Snapshots!.find((s) => s.VolumeId === data.VolumeId)!;
    assert.deepEqual(forData.Tags, [{ Key: 'Name', Value: 'data' }, { Key: 'set', Value: '1' }]);
    assert.equal(forData.Description, 'set');
    assert.equal(forData.AvailabilityZone, 'us-east-1a');
    const dataOnly = await client.send(new CreateSnapshotsCommand({ InstanceSpecification: { InstanceId: id, ExcludeBootVolume: true } }));
    assert.deepEqual(dataOnly.Snapshots!.map((s) => s.VolumeId), [data.VolumeId]);
    const rootOnly = await client.send(new CreateSnapshotsCommand({ InstanceSpecification: { InstanceId: id, ExcludeDataVolumeIds: [data.VolumeId!] } }));
    assert.equal(rootOnly.Snapshots!.length, 1);
    assert.notEqual(rootOnly.Snapshots![0]!.VolumeId, data.VolumeId);
    assert.equal((await awsError(() => client.send(new CreateSnapshotsCommand({ InstanceSpecification: { InstanceId: 'i-0123456789abcdef0' } })))).name, 'InvalidInstanceID.NotFound');
  });
});

describe('ModifyVolume', () => {
  // Its own server with longer storage delays: the modification must still be under way when the
  // second ModifyVolume arrives, however slow the machine (the states are then polled, not timed).
  let slow: TestServer;
  let c: EC2Client;
  before(async () => {
    slow = await startTestServer({ storageDelayMs: 1500 });
    c = slow.client({ accessKeyId: OWNER });
  });
  after(() => slow.close());

  it('grows and retypes: the volume shows the targets, the modification goes modifying → optimizing → completed', async () => {
    const v = await c.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 10, VolumeType: 'gp2' }));
    await eventually(async () => (await c.send(new DescribeVolumesCommand({ VolumeIds: [v.VolumeId!] }))).Volumes![0]!.State === 'available');
    const m = (await c.send(new ModifyVolumeCommand({ VolumeId: v.VolumeId, Size: 20, VolumeType: 'gp3', Iops: 4000 }))).VolumeModification!;
    assert.equal(m.ModificationState, 'modifying');
    assert.deepEqual([m.OriginalSize, m.TargetSize, m.OriginalVolumeType, m.TargetVolumeType, m.TargetIops], [10, 20, 'gp2', 'gp3', 4000]);
    const vol = (await c.send(new DescribeVolumesCommand({ VolumeIds: [v.VolumeId!] }))).Volumes![0]!;
    assert.deepEqual([vol.Size, vol.VolumeType, vol.Iops], [20, 'gp3', 4000]);
    const busy = await awsError(() => c.send(new ModifyVolumeCommand({ VolumeId: v.VolumeId, Size: 30 })));
    assert.equal(busy.name, 'IncorrectModificationState');
    assert.match(busy.message, new RegExp(`^Volume ${v.VolumeId} cannot be modified in modification state (MODIFYING|OPTIMIZING)$`));
    const seen = new Set<string>();
    const done = await eventually(async () => {
      const [x] = (await c.send(new DescribeVolumesModificationsCommand({ VolumeIds: [v.VolumeId!] }))).VolumesModifications!;
      seen.add(x!.ModificationState!);
      return x!.ModificationState === 'completed' ? x : undefined;
    });
    assert.ok(seen.has('optimizing') || seen.has('modifying'));
    assert.equal(done!.Progress, 100);
    assert.ok(done!.EndTime);
    const filtered = await c.send(new DescribeVolumesModificationsCommand({ Filters: [{ Name: 'target-size', Values: ['20'] }] }));
    assert.deepEqual(filtered.VolumesModifications!.map((x) => x.VolumeId), [v.VolumeId]);
    assert.deepEqual(await awsError(() => c.send(new ModifyVolumeCommand({ VolumeId: v.VolumeId, Size: 5 }))), {
      name: 'InvalidParameterValue',
      message: 'New size cannot be smaller than existing size',
      status: 400,
    });
    assert.equal((await awsError(() => c.send(new ModifyVolumeCommand({ VolumeId: v.VolumeId })))).name, 'InvalidParameterValue');
    assert.equal((await awsError(() => c.send(new ModifyVolumeCommand({ VolumeId: v.VolumeId, VolumeType: 'sc1' })))).name, 'InvalidParameterValue');
  });
});

/** Polls until `probe` returns something truthy (bounded attempts, no timing threshold). */
async function eventually<T>(probe: () => Promise<T | undefined | false>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('gave up waiting');
}

describe('a just-deregistered AMI', () => {
  it('DescribeImages leaves it out without an error; DeregisterImage again and RunInstances get InvalidAMIID.Unavailable; unknown ids stay NotFound', async () => {
    const img = await images(client);
    const run = await client.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1 }));
    const id = run.Instances![0]!.InstanceId!;
    await waitForState(client, id, 'running');
    const { ImageId } = await client.send(new CreateImageCommand({ InstanceId: id, Name: 'short-lived', NoReboot: true }));
    await client.send(new DeregisterImageCommand({ ImageId }));
    assert.deepEqual((await client.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images, []);
    assert.deepEqual(await awsError(() => client.send(new DeregisterImageCommand({ ImageId }))), {
      name: 'InvalidAMIID.Unavailable',
      message: `The image id '[${ImageId}]' is no longer available`,
      status: 400,
    });
    assert.equal((await awsError(() => client.send(new RunInstancesCommand({ ImageId, MinCount: 1, MaxCount: 1 })))).name, 'InvalidAMIID.Unavailable');
    assert.equal((await awsError(() => client.send(new DescribeImagesCommand({ ImageIds: ['ami-0123456789abcdef0'] })))).name, 'InvalidAMIID.NotFound');
    // the name is free again at once
    const again = await client.send(new CreateImageCommand({ InstanceId: id, Name: 'short-lived', NoReboot: true }));
    assert.notEqual(again.ImageId, ImageId);
  });
});

describe('Multi-Attach', () => {
  it('an io2 volume with MultiAttachEnabled attaches to several instances; each sees it; detaching needs the instance', async () => {
    const img = await images(client);
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const run = await client.send(new RunInstancesCommand({ ImageId: img.al2023, InstanceType: 'm5.large', MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: 'us-east-1a' } }));
      ids.push(run.Instances![0]!.InstanceId!);
    }
    for (const id of ids) await waitForState(client, id, 'running');
    const v = await client.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 4, VolumeType: 'io2', Iops: 1000, MultiAttachEnabled: true }));
    await settle();
    await client.send(new AttachVolumeCommand({ VolumeId: v.VolumeId, InstanceId: ids[0], Device: '/dev/sdf' }));
    const second = await client.send(new AttachVolumeCommand({ VolumeId: v.VolumeId, InstanceId: ids[1], Device: '/dev/sdg' }));
    assert.equal(second.InstanceId, ids[1]);
    await settle();
    const vol = (await client.send(new DescribeVolumesCommand({ VolumeIds: [v.VolumeId!] }))).Volumes![0]!;
    assert.equal(vol.State, 'in-use');
    assert.deepEqual(vol.Attachments!.map((a) => [a.InstanceId, a.Device, a.State]), [[ids[0], '/dev/sdf', 'attached'], [ids[1], '/dev/sdg', 'attached']]);
    const byInstance = await client.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [ids[1]!] }] }));
    assert.ok(byInstance.Volumes!.some((x) => x.VolumeId === v.VolumeId));
    const reservations = (await client.send(new DescribeInstancesCommand({ InstanceIds: ids }))).Reservations!;
    for (const [i, dev] of [[0, '/dev/sdf'], [1, '/dev/sdg']] as const) {
      const inst = reservations.flatMap((r) => r.Instances!).find((x) => x.InstanceId === ids[i])!;
      assert.ok(inst.BlockDeviceMappings!.some((m) => m.DeviceName === dev && m.Ebs!.VolumeId === v.VolumeId), `instance ${i} shows ${dev}`);
    }
    // a plain volume still takes one instance
    const plain = await client.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 4, VolumeType: 'io2', Iops: 1000 }));
    await settle();
    await client.send(new AttachVolumeCommand({ VolumeId: plain.VolumeId, InstanceId: ids[0], Device: '/dev/sdh' }));
    assert.equal((await awsError(() => client.send(new AttachVolumeCommand({ VolumeId: plain.VolumeId, InstanceId: ids[1], Device: '/dev/sdh' })))).name, 'VolumeInUse');
    assert.deepEqual(await awsError(() => client.send(new DetachVolumeCommand({ VolumeId: v.VolumeId }))), {
      name: 'MissingParameter',
      message: 'The request must contain the parameter InstanceId',
      status: 400,
    });
    await client.send(new DetachVolumeCommand({ VolumeId: v.VolumeId, InstanceId: ids[1] }));
    const after = (await client.send(new DescribeVolumesCommand({ VolumeIds: [v.VolumeId!] }))).Volumes![0]!;
    assert.deepEqual(after.Attachments!.map((a) => a.InstanceId), [ids[0]]);
    await client.send(new DetachVolumeCommand({ VolumeId: v.VolumeId }));
    await settle();
    assert.equal((await client.send(new DescribeVolumesCommand({ VolumeIds: [v.VolumeId!] }))).Volumes![0]!.State, 'available');
  });

  it('Multi-Attach limits: Nitro instance types only, at most 16 instances per volume', async () => {
    const img = await images(client);
    const run = async (InstanceType: string, count: number) =>
      (await client.send(new RunInstancesCommand({ ImageId: img.al2023, InstanceType: InstanceType as _InstanceType, MinCount: count, MaxCount: count, Placement: { AvailabilityZone: 'us-east-1a' } }))).Instances!.map((i) => i.InstanceId!);
    const xen = (await run('t2.micro', 1))[0]!;
    const nitro = await run('t3.micro', 17);
    for (const id of [xen, ...nitro]) await waitForState(client, id, 'running');
    const v = await client.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 4, VolumeType: 'io1', Iops: 200, MultiAttachEnabled: true }));
    await settle();
    // A Xen type (t2) takes no Multi-Attach volume, first attachment or further.
    const refusedXen = await awsError(() => client.send(new AttachVolumeCommand({ VolumeId: v.VolumeId, InstanceId: xen, Device: '/dev/sdf' })));
    assert.deepEqual([refusedXen.name, refusedXen.status], ['UnsupportedOperation', 400]);
    assert.match(refusedXen.message, /t2\.micro does not support Multi-Attach/);
    for (const id of nitro.slice(0, 16)) await client.send(new AttachVolumeCommand({ VolumeId: v.VolumeId, InstanceId: id, Device: '/dev/sdf' }));
    const seventeenth = await awsError(() => client.send(new AttachVolumeCommand({ VolumeId: v.VolumeId, InstanceId: nitro[16], Device: '/dev/sdf' })));
    assert.deepEqual([seventeenth.name, seventeenth.status], ['AttachmentLimitExceeded', 400]);
    await settle();
    assert.equal((await client.send(new DescribeVolumesCommand({ VolumeIds: [v.VolumeId!] }))).Volumes![0]!.Attachments!.length, 16);
    assert.equal((await awsError(() => client.send(new AttachVolumeCommand({ VolumeId: v.VolumeId, InstanceId: xen, Device: '/dev/sdf' })))).name, 'UnsupportedOperation');
    // One instance leaves: the 17th fits.
    await client.send(new DetachVolumeCommand({ VolumeId: v.VolumeId, InstanceId: nitro[0] }));
    await settle();
    await client.send(new AttachVolumeCommand({ VolumeId: v.VolumeId, InstanceId: nitro[16], Device: '/dev/sdf' }));
    await client.send(new TerminateInstancesCommand({ InstanceIds: [xen, ...nitro] }));
  });
});
