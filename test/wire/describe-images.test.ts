import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeImagesCommand, type EC2Client, type Filter } from '@aws-sdk/client-ec2';
import { awsError, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let client: EC2Client;
before(async () => {
  server = await startTestServer();
  client = server.client();
});
after(() => server.close());

const names = async (input: { Filters?: Filter[]; Owners?: string[]; ImageIds?: string[] }) =>
  ((await client.send(new DescribeImagesCommand(input))).Images ?? []).map((i) => i.Name!);

describe('DescribeImages', () => {
  it('lists the built-in catalogue with AWS fields', async () => {
    const images = (await client.send(new DescribeImagesCommand({}))).Images!;
    assert.equal(images.length, 5); // AL2023, Ubuntu, Amazon Linux (instance store), Windows Server 2022 and 2019
    const al = images.find((i) => i.Name!.startsWith('al2023'))!;
    assert.match(al.ImageId!, /^ami-0[0-9a-f]{16}$/);
    assert.equal(al.State, 'available');
    assert.equal(al.Public, true);
    assert.equal(al.Architecture, 'x86_64');
    assert.equal(al.RootDeviceType, 'ebs');
    assert.equal(al.RootDeviceName, '/dev/xvda');
    assert.equal(al.ImageOwnerAlias, 'amazon');
    assert.equal(al.OwnerId, '137112412989');
    assert.equal(al.BlockDeviceMappings![0]!.DeviceName, '/dev/xvda');
    // the root snapshot is named, as AWS's public AMIs name theirs (issue 23); one per image
    assert.match(al.BlockDeviceMappings![0]!.Ebs!.SnapshotId!, /^snap-0[0-9a-f]{16}$/);
    const ubuntu = images.find((i) => i.Name!.includes('ubuntu'))!;
    assert.equal(ubuntu.RootDeviceName, '/dev/sda1');
    assert.notEqual(ubuntu.BlockDeviceMappings![0]!.Ebs!.SnapshotId, al.BlockDeviceMappings![0]!.Ebs!.SnapshotId);
    const store = images.find((i) => i.RootDeviceType === 'instance-store')!;
    assert.deepEqual(store.BlockDeviceMappings, []);
  });

  it('gives each region its own AMI ids', async () => {
    const us = (await client.send(new DescribeImagesCommand({}))).Images!.map((i) => i.ImageId).sort();
    const eu = (await server.client({ region: 'eu-west-1' }).send(new DescribeImagesCommand({}))).Images!.map((i) => i.ImageId).sort();
    assert.equal(eu.length, 5);
    assert.notDeepEqual(us, eu);
    assert.ok(eu.every((id) => !us.includes(id)));
  });

  it('selects by ImageIds and Owners (amazon, account id, self)', async () => {
    const all = (await client.send(new DescribeImagesCommand({}))).Images!;
    const id = all[1]!.ImageId!;
    assert.deepEqual(await names({ ImageIds: [id] }), [all[1]!.Name]);
    assert.equal((await names({ Owners: ['amazon'] })).length, 5);
    assert.equal((await names({ Owners: ['099720109477'] })).length, 1);
    assert.deepEqual(await names({ Owners: ['self'] }), []);
  });

  it('filters by name, image-id, root-device-type, architecture, owner-alias and state', async () => {
    assert.deepEqual(await names({ Filters: [{ Name: 'name', Values: ['al2023-ami-*'] }] }), ['al2023-ami-2023.6.20250115.0-kernel-6.1-x86_64']);
    const id = (await client.send(new DescribeImagesCommand({}))).Images![0]!.ImageId!;
    assert.equal((await names({ Filters: [{ Name: 'image-id', Values: [id] }] })).length, 1);
    assert.equal((await names({ Filters: [{ Name: 'root-device-type', Values: ['ebs'] }] })).length, 4);
    assert.equal((await names({ Filters: [{ Name: 'architecture', Values: ['arm64'] }] })).length, 0);
    assert.equal((await names({ Filters: [{ Name: 'architecture', Values: ['x86_64'] }] })).length, 5);
    assert.equal((await names({ Filters: [{ Name: 'owner-alias', Values: ['amazon'] }] })).length, 5);
    assert.equal((await names({ Filters: [{ Name: 'state', Values: ['available'] }] })).length, 5);
    const e = await awsError(() => client.send(new DescribeImagesCommand({ Filters: [{ Name: 'flavour', Values: ['x'] }] })));
    assert.equal(e.message, "The filter 'flavour' is invalid");
    const nameless = await awsError(() => client.send(new DescribeImagesCommand({ Filters: [{ Values: ['123'] }] })));
    assert.equal(nameless.name, 'InvalidParameterValue');
    assert.equal(nameless.message, "The filter 'null' is invalid");
  });

  it('refuses unknown and malformed ids; DryRun', async () => {
    const missing = await awsError(() => client.send(new DescribeImagesCommand({ ImageIds: ['ami-0123456789abcdef0'] })));
    assert.equal(missing.name, 'InvalidAMIID.NotFound');
    const several = await awsError(() => client.send(new DescribeImagesCommand({ ImageIds: ['ami-abcd1234', 'ami-1234abcd'] })));
    assert.equal(several.name, 'InvalidAMIID.NotFound');
    assert.equal(several.message, "The image ids '[ami-abcd1234, ami-1234abcd]' do not exist");
    assert.equal(missing.message, "The image id '[ami-0123456789abcdef0]' does not exist");
    const bad = await awsError(() => client.send(new DescribeImagesCommand({ ImageIds: ['ubuntu'] })));
    assert.equal(bad.name, 'InvalidAMIID.Malformed');
    const dry = await awsError(() => client.send(new DescribeImagesCommand({ DryRun: true })));
    assert.equal(dry.name, 'DryRunOperation');
  });
});
