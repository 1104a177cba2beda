// Launch options end to end with the AWS CLI and OpenSSH: an instance launched with an IAM
// instance profile serves it at iam/info, `aws ec2 wait instance-status-ok` and `system-status-ok`
// return on their first poll, and stop protection refuses `aws ec2 stop-instances`.
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

requireTools(['/usr/bin/ssh', '/usr/bin/aws'], 'the launch option tests');

let fx: KeyedLaunchServer;
let server: TestServer;
let client: EC2Client;
let img: Images;
let pem: string;

before(async () => {
  fx = await startKeyedLaunchServer('opts', 'ec2lite-launch-options-');
  ({ server, client, img, pem } = fx);
});
after(() => fx.close());

/** Every SSH launch of this file goes through here: port 22 opened as a user would (security groups). */
async function launch(args: string[]): Promise<string> {
  const run = await awsCli(server.url, ['ec2', 'run-instances', '--image-id', img.al2023, '--key-name', 'opts', '--count', '1', '--output', 'json', ...args]);
  assert.equal(run.status, 0, run.stderr);
  const id = (JSON.parse(run.stdout) as { Instances: { InstanceId: string }[] }).Instances[0]!.InstanceId;
  await allowSsh(client, id);
  return id;
}

describe('launch options (AWS CLI, OpenSSH)', () => {
  it('iam/info over SSH; status waiters; stop protection', async () => {
    const id = await launch(['--iam-instance-profile', 'Name=app-role', '--disable-api-stop', '--monitoring', 'Enabled=true']);
    for (const waiter of ['instance-running', 'instance-status-ok', 'system-status-ok']) {
      const w = await awsCli(server.url, ['--debug', 'ec2', 'wait', waiter, '--instance-ids', id]);
      assert.equal(w.status, 0, `${waiter}: ${w.stderr.slice(-1500)}`);
      if (waiter !== 'instance-running') assert.equal((w.stderr.match(/Making request for OperationModel\(name=DescribeInstanceStatus\)/g) ?? []).length, 1, waiter);
    }
    await waitForState(client, id, 'running');
    const iamInfo = () =>
      sshOutput(server.url, id, 'T=$(curl -s -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 60"); curl -s -H "X-aws-ec2-metadata-token: $T" http://169.254.169.254/latest/meta-data/iam/info', { key: pem, knownHosts: fx.dir.file('known_hosts') });
    const info = JSON.parse(await iamInfo()) as Record<string, string>;
    assert.equal(info['Code'], 'Success');
    assert.match(info['InstanceProfileArn']!, /^arn:aws:iam::\d{12}:instance-profile\/app-role$/);
    assert.match(info['InstanceProfileId']!, /^AIPA/);

    // a replaced association shows in the running guest's metadata at once
    const assoc = await awsCli(server.url, ['ec2', 'describe-iam-instance-profile-associations', '--filters', `Name=instance-id,Values=${id}`, '--query', 'IamInstanceProfileAssociations[0].AssociationId', '--output', 'text']);
    const replaced = await awsCli(server.url, ['ec2', 'replace-iam-instance-profile-association', '--association-id', assoc.stdout.trim(), '--iam-instance-profile', 'Name=other-role']);
    assert.equal(replaced.status, 0, replaced.stderr);
    assert.match(JSON.parse(await iamInfo()).InstanceProfileArn, /instance-profile\/other-role$/);
    await awsCli(server.url, ['ec2', 'replace-iam-instance-profile-association', '--association-id', JSON.parse(replaced.stdout).IamInstanceProfileAssociation.AssociationId, '--iam-instance-profile', 'Name=app-role']);
    const d = await awsCli(server.url, ['ec2', 'describe-instances', '--instance-ids', id, '--query', 'Reservations[0].Instances[0].[Monitoring.State,IamInstanceProfile.Arn]', '--output', 'text']);
    assert.match(d.stdout, /^enabled\tarn:aws:iam::\d{12}:instance-profile\/app-role$/m);
    const stop = await awsCli(server.url, ['ec2', 'stop-instances', '--instance-ids', id]);
    assert.notEqual(stop.status, 0);
    assert.match(stop.stderr, /\(OperationNotPermitted\).*may not be stopped\. Modify its 'disableApiStop' instance attribute and try again\./);
  });
});
