// Launches that fail as AWS's do (issue 23): a launch volume whose KMS key cannot be used is
// accepted, answers pending, then ends terminated with StateReason Client.InvalidKMSKey.InvalidState;
// an archived snapshot cannot back a launch volume (nor can a snapshot an AMI uses be archived).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateImageCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  ModifySnapshotTierCommand,
  RestoreSnapshotTierCommand,
  RunInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { awsError, startTestServer, type TestServer } from '../helpers/server.js';
import { images, waitForState, type Images } from '../helpers/instances.js';

let server: TestServer;
let client: EC2Client;
let img: Images;
before(async () => {
  server = await startTestServer({ storageDelayMs: 0 });
  client = server.client();
  img = await images(client);
});
after(() => server.close());

describe('a launch volume with an unusable KMS key', () => {
  it('answers pending, then the instance is terminated with Client.InvalidKMSKey.InvalidState', async () => {
    const run = await client.send(new RunInstancesCommand({
      ImageId: img.al2023, MinCount: 1, MaxCount: 1,
      BlockDeviceMappings: [{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 1, Encrypted: true, KmsKeyId: 'not-a-key' } }],
    }));
    const launched = run.Instances![0]!;
    assert.equal(launched.State?.Name, 'pending');
    const ended = await waitForState(client, launched.InstanceId!, 'terminated');
    assert.deepEqual(ended.StateReason, { Code: 'Client.InvalidKMSKey.InvalidState', Message: 'Client.InvalidKMSKey.InvalidState: The KMS key provided is in an incorrect state' });
    const byReason = await client.send(new DescribeInstancesCommand({ Filters: [{ Name: 'state-reason-code', Values: ['Client.InvalidKMSKey.InvalidState'] }] }));
    assert.deepEqual(byReason.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId)), [launched.InstanceId]);
    // its launch volumes (DeleteOnTermination) went with it
    const vols = await client.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [launched.InstanceId!] }] }));
    assert.deepEqual(vols.Volumes, []);
  });

  it('runs with a key that names one (key ARN)', async () => {
    const key = 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const run = await client.send(new RunInstancesCommand({
      ImageId: img.al2023, MinCount: 1, MaxCount: 1,
      BlockDeviceMappings: [{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 1, Encrypted: true, KmsKeyId: key } }],
    }));
    const up = await waitForState(client, run.Instances![0]!.InstanceId!, 'running');
    assert.equal(up.StateReason, undefined);
    // its root volume names the image's root snapshot, as on AWS
    const image = (await client.send(new DescribeImagesCommand({ ImageIds: [img.al2023] }))).Images![0]!;
    const rootId = up.BlockDeviceMappings!.find((m) => m.DeviceName === up.RootDeviceName)!.Ebs!.VolumeId!;
    const root = (await client.send(new DescribeVolumesCommand({ VolumeIds: [rootId] }))).Volumes![0]!;
    assert.equal(root.SnapshotId, image.BlockDeviceMappings![0]!.Ebs!.SnapshotId);
  });
});

describe('archived snapshots at launch', () => {
  it('refuses a launch mapping from an archived snapshot until it is restored', async () => {
    const vol = await client.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1 }));
    const snap = (await client.send(new CreateSnapshotCommand({ VolumeId: vol.VolumeId }))).SnapshotId!;
    await client.send(new ModifySnapshotTierCommand({ SnapshotId: snap, StorageTier: 'archive' }));
    const refused = await awsError(() => client.send(new RunInstancesCommand({
      ImageId: img.al2023, MinCount: 1, MaxCount: 1, BlockDeviceMappings: [{ DeviceName: '/dev/sdf', Ebs: { SnapshotId: snap } }],
    })));
    assert.equal(refused.name, 'IncorrectState');
    assert.equal(refused.message, `Snapshot '${snap}' is archived; restore it before launching an instance with it.`);
    const volumeRefused = await awsError(() => client.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', SnapshotId: snap })));
    assert.equal(volumeRefused.name, 'IncorrectState');
    await client.send(new RestoreSnapshotTierCommand({ SnapshotId: snap, PermanentRestore: true }));
    const run = await client.send(new RunInstancesCommand({
      ImageId: img.al2023, MinCount: 1, MaxCount: 1, BlockDeviceMappings: [{ DeviceName: '/dev/sdf', Ebs: { SnapshotId: snap } }],
    }));
    const up = await waitForState(client, run.Instances![0]!.InstanceId!, 'running');
    assert.ok(up.BlockDeviceMappings!.some((m) => m.DeviceName === '/dev/sdf'));
  });

  it("refuses to archive a snapshot an AMI uses (the AMI's snapshot)", async () => {
    const run = await client.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1 }));
    const id = run.Instances![0]!.InstanceId!;
    await waitForState(client, id, 'running');
    const imageId = (await client.send(new CreateImageCommand({ InstanceId: id, Name: 'tier-ami', NoReboot: true }))).ImageId!;
    const image = (await client.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images![0]!;
    const snap = image.BlockDeviceMappings!.find((m) => m.Ebs?.SnapshotId)!.Ebs!.SnapshotId!;
    const e = await awsError(() => client.send(new ModifySnapshotTierCommand({ SnapshotId: snap, StorageTier: 'archive' })));
    assert.equal(e.name, 'InvalidSnapshot.InUse');
    assert.equal(e.message, `The snapshot ${snap} is currently in use by ${imageId}`);
  });
});
