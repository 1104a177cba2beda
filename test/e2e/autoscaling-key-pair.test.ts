// The seed's warning, end to end: "Amazon EC2 Auto Scaling launches a replacement instance if it
// detects an unhealthy instance; however, the instance launch fails if the key pair cannot be
// found." A group of 2 from a launch template naming an imported key → OpenSSH into a member →
// delete the key pair → terminate a member → Failed activities naming the key, the group stays
// at 1 → re-import the key → the group heals and the new member takes the same key. On both guest
// engines (test/helpers/engine-variants.ts): simulated Amazon Linux members and real Debian ones.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { CreateLaunchTemplateCommand, DeleteKeyPairCommand, ImportKeyPairCommand, TerminateInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateAutoScalingGroupCommand,
  DeleteAutoScalingGroupCommand,
  TerminateInstanceInAutoScalingGroupCommand,
  type AutoScalingClient,
} from '@aws-sdk/client-auto-scaling';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { requireTools, runAsync, tempDir } from '../helpers/tools.js';
import { sshInstance } from '../helpers/ssh.js';
import { activities, autoScalingClient, destroyAutoScalingClients, eventually, FAST_AUTOSCALING, group, inService } from '../helpers/autoscaling.js';
import { allowSsh } from '../helpers/network.js';
import { bothEnginesServer, forEachEngine, type EngineVariant } from '../helpers/engine-variants.js';

requireTools(['/usr/bin/ssh', '/usr/bin/ssh-keygen'], 'the Auto Scaling end-to-end test');

const dir = tempDir('ec2lite-asg-e2e-');
let server: TestServer;
let publicKey = '';
const keyPath = dir.file('fleet');

before(async () => {
  server = await startTestServer({ instanceDelays: { start: 30, stop: 30, terminate: 30 }, sshPort: 0, autoScaling: FAST_AUTOSCALING, ...bothEnginesServer() });
  const r = await runAsync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'fleet', '-f', keyPath]);
  assert.equal(r.code, 0, r.stderr);
  publicKey = (await readFile(`${keyPath}.pub`, 'utf8')).trim();
});
after(async () => {
  destroyAutoScalingClients();
  await server.close();
  dir.cleanup();
});

/** Each engine's group lives in an account of its own: the same names, apart. */
const ACCOUNT: Record<EngineVariant['name'], string> = { simulated: '111100000001', real: '111100000002' };

forEachEngine('Auto Scaling replacements and a deleted key pair', (engine) => {
  let members: string[] = [];
  let ec2: EC2Client;
  let as: AutoScalingClient;
  before(() => {
    ec2 = server.client({ accessKeyId: ACCOUNT[engine.name] });
    as = autoScalingClient(server.url, { accessKeyId: ACCOUNT[engine.name] });
  });
  const sshRun = async (instanceId: string, command: string) => {
    await allowSsh(ec2, instanceId);
    return sshInstance(server.url, instanceId, command, { key: keyPath, knownHosts: dir.file('known_hosts') });
  };

  it('a group of 2 launches real instances that take the key pair', async () => {
    await ec2.send(new ImportKeyPairCommand({ KeyName: 'fleet', PublicKeyMaterial: Buffer.from(publicKey) }));
    await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'fleet-lt', LaunchTemplateData: { ImageId: await engine.imageId(ec2), KeyName: 'fleet', InstanceType: 't3.micro' } }));
    await as.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: 'fleet',
        LaunchTemplate: { LaunchTemplateName: 'fleet-lt', Version: '$Latest' },
        MinSize: 1,
        MaxSize: 3,
        DesiredCapacity: 2,
        AvailabilityZones: ['us-east-1a', 'us-east-1b'],
      }),
    );
    const g = await inService(as, 'fleet', 2);
    members = g.Instances!.map((i) => i.InstanceId!);
    assert.deepEqual(new Set(g.Instances!.map((i) => i.AvailabilityZone)), new Set(['us-east-1a', 'us-east-1b']));
    const launched = (await activities(as, 'fleet')).filter((a) => a.Description!.startsWith('Launching a new EC2 instance: '));
    assert.equal(launched.length, 2);
    for (const a of launched) {
      assert.equal(a.StatusCode, 'Successful');
      assert.match(a.Cause!, /^At \S+Z a user request created an AutoScalingGroup changing the desired capacity from 0 to 2\.  At \S+Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 2\.$/);
    }
  });

  it('OpenSSH logs into a member with the private key of the pair', async () => {
    const r = await sshRun(members[0]!, 'cat ~/.ssh/authorized_keys');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split(' ').slice(0, 2).join(' '), publicKey.split(' ').slice(0, 2).join(' '));
  });

  it('with the key pair deleted, the replacement launch fails with a Failed activity naming the key', async () => {
    await ec2.send(new DeleteKeyPairCommand({ KeyName: 'fleet' }));
    const t = await as.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: members[0]!, ShouldDecrementDesiredCapacity: false }));
    assert.equal(t.Activity!.Description, `Terminating EC2 instance: ${members[0]}`);
    assert.equal(t.Activity!.StatusCode, 'InProgress');
    assert.match(t.Activity!.Cause!, new RegExp(`^At \\S+Z instance ${members[0]} was taken out of service in response to a user request\\.$`));

    // Retries with backoff: each failure is recorded.
    const failed = await eventually('two failed launches', async () => {
      const f = (await activities(as, 'fleet')).filter((a) => a.StatusCode === 'Failed');
      return f.length >= 2 ? f : undefined;
    });
    for (const a of failed) {
      assert.equal(a.StatusMessage, "The key pair 'fleet' does not exist. Launching EC2 instance failed.");
      assert.equal(a.Description, "Launching a new EC2 instance.  Status Reason: The key pair 'fleet' does not exist. Launching EC2 instance failed.");
      assert.equal(a.Progress, 100);
      assert.match(a.Cause!, /an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 1 to 2\.$/);
      assert.ok(a.EndTime);
    }
    // the terminated member leaves the group once its termination completes (a real instance's takes longer)
    const g = await eventually('the terminated member gone from the group', async () => {
      const now = (await group(as, 'fleet'))!;
      return now.Instances!.some((i) => i.InstanceId === members[0]) ? undefined : now;
    });
    assert.equal(g.DesiredCapacity, 2);
    assert.deepEqual(g.Instances!.map((i) => i.InstanceId), [members[1]], 'the group stays below its desired capacity');
    const terminated = (await activities(as, 'fleet')).find((a) => a.Description === `Terminating EC2 instance: ${members[0]}`)!;
    assert.equal(terminated.StatusCode, 'Successful');
  });

  it('once a key pair of that name exists again, the group heals and the new member takes it', async () => {
    await ec2.send(new ImportKeyPairCommand({ KeyName: 'fleet', PublicKeyMaterial: Buffer.from(publicKey) }));
    const g = await inService(as, 'fleet', 2);
    const replacement = g.Instances!.map((i) => i.InstanceId!).find((id) => id !== members[1])!;
    assert.ok(replacement && replacement !== members[0]);
    const r = await sshRun(replacement, 'echo healed; cat ~/.ssh/authorized_keys');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^healed\n/);
    assert.ok(r.stdout.includes(publicKey.split(' ')[1]!));
    const ok = (await activities(as, 'fleet')).find((a) => a.Description === `Launching a new EC2 instance: ${replacement}`)!;
    assert.equal(ok.StatusCode, 'Successful');
  });

  it('an instance terminated through EC2 fails the health check and is replaced', async () => {
    const before = (await inService(as, 'fleet', 2)).Instances!.map((i) => i.InstanceId!);
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [before[0]!] }));
    const after = await eventually('a replacement', async () => {
      const g = await inService(as, 'fleet', 2);
      return g.Instances!.some((i) => i.InstanceId === before[0]) ? undefined : g;
    });
    const replacement = after.Instances!.find((i) => !before.includes(i.InstanceId!))!.InstanceId!;
    const acts = await activities(as, 'fleet');
    assert.match(
      acts.find((a) => a.Description === `Terminating EC2 instance: ${before[0]}`)!.Cause!,
      /^At \S+Z an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped\.$/,
    );
    assert.match(
      acts.find((a) => a.Description === `Launching a new EC2 instance: ${replacement}`)!.Cause!,
      /^At \S+Z an instance was launched in response to an unhealthy instance needing to be replaced\.$/,
    );
    const r = await sshRun(replacement, 'echo replaced');
    assert.equal(r.stdout, 'replaced\n', r.stderr);
  });

  it('ForceDelete terminates the members and removes the group', async () => {
    await as.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'fleet', ForceDelete: true }));
    await eventually('group deleted', async () => ((await group(as, 'fleet')) === undefined ? true : undefined));
  });
}, { timeout: 180_000 });
