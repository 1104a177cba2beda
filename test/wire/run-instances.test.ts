import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateKeyPairCommand,
  DeleteKeyPairCommand,
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  DescribeVolumesCommand,
  RunInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { awsError, startTestServer, V, type TestServer } from '../helpers/server.js';
import { images, waitForState, type Images } from '../helpers/instances.js';

let server: TestServer;
let client: EC2Client;
let img: Images;
let publicKey = '';
before(async () => {
  server = await startTestServer({ instanceDelays: { start: 50, stop: 50, terminate: 50 } });
  client = server.client();
  img = await images(client);
  await client.send(new CreateKeyPairCommand({ KeyName: 'launch', KeyType: 'ed25519' }));
  publicKey = (await client.send(new DescribeKeyPairsCommand({ KeyNames: ['launch'], IncludePublicKey: true }))).KeyPairs![0]!.PublicKey!.trim();
});
after(() => server.close());

const run = (over: Record<string, unknown> = {}) =>
  client.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1, ...over }));

describe('RunInstances', () => {
  it('launches a pending instance with defaults, then it runs', async () => {
    const r = await run({ KeyName: 'launch' });
    assert.match(r.ReservationId!, /^r-0[0-9a-f]{16}$/);
    assert.match(r.OwnerId!, /^[0-9]{12}$/);
    assert.deepEqual(r.Groups, []);
    const i = r.Instances![0]!;
    assert.match(i.InstanceId!, /^i-0[0-9a-f]{16}$/);
    assert.deepEqual(i.State, { Code: 0, Name: 'pending' });
    assert.equal(i.InstanceType, 'm1.small');
    assert.equal(i.KeyName, 'launch');
    assert.equal(i.ImageId, img.al2023);
    assert.equal(i.Placement!.AvailabilityZone, 'us-east-1a');
    assert.equal(i.RootDeviceType, 'ebs');
    assert.equal(i.RootDeviceName, '/dev/xvda');
    assert.match(i.PublicIpAddress!, /^127\.(?!0\.0\.1$)\d+\.\d+\.\d+$/);
    assert.match(i.PrivateIpAddress!, /^172\.31\.\d+\.\d+$/);
    assert.equal(i.PrivateDnsName, `ip-${i.PrivateIpAddress!.replace(/\./g, '-')}.ec2.internal`);
    assert.equal(i.AmiLaunchIndex, 0);
    assert.deepEqual(i.StateReason, { Code: 'pending', Message: 'pending' });
    // AL2023 images have ImdsSupport v2.0: AWS launches them IMDSv2-only with hop limit 2.
    assert.equal(i.MetadataOptions!.HttpTokens, 'required');
    assert.equal(i.MetadataOptions!.HttpPutResponseHopLimit, 2);
    const bdm = i.BlockDeviceMappings!;
    assert.equal(bdm.length, 1);
    assert.equal(bdm[0]!.DeviceName, '/dev/xvda');
    assert.match(bdm[0]!.Ebs!.VolumeId!, /^vol-0[0-9a-f]{16}$/);
    assert.equal(bdm[0]!.Ebs!.DeleteOnTermination, true);
    const running = await waitForState(client, i.InstanceId!, 'running');
    assert.deepEqual(running.State, { Code: 16, Name: 'running' });
    assert.equal(running.StateReason, undefined);
    // the root volume is a real EBS volume record
    const vols = await client.send(new DescribeVolumesCommand({ VolumeIds: [bdm[0]!.Ebs!.VolumeId!] }));
    assert.equal(vols.Volumes![0]!.State, 'in-use');
    assert.equal(vols.Volumes![0]!.Attachments![0]!.InstanceId, i.InstanceId);
    assert.equal(vols.Volumes![0]!.Attachments![0]!.Device, '/dev/xvda');
  });

  it('keeps the key pair public key as the launch key', async () => {
    const r = await run({ KeyName: 'launch' });
    const id = r.Instances![0]!.InstanceId!;
    const [rec] = await server.app.store.instances.list({ accountId: r.OwnerId!, region: 'us-east-1' }, [id]);
    assert.ok(publicKey.startsWith('ssh-ed25519 '));
    assert.deepEqual(rec!.launchKey, { name: 'launch', publicKey });
  });

  it('launches MaxCount instances in one reservation with distinct addresses and launch indexes', async () => {
    const r = await run({ MinCount: 2, MaxCount: 3, InstanceType: 't3.micro' });
    assert.equal(r.Instances!.length, 3);
    assert.deepEqual(r.Instances!.map((i) => i.AmiLaunchIndex), [0, 1, 2]);
    assert.equal(new Set(r.Instances!.map((i) => i.PublicIpAddress)).size, 3);
    assert.equal(new Set(r.Instances!.map((i) => i.PrivateIpAddress)).size, 3);
    assert.ok(r.Instances!.every((i) => i.InstanceType === 't3.micro'));
  });

  it('uses the image root device: Ubuntu /dev/sda1, instance-store without a volume', async () => {
    const u = (await run({ ImageId: img.ubuntu })).Instances![0]!;
    assert.equal(u.RootDeviceName, '/dev/sda1');
    assert.equal(u.BlockDeviceMappings![0]!.DeviceName, '/dev/sda1');
    assert.equal(u.MetadataOptions!.HttpTokens, 'optional', 'images without ImdsSupport v2.0 keep IMDSv1');
    assert.equal(u.MetadataOptions!.HttpPutResponseHopLimit, 1);
    const s = (await run({ ImageId: img.instanceStore })).Instances![0]!;
    assert.equal(s.RootDeviceType, 'instance-store');
    assert.deepEqual(s.BlockDeviceMappings, []);
    const vols = await client.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [s.InstanceId!] }] }));
    assert.deepEqual(vols.Volumes, []);
  });

  it('tags the instance and its volume from TagSpecifications', async () => {
    const i = (
      await run({
        TagSpecifications: [
          { ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web' }] },
          { ResourceType: 'volume', Tags: [{ Key: 'disk', Value: 'root' }] },
        ],
      })
    ).Instances![0]!;
    assert.deepEqual(i.Tags, [{ Key: 'Name', Value: 'web' }]);
    const vol = (await client.send(new DescribeVolumesCommand({ VolumeIds: [i.BlockDeviceMappings![0]!.Ebs!.VolumeId!] }))).Volumes![0]!;
    assert.deepEqual(vol.Tags, [{ Key: 'disk', Value: 'root' }]);
    const bad = await awsError(() => run({ TagSpecifications: [{ ResourceType: 'key-pair', Tags: [{ Key: 'a', Value: 'b' }] }] }));
    assert.equal(bad.name, 'InvalidParameterValue');
    assert.equal(bad.message, "'key-pair' is not a valid taggable resource type for this operation.");
  });

  it('places in a zone of the region and refuses another region’s zone', async () => {
    const i = (await run({ Placement: { AvailabilityZone: 'us-east-1c' } })).Instances![0]!;
    assert.equal(i.Placement!.AvailabilityZone, 'us-east-1c');
    const e = await awsError(() => run({ Placement: { AvailabilityZone: 'eu-west-1a' } }));
    assert.equal(e.name, 'InvalidParameterValue');
    assert.equal(e.message, 'Invalid availability zone: [eu-west-1a]');
    const eu = server.client({ region: 'eu-west-1' });
    const euImages = await images(eu);
    const x = (await eu.send(new RunInstancesCommand({ ImageId: euImages.al2023, MinCount: 1, MaxCount: 1 }))).Instances![0]!;
    assert.equal(x.Placement!.AvailabilityZone, 'eu-west-1a');
    assert.equal(x.PrivateDnsName, `ip-${x.PrivateIpAddress!.replace(/\./g, '-')}.eu-west-1.compute.internal`);
  });

  it('takes MetadataOptions and checks the hop limit', async () => {
    const i = (
      await run({ MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2, InstanceMetadataTags: 'enabled', HttpEndpoint: 'enabled', HttpProtocolIpv6: 'enabled' } })
    ).Instances![0]!;
    assert.equal(i.MetadataOptions!.HttpTokens, 'required');
    assert.equal(i.MetadataOptions!.HttpPutResponseHopLimit, 2);
    assert.equal(i.MetadataOptions!.InstanceMetadataTags, 'enabled');
    assert.equal(i.MetadataOptions!.HttpProtocolIpv6, 'enabled');
    for (const hop of [0, 65]) {
      const e = await awsError(() => run({ MetadataOptions: { HttpPutResponseHopLimit: hop } }));
      assert.equal(e.name, 'InvalidParameterValue');
      assert.match(e.message, /HttpPutResponseHopLimit/);
    }
    const bad = await server.raw({ Action: 'RunInstances', Version: V, ImageId: img.al2023, MinCount: '1', MaxCount: '1', 'MetadataOptions.HttpTokens': 'sometimes' });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /<Code>InvalidParameterValue<\/Code>.*Value 'sometimes' at 'httpTokens'/);
  });

  it('is idempotent by ClientToken', async () => {
    const a = await run({ ClientToken: 'token-1', MaxCount: 2, MinCount: 2 });
    const b = await run({ ClientToken: 'token-1', MaxCount: 2, MinCount: 2 });
    assert.equal(b.ReservationId, a.ReservationId);
    assert.deepEqual(b.Instances!.map((i) => i.InstanceId), a.Instances!.map((i) => i.InstanceId));
    const e = await awsError(() => run({ ClientToken: 'token-1', MaxCount: 1, MinCount: 1 }));
    assert.equal(e.name, 'IdempotentParameterMismatch');
  });

  it('launches once for one ClientToken sent 8 times at once (the token is claimed in the database)', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => run({ ClientToken: 'token-race', MaxCount: 2, MinCount: 2 })));
    const ids = new Set(answers.flatMap((r) => r.Instances!.map((i) => i.InstanceId)));
    assert.equal(ids.size, 2, 'every answer names the same two instances');
    assert.equal(new Set(answers.map((r) => r.ReservationId)).size, 1);
    const all = await client.send(new DescribeInstancesCommand({ Filters: [{ Name: 'client-token', Values: ['token-race'] }] }));
    assert.equal(all.Reservations!.flatMap((r) => r.Instances!).length, 2);
    const volumes = await client.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [...ids] as string[] }] }));
    assert.equal(volumes.Volumes!.length, 2, 'the losing launches left no volume behind');
  });

  it('refuses bad counts', async () => {
    const zero = await awsError(() => run({ MinCount: 0, MaxCount: 0 }));
    assert.equal(zero.message, 'Maximum instance count must be greater than zero');
    const order = await awsError(() => run({ MinCount: 3, MaxCount: 2 }));
    assert.equal(order.name, 'InvalidParameterValue');
    const missing = await server.raw({ Action: 'RunInstances', Version: V, ImageId: img.al2023, MinCount: '1' });
    assert.equal(missing.status, 400);
    assert.match(missing.body, /<Code>MissingParameter<\/Code><Message>The request must contain the parameter MaxCount<\/Message>/);
  });

  it('refuses unknown and malformed image ids', async () => {
    const unknown = await awsError(() => run({ ImageId: 'ami-0123456789abcdef0' }));
    assert.equal(unknown.name, 'InvalidAMIID.NotFound');
    assert.equal(unknown.message, "The image id '[ami-0123456789abcdef0]' does not exist");
    const bad = await awsError(() => run({ ImageId: 'image-1' }));
    assert.equal(bad.name, 'InvalidAMIID.Malformed');
    assert.equal(bad.message, 'Invalid id: "image-1" (expecting "ami-...")');
    // another region's AMI id does not exist here
    const eu = await images(server.client({ region: 'eu-west-1' }));
    assert.equal((await awsError(() => run({ ImageId: eu.al2023 }))).name, 'InvalidAMIID.NotFound');
  });

  it('refuses a missing key pair, including one deleted since', async () => {
    const e = await awsError(() => run({ KeyName: 'nope' }));
    assert.equal(e.name, 'InvalidKeyPair.NotFound');
    assert.equal(e.message, "The key pair 'nope' does not exist");
    assert.equal(e.status, 400);
    await client.send(new CreateKeyPairCommand({ KeyName: 'gone', KeyType: 'ed25519' }));
    await client.send(new DeleteKeyPairCommand({ KeyName: 'gone' }));
    assert.equal((await awsError(() => run({ KeyName: 'gone' }))).message, "The key pair 'gone' does not exist");
  });

  it('answers DryRun with DryRunOperation after validation, launching nothing', async () => {
    const scope = { accountId: (await run()).OwnerId!, region: 'us-east-1' };
    const before = (await server.app.store.instances.list(scope)).length;
    const e = await awsError(() => run({ DryRun: true }));
    assert.equal(e.name, 'DryRunOperation');
    assert.equal(e.status, 412);
    assert.equal(e.message, 'Request would have succeeded, but DryRun flag is set.');
    const invalid = await awsError(() => run({ DryRun: true, ImageId: 'bad' }));
    assert.equal(invalid.name, 'InvalidAMIID.Malformed');
    assert.equal((await server.app.store.instances.list(scope)).length, before);
  });
});
