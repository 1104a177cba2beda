// Auto Scaling's issue-23 actions with Debian's /usr/bin/aws (`aws autoscaling …`): a mixed
// instances group, suspended processes, a scaling policy executed, a launch lifecycle hook completed,
// an instance refresh, and a deleted group's activities.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { awsCli } from '../helpers/awscli.js';
import { requireTools } from '../helpers/tools.js';
import { FAST_AUTOSCALING } from '../helpers/autoscaling.js';

requireTools(['/usr/bin/aws'], 'the Auto Scaling CLI test');

let server: TestServer;
before(async () => {
  server = await startTestServer({ instanceDelays: { start: 20, stop: 20, terminate: 20 }, storageDelayMs: 20, sshPort: 0, autoScaling: FAST_AUTOSCALING });
});
after(() => server.close());

async function aws(...args: string[]): Promise<any> {
  const r = await awsCli(server.url, args);
  assert.equal(r.status, 0, `aws ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : undefined;
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 300; i++) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 40));
  }
  throw new Error(`${what} never happened (last ${JSON.stringify(last)})`);
}

const group = async (name: string) => (await aws('autoscaling', 'describe-auto-scaling-groups', '--auto-scaling-group-names', name)).AutoScalingGroups[0];

describe('aws autoscaling', () => {
  it('mixed instances, processes, policies, hooks, refresh, deleted groups', async () => {
    const ami = (await aws('ec2', 'describe-images', '--owners', 'amazon', '--filters', 'Name=name,Values=al2023-*')).Images[0].ImageId;
    await aws('ec2', 'create-launch-template', '--launch-template-name', 'cli-web', '--launch-template-data', JSON.stringify({ ImageId: ami, InstanceType: 't3.micro' }));
    await aws(
      'autoscaling', 'create-auto-scaling-group', '--auto-scaling-group-name', 'cli',
      '--min-size', '0', '--max-size', '4', '--desired-capacity', '0', '--availability-zones', 'us-east-1a',
      '--mixed-instances-policy', JSON.stringify({
        LaunchTemplate: { LaunchTemplateSpecification: { LaunchTemplateName: 'cli-web', Version: '$Latest' }, Overrides: [{ InstanceType: 't3.small' }] },
        InstancesDistribution: { OnDemandBaseCapacity: 1, OnDemandPercentageAboveBaseCapacity: 50 },
      }),
    );
    const g = await group('cli');
    assert.equal(g.MixedInstancesPolicy.LaunchTemplate.Overrides[0].InstanceType, 't3.small');
    assert.equal(g.MixedInstancesPolicy.InstancesDistribution.OnDemandBaseCapacity, 1);

    // Launch suspended: the policy raises the desired capacity, nothing launches until resumed.
    await aws('autoscaling', 'suspend-processes', '--auto-scaling-group-name', 'cli', '--scaling-processes', 'Launch');
    assert.equal((await group('cli')).SuspendedProcesses[0].ProcessName, 'Launch');
    const policy = await aws('autoscaling', 'put-scaling-policy', '--auto-scaling-group-name', 'cli', '--policy-name', 'up', '--adjustment-type', 'ChangeInCapacity', '--scaling-adjustment', '1');
    assert.match(policy.PolicyARN, /:scalingPolicy:.*:autoScalingGroupName\/cli:policyName\/up$/);
    await aws('autoscaling', 'put-lifecycle-hook', '--auto-scaling-group-name', 'cli', '--lifecycle-hook-name', 'ready', '--lifecycle-transition', 'autoscaling:EC2_INSTANCE_LAUNCHING', '--heartbeat-timeout', '600');
    await aws('autoscaling', 'execute-policy', '--auto-scaling-group-name', 'cli', '--policy-name', 'up');
    assert.equal((await group('cli')).DesiredCapacity, 1);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual((await group('cli')).Instances, []);
    await aws('autoscaling', 'resume-processes', '--auto-scaling-group-name', 'cli');

    const waiting = await until(() => group('cli'), (x) => x.Instances[0]?.LifecycleState === 'Pending:Wait', 'Pending:Wait');
    const id = waiting.Instances[0].InstanceId;
    assert.equal(waiting.Instances[0].InstanceType, 't3.small');
    await aws('autoscaling', 'complete-lifecycle-action', '--auto-scaling-group-name', 'cli', '--lifecycle-hook-name', 'ready', '--instance-id', id, '--lifecycle-action-result', 'CONTINUE');
    await until(() => group('cli'), (x) => x.Instances[0]?.LifecycleState === 'InService', 'InService');
    await aws('autoscaling', 'delete-lifecycle-hook', '--auto-scaling-group-name', 'cli', '--lifecycle-hook-name', 'ready');

    const started = await aws('autoscaling', 'start-instance-refresh', '--auto-scaling-group-name', 'cli', '--preferences', 'MinHealthyPercentage=0');
    const refreshed = await until(
      () => aws('autoscaling', 'describe-instance-refreshes', '--auto-scaling-group-name', 'cli'),
      (r) => r.InstanceRefreshes[0]?.Status === 'Successful',
      'refresh',
    );
    assert.equal(refreshed.InstanceRefreshes[0].InstanceRefreshId, started.InstanceRefreshId);
    const after = await until(() => group('cli'), (x) => x.Instances.length === 1 && x.Instances[0].LifecycleState === 'InService', 'replaced');
    assert.notEqual(after.Instances[0].InstanceId, id);

    const policies = await aws('autoscaling', 'describe-policies', '--auto-scaling-group-name', 'cli');
    assert.deepEqual(policies.ScalingPolicies.map((p: any) => p.PolicyName), ['up']);
    await aws('autoscaling', 'delete-policy', '--auto-scaling-group-name', 'cli', '--policy-name', 'up');

    await aws('autoscaling', 'delete-auto-scaling-group', '--auto-scaling-group-name', 'cli', '--force-delete');
    await until(() => aws('autoscaling', 'describe-auto-scaling-groups', '--auto-scaling-group-names', 'cli'), (r) => r.AutoScalingGroups.length === 0, 'deleted');
    const kept = await aws('autoscaling', 'describe-scaling-activities', '--auto-scaling-group-name', 'cli', '--include-deleted-groups');
    assert.ok(kept.Activities.length >= 3);
    assert.deepEqual((await aws('autoscaling', 'describe-scaling-activities', '--auto-scaling-group-name', 'cli')).Activities, []);
    const missing = await awsCli(server.url, ['autoscaling', 'delete-auto-scaling-group', '--auto-scaling-group-name', 'cli']);
    assert.match(missing.stderr, /ValidationError.*AutoScalingGroup name not found - AutoScalingGroup 'cli' not found/);
  });

  it('--honor-cooldown: refused within the cooldown after the last activity, accepted without it; set-instance-protection', async () => {
    await aws(
      'autoscaling', 'create-auto-scaling-group', '--auto-scaling-group-name', 'cli-cool', '--launch-template', 'LaunchTemplateName=cli-web',
      '--min-size', '0', '--max-size', '3', '--desired-capacity', '1', '--default-cooldown', '600', '--availability-zones', 'us-east-1a',
    );
    await until(() => group('cli-cool'), (x) => x.Instances[0]?.LifecycleState === 'InService', 'InService');
    const [launch] = (await aws('autoscaling', 'describe-scaling-activities', '--auto-scaling-group-name', 'cli-cool')).Activities;
    const refused = await awsCli(server.url, ['autoscaling', 'set-desired-capacity', '--auto-scaling-group-name', 'cli-cool', '--desired-capacity', '2', '--honor-cooldown']);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, new RegExp(`\\(ScalingActivityInProgress\\) when calling the SetDesiredCapacity operation( \\(reached max retries: \\d+\\))?: Scaling activity ${launch.ActivityId} is in progress and blocks this action`));
    assert.equal((await group('cli-cool')).DesiredCapacity, 1);
    await aws('autoscaling', 'set-desired-capacity', '--auto-scaling-group-name', 'cli-cool', '--desired-capacity', '2', '--no-honor-cooldown');
    assert.equal((await group('cli-cool')).DesiredCapacity, 2);
    // botocore reads SetInstanceProtection's (empty) result element: without it the CLI fails.
    const first = (await group('cli-cool')).Instances[0].InstanceId;
    await aws('autoscaling', 'set-instance-protection', '--auto-scaling-group-name', 'cli-cool', '--instance-ids', first, '--protected-from-scale-in');
    assert.equal((await group('cli-cool')).Instances.find((i: any) => i.InstanceId === first).ProtectedFromScaleIn, true);
    await aws('autoscaling', 'delete-auto-scaling-group', '--auto-scaling-group-name', 'cli-cool', '--force-delete');
  });
});
