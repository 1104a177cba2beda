// EBS encryption over the wire with the real SDK: CreateVolume Encrypted/KmsKeyId, the AWS managed
// key, snapshots and volumes made from encrypted ones, encryption by default and its KMS key, and
// the performance-member rules of CreateVolume.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CopySnapshotCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  DisableEbsEncryptionByDefaultCommand,
  EnableEbsEncryptionByDefaultCommand,
  GetEbsDefaultKmsKeyIdCommand,
  GetEbsEncryptionByDefaultCommand,
  ModifyEbsDefaultKmsKeyIdCommand,
  ResetEbsDefaultKmsKeyIdCommand,
  CreateImageCommand,
  DescribeImagesCommand,
  RunInstancesCommand,
  type EC2Client,
  type Volume,
} from '@aws-sdk/client-ec2';
import { images, waitForState } from '../helpers/instances.js';
import { awsError, startTestServer, type TestServer } from '../helpers/server.js';

const ACCOUNT = '111122223333';
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
let server: TestServer;
let client: EC2Client;
let west: EC2Client;
before(async () => {
  server = await startTestServer({ storageDelayMs: 30 });
  client = server.client({ accessKeyId: ACCOUNT });
  west = server.client({ accessKeyId: ACCOUNT, region: 'eu-west-1' });
});
after(() => server.close());

const volume = async (id: string): Promise<Volume> => (await client.send(new DescribeVolumesCommand({ VolumeIds: [id] }))).Volumes![0]!;
const create = (input: Partial<ConstructorParameters<typeof CreateVolumeCommand>[0]> = {}) =>
  client.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 4, ...input }));
const managedKey = /^arn:aws:kms:us-east-1:111122223333:key\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/;

describe('EBS encryption', () => {
  it('Encrypted without a key uses the AWS managed key (its key ARN, the same every time); unencrypted volumes have no key', async () => {
    const a = await create({ Encrypted: true });
    const b = await create({ Encrypted: true });
    assert.equal(a.Encrypted, true);
    assert.match(a.KmsKeyId!, managedKey);
    assert.equal(b.KmsKeyId, a.KmsKeyId);
    assert.equal((await volume(a.VolumeId!)).KmsKeyId, a.KmsKeyId);
    const plain = await create();
    assert.equal(plain.Encrypted, false);
    assert.equal(plain.KmsKeyId, undefined);
    const filtered = await client.send(new DescribeVolumesCommand({ Filters: [{ Name: 'encrypted', Values: ['true'] }] }));
    assert.ok(filtered.Volumes!.every((v) => v.Encrypted));
    assert.ok(filtered.Volumes!.some((v) => v.VolumeId === a.VolumeId));
    assert.ok(!filtered.Volumes!.some((v) => v.VolumeId === plain.VolumeId));
  });

  it('a key is echoed as given; alias/aws/ebs is the managed key; a key without Encrypted is refused', async () => {
    assert.equal((await create({ Encrypted: true, KmsKeyId: KEY })).KmsKeyId, KEY);
    assert.equal((await create({ Encrypted: true, KmsKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' })).KmsKeyId, '1234abcd-12ab-34cd-56ef-1234567890ab');
    assert.match((await create({ Encrypted: true, KmsKeyId: 'alias/aws/ebs' })).KmsKeyId!, managedKey);
    for (const Encrypted of [undefined, false]) {
      assert.deepEqual(await awsError(() => create({ Encrypted, KmsKeyId: KEY })), {
        name: 'InvalidParameterDependency',
        message: 'The parameter KmsKeyId requires the parameter Encrypted to be set.',
        status: 400,
      });
    }
  });

  it('a key id that names no key: the volume is accepted, then gone (as AWS does)', async () => {
    const v = await create({ Encrypted: true, KmsKeyId: 'my-fake-kms-key-asdf' });
    assert.equal(v.State, 'creating');
    await new Promise((r) => setTimeout(r, 80));
    assert.equal((await awsError(() => volume(v.VolumeId!))).name, 'InvalidVolume.NotFound');
  });

  it('snapshots of encrypted volumes are encrypted with its key, and volumes made from them too (Encrypted or not)', async () => {
    const v = await create({ Encrypted: true, KmsKeyId: KEY });
    await new Promise((r) => setTimeout(r, 50));
    const snap = await client.send(new CreateSnapshotCommand({ VolumeId: v.VolumeId }));
    assert.equal(snap.Encrypted, true);
    assert.equal(snap.KmsKeyId, KEY);
    const listed = await client.send(new DescribeSnapshotsCommand({ Filters: [{ Name: 'encrypted', Values: ['true'] }] }));
    assert.ok(listed.Snapshots!.some((s) => s.SnapshotId === snap.SnapshotId && s.KmsKeyId === KEY));
    await new Promise((r) => setTimeout(r, 50));
    const fromSnap = await create({ Size: undefined, SnapshotId: snap.SnapshotId });
    assert.equal(fromSnap.Encrypted, true);
    assert.equal(fromSnap.KmsKeyId, KEY);
    const rekeyed = await create({ Size: undefined, SnapshotId: snap.SnapshotId, Encrypted: true, KmsKeyId: 'alias/other' });
    assert.equal(rekeyed.KmsKeyId, 'alias/other');
  });

  it('CopySnapshot: the four KmsKeyId forms (key id, key ARN, alias, alias ARN) with Encrypted; an encrypted source stays encrypted with its key; a key of no form fails the copy', async () => {
    const v = await create({});
    await new Promise((r) => setTimeout(r, 50));
    const plain = await client.send(new CreateSnapshotCommand({ VolumeId: v.VolumeId }));
    await new Promise((r) => setTimeout(r, 50));
    const copy = (input: Record<string, unknown>) => client.send(new CopySnapshotCommand({ SourceRegion: 'us-east-1', SourceSnapshotId: plain.SnapshotId, ...input }));
    const snapshot = async (id: string) => (await client.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] }))).Snapshots![0]!;
    const forms = ['1234abcd-12ab-34cd-56ef-1234567890ab', KEY, 'alias/team-key', 'arn:aws:kms:us-east-1:111122223333:alias/team-key'];
    for (const KmsKeyId of forms) {
      const c = await copy({ Encrypted: true, KmsKeyId });
      const d = await snapshot(c.SnapshotId!);
      assert.deepEqual([d.Encrypted, d.KmsKeyId], [true, KmsKeyId], KmsKeyId);
    }
    // Encrypted alone: the AWS managed key (alias/aws/ebs) as its key ARN.
    const managed = await snapshot((await copy({ Encrypted: true })).SnapshotId!);
    assert.match(managed.KmsKeyId!, managedKey);
    assert.equal((await snapshot((await copy({ Encrypted: true, KmsKeyId: 'alias/aws/ebs' })).SnapshotId!)).KmsKeyId, managed.KmsKeyId);
    // KmsKeyId without Encrypted: refused as everywhere.
    assert.equal((await awsError(() => copy({ KmsKeyId: KEY }))).name, 'InvalidParameterDependency');
    // A copy of an encrypted snapshot (no Encrypted asked) keeps its key; so does a copy of the copy.
    const keyed = await copy({ Encrypted: true, KmsKeyId: KEY });
    await new Promise((r) => setTimeout(r, 50));
    const again = await client.send(new CopySnapshotCommand({ SourceRegion: 'us-east-1', SourceSnapshotId: keyed.SnapshotId }));
    assert.deepEqual([(await snapshot(again.SnapshotId!)).Encrypted, (await snapshot(again.SnapshotId!)).KmsKeyId], [true, KEY]);
    // A key id of no KMS form: accepted, then the copy ends in `error` with a StateMessage.
    const bad = await copy({ Encrypted: true, KmsKeyId: 'not a key' });
    await new Promise((r) => setTimeout(r, 80));
    const failed = await snapshot(bad.SnapshotId!);
    assert.equal(failed.State, 'error');
    assert.match(failed.StateMessage!, /not a key/);
  });

  it('encryption by default: off at first; on, every new volume is encrypted with the default key; the default key can be changed and reset', async () => {
    assert.deepEqual(
      { ...(await west.send(new GetEbsEncryptionByDefaultCommand({}))), $metadata: undefined },
      { $metadata: undefined, EbsEncryptionByDefault: false, SseType: 'none' },
    );
    assert.equal((await west.send(new GetEbsDefaultKmsKeyIdCommand({}))).KmsKeyId, 'alias/aws/ebs');
    assert.equal((await west.send(new EnableEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault, true);
    assert.equal((await west.send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault, true);
    // Another Region of the same account is not affected.
    assert.equal((await client.send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault, false);
    const v = await west.send(new CreateVolumeCommand({ AvailabilityZone: 'eu-west-1a', Size: 2, Encrypted: false }));
    assert.equal(v.Encrypted, true);
    assert.match(v.KmsKeyId!, /^arn:aws:kms:eu-west-1:111122223333:key\//);
    const custom = 'arn:aws:kms:eu-west-1:111122223333:key/00000000-1111-2222-3333-444444444444';
    assert.equal((await west.send(new ModifyEbsDefaultKmsKeyIdCommand({ KmsKeyId: custom }))).KmsKeyId, custom);
    assert.equal((await west.send(new GetEbsDefaultKmsKeyIdCommand({}))).KmsKeyId, custom);
    assert.equal((await west.send(new CreateVolumeCommand({ AvailabilityZone: 'eu-west-1a', Size: 2 }))).KmsKeyId, custom);
    assert.equal((await west.send(new ResetEbsDefaultKmsKeyIdCommand({}))).KmsKeyId, v.KmsKeyId);
    assert.equal((await west.send(new GetEbsDefaultKmsKeyIdCommand({}))).KmsKeyId, 'alias/aws/ebs');
    // an alias is answered as a key ARN, the same for the same alias
    const byAlias = (await west.send(new ModifyEbsDefaultKmsKeyIdCommand({ KmsKeyId: 'alias/my-cmk' }))).KmsKeyId!;
    assert.match(byAlias, /^arn:aws:kms:eu-west-1:111122223333:key\/[0-9a-f-]{36}$/);
    assert.equal((await west.send(new ModifyEbsDefaultKmsKeyIdCommand({ KmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:alias/my-cmk' }))).KmsKeyId, byAlias);
    await west.send(new ResetEbsDefaultKmsKeyIdCommand({}));
    assert.equal((await west.send(new CreateVolumeCommand({ AvailabilityZone: 'eu-west-1a', Size: 2 }))).KmsKeyId, v.KmsKeyId);
    assert.equal((await west.send(new DisableEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault, false);
    assert.equal((await west.send(new CreateVolumeCommand({ AvailabilityZone: 'eu-west-1a', Size: 2 }))).Encrypted, false);
    // Existing encrypted volumes stay encrypted.
    assert.equal((await west.send(new DescribeVolumesCommand({ VolumeIds: [v.VolumeId!] }))).Volumes![0]!.Encrypted, true);
  });

  it('Iops, Throughput and MultiAttachEnabled only where the volume type takes them', async () => {
    assert.deepEqual(await awsError(() => create({ VolumeType: 'gp2', Iops: 300 })), {
      name: 'InvalidParameterCombination',
      message: 'The parameter iops is not supported for gp2 volumes.',
      status: 400,
    });
    assert.equal((await awsError(() => create({ VolumeType: 'io2' }))).message, 'The parameter iops must be specified for io2 volumes.');
    assert.equal((await awsError(() => create({ VolumeType: 'gp2', Throughput: 200 }))).message, 'throughput can only be specified for volumeType gp3.');
    assert.equal((await awsError(() => create({ VolumeType: 'gp3', MultiAttachEnabled: true }))).name, 'InvalidParameterDependency');
    const io2 = await create({ VolumeType: 'io2', Iops: 1000, MultiAttachEnabled: true });
    assert.equal(io2.MultiAttachEnabled, true);
    assert.equal(io2.Iops, 1000);
    const gp3 = await create({ VolumeType: 'gp3', Iops: 4000, Throughput: 250 });
    assert.equal(gp3.Throughput, 250);
    assert.equal(gp3.Iops, 4000);
  });

  it('launches: encryption by default encrypts the root; an AMI of an encrypted root launches encrypted roots', async () => {
    const oregon = server.client({ accessKeyId: ACCOUNT, region: 'us-west-2' });
    const img = await images(oregon);
    await oregon.send(new EnableEbsEncryptionByDefaultCommand({}));
    const run = await oregon.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1 }));
    const id = run.Instances![0]!.InstanceId!;
    const rootOf = async (instanceId: string) =>
      (await oregon.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }] }))).Volumes![0]!;
    const root = await rootOf(id);
    assert.equal(root.Encrypted, true);
    assert.match(root.KmsKeyId!, /^arn:aws:kms:us-west-2:111122223333:key\//);
    await waitForState(oregon, id, 'running');
    await oregon.send(new DisableEbsEncryptionByDefaultCommand({}));
    const { ImageId } = await oregon.send(new CreateImageCommand({ InstanceId: id, Name: 'encrypted-root', NoReboot: true }));
    const ami = (await oregon.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0]!;
    assert.equal(ami.BlockDeviceMappings![0]!.Ebs!.Encrypted, true);
    for (let i = 0; i < 200 && (await oregon.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0]!.State !== 'available'; i++) await new Promise((r) => setTimeout(r, 20));
    const again = await oregon.send(new RunInstancesCommand({ ImageId, MinCount: 1, MaxCount: 1 }));
    const copyRoot = await rootOf(again.Instances![0]!.InstanceId!);
    assert.equal(copyRoot.Encrypted, true);
    assert.equal(copyRoot.KmsKeyId, root.KmsKeyId);
    const plain = await oregon.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1 }));
    assert.equal((await rootOf(plain.Instances![0]!.InstanceId!)).Encrypted, false);
  });

  it("launch mappings: CreateVolume's managed key, the default key, KmsKeyId without Encrypted refused before DryRun", async () => {
    const ohio = server.client({ accessKeyId: ACCOUNT, region: 'us-east-2' });
    const img = await images(ohio);
    const byDevice = async (instanceId: string) =>
      new Map(
        (await ohio.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }] }))).Volumes!.map((v) => [v.Attachments![0]!.Device!, v]),
      );
    const managed = (await ohio.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-2a', Size: 1, Encrypted: true }))).KmsKeyId!;
    const asked = await ohio.send(
      new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1, BlockDeviceMappings: [{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 1, Encrypted: true } }] }),
    );
    const v1 = await byDevice(asked.Instances![0]!.InstanceId!);
    assert.deepEqual([v1.get('/dev/sdf')!.Encrypted, v1.get('/dev/sdf')!.KmsKeyId], [true, managed]);
    assert.equal(v1.get('/dev/xvda')!.Encrypted, false);

    const custom = 'arn:aws:kms:us-east-2:111122223333:key/0000abcd-12ab-34cd-56ef-1234567890ab';
    await ohio.send(new ModifyEbsDefaultKmsKeyIdCommand({ KmsKeyId: custom }));
    await ohio.send(new EnableEbsEncryptionByDefaultCommand({}));
    const byDefault = await ohio.send(
      new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1, BlockDeviceMappings: [{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 1 } }] }),
    );
    const v2 = await byDevice(byDefault.Instances![0]!.InstanceId!);
    for (const d of ['/dev/xvda', '/dev/sdf']) assert.deepEqual([v2.get(d)!.Encrypted, v2.get(d)!.KmsKeyId], [true, custom], d);
    await ohio.send(new DisableEbsEncryptionByDefaultCommand({}));

    const e = await awsError(() =>
      ohio.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1, DryRun: true, BlockDeviceMappings: [{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 1, KmsKeyId: custom } }] })),
    );
    assert.equal(e.name, 'InvalidParameterDependency');
    assert.equal(e.message, 'The parameter KmsKeyId requires the parameter Encrypted to be set.');
  });
});
