// The waiters users run right after launching or stopping: the AWS CLI's `ec2 wait` and the SDK's
// waitUntilInstance*. RunInstances and StopInstances answer `pending` / `stopping` as AWS does, and
// the waiter's first DescribeInstances finds `running` / `stopped` with the guest reachable, so no
// waiter sleeps its 15 s poll interval. Counts of polls are asserted, never durations.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { CreateKeyPairCommand, RunInstancesCommand, StopInstancesCommand, waitUntilInstanceRunning, waitUntilInstanceStopped, type EC2Client } from '@aws-sdk/client-ec2';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { images, type Images } from '../helpers/instances.js';
import { awsCli } from '../helpers/awscli.js';
import { requireTools, tempDir } from '../helpers/tools.js';
import { sshInstance } from '../helpers/ssh.js';
import { allowSsh } from '../helpers/network.js';

requireTools(['/usr/bin/ssh', '/usr/bin/aws'], 'the waiter tests');

const dir = tempDir('ec2lite-waiters-');
let server: TestServer;
let client: EC2Client;
let img: Images;
let pem: string;

before(async () => {
  server = await startTestServer(); // the default delays, as users run it
  client = server.client();
  img = await images(client);
  const key = await client.send(new CreateKeyPairCommand({ KeyName: 'waiter' }));
  pem = dir.file('waiter.pem');
  await writeFile(pem, key.KeyMaterial!, { mode: 0o600 });
});
after(async () => {
  await server.close();
  dir.cleanup();
});

async function sshWhoami(id: string): Promise<string> {
  await allowSsh(client, id);
  const r = await sshInstance(server.url, id, 'whoami', { key: pem, knownHosts: dir.file('known_hosts'), hostKeys: 'accept-new' });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

describe('waiters', () => {
  it('aws ec2 run-instances, then aws ec2 wait instance-running returns and SSH works right after', async () => {
    const run = await awsCli(server.url, ['ec2', 'run-instances', '--image-id', img.al2023, '--key-name', 'waiter', '--count', '1', '--output', 'json']);
    assert.equal(run.status, 0, run.stderr);
    const instance = (JSON.parse(run.stdout) as { Instances: { InstanceId: string; State: { Name: string } }[] }).Instances[0]!;
    assert.equal(instance.State.Name, 'pending');
    // --debug logs each DescribeInstances the waiter sends.
    const wait = await awsCli(server.url, ['--debug', 'ec2', 'wait', 'instance-running', '--instance-ids', instance.InstanceId]);
    assert.equal(wait.status, 0, wait.stderr.slice(-2000));
    const polls = wait.stderr.match(/Making request for OperationModel\(name=DescribeInstances\)/g) ?? [];
    assert.equal(polls.length, 1, 'the waiter found the instance running on its first poll');
    assert.equal(await sshWhoami(instance.InstanceId), 'ec2-user\n');

    const stop = await awsCli(server.url, ['ec2', 'stop-instances', '--instance-ids', instance.InstanceId, '--output', 'json']);
    assert.equal(stop.status, 0, stop.stderr);
    assert.equal((JSON.parse(stop.stdout) as { StoppingInstances: { CurrentState: { Name: string } }[] }).StoppingInstances[0]!.CurrentState.Name, 'stopping');
    const stopped = await awsCli(server.url, ['--debug', 'ec2', 'wait', 'instance-stopped', '--instance-ids', instance.InstanceId]);
    assert.equal(stopped.status, 0, stopped.stderr.slice(-2000));
    assert.equal((stopped.stderr.match(/Making request for OperationModel\(name=DescribeInstances\)/g) ?? []).length, 1);
  });

  it('the SDK waiters succeed on their first poll, which they send at once', async () => {
    const run = await client.send(new RunInstancesCommand({ ImageId: img.al2023, KeyName: 'waiter', MinCount: 1, MaxCount: 1 }));
    const id = run.Instances![0]!.InstanceId!;
    assert.equal(run.Instances![0]!.State!.Name, 'pending');
    const running = await waitUntilInstanceRunning({ client, maxWaitTime: 120 }, { InstanceIds: [id] });
    assert.equal(running.state, 'SUCCESS');
    assert.equal(Object.values(running.observedResponses ?? {}).reduce((a, b) => a + b, 0), 1);
    assert.equal(await sshWhoami(id), 'ec2-user\n');

    const stop = await client.send(new StopInstancesCommand({ InstanceIds: [id] }));
    assert.equal(stop.StoppingInstances![0]!.CurrentState!.Name, 'stopping');
    const stopped = await waitUntilInstanceStopped({ client, maxWaitTime: 120 }, { InstanceIds: [id] });
    assert.equal(stopped.state, 'SUCCESS');
    assert.equal(Object.values(stopped.observedResponses ?? {}).reduce((a, b) => a + b, 0), 1);
  });
});
