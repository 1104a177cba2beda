// Debian's AWS CLI (`aws autoscaling …`, `aws ec2 …-launch-template…`) against ec2lite: the CLI's
// own request shapes and its rendering of our answers and errors.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeCredentials } from '../../src/auth/credentials-file.js';
import { tempDir } from '../helpers/tools.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { awsCli } from '../helpers/awscli.js';
import { eventually, FAST_AUTOSCALING } from '../helpers/autoscaling.js';
import { images } from '../helpers/instances.js';

let server: TestServer;
let ami = '';
before(async () => {
  server = await startTestServer({ instanceDelays: { start: 20, stop: 20, terminate: 20 }, sshPort: 0, autoScaling: FAST_AUTOSCALING });
  ami = (await images(server.client())).al2023;
});
after(() => server.close());

const ok = async (...args: string[]) => {
  const r = await awsCli(server.url, args);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};
const json = async (...args: string[]) => JSON.parse(await ok(...args, '--output', 'json'));
const fails = async (...args: string[]) => {
  const r = await awsCli(server.url, args);
  assert.notEqual(r.status, 0, r.stdout);
  return r.stderr.trim().replace(' (reached max retries: 0)', '');
};

describe('aws autoscaling', { timeout: 120_000 }, () => {
  it('launch template, group, activities, and the key pair errors', async () => {
    await ok('ec2', 'create-key-pair', '--key-name', 'cli-key', '--key-type', 'ed25519');
    const lt = await json('ec2', 'create-launch-template', '--launch-template-name', 'cli-lt', '--launch-template-data', JSON.stringify({ ImageId: ami, KeyName: 'cli-key' }));
    assert.equal(lt.LaunchTemplate.LatestVersionNumber, 1);
    await ok('ec2', 'create-launch-template-version', '--launch-template-name', 'cli-lt', '--source-version', '1', '--launch-template-data', '{"InstanceType":"t3.small"}');
    const versions = await json('ec2', 'describe-launch-template-versions', '--launch-template-name', 'cli-lt', '--versions', '$Latest');
    assert.equal(versions.LaunchTemplateVersions[0].LaunchTemplateData.InstanceType, 't3.small');

    await ok('autoscaling', 'create-auto-scaling-group', '--auto-scaling-group-name', 'cli', '--launch-template', 'LaunchTemplateName=cli-lt,Version=$Latest',
      '--min-size', '1', '--max-size', '2', '--desired-capacity', '2', '--availability-zones', 'us-east-1a', 'us-east-1b', '--tags', 'Key=env,Value=test,PropagateAtLaunch=true');
    const g = await eventually('2 InService', async () => {
      const d = await json('autoscaling', 'describe-auto-scaling-groups', '--auto-scaling-group-names', 'cli');
      const x = d.AutoScalingGroups[0];
      return x.Instances.length === 2 && x.Instances.every((i: { LifecycleState: string }) => i.LifecycleState === 'InService') ? x : undefined;
    });
    assert.equal(g.LaunchTemplate.LaunchTemplateName, 'cli-lt');
    assert.equal(g.Instances[0].InstanceType, 't3.small');
    const text = await ok('autoscaling', 'describe-scaling-activities', '--auto-scaling-group-name', 'cli', '--query', 'Activities[].StatusCode', '--output', 'text');
    assert.deepEqual(text.trim().split(/\s+/), ['Successful', 'Successful']);

    await ok('ec2', 'delete-key-pair', '--key-name', 'cli-key');
    assert.equal(
      await fails('autoscaling', 'create-auto-scaling-group', '--auto-scaling-group-name', 'cli2', '--launch-template', 'LaunchTemplateName=cli-lt', '--min-size', '0', '--max-size', '1', '--availability-zones', 'us-east-1a'),
      "An error occurred (ValidationError) when calling the CreateAutoScalingGroup operation: You must use a valid fully-formed launch template. The key pair 'cli-key' does not exist",
    );
    assert.equal(
      await fails('autoscaling', 'create-launch-configuration', '--launch-configuration-name', 'cli-lc', '--image-id', ami, '--instance-type', 't3.micro', '--key-name', 'cli-key'),
      "An error occurred (ValidationError) when calling the CreateLaunchConfiguration operation: The key pair 'cli-key' does not exist",
    );
    const id = g.Instances[0].InstanceId as string;
    await ok('autoscaling', 'terminate-instance-in-auto-scaling-group', '--instance-id', id, '--no-should-decrement-desired-capacity');
    const failed = await eventually('a Failed activity', async () => {
      const acts = (await json('autoscaling', 'describe-scaling-activities', '--auto-scaling-group-name', 'cli')).Activities as { StatusCode: string; StatusMessage?: string }[];
      return acts.find((x) => x.StatusCode === 'Failed');
    });
    assert.equal(failed.StatusMessage, "The key pair 'cli-key' does not exist. Launching EC2 instance failed.");
    assert.equal(
      await fails('autoscaling', 'delete-auto-scaling-group', '--auto-scaling-group-name', 'cli'),
      'An error occurred (ResourceInUse) when calling the DeleteAutoScalingGroup operation: You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.',
    );
    assert.equal(
      await fails('autoscaling', 'set-desired-capacity', '--auto-scaling-group-name', 'cli', '--desired-capacity', '3'),
      'An error occurred (ValidationError) when calling the SetDesiredCapacity operation: New SetDesiredCapacity value 3 is above max value 2 for the AutoScalingGroup.',
    );
    await ok('autoscaling', 'delete-auto-scaling-group', '--auto-scaling-group-name', 'cli', '--force-delete');
    await eventually('group gone', async () =>
      (await json('autoscaling', 'describe-auto-scaling-groups')).AutoScalingGroups.length === 0 ? true : undefined,
    );
  });
});

describe('aws autoscaling against a strict server', () => {
  const KEY = { accessKeyId: 'AKIACLIASGSTRICT0001', secretAccessKey: 'cli/asg+strict0000000000000000000000000', accountId: '123456789012' };
  const dir = tempDir();
  let strict: TestServer;
  before(async () => {
    const file = join(dir.path, 'credentials.json');
    writeCredentials(file, [KEY]);
    strict = await startTestServer({ auth: 'strict', credentialsFile: file, autoScaling: FAST_AUTOSCALING });
  });
  after(async () => {
    await strict.close();
    dir.cleanup();
  });

  it("botocore's signature for the autoscaling scope is verified; a wrong secret is refused", async () => {
    const env = { AWS_ACCESS_KEY_ID: KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: KEY.secretAccessKey, AWS_DEFAULT_REGION: 'eu-west-1' };
    const good = await awsCli(strict.url, ['autoscaling', 'describe-auto-scaling-groups', '--output', 'json'], env);
    assert.equal(good.status, 0, good.stderr);
    assert.deepEqual(JSON.parse(good.stdout).AutoScalingGroups, []);
    const bad = await awsCli(strict.url, ['autoscaling', 'describe-auto-scaling-groups'], { ...env, AWS_SECRET_ACCESS_KEY: 'wrong' });
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /\(SignatureDoesNotMatch\) when calling the DescribeAutoScalingGroups operation/);
  });
});
