// Launch templates end to end with the AWS CLI and OpenSSH: a template's block devices, profile
// and monitoring reach the instance (its extra disk is in lsblk), the request's members win, the
// instance carries the template's tags, and describe-launch-template-versions gives the data back.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { TestServer } from '../helpers/server.js';
import { waitForState, type Images } from '../helpers/instances.js';
import { awsCli } from '../helpers/awscli.js';
import { requireTools } from '../helpers/tools.js';
import { startKeyedLaunchServer, type KeyedLaunchServer } from '../helpers/launch-fixture.js';
import { sshOutput } from '../helpers/ssh.js';
import { allowSsh } from '../helpers/network.js';

requireTools(['/usr/bin/ssh', '/usr/bin/aws'], 'the launch template CLI tests');

let fx: KeyedLaunchServer;
let server: TestServer;
let client: EC2Client;
let img: Images;
let pem: string;

before(async () => {
  fx = await startKeyedLaunchServer('lt', 'ec2lite-lt-cli-');
  ({ server, client, img, pem } = fx);
});
after(() => fx.close());

const cli = async (args: string[]) => {
  const r = await awsCli(server.url, [...args, '--output', 'json']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout || '{}') as Record<string, any>;
};

/** Every SSH launch of this file goes through here: port 22 opened as a user would (security groups). */
async function launch(args: string[]): Promise<string> {
  const run = await cli(['ec2', 'run-instances', '--count', '1', ...args]);
  const id = run['Instances'][0].InstanceId as string;
  await waitForState(client, id, 'running');
  await allowSsh(client, id);
  return id;
}

describe('launch templates (AWS CLI, OpenSSH)', () => {
  it("a template's members reach the instance; the request's win", async () => {
    const data = {
      ImageId: img.al2023,
      InstanceType: 't2.micro',
      KeyName: 'lt',
      Monitoring: { Enabled: true },
      IamInstanceProfile: { Name: 'from-template' },
      BlockDeviceMappings: [
        { DeviceName: '/dev/xvda', Ebs: { VolumeSize: 12, VolumeType: 'gp3' } },
        { DeviceName: '/dev/sdf', Ebs: { VolumeSize: 3, VolumeType: 'gp3', Encrypted: true } },
      ],
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'from-template' }] }],
    };
    const lt = await cli(['ec2', 'create-launch-template', '--launch-template-name', 'cli-lt', '--launch-template-data', JSON.stringify(data)]);
    const ltId = lt['LaunchTemplate'].LaunchTemplateId as string;
    const versions = await cli(['ec2', 'describe-launch-template-versions', '--launch-template-id', ltId]);
    const got = versions['LaunchTemplateVersions'][0].LaunchTemplateData;
    assert.deepEqual(got.BlockDeviceMappings, data.BlockDeviceMappings);
    assert.deepEqual(got.IamInstanceProfile, data.IamInstanceProfile);
    assert.deepEqual(got.Monitoring, data.Monitoring);

    const id = await launch(['--launch-template', `LaunchTemplateId=${ltId},Version=$Latest`, '--monitoring', 'Enabled=false']);
    const d = await cli(['ec2', 'describe-instances', '--instance-ids', id]);
    const inst = d['Reservations'][0].Instances[0];
    assert.equal(inst.InstanceType, 't2.micro');
    assert.equal(inst.Monitoring.State, 'disabled', 'the request wins');
    assert.match(inst.IamInstanceProfile.Arn, /instance-profile\/from-template$/);
    const tags = Object.fromEntries((inst.Tags as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]));
    assert.deepEqual(tags, { Name: 'from-template', 'aws:ec2launchtemplate:id': ltId, 'aws:ec2launchtemplate:version': '1' });

    const lsblk = await sshOutput(server.url, id, 'lsblk', { key: pem, knownHosts: fx.dir.file('known_hosts') });
    assert.match(lsblk, /^xvda +202:0 +0 +12G +0 disk *$/m);
    assert.match(lsblk, /^xvdf +202:80 +0 +3G +0 disk *$/m);

    const fromInstance = await cli(['ec2', 'get-launch-template-data', '--instance-id', id]);
    assert.equal(fromInstance['LaunchTemplateData'].BlockDeviceMappings.length, 2);
    assert.equal(fromInstance['LaunchTemplateData'].BlockDeviceMappings[1].Ebs.Encrypted, true);
  });
});
