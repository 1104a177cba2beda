// Auto Scaling state is durable: a server restarted while a group is failing to launch (its key
// pair deleted) finds its groups, members, activities and launch templates, resumes its members,
// goes on retrying, and heals once the key pair exists again. Runs on SQLite or, with
// EC2LITE_TEST_DATABASE_URL, PostgreSQL.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateKeyPairCommand,
  CreateLaunchTemplateCommand,
  DeleteKeyPairCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { CreateAutoScalingGroupCommand, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { images } from '../helpers/instances.js';
import { tempDir } from '../helpers/tools.js';
import { activities, autoScalingClient, destroyAutoScalingClients, eventually, FAST_AUTOSCALING, group, inService } from '../helpers/autoscaling.js';

const dir = tempDir('ec2lite-asg-restart-');
const options = { ephemeral: false, dataDir: dir.path, instanceDelays: { start: 20, stop: 20, terminate: 20 }, sshPort: 0, autoScaling: FAST_AUTOSCALING };
after(() => {
  destroyAutoScalingClients();
  dir.cleanup();
});

describe('Auto Scaling across a restart', { timeout: 120_000 }, () => {
  let first: TestServer | undefined;
  let second: TestServer | undefined;
  after(async () => {
    await first?.close();
    await second?.close();
  });

  it('picks up a failing group where it was and heals it', async () => {
    first = await startTestServer(options);
    const ec2 = first.client();
    const as = autoScalingClient(first.url);
    await ec2.send(new CreateKeyPairCommand({ KeyName: 'durable', KeyType: 'ed25519' }));
    const img = await images(ec2);
    await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'durable-lt', LaunchTemplateData: { ImageId: img.ubuntu, KeyName: 'durable' } }));
    await as.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: 'durable',
        LaunchTemplate: { LaunchTemplateName: 'durable-lt' },
        MinSize: 0,
        MaxSize: 3,
        DesiredCapacity: 2,
        AvailabilityZones: ['us-east-1a'],
      }),
    );
    const before = await inService(as, 'durable', 2);
    await ec2.send(new DeleteKeyPairCommand({ KeyName: 'durable' }));
    await as.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'durable', DesiredCapacity: 3 }));
    const failedBefore = await eventually('a failed launch', async () => {
      const f = (await activities(as, 'durable')).filter((a) => a.StatusCode === 'Failed');
      return f.length ? f : undefined;
    });
    await first.close();
    first = undefined;

    second = await startTestServer(options);
    const ec2b = second.client();
    const asb = autoScalingClient(second.url);
    const g = (await group(asb, 'durable'))!;
    assert.equal(g.DesiredCapacity, 3);
    assert.deepEqual(g.Instances!.map((i) => i.InstanceId).sort(), before.Instances!.map((i) => i.InstanceId).sort());
    assert.equal((await ec2b.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['durable-lt'] }))).LaunchTemplates!.length, 1);
    // The activities survived, and the new server goes on failing (and recording it).
    const failedAfter = await eventually('another failed launch after the restart', async () => {
      const f = (await activities(asb, 'durable')).filter((a) => a.StatusCode === 'Failed');
      return f.length > failedBefore.length ? f : undefined;
    });
    assert.ok(failedAfter.every((a) => a.StatusMessage === "The key pair 'durable' does not exist. Launching EC2 instance failed."));
    // Its members came back running (SSH endpoints included).
    for (const i of g.Instances!) assert.ok(second.app.runtime.sshEndpoint(i.InstanceId!), `${i.InstanceId} resumed`);

    await ec2b.send(new CreateKeyPairCommand({ KeyName: 'durable', KeyType: 'ed25519' }));
    const healed = await inService(asb, 'durable', 3);
    assert.equal(healed.Instances!.length, 3);
  });
});

describe('a launch cut off by a crash', { timeout: 60_000 }, () => {
  it('is not repeated: the group takes the instance its launch token already made', async () => {
    const server = await startTestServer({ instanceDelays: { start: 20, stop: 20, terminate: 20 }, sshPort: 0, autoScaling: FAST_AUTOSCALING });
    try {
      const ec2 = server.client();
      const as = autoScalingClient(server.url);
      const img = await images(ec2);
      await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'crash-lt', LaunchTemplateData: { ImageId: img.al2023 } }));
      await as.send(
        new CreateAutoScalingGroupCommand({
          AutoScalingGroupName: 'crash',
          LaunchTemplate: { LaunchTemplateName: 'crash-lt' },
          MinSize: 0,
          MaxSize: 2,
          DesiredCapacity: 0,
          AvailabilityZones: ['us-east-1a'],
        }),
      );
      // The state a node leaves when it dies after RunInstances and before recording the member:
      // the token written in the group, and the instance launched with it.
      const orphan = (
        await ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, ClientToken: 'asg-crash-token', LaunchTemplate: { LaunchTemplateName: 'crash-lt' } }))
      ).Instances![0]!.InstanceId!;
      await server.app.store.documents.update<{ launchToken?: string }>({ accountId: '000000000000', region: 'us-east-1' }, 'auto-scaling-group', 'crash', (g) => ({
        ...g,
        launchToken: 'asg-crash-token',
      }));
      await as.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'crash', DesiredCapacity: 1 }));
      const g = await inService(as, 'crash', 1);
      assert.deepEqual(g.Instances!.map((i) => i.InstanceId), [orphan]);
      const all = (await ec2.send(new DescribeInstancesCommand({}))).Reservations!.flatMap((r) => r.Instances!);
      assert.equal(all.length, 1, 'no second instance was launched');
    } finally {
      await server.close();
    }
  });

  it("another node's launch claim counts for the capacity, and once that node is gone its instance joins the group", async () => {
    const server = await startTestServer({ instanceDelays: { start: 20, stop: 20, terminate: 20 }, sshPort: 0, autoScaling: FAST_AUTOSCALING });
    try {
      const ec2 = server.client();
      const as = autoScalingClient(server.url);
      const img = await images(ec2);
      await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'claim-lt', LaunchTemplateData: { ImageId: img.al2023 } }));
      await as.send(
        new CreateAutoScalingGroupCommand({
          AutoScalingGroupName: 'claimed',
          LaunchTemplate: { LaunchTemplateName: 'claim-lt' },
          MinSize: 0,
          MaxSize: 2,
          DesiredCapacity: 0,
          AvailabilityZones: ['us-east-1a'],
        }),
      );
      // What a node leaves when its lease runs out mid-launch (or it dies): its claim, claimed
      // just now, and the instance RunInstances made with the claim's token.
      const orphan = (
        await ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, ClientToken: 'claim-token-1', LaunchTemplate: { LaunchTemplateName: 'claim-lt' } }))
      ).Instances![0]!.InstanceId!;
      await server.app.store.documents.update<Record<string, unknown>>({ accountId: '000000000000', region: 'us-east-1' }, 'auto-scaling-group', 'claimed', (g) => ({
        ...g,
        desiredCapacity: 1,
        launchClaims: [
          { token: 'claim-token-1', availabilityZone: 'us-east-1a', node: 'another-node', claimedAt: new Date().toISOString(), cause: 'At 2024-01-01T00:00:00Z a user request explicitly set group desired capacity changing the desired capacity from 0 to 1.' },
        ],
      }));
      server.app.reconciler.wake();
      // While the claim is live this node launches nothing (the claim fills the one slot); after
      // a lease's time it finishes the claim with its token and finds the instance.
      const g = await inService(as, 'claimed', 1);
      assert.deepEqual(g.Instances!.map((i) => i.InstanceId), [orphan]);
      const all = (await ec2.send(new DescribeInstancesCommand({}))).Reservations!.flatMap((r) => r.Instances!);
      assert.equal(all.length, 1, 'no second instance was launched');
      const launches = (await activities(as, 'claimed')).filter((a) => a.Description!.startsWith('Launching a new EC2 instance'));
      assert.equal(launches.length, 1);
      assert.equal(launches[0]!.ActivityId, 'claim-token-1');
      assert.match(launches[0]!.Cause!, /from 0 to 1/);
    } finally {
      await server.close();
    }
  });
});
