// Windows Server AMIs and GetPasswordData: AWS's images (platform windows, /dev/sda1, Amazon's
// Windows owner), ED25519 refused at launch, an empty password until the instance has booted, then
// the Administrator password encrypted to the launch key — decrypted by /usr/bin/aws
// (--priv-launch-key) and by OpenSSL from the SDK's answer — kept through stop/start, and a new one
// for an instance of an AMI made from it launched with another key.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateImageCommand,
  CreateKeyPairCommand,
  DescribeImagesCommand,
  DescribeVolumesCommand,
  GetPasswordDataCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { CreateAutoScalingGroupCommand, DeleteAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateCommand } from '@aws-sdk/client-ec2';
import { autoScalingClient, destroyAutoScalingClients, eventually, FAST_AUTOSCALING } from '../helpers/autoscaling.js';
import { awsError, startTestServer, type TestServer } from '../helpers/server.js';
import { awsCli } from '../helpers/awscli.js';
import { describe as describeInstance, waitForState } from '../helpers/instances.js';
import { requireTools, runAsync, tempDir, writePrivate } from '../helpers/tools.js';

requireTools(['/usr/bin/aws', '/usr/bin/openssl', '/usr/bin/ssh-keygen'], 'the Windows password tests');

const dir = tempDir('ec2lite-windows-');
let server: TestServer;
let client: EC2Client;
let windowsAmi: string;

async function createKey(c: EC2Client, name: string, type: 'rsa' | 'ed25519' = 'rsa'): Promise<string> {
  const k = await c.send(new CreateKeyPairCommand({ KeyName: name, KeyType: type }));
  return writePrivate(dir.file(`${name}.pem`), k.KeyMaterial!);
}

/** Every instance of this file is launched here (the lead adds security group rules in one place). */
async function launch(c: EC2Client, imageId: string, keyName: string): Promise<string> {
  const r = await c.send(new RunInstancesCommand({ ImageId: imageId, MinCount: 1, MaxCount: 1, KeyName: keyName, InstanceType: 't3.medium' }));
  const id = r.Instances![0]!.InstanceId!;
  await waitForState(c, id, 'running');
  return id;
}

/** Polls GetPasswordData until the password is there (bounded). */
async function passwordOf(c: EC2Client, id: string): Promise<{ data: string; timestamp: Date }> {
  for (let i = 0; i < 400; i++) {
    const r = await c.send(new GetPasswordDataCommand({ InstanceId: id }));
    assert.equal(r.InstanceId, id);
    if (r.PasswordData) return { data: r.PasswordData, timestamp: r.Timestamp! };
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error(`no password for ${id}`);
}

/** RSA PKCS#1 v1.5 decryption with OpenSSL (Node refuses this padding for private decryption). */
async function decrypt(keyPath: string, base64: string): Promise<string> {
  const r = await runAsync('/usr/bin/openssl', ['pkeyutl', '-decrypt', '-inkey', keyPath, '-pkeyopt', 'rsa_padding_mode:pkcs1'], { input: Buffer.from(base64, 'base64') });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

before(async () => {
  server = await startTestServer({ login: { windowsPasswordDelayMs: 0, instanceConnectKeyLifetimeMs: 60_000 }, autoScaling: FAST_AUTOSCALING });
  client = server.client();
  const images = (await client.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'platform', Values: ['windows'] }] }))).Images!;
  windowsAmi = images.find((i) => i.Name!.startsWith('Windows_Server-2022-English-Full-Base-'))!.ImageId!;
});

after(async () => {
  destroyAutoScalingClients();
  await server?.close();
  dir.cleanup();
});

describe('Windows Server images', () => {
  it("are AWS's: platform windows, PlatformDetails Windows, /dev/sda1, Amazon's Windows owner", async () => {
    const all = (await client.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images!;
    const windows = all.filter((i) => (i.Platform as string) === 'windows');
    assert.deepEqual(windows.map((i) => i.Name!.replace(/-\d{4}\.\d{2}\.\d{2}$/, '')).sort(), [
      'Windows_Server-2019-English-Full-Base',
      'Windows_Server-2022-English-Full-Base',
    ]);
    for (const i of windows) {
      assert.equal(i.PlatformDetails, 'Windows');
      assert.equal(i.UsageOperation, 'RunInstances:0002');
      assert.equal(i.RootDeviceName, '/dev/sda1');
      assert.equal(i.OwnerId, '801119661308');
      assert.equal(i.ImageOwnerAlias, 'amazon');
      assert.equal(i.BlockDeviceMappings![0]!.Ebs!.VolumeSize, 30);
    }
    // Linux images carry no Platform member
    assert.ok(all.filter((i) => i.Platform === undefined).length >= 3);
  });

  it('refuse an ED25519 key pair at launch with AWS error', async () => {
    await createKey(client, 'win-ed', 'ed25519');
    const e = await awsError(() => client.send(new RunInstancesCommand({ ImageId: windowsAmi, MinCount: 1, MaxCount: 1, KeyName: 'win-ed' })));
    assert.equal(e.name, 'Unsupported');
    assert.equal(e.status, 400);
    assert.equal(e.message, 'ED25519 key pairs are not supported with Windows AMIs. Choose a different key pair type and try again.');
  });
});

describe('GetPasswordData', () => {
  it('is empty until the instance has booted (a long configured delay), with a timestamp', async () => {
    const slow = await startTestServer({ login: { windowsPasswordDelayMs: 3_600_000, instanceConnectKeyLifetimeMs: 60_000 } });
    try {
      const c = slow.client();
      await createKey(c, 'slow');
      const ami = (await c.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'platform', Values: ['windows'] }] }))).Images![0]!.ImageId!;
      const id = await launch(c, ami, 'slow');
      const r = await c.send(new GetPasswordDataCommand({ InstanceId: id }));
      assert.equal(r.InstanceId, id);
      assert.equal(r.PasswordData, '');
      assert.ok(r.Timestamp instanceof Date && !Number.isNaN(r.Timestamp.getTime()));
      const raw = await slow.raw({ Action: 'GetPasswordData', Version: '2016-11-15', InstanceId: id });
      assert.match(raw.body, /<GetPasswordDataResponse xmlns="http:\/\/ec2\.amazonaws\.com\/doc\/2016-11-15\/">/);
      assert.match(raw.body, new RegExp(`<instanceId>${id}</instanceId>\\s*<timestamp>[0-9T:.Z-]+</timestamp>\\s*<passwordData\\s*/?>(</passwordData>)?`));
    } finally {
      await slow.close();
    }
  });

  it('gives the Administrator password encrypted to the launch key: the AWS CLI and OpenSSL decrypt it', async () => {
    const pem = await createKey(client, 'win-rsa');
    const id = await launch(client, windowsAmi, 'win-rsa');
    const inst = await describeInstance(client, id);
    assert.equal(inst.Platform, 'windows');
    assert.equal(inst.PlatformDetails, 'Windows');
    assert.equal(inst.RootDeviceName, '/dev/sda1');
    // no SSH endpoint: a Windows guest serves no login
    assert.equal((await fetch(`${server.url}/_ec2lite/instances/${id}/ssh`)).status, 404);

    const first = await passwordOf(client, id);
    assert.equal(Buffer.from(first.data, 'base64').length, 256, 'one RSA-2048 block');
    const plain = await decrypt(pem, first.data);
    assert.match(plain, /^[\x21-\x7e]{32}$/);

    const cli = await awsCli(server.url, ['ec2', 'get-password-data', '--instance-id', id, '--priv-launch-key', pem, '--output', 'json']);
    assert.equal(cli.status, 0, cli.stderr);
    const out = JSON.parse(cli.stdout) as { InstanceId: string; PasswordData: string };
    assert.equal(out.InstanceId, id);
    assert.equal(out.PasswordData, plain);
    // asking again gives the same stored ciphertext
    assert.equal((await passwordOf(client, id)).data, first.data);

    // kept through stop/start
    await client.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await waitForState(client, id, 'stopped');
    assert.equal((await client.send(new GetPasswordDataCommand({ InstanceId: id }))).PasswordData, first.data);
    await client.send(new StartInstancesCommand({ InstanceIds: [id] }));
    await waitForState(client, id, 'running');
    const again = await passwordOf(client, id);
    assert.equal(again.data, first.data);
    assert.equal(again.timestamp.getTime(), first.timestamp.getTime());

    // volumes, like any instance's: the 30 GiB root at /dev/sda1
    const vols = (await client.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [id] }] }))).Volumes!;
    assert.deepEqual(vols.map((v) => [v.Attachments![0]!.Device, v.Size]), [['/dev/sda1', 30]]);

    // an AMI of it, launched with another key: a new password for that key
    const img = await client.send(new CreateImageCommand({ InstanceId: id, Name: 'my-windows' }));
    for (let i = 0; i < 400; i++) {
      const s = (await client.send(new DescribeImagesCommand({ ImageIds: [img.ImageId!] }))).Images![0]!;
      if (s.State === 'available') {
        assert.equal(s.Platform, 'windows');
        assert.equal(s.PlatformDetails, 'Windows');
        break;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    const otherPem = await createKey(client, 'win-other');
    const child = await launch(client, img.ImageId!, 'win-other');
    assert.equal((await describeInstance(client, child)).Platform, 'windows');
    const childPassword = await passwordOf(client, child);
    const childPlain = await decrypt(otherPem, childPassword.data);
    assert.match(childPlain, /^[\x21-\x7e]{32}$/);
    assert.notEqual(childPlain, plain);
    // the first key cannot read it
    const wrong = await runAsync('/usr/bin/openssl', ['pkeyutl', '-decrypt', '-inkey', pem, '-pkeyopt', 'rsa_padding_mode:pkcs1'], { input: Buffer.from(childPassword.data, 'base64') });
    assert.ok(wrong.code !== 0 || wrong.stdout !== childPlain);

    await client.send(new TerminateInstancesCommand({ InstanceIds: [id, child] }));
    await waitForState(client, id, 'terminated');
  });

  it('is empty for a Linux instance, and refuses unknown or malformed ids as EC2 does', async () => {
    await createKey(client, 'linux');
    const al = (await client.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images!.find((i) => i.Name!.startsWith('al2023'))!.ImageId!;
    const id = await launch(client, al, 'linux');
    assert.equal((await client.send(new GetPasswordDataCommand({ InstanceId: id }))).PasswordData, '');
    const missing = await awsError(() => client.send(new GetPasswordDataCommand({ InstanceId: 'i-0123456789abcdef0' })));
    assert.equal(missing.name, 'InvalidInstanceID.NotFound');
    const bad = await awsError(() => client.send(new GetPasswordDataCommand({ InstanceId: 'nope' })));
    assert.equal(bad.name, 'InvalidInstanceID.Malformed');
  });
});

describe('Windows in Auto Scaling', () => {
  it('launches Windows instances from a launch template, each with its own password', async () => {
    const pem = await createKey(client, 'win-asg');
    await client.send(
      new CreateLaunchTemplateCommand({ LaunchTemplateName: 'win-lt', LaunchTemplateData: { ImageId: windowsAmi, InstanceType: 't3.medium', KeyName: 'win-asg' } }),
    );
    const asg = autoScalingClient(server.url);
    await asg.send(
      new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'win-asg', LaunchTemplate: { LaunchTemplateName: 'win-lt' }, MinSize: 2, MaxSize: 2, AvailabilityZones: ['us-east-1a'] }),
    );
    const ids = await eventually('two InService members', async () => {
      const g = (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['win-asg'] }))).AutoScalingGroups![0]!;
      const members = (g.Instances ?? []).filter((i) => i.LifecycleState === 'InService');
      return members.length === 2 ? members.map((i) => i.InstanceId!) : undefined;
    });
    const plain = new Set<string>();
    for (const id of ids) {
      await waitForState(client, id, 'running');
      assert.equal((await describeInstance(client, id)).Platform, 'windows');
      plain.add(await decrypt(pem, (await passwordOf(client, id)).data));
    }
    assert.equal(plain.size, 2, 'one password per instance');
    await asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'win-asg', ForceDelete: true }));
  });
});
