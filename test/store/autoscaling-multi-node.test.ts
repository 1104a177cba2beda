// Two `ec2lite serve` processes on one PostgreSQL database reconcile the same Auto Scaling group:
// the per-group lease lets one node at a time launch, so the group never has more live instances
// than its desired capacity and every launch happens once; when the lease holder is killed the
// other node takes the group over. Emulator-only.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateKeyPairCommand, CreateLaunchTemplateCommand, DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateAutoScalingGroupCommand, SetDesiredCapacityCommand, type AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { engines, freshSchemaUrl } from '../helpers/store-engines.js';
import { sql } from '../helpers/postgres.js';
import { images } from '../helpers/instances.js';
import { activities, autoScalingClient, destroyAutoScalingClients, eventually, group } from '../helpers/autoscaling.js';
import { startServeNode, stopServeNode, type ServeNode } from '../helpers/serve-node.js';

const postgres = engines().find((e) => e.name === 'postgres')!;

interface Node extends ServeNode { id: string }

async function startNode(database: string): Promise<Node> {
  const node = await startServeNode(database, {
    env: {
      EC2LITE_RSA_POOL_SIZE: '1',
      EC2LITE_SSH_PORT: '0',
      EC2LITE_INSTANCE_START_MS: '20',
      EC2LITE_INSTANCE_STOP_MS: '20',
      EC2LITE_INSTANCE_TERMINATE_MS: '20',
      EC2LITE_AUTOSCALING_INTERVAL_MS: '30',
      EC2LITE_AUTOSCALING_LEASE_MS: '1500',
      EC2LITE_AUTOSCALING_BACKOFF_MS: '100',
    },
  });
  const health = (await (await fetch(`${node.url}/_ec2lite/health`)).json()) as { autoScalingNode: string };
  return { ...node, id: health.autoScalingNode };
}

const stopNode = stopServeNode;

describe('Auto Scaling with two nodes on one PostgreSQL database', { skip: postgres.skip, timeout: 180_000 }, () => {
  let database: string;
  let a: Node;
  let b: Node;
  const ec2Clients: EC2Client[] = [];
  const ec2 = (n: Node) => {
    const c = new EC2Client({ endpoint: n.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 's' }, maxAttempts: 1 });
    ec2Clients.push(c);
    return c;
  };

  before(async () => {
    database = await freshSchemaUrl();
    [a, b] = await Promise.all([startNode(database), startNode(database)]);
  });
  after(async () => {
    for (const c of ec2Clients) c.destroy();
    destroyAutoScalingClients();
    await Promise.all([stopNode(a), stopNode(b)]);
  });

  /** Live (pending or running) instances carrying the group's tag, seen through `node`. */
  const live = async (node: Node) =>
    (
      await ec2(node).send(
        new DescribeInstancesCommand({
          Filters: [
            { Name: 'tag:aws:autoscaling:groupName', Values: ['shared'] },
            { Name: 'instance-state-name', Values: ['pending', 'running'] },
          ],
        }),
      )
    ).Reservations!.flatMap((r) => r.Instances!);

  /** Samples both nodes until `n` members are InService; every sample stays within `max` live instances. */
  async function convergeWithin(as: AutoScalingClient, nodes: Node[], n: number, max: number): Promise<void> {
    await eventually(`${n} InService`, async () => {
      for (const node of nodes) assert.ok((await live(node)).length <= max, `more than ${max} live instances`);
      const g = await group(as, 'shared');
      assert.ok(g!.Instances!.filter((i) => i.LifecycleState !== 'Terminating').length <= max);
      const inService = g!.Instances!.filter((i) => i.LifecycleState === 'InService').length;
      return inService === n && g!.Instances!.length === n ? true : undefined;
    });
  }

  it('never exceeds the desired capacity and launches each instance once', async () => {
    const asA = autoScalingClient(a.url);
    const asB = autoScalingClient(b.url);
    await ec2(a).send(new CreateKeyPairCommand({ KeyName: 'shared-key', KeyType: 'ed25519' }));
    const img = await images(ec2(a));
    await ec2(b).send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'shared-lt', LaunchTemplateData: { ImageId: img.al2023, KeyName: 'shared-key' } }));
    await asA.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: 'shared',
        LaunchTemplate: { LaunchTemplateName: 'shared-lt' },
        MinSize: 0,
        MaxSize: 6,
        DesiredCapacity: 3,
        AvailabilityZones: ['us-east-1a', 'us-east-1b'],
      }),
    );
    await convergeWithin(asB, [a, b], 3, 3);
    await asB.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'shared', DesiredCapacity: 5 }));
    await convergeWithin(asA, [a, b], 5, 5);
    const launches = (await activities(asA, 'shared')).filter((x) => x.Description!.startsWith('Launching a new EC2 instance'));
    assert.equal(launches.length, 5);
    assert.ok(launches.every((x) => x.StatusCode === 'Successful'));
    assert.equal((await live(a)).length, 5);
  });

  it('when the lease holder dies, the other node takes the group over', async () => {
    const rows = await sql(database, "SELECT owner FROM leases WHERE name LIKE 'autoscaling/%'");
    assert.equal(rows.length, 1);
    const holder = rows[0]!.owner === a.id ? a : b;
    const other = holder === a ? b : a;
    assert.equal(rows[0]!.owner, holder.id);
    await stopNode(holder, 'SIGKILL');
    const as = autoScalingClient(other.url);
    await as.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'shared', DesiredCapacity: 4 }));
    await convergeWithin(as, [other], 4, 5);
    assert.deepEqual((await sql(database, "SELECT owner FROM leases WHERE name LIKE 'autoscaling/%'")).map((r) => r.owner), [other.id]);
    const terminations = (await activities(as, 'shared')).filter((x) => x.Description!.startsWith('Terminating EC2 instance'));
    assert.equal(terminations.length, 1);
  });

  it('no node logged an internal error', () => {
    assert.doesNotMatch(a.stderr() + b.stderr(), /internal error/i);
  });
});
