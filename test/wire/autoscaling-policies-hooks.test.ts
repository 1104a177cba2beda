// Auto Scaling beyond groups (issue 23) with @aws-sdk/client-auto-scaling: MixedInstancesPolicy,
// Suspend/ResumeProcesses and their effect on the reconciler, scaling policies (simple, step, target
// tracking), lifecycle hooks with launching and terminating waits, instance refresh,
// IncludeDeletedGroups, empty lists, and the not-found / launch template texts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateLaunchTemplateCommand, CreateLaunchTemplateVersionCommand, DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import {
  CancelInstanceRefreshCommand,
  CompleteLifecycleActionCommand,
  CreateAutoScalingGroupCommand,
  DeleteAutoScalingGroupCommand,
  DeleteLifecycleHookCommand,
  DeletePolicyCommand,
  DescribeAutoScalingInstancesCommand,
  DescribeInstanceRefreshesCommand,
  DescribeLifecycleHooksCommand,
  DescribePoliciesCommand,
  DescribeScalingActivitiesCommand,
  ExecutePolicyCommand,
  PutLifecycleHookCommand,
  PutScalingPolicyCommand,
  RecordLifecycleActionHeartbeatCommand,
  ResumeProcessesCommand,
  SetDesiredCapacityCommand,
  StartInstanceRefreshCommand,
  TerminateInstanceInAutoScalingGroupCommand,
  SuspendProcessesCommand,
  UpdateAutoScalingGroupCommand,
  type AutoScalingClient,
} from '@aws-sdk/client-auto-scaling';
import { awsError, startTestServer, type TestServer } from '../helpers/server.js';
import { images } from '../helpers/instances.js';
import { autoScalingClient, destroyAutoScalingClients, eventually, FAST_AUTOSCALING, group, inService } from '../helpers/autoscaling.js';

let server: TestServer;
let ec2: EC2Client;
let as: AutoScalingClient;
let templateId: string;

before(async () => {
  server = await startTestServer({ instanceDelays: { start: 20, stop: 20, terminate: 20 }, storageDelayMs: 20, sshPort: 0, autoScaling: FAST_AUTOSCALING });
  ec2 = server.client();
  as = autoScalingClient(server.url);
  const img = await images(ec2);
  const t = await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'web', LaunchTemplateData: { ImageId: img.al2023, InstanceType: 't3.micro' } }));
  templateId = t.LaunchTemplate!.LaunchTemplateId!;
});
after(async () => {
  destroyAutoScalingClients();
  await server.close();
});

const create = (name: string, extra: Partial<ConstructorParameters<typeof CreateAutoScalingGroupCommand>[0]> = {}) =>
  as.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      MinSize: 0,
      MaxSize: 5,
      DesiredCapacity: 1,
      AvailabilityZones: ['us-east-1a'],
      LaunchTemplate: { LaunchTemplateName: 'web', Version: '$Latest' },
      ...extra,
    }),
  );

const emptyOut = async (name: string) => {
  await as.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: name, ForceDelete: true }));
  await eventually(`${name} deleted`, async () => ((await group(as, name)) ? undefined : true));
};

describe('launch sources and not-found texts', () => {
  it('LaunchTemplateId and LaunchTemplateName together are refused; Update/Delete of a missing group answer as AWS', async () => {
    assert.deepEqual(await awsError(() => create('both', { LaunchTemplate: { LaunchTemplateId: templateId, LaunchTemplateName: 'web' } })), {
      name: 'ValidationError',
      message: 'Valid requests must contain either launchTemplateId or LaunchTemplateName',
      status: 400,
    });
    assert.equal((await awsError(() => as.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'nope', MaxSize: 3 })))).message, 'AutoScalingGroup name not found - null');
    assert.equal(
      (await awsError(() => as.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'nope' })))).message,
      "AutoScalingGroup name not found - AutoScalingGroup 'nope' not found",
    );
  });

  it('MixedInstancesPolicy: stored with what AWS fills in; instances of the override type, weighted capacity, the version number launched', async () => {
    await create('mixed', {
      LaunchTemplate: undefined,
      DesiredCapacity: 2,
      MixedInstancesPolicy: {
        LaunchTemplate: {
          LaunchTemplateSpecification: { LaunchTemplateName: 'web', Version: '$Default' },
          Overrides: [{ InstanceType: 't3.small', WeightedCapacity: '2' }, { InstanceType: 't3.medium' }],
        },
      },
    });
    const g = (await group(as, 'mixed'))!;
    assert.equal(g.LaunchTemplate, undefined);
    assert.deepEqual(g.MixedInstancesPolicy, {
      LaunchTemplate: {
        LaunchTemplateSpecification: { LaunchTemplateId: templateId, LaunchTemplateName: 'web', Version: '$Default' },
        Overrides: [{ InstanceType: 't3.small', WeightedCapacity: '2' }, { InstanceType: 't3.medium' }],
      },
      InstancesDistribution: {
        OnDemandAllocationStrategy: 'prioritized',
        OnDemandBaseCapacity: 0,
        OnDemandPercentageAboveBaseCapacity: 100,
        SpotAllocationStrategy: 'lowest-price',
        SpotInstancePools: 2,
      },
    });
    // one t3.small of weight 2 fills a desired capacity of 2
    const ready = await inService(as, 'mixed', 1);
    assert.equal(ready.Instances![0]!.InstanceType, 't3.small');
    assert.equal(ready.Instances![0]!.WeightedCapacity, '2');
    const [inst] = (await as.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: [ready.Instances![0]!.InstanceId!] }))).AutoScalingInstances!;
    assert.deepEqual(inst!.LaunchTemplate, { LaunchTemplateId: templateId, LaunchTemplateName: 'web', Version: '1' });
    const ec2Type = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [inst!.InstanceId!] }))).Reservations![0]!.Instances![0]!.InstanceType;
    assert.equal(ec2Type, 't3.small');
    await emptyOut('mixed');
  });

  it('an empty list (InstanceIds= as botocore sends []) is accepted', async () => {
    const r = await server.raw({ Action: 'DescribeAutoScalingInstances', Version: '2011-01-01', InstanceIds: '' });
    assert.equal(r.status, 200, r.body);
    const g = await server.raw({ Action: 'DescribeAutoScalingGroups', Version: '2011-01-01', AutoScalingGroupNames: '' });
    assert.equal(g.status, 200, g.body);
  });
});

describe('processes, policies', () => {
  it('SuspendProcesses Launch holds launches (shown in SuspendedProcesses); Resume lets them happen', async () => {
    await create('held', { DesiredCapacity: 0 });
    await as.send(new SuspendProcessesCommand({ AutoScalingGroupName: 'held', ScalingProcesses: ['Launch'] }));
    const g = (await group(as, 'held'))!;
    assert.equal(g.SuspendedProcesses!.length, 1);
    assert.equal(g.SuspendedProcesses![0]!.ProcessName, 'Launch');
    assert.match(g.SuspendedProcesses![0]!.SuspensionReason!, /^User suspended at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await as.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'held', DesiredCapacity: 1 }));
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual((await group(as, 'held'))!.Instances, []);
    assert.equal((await awsError(() => as.send(new SuspendProcessesCommand({ AutoScalingGroupName: 'held', ScalingProcesses: ['Nap'] })))).name, 'ValidationError');
    await as.send(new ResumeProcessesCommand({ AutoScalingGroupName: 'held' }));
    assert.deepEqual((await group(as, 'held'))!.SuspendedProcesses, []);
    await inService(as, 'held', 1);
    // Terminate suspended: scale-in waits
    await as.send(new SuspendProcessesCommand({ AutoScalingGroupName: 'held', ScalingProcesses: ['Terminate'] }));
    await as.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'held', DesiredCapacity: 0 }));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await group(as, 'held'))!.Instances!.length, 1);
    await as.send(new ResumeProcessesCommand({ AutoScalingGroupName: 'held', ScalingProcesses: ['Terminate'] }));
    await inService(as, 'held', 0);
    await emptyOut('held');
  });

  it('simple and step policies change the desired capacity when executed; target tracking is stored and described', async () => {
    await create('pol', { DesiredCapacity: 0 });
    const simple = await as.send(new PutScalingPolicyCommand({ AutoScalingGroupName: 'pol', PolicyName: 'out', AdjustmentType: 'ChangeInCapacity', ScalingAdjustment: 2 }));
    assert.match(simple.PolicyARN!, /^arn:aws:autoscaling:us-east-1:\d{12}:scalingPolicy:[0-9a-f-]{36}:autoScalingGroupName\/pol:policyName\/out$/);
    await as.send(
      new PutScalingPolicyCommand({
        AutoScalingGroupName: 'pol',
        PolicyName: 'steps',
        PolicyType: 'StepScaling',
        AdjustmentType: 'ExactCapacity',
        StepAdjustments: [
          { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 1 },
          { MetricIntervalLowerBound: 10, ScalingAdjustment: 3 },
        ],
      }),
    );
    await as.send(
      new PutScalingPolicyCommand({
        AutoScalingGroupName: 'pol',
        PolicyName: 'cpu50',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: 50 },
      }),
    );
    const described = (await as.send(new DescribePoliciesCommand({ AutoScalingGroupName: 'pol' }))).ScalingPolicies!;
    assert.deepEqual(described.map((p) => [p.PolicyName, p.PolicyType]), [['out', 'SimpleScaling'], ['steps', 'StepScaling'], ['cpu50', 'TargetTrackingScaling']]);
    assert.deepEqual(described[2]!.TargetTrackingConfiguration, {
      PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' },
      TargetValue: 50,
      DisableScaleIn: false,
    });
    assert.deepEqual(described[1]!.StepAdjustments, [
      { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 1 },
      { MetricIntervalLowerBound: 10, ScalingAdjustment: 3 },
    ]);
    assert.deepEqual((await as.send(new DescribePoliciesCommand({ PolicyTypes: ['StepScaling'] }))).ScalingPolicies!.map((p) => p.PolicyName), ['steps']);

    await as.send(new ExecutePolicyCommand({ AutoScalingGroupName: 'pol', PolicyName: 'out' }));
    assert.equal((await group(as, 'pol'))!.DesiredCapacity, 2);
    await as.send(new ExecutePolicyCommand({ AutoScalingGroupName: 'pol', PolicyName: 'steps', MetricValue: 95, BreachThreshold: 80 }));
    assert.equal((await group(as, 'pol'))!.DesiredCapacity, 3);
    await inService(as, 'pol', 3);
    const acts = (await as.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'pol' }))).Activities!;
    assert.ok(acts.some((a) => /a user request executed policy steps changing the desired capacity from 2 to 3\./.test(a.Cause!)));
    assert.equal((await awsError(() => as.send(new ExecutePolicyCommand({ AutoScalingGroupName: 'pol', PolicyName: 'cpu50' })))).name, 'ValidationError');
    assert.equal((await awsError(() => as.send(new ExecutePolicyCommand({ AutoScalingGroupName: 'pol', PolicyName: 'steps' })))).name, 'ValidationError');
    await as.send(new DeletePolicyCommand({ AutoScalingGroupName: 'pol', PolicyName: 'out' }));
    assert.equal((await as.send(new DescribePoliciesCommand({ AutoScalingGroupName: 'pol' }))).ScalingPolicies!.length, 2);
    await emptyOut('pol');
  });
});

describe('policies by name alone; CapacityRebalance', () => {
  it('ExecutePolicy and DeletePolicy find the policy without AutoScalingGroupName (it is optional); CapacityRebalance is stored, described and updated', async () => {
    await create('byname', { DesiredCapacity: 0, CapacityRebalance: true });
    assert.equal((await group(as, 'byname'))!.CapacityRebalance, true);
    await as.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'byname', CapacityRebalance: false }));
    assert.equal((await group(as, 'byname'))!.CapacityRebalance, false);
    await as.send(new PutScalingPolicyCommand({ AutoScalingGroupName: 'byname', PolicyName: 'byname-exact', AdjustmentType: 'ExactCapacity', ScalingAdjustment: 2 }));
    await as.send(new ExecutePolicyCommand({ PolicyName: 'byname-exact' }));
    assert.equal((await group(as, 'byname'))!.DesiredCapacity, 2);
    await as.send(new DeletePolicyCommand({ PolicyName: 'byname-exact' }));
    assert.deepEqual((await as.send(new DescribePoliciesCommand({ AutoScalingGroupName: 'byname' }))).ScalingPolicies, []);
    assert.equal((await awsError(() => as.send(new ExecutePolicyCommand({ PolicyName: 'no-such-policy' })))).name, 'ValidationError');
    await emptyOut('byname');
  });
});

describe('HonorCooldown', () => {
  it('SetDesiredCapacity and a simple policy are refused during the cooldown after the last activity; without it, or at cooldown 0, they go ahead', async () => {
    await create('cool', { DesiredCapacity: 0, DefaultCooldown: 3600 });
    // No activity yet: nothing to wait for.
    await as.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'cool', DesiredCapacity: 1, HonorCooldown: true }));
    await inService(as, 'cool', 1);
    const [launch] = (await as.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'cool' }))).Activities!;
    assert.equal(launch!.StatusCode, 'Successful');
    const blocked = { name: 'ScalingActivityInProgressFault', message: `Scaling activity ${launch!.ActivityId} is in progress and blocks this action`, status: 400 };
    assert.deepEqual(await awsError(() => as.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'cool', DesiredCapacity: 2, HonorCooldown: true }))), blocked);
    await as.send(new PutScalingPolicyCommand({ AutoScalingGroupName: 'cool', PolicyName: 'group-cooldown', AdjustmentType: 'ChangeInCapacity', ScalingAdjustment: 1 }));
    await as.send(new PutScalingPolicyCommand({ AutoScalingGroupName: 'cool', PolicyName: 'no-cooldown', AdjustmentType: 'ChangeInCapacity', ScalingAdjustment: 1, Cooldown: 0 }));
    assert.deepEqual(await awsError(() => as.send(new ExecutePolicyCommand({ AutoScalingGroupName: 'cool', PolicyName: 'group-cooldown', HonorCooldown: true }))), blocked);
    assert.equal((await group(as, 'cool'))!.DesiredCapacity, 1, 'a refused change changes nothing');
    // The policy's own Cooldown (0) wins over the group's.
    await as.send(new ExecutePolicyCommand({ AutoScalingGroupName: 'cool', PolicyName: 'no-cooldown', HonorCooldown: true }));
    assert.equal((await group(as, 'cool'))!.DesiredCapacity, 2);
    // Without HonorCooldown (the default for manual scaling) the cooldown does not apply.
    await as.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'cool', DesiredCapacity: 3 }));
    await inService(as, 'cool', 3);
    await as.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'cool', DefaultCooldown: 0 }));
    await as.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'cool', DesiredCapacity: 1, HonorCooldown: true }));
    assert.equal((await group(as, 'cool'))!.DesiredCapacity, 1);
    await emptyOut('cool');
  });
});

describe('lifecycle hooks', () => {
  it('launching: Pending:Wait until CompleteLifecycleAction CONTINUE; terminating: Terminating:Wait holds the instance until completed', async () => {
    await create('hooked', { DesiredCapacity: 0 });
    await as.send(new PutLifecycleHookCommand({ AutoScalingGroupName: 'hooked', LifecycleHookName: 'boot', LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING', HeartbeatTimeout: 300 }));
    await as.send(new PutLifecycleHookCommand({ AutoScalingGroupName: 'hooked', LifecycleHookName: 'drain', LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING', DefaultResult: 'CONTINUE' }));
    const hooks = (await as.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: 'hooked' }))).LifecycleHooks!;
    assert.deepEqual(
      hooks.map((h) => [h.LifecycleHookName, h.HeartbeatTimeout, h.GlobalTimeout, h.DefaultResult]),
      [['boot', 300, 30000, 'ABANDON'], ['drain', 3600, 172800, 'CONTINUE']],
    );
    await as.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'hooked', DesiredCapacity: 1 }));
    const waiting = await eventually('Pending:Wait', async () => {
      const m = (await group(as, 'hooked'))!.Instances![0];
      return m?.LifecycleState === 'Pending:Wait' ? m : undefined;
    });
    await as.send(new RecordLifecycleActionHeartbeatCommand({ AutoScalingGroupName: 'hooked', LifecycleHookName: 'boot', InstanceId: waiting.InstanceId }));
    const act = (await as.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'hooked' }))).Activities![0]!;
    assert.equal(act.StatusCode, 'MidLifecycleAction');
    assert.equal(
      (await awsError(() => as.send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: 'hooked', LifecycleHookName: 'boot', InstanceId: 'i-0123456789abcdef0', LifecycleActionResult: 'CONTINUE' })))).message,
      'No active Lifecycle Action found with instance ID i-0123456789abcdef0',
    );
    await as.send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: 'hooked', LifecycleHookName: 'boot', InstanceId: waiting.InstanceId, LifecycleActionResult: 'CONTINUE' }));
    await inService(as, 'hooked', 1);

    await as.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'hooked', DesiredCapacity: 0 }));
    await eventually('Terminating:Wait', async () => ((await group(as, 'hooked'))!.Instances![0]?.LifecycleState === 'Terminating:Wait' ? true : undefined));
    // the instance still runs while the hook waits
    const state = async () => (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [waiting.InstanceId!] }))).Reservations![0]!.Instances![0]!.State!.Name;
    assert.equal(await state(), 'running');
    await as.send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: 'hooked', LifecycleHookName: 'drain', InstanceId: waiting.InstanceId, LifecycleActionResult: 'CONTINUE' }));
    await inService(as, 'hooked', 0);
    assert.equal(await state(), 'terminated');
    // TerminateInstanceInAutoScalingGroup goes through the terminating hook too
    await as.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'hooked', DesiredCapacity: 1 }));
    const next = await eventually('second Pending:Wait', async () => (await group(as, 'hooked'))!.Instances!.find((m) => m.LifecycleState === 'Pending:Wait'));
    await as.send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: 'hooked', LifecycleHookName: 'boot', InstanceId: next.InstanceId, LifecycleActionResult: 'CONTINUE' }));
    await inService(as, 'hooked', 1);
    const act2 = await as.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: next.InstanceId, ShouldDecrementDesiredCapacity: true }));
    assert.equal(act2.Activity!.StatusCode, 'MidLifecycleAction');
    assert.equal((await group(as, 'hooked'))!.Instances![0]!.LifecycleState, 'Terminating:Wait');
    await as.send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: 'hooked', LifecycleHookName: 'drain', InstanceId: next.InstanceId, LifecycleActionResult: 'ABANDON' }));
    await inService(as, 'hooked', 0);
    await as.send(new DeleteLifecycleHookCommand({ AutoScalingGroupName: 'hooked', LifecycleHookName: 'drain' }));
    assert.deepEqual((await as.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: 'hooked' }))).LifecycleHooks!.map((h) => h.LifecycleHookName), ['boot']);
    await emptyOut('hooked');
  });

  it('ABANDON on launch: the instance is terminated and another launched', async () => {
    await create('abandon', { DesiredCapacity: 0 });
    await as.send(new PutLifecycleHookCommand({ AutoScalingGroupName: 'abandon', LifecycleHookName: 'check', LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING' }));
    await as.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'abandon', DesiredCapacity: 1 }));
    const first = await eventually('first waits', async () => (await group(as, 'abandon'))!.Instances!.find((m) => m.LifecycleState === 'Pending:Wait'));
    await as.send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: 'abandon', LifecycleHookName: 'check', InstanceId: first.InstanceId, LifecycleActionResult: 'ABANDON' }));
    const second = await eventually('a second one waits', async () =>
      (await group(as, 'abandon'))!.Instances!.find((m) => m.LifecycleState === 'Pending:Wait' && m.InstanceId !== first.InstanceId),
    );
    assert.notEqual(second.InstanceId, first.InstanceId);
    await as.send(new DeleteLifecycleHookCommand({ AutoScalingGroupName: 'abandon', LifecycleHookName: 'check' }));
    await emptyOut('abandon');
  });
});

describe('instance refresh, deleted groups', () => {
  it('replaces every instance with the new template version; a second start is refused while one runs; cancel', async () => {
    await create('fleet', { DesiredCapacity: 2 });
    const before = await inService(as, 'fleet', 2);
    const oldIds = before.Instances!.map((m) => m.InstanceId);
    await ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateName: 'web', SourceVersion: '1', LaunchTemplateData: { InstanceType: 't3.small' } }));
    const { InstanceRefreshId } = await as.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: 'fleet', Preferences: { MinHealthyPercentage: 50 } }));
    assert.deepEqual(await awsError(() => as.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: 'fleet' }))), {
      name: 'InstanceRefreshInProgressFault', // the SDK's name for wire code InstanceRefreshInProgress
      message: 'An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.',
      status: 400,
    });
    const done = await eventually('refresh done', async () => {
      const [r] = (await as.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'fleet' }))).InstanceRefreshes!;
      return r?.Status === 'Successful' ? r : undefined;
    });
    assert.equal(done.InstanceRefreshId, InstanceRefreshId);
    assert.equal(done.PercentageComplete, 100);
    assert.equal(done.Preferences!.MinHealthyPercentage, 50);
    const after = await inService(as, 'fleet', 2);
    assert.ok(after.Instances!.every((m) => !oldIds.includes(m.InstanceId) && m.InstanceType === 't3.small'));
    assert.deepEqual(await awsError(() => as.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: 'fleet' }))), {
      name: 'ActiveInstanceRefreshNotFoundFault',
      message: 'No in progress or pending Instance Refresh found for Auto Scaling group fleet',
      status: 400,
    });
    await as.send(new SuspendProcessesCommand({ AutoScalingGroupName: 'fleet', ScalingProcesses: ['InstanceRefresh'] }));
    const second = await as.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: 'fleet' }));
    assert.equal((await as.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: 'fleet' }))).InstanceRefreshId, second.InstanceRefreshId);
    await eventually('cancelled', async () => {
      const [r] = (await as.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'fleet' }))).InstanceRefreshes!;
      return r?.Status === 'Cancelled' ? r : undefined;
    });
    await emptyOut('fleet');
  });

  it("IncludeDeletedGroups shows a deleted group's activities; without it they are gone", async () => {
    await create('gone', { DesiredCapacity: 1 });
    await inService(as, 'gone', 1);
    await emptyOut('gone');
    assert.deepEqual((await as.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'gone' }))).Activities, []);
    const kept = (await as.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'gone', IncludeDeletedGroups: true }))).Activities!;
    assert.ok(kept.length >= 2);
    assert.ok(kept.every((a) => a.AutoScalingGroupName === 'gone'));
  });
});
