// User data on the wire: RunInstances UserData (base64, 16 KB decoded), DescribeInstanceAttribute,
// ModifyInstanceAttribute (userData and instanceType only while stopped), the AWS CLI's
// --user-data file://, durability across a server restart, and IMDS latest/user-data.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import {
  CreateLaunchTemplateCommand,
  DescribeInstanceAttributeCommand,
  ModifyInstanceAttributeCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { awsError, startTestServer, type TestServer } from '../helpers/server.js';
import { images, waitForState, type Images } from '../helpers/instances.js';
import { awsCli } from '../helpers/awscli.js';
import { tempDir } from '../helpers/tools.js';
import { sshProbe, type SshProbe } from '../helpers/ssh-probe.js';

let server: TestServer;
let client: EC2Client;
let img: Images;
let probe: SshProbe;
const dir = tempDir('ec2lite-userdata-');
before(async () => {
  server = await startTestServer({ instanceDelays: { start: 20, stop: 20, terminate: 20 } });
  client = server.client();
  img = await images(client);
  probe = await sshProbe(client);
});
after(async () => {
  await server.close();
  dir.cleanup();
  probe.cleanup();
});

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const run = async (over: Record<string, unknown> = {}) =>
  (await client.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1, KeyName: probe.keyName, ...over }))).Instances![0]!.InstanceId!;
const userDataOf = async (id: string) =>
  (await client.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'userData' }))).UserData;
const imds = async (id: string, path: string) =>
  probe.run(server.url, id, `T=$(curl -s -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60'); curl -s -w ' %{http_code}' -H "X-aws-ec2-metadata-token: $T" http://169.254.169.254${path}`);

describe('UserData', () => {
  it('is stored decoded and answered as base64 by DescribeInstanceAttribute; IMDS serves the bytes', async () => {
    const script = '#!/bin/bash\necho hi\n';
    const id = await run({ UserData: b64(script) });
    assert.deepEqual(await userDataOf(id), { Value: b64(script) });
    await waitForState(client, id, 'running');
    assert.equal((await imds(id, '/latest/user-data')).stdout, `${script} 200`);
  });

  it('reaches the guest byte for byte when it is binary (gzip)', async () => {
    const gz = (await import('node:zlib')).gzipSync(Buffer.from('#!/bin/sh\necho zipped\n'));
    const id = await run({ UserData: b64(gz) });
    await waitForState(client, id, 'running');
    const r = await probe.run(server.url, id, 'T=$(curl -s -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 60"); curl -s -H "X-aws-ec2-metadata-token: $T" http://169.254.169.254/latest/user-data | base64 -w0');
    assert.equal(r.stdout, b64(gz));
  });

  it('comes from a launch template when the request gives none', async () => {
    await client.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'with-user-data', LaunchTemplateData: { ImageId: img.al2023, UserData: b64('#!/bin/sh\necho lt\n') } }));
    const r = await client.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: 'with-user-data' } }));
    assert.deepEqual(await userDataOf(r.Instances![0]!.InstanceId!), { Value: b64('#!/bin/sh\necho lt\n') });
    const own = await run({ LaunchTemplate: { LaunchTemplateName: 'with-user-data' }, UserData: b64('mine') });
    assert.deepEqual(await userDataOf(own), { Value: b64('mine') }, "the request's own wins");
  });

  it('is empty without user data, and IMDS answers 404', async () => {
    const id = await run();
    assert.deepEqual(await userDataOf(id), {});
    await waitForState(client, id, 'running');
    assert.match((await imds(id, '/latest/user-data')).stdout, /<title>404 - Not Found<\/title>.* 404$/s);
  });

  it('refuses more than 16384 decoded bytes and bad base64, as EC2 does', async () => {
    const big = await awsError(() => run({ UserData: b64(Buffer.alloc(16385, 0x41)) }));
    assert.deepEqual(big, { name: 'InvalidParameterValue', message: 'User data is limited to 16384 bytes', status: 400 });
    const id = await run({ UserData: b64(Buffer.alloc(16384, 0x41)) });
    assert.equal(Buffer.from((await userDataOf(id))!.Value!, 'base64').length, 16384);
    const bad = await awsError(() => run({ UserData: 'not base64!' }));
    assert.deepEqual(bad, { name: 'InvalidUserData.Malformed', message: 'Invalid BASE64 encoding of user data.', status: 400 });
  });

  it('is taken from a file by the AWS CLI (--user-data file://), which base64-encodes it', async () => {
    const file = dir.file('init.sh');
    writeFileSync(file, '#!/bin/sh\necho from-cli\n');
    const r = await awsCli(server.url, ['ec2', 'run-instances', '--image-id', img.al2023, '--count', '1', '--user-data', `file://${file}`, '--query', 'Instances[0].InstanceId', '--output', 'text']);
    assert.equal(r.status, 0, r.stderr);
    const id = r.stdout.trim();
    const d = await awsCli(server.url, ['ec2', 'describe-instance-attribute', '--instance-id', id, '--attribute', 'userData', '--query', 'UserData.Value', '--output', 'text']);
    assert.equal(Buffer.from(d.stdout.trim(), 'base64').toString(), '#!/bin/sh\necho from-cli\n');
  });

  it('changes only while stopped (ModifyInstanceAttribute), and IMDS serves the new data after start', async () => {
    const id = await run({ UserData: b64('one') });
    await waitForState(client, id, 'running');
    const refused = await awsError(() => client.send(new ModifyInstanceAttributeCommand({ InstanceId: id, UserData: { Value: Buffer.from('two') } })));
    assert.deepEqual(refused, { name: 'IncorrectInstanceState', message: `The instance '${id}' is not in the 'stopped' state.`, status: 400 });
    const type = await awsError(() => client.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: 't3.large' } })));
    assert.equal(type.name, 'IncorrectInstanceState');
    await client.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await waitForState(client, id, 'stopped');
    await client.send(new ModifyInstanceAttributeCommand({ InstanceId: id, UserData: { Value: Buffer.from('two') } }));
    await client.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: 't3.large' } }));
    assert.deepEqual(await userDataOf(id), { Value: b64('two') });
    // the CLI's documented form: --attribute userData --value <base64 text>
    const cli = await awsCli(server.url, ['ec2', 'modify-instance-attribute', '--instance-id', id, '--attribute', 'userData', '--value', b64('three')]);
    assert.equal(cli.status, 0, cli.stderr);
    assert.deepEqual(await userDataOf(id), { Value: b64('three') });
    const it = await client.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'instanceType' }));
    assert.deepEqual(it.InstanceType, { Value: 't3.large' });
    await client.send(new StartInstancesCommand({ InstanceIds: [id] }));
    await waitForState(client, id, 'running');
    assert.equal((await imds(id, '/latest/user-data')).stdout, 'three 200');
    assert.equal((await imds(id, '/latest/meta-data/instance-type')).stdout, 't3.large 200');
  });

  it('answers the other attributes in their shapes; termination protection is enforced', async () => {
    const id = await run({ DisableApiTermination: true });
    const get = (Attribute: string) => client.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: Attribute as 'userData' }));
    assert.deepEqual((await get('disableApiTermination')).DisableApiTermination, { Value: true });
    assert.deepEqual((await get('instanceInitiatedShutdownBehavior')).InstanceInitiatedShutdownBehavior, { Value: 'stop' });
    assert.deepEqual((await get('rootDeviceName')).RootDeviceName, { Value: '/dev/xvda' });
    assert.deepEqual((await get('sourceDestCheck')).SourceDestCheck, { Value: true });
    assert.equal((await get('blockDeviceMapping')).BlockDeviceMappings![0]!.DeviceName, '/dev/xvda');
    const unknown = await awsError(() => get('colour'));
    assert.deepEqual(unknown, { name: 'InvalidParameterValue', message: 'Value (colour) for parameter attribute is invalid. Unknown attribute.', status: 400 });
    const locked = await awsError(() => client.send(new TerminateInstancesCommand({ InstanceIds: [id] })));
    assert.deepEqual(locked, {
      name: 'OperationNotPermitted',
      message: `The instance '${id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`,
      status: 400,
    });
    await client.send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiTermination: { Value: false } }));
    await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    const missing = await awsError(() => client.send(new DescribeInstanceAttributeCommand({ InstanceId: 'i-0000000000000dead', Attribute: 'userData' })));
    assert.equal(missing.name, 'InvalidInstanceID.NotFound');
  });
});
