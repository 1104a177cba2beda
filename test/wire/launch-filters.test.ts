// DescribeInstances filters users script against (architecture, owner-id, source-dest-check,
// state-reason-code, dns-name, private-dns-name, launch options) and DescribeImages source-instance-id.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateImageCommand, DescribeImagesCommand, DescribeInstancesCommand, ModifyInstanceAttributeCommand, RunInstancesCommand, StopInstancesCommand, type EC2Client, type Filter } from '@aws-sdk/client-ec2';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { describe as describeInstance, images, waitForState, type Images } from '../helpers/instances.js';

let server: TestServer;
let client: EC2Client;
let img: Images;
let a: string;
let b: string;
before(async () => {
  server = await startTestServer({ instanceDelays: { start: 20, stop: 20, terminate: 20 }, storageDelayMs: 20 });
  client = server.client();
  img = await images(client);
  const run = async (over: object = {}) =>
    (await client.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1, ...over }))).Instances![0]!.InstanceId!;
  a = await run({ Monitoring: { Enabled: true }, IamInstanceProfile: { Name: 'p' } });
  b = await run({ InstanceType: 't3.micro' });
  await waitForState(client, a, 'running');
  await waitForState(client, b, 'running');
  await client.send(new ModifyInstanceAttributeCommand({ InstanceId: b, SourceDestCheck: { Value: false } }));
  await client.send(new StopInstancesCommand({ InstanceIds: [b] }));
  await waitForState(client, b, 'stopped');
});
after(() => server.close());

async function ids(...filters: Filter[]): Promise<string[]> {
  const d = await client.send(new DescribeInstancesCommand({ Filters: filters }));
  return d.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!)).sort();
}

describe('DescribeInstances filters', () => {
  it('architecture, owner-id, source-dest-check, state-reason-code', async () => {
    assert.deepEqual(await ids({ Name: 'architecture', Values: ['x86_64'] }), [a, b].sort());
    assert.deepEqual(await ids({ Name: 'architecture', Values: ['arm64'] }), []);
    const owner = (await client.send(new DescribeInstancesCommand({}))).Reservations![0]!.OwnerId!;
    assert.deepEqual(await ids({ Name: 'owner-id', Values: [owner] }), [a, b].sort());
    assert.deepEqual(await ids({ Name: 'source-dest-check', Values: ['false'] }), [b]);
    assert.deepEqual(await ids({ Name: 'state-reason-code', Values: ['Client.UserInitiatedShutdown'] }), [b]);
  });

  it('dns-name and private-dns-name, with wildcards', async () => {
    const ia = await describeInstance(client, a);
    assert.deepEqual(await ids({ Name: 'dns-name', Values: [ia.PublicDnsName!] }), [a]);
    assert.deepEqual(await ids({ Name: 'private-dns-name', Values: [ia.PrivateDnsName!] }), [a]);
    assert.deepEqual(await ids({ Name: 'private-dns-name', Values: ['ip-*.ec2.internal'] }), [a, b].sort());
    assert.deepEqual(await ids({ Name: 'dns-name', Values: ['ec2-*'] }), [a], 'a stopped instance has no public name');
  });

  it('launch options: monitoring-state, iam-instance-profile.arn, cpu-options', async () => {
    assert.deepEqual(await ids({ Name: 'monitoring-state', Values: ['enabled'] }), [a]);
    assert.deepEqual(await ids({ Name: 'iam-instance-profile.arn', Values: ['*:instance-profile/p'] }), [a]);
    assert.deepEqual(await ids({ Name: 'cpu-options.threads-per-core', Values: ['2'] }), [b]);
  });
});

describe('DescribeImages source-instance-id', () => {
  it('names the instance an image was made from', async () => {
    const { ImageId } = await client.send(new CreateImageCommand({ InstanceId: a, Name: 'from-a', NoReboot: true }));
    const d = await client.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'source-instance-id', Values: [a] }] }));
    assert.deepEqual(d.Images!.map((i) => [i.ImageId, i.SourceInstanceId]), [[ImageId, a]]);
    const none = await client.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'source-instance-id', Values: [b] }] }));
    assert.deepEqual(none.Images, []);
  });
});
