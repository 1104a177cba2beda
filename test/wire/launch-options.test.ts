// RunInstances members an instance keeps: stored, echoed by DescribeInstances and
// DescribeInstanceAttribute, and applied (DisableApiStop refuses StopInstances; IAM profile
// associations; CPU credits; monitoring) — or refused as EC2 refuses what does not exist here.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AssociateIamInstanceProfileCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstanceCreditSpecificationsCommand,
  DescribeInstanceStatusCommand,
  DisassociateIamInstanceProfileCommand,
  ModifyInstanceAttributeCommand,
  ModifyInstanceCreditSpecificationCommand,
  MonitorInstancesCommand,
  ReplaceIamInstanceProfileAssociationCommand,
  RunInstancesCommand,
  StopInstancesCommand,
  type EC2Client,
  type RunInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import { awsError, type TestServer } from '../helpers/server.js';
import { describe as describeInstance, waitForState, type Images } from '../helpers/instances.js';
import { startLaunchServer } from '../helpers/launch-fixture.js';

let server: TestServer;
let client: EC2Client;
let img: Images;
before(async () => ({ server, client, img } = await startLaunchServer()));
after(() => server.close());

const run = async (over: Partial<RunInstancesCommandInput> = {}) =>
  (await client.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1, ...over }))).Instances![0]!;

describe('RunInstances launch options', () => {
  it('stores and echoes every member', async () => {
    const i = await run({
      InstanceType: 't3.large',
      Monitoring: { Enabled: true },
      EbsOptimized: true,
      IamInstanceProfile: { Name: 'web' },
      DisableApiStop: true,
      HibernationOptions: { Configured: true },
      CreditSpecification: { CpuCredits: 'standard' },
      CpuOptions: { CoreCount: 1, ThreadsPerCore: 1 },
      PrivateDnsNameOptions: { HostnameType: 'resource-name', EnableResourceNameDnsARecord: true },
      MaintenanceOptions: { AutoRecovery: 'disabled' },
      CapacityReservationSpecification: { CapacityReservationPreference: 'none' },
      Placement: { Tenancy: 'dedicated' },
      EnclaveOptions: { Enabled: true },
    });
    for (const d of [i, await describeInstance(client, i.InstanceId!)]) {
      assert.equal(d.Monitoring!.State, 'enabled');
      assert.equal(d.EbsOptimized, true);
      assert.match(d.IamInstanceProfile!.Arn!, /^arn:aws:iam::\d{12}:instance-profile\/web$/);
      assert.match(d.IamInstanceProfile!.Id!, /^AIPA[A-Z0-9]{17}$/);
      assert.deepEqual(d.HibernationOptions, { Configured: true });
      assert.deepEqual({ c: d.CpuOptions!.CoreCount, t: d.CpuOptions!.ThreadsPerCore }, { c: 1, t: 1 });
      assert.deepEqual(d.PrivateDnsNameOptions, { HostnameType: 'resource-name', EnableResourceNameDnsARecord: true, EnableResourceNameDnsAAAARecord: false });
      assert.equal(d.PrivateDnsName, `${i.InstanceId}.ec2.internal`);
      assert.equal(d.MaintenanceOptions!.AutoRecovery, 'disabled');
      assert.equal(d.CapacityReservationSpecification!.CapacityReservationPreference, 'none');
      assert.equal(d.Placement!.Tenancy, 'dedicated');
      assert.deepEqual(d.EnclaveOptions, { Enabled: true });
    }
    const attr = async (Attribute: 'disableApiStop' | 'ebsOptimized' | 'enclaveOptions') =>
      client.send(new DescribeInstanceAttributeCommand({ InstanceId: i.InstanceId!, Attribute }));
    assert.equal((await attr('disableApiStop')).DisableApiStop!.Value, true);
    assert.equal((await attr('ebsOptimized')).EbsOptimized!.Value, true);
    assert.equal((await attr('enclaveOptions')).EnclaveOptions!.Enabled, true);
    const credits = await client.send(new DescribeInstanceCreditSpecificationsCommand({ InstanceIds: [i.InstanceId!] }));
    assert.deepEqual(credits.InstanceCreditSpecifications, [{ InstanceId: i.InstanceId, CpuCredits: 'standard' }]);
  });

  it('defaults as EC2 writes them', async () => {
    const i = await run({ InstanceType: 't3.micro' });
    const d = await describeInstance(client, i.InstanceId!);
    assert.equal(d.Monitoring!.State, 'disabled');
    assert.equal(d.EbsOptimized, false);
    assert.equal(d.IamInstanceProfile, undefined);
    assert.deepEqual({ c: d.CpuOptions!.CoreCount, t: d.CpuOptions!.ThreadsPerCore }, { c: 1, t: 2 });
    assert.equal(d.CapacityReservationSpecification!.CapacityReservationPreference, 'open');
    assert.equal(d.PrivateDnsNameOptions!.HostnameType, 'ip-name');
    assert.equal(d.Placement!.Tenancy, 'default');
    const credits = await client.send(new DescribeInstanceCreditSpecificationsCommand({ InstanceIds: [i.InstanceId!] }));
    assert.deepEqual(credits.InstanceCreditSpecifications, [{ InstanceId: i.InstanceId, CpuCredits: 'unlimited' }]);
    const mod = await client.send(new ModifyInstanceCreditSpecificationCommand({ InstanceCreditSpecifications: [{ InstanceId: i.InstanceId!, CpuCredits: 'standard' }] }));
    assert.deepEqual(mod.SuccessfulInstanceCreditSpecifications, [{ InstanceId: i.InstanceId }]);
    const after = await client.send(new DescribeInstanceCreditSpecificationsCommand({ InstanceIds: [i.InstanceId!] }));
    assert.equal(after.InstanceCreditSpecifications![0]!.CpuCredits, 'standard');
    const mon = await client.send(new MonitorInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    assert.equal(mon.InstanceMonitorings![0]!.Monitoring!.State, 'pending');
    assert.equal((await describeInstance(client, i.InstanceId!)).Monitoring!.State, 'enabled');
  });

  it('DisableApiStop refuses StopInstances until the attribute is modified', async () => {
    const i = await run({ DisableApiStop: true });
    await waitForState(client, i.InstanceId!, 'running');
    const e = await awsError(() => client.send(new StopInstancesCommand({ InstanceIds: [i.InstanceId!] })));
    assert.equal(e.name, 'OperationNotPermitted');
    assert.equal(e.message, `The instance '${i.InstanceId}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.`);
    await client.send(new ModifyInstanceAttributeCommand({ InstanceId: i.InstanceId!, DisableApiStop: { Value: false } }));
    const s = await client.send(new StopInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    assert.equal(s.StoppingInstances![0]!.CurrentState!.Name, 'stopping');
  });

  it('IAM instance profile associations: describe, replace, disassociate, associate', async () => {
    const i = await run({ IamInstanceProfile: { Arn: 'arn:aws:iam::123456789012:instance-profile/app/worker' } });
    const mine = async () =>
      (await client.send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: [i.InstanceId!] }] }))).IamInstanceProfileAssociations!;
    const [a] = await mine();
    assert.match(a!.AssociationId!, /^iip-assoc-0[0-9a-f]{16}$/);
    assert.equal(a!.State, 'associated');
    assert.equal(a!.IamInstanceProfile!.Arn, 'arn:aws:iam::123456789012:instance-profile/app/worker');
    const dup = await awsError(() => client.send(new AssociateIamInstanceProfileCommand({ InstanceId: i.InstanceId!, IamInstanceProfile: { Name: 'x' } })));
    assert.equal(dup.name, 'IncorrectState');
    const r = await client.send(new ReplaceIamInstanceProfileAssociationCommand({ AssociationId: a!.AssociationId!, IamInstanceProfile: { Name: 'other' } }));
    assert.notEqual(r.IamInstanceProfileAssociation!.AssociationId, a!.AssociationId);
    assert.match((await describeInstance(client, i.InstanceId!)).IamInstanceProfile!.Arn!, /instance-profile\/other$/);
    await client.send(new DisassociateIamInstanceProfileCommand({ AssociationId: r.IamInstanceProfileAssociation!.AssociationId! }));
    assert.deepEqual(await mine(), []);
    assert.equal((await describeInstance(client, i.InstanceId!)).IamInstanceProfile, undefined);
    const gone = await awsError(() => client.send(new DisassociateIamInstanceProfileCommand({ AssociationId: a!.AssociationId! })));
    assert.equal(gone.name, 'InvalidAssociationID.NotFound');
    await client.send(new AssociateIamInstanceProfileCommand({ InstanceId: i.InstanceId!, IamInstanceProfile: { Name: 'again' } }));
    assert.equal((await mine()).length, 1);
  });

  it('enaSupport, sriovNetSupport and ebsOptimized change while stopped only', async () => {
    const i = await run();
    await waitForState(client, i.InstanceId!, 'running');
    const running = await awsError(() => client.send(new ModifyInstanceAttributeCommand({ InstanceId: i.InstanceId!, EnaSupport: { Value: false } })));
    assert.equal(running.name, 'IncorrectInstanceState');
    await client.send(new StopInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    await waitForState(client, i.InstanceId!, 'stopped');
    await client.send(new ModifyInstanceAttributeCommand({ InstanceId: i.InstanceId!, EnaSupport: { Value: false } }));
    await client.send(new ModifyInstanceAttributeCommand({ InstanceId: i.InstanceId!, SriovNetSupport: { Value: 'simple' } }));
    await client.send(new ModifyInstanceAttributeCommand({ InstanceId: i.InstanceId!, EbsOptimized: { Value: true } }));
    const attr = (Attribute: 'enaSupport' | 'sriovNetSupport' | 'ebsOptimized') => client.send(new DescribeInstanceAttributeCommand({ InstanceId: i.InstanceId!, Attribute }));
    assert.equal((await attr('enaSupport')).EnaSupport!.Value, false);
    assert.equal((await attr('sriovNetSupport')).SriovNetSupport!.Value, 'simple');
    assert.equal((await attr('ebsOptimized')).EbsOptimized!.Value, true);
    const d = await describeInstance(client, i.InstanceId!);
    assert.deepEqual([d.EnaSupport, d.SriovNetSupport, d.EbsOptimized], [false, 'simple', true]);
  });

  const refusals: [string, Partial<RunInstancesCommandInput>, string][] = [
    ['a placement group', { Placement: { GroupName: 'cluster' } }, 'InvalidPlacementGroup.Unknown'],
    ['a dedicated host', { Placement: { HostId: 'h-0123456789abcdef0' } }, 'InvalidHostID.NotFound'],
    ['a capacity reservation', { CapacityReservationSpecification: { CapacityReservationTarget: { CapacityReservationId: 'cr-0123456789abcdef0' } } }, 'InvalidCapacityReservationId.NotFound'],
    ['credits on a non-burstable type', { InstanceType: 'm5.large', CreditSpecification: { CpuCredits: 'unlimited' } }, 'InvalidParameterCombination'],
    ['a bad credit option', { InstanceType: 't3.micro', CreditSpecification: { CpuCredits: 'fast' } }, 'InvalidParameterValue'],
    ['both profile members', { IamInstanceProfile: { Name: 'a', Arn: 'arn:aws:iam::123456789012:instance-profile/a' } }, 'InvalidParameterCombination'],
    ['a malformed profile ARN', { IamInstanceProfile: { Arn: 'arn:aws:iam::x:role/a' } }, 'InvalidParameterValue'],
    ['too many threads', { InstanceType: 't2.micro', CpuOptions: { CoreCount: 1, ThreadsPerCore: 2 } }, 'InvalidParameterValue'],
  ];
  for (const [what, over, code] of refusals) {
    it(`refuses ${what} with ${code}`, async () => {
      assert.equal((await awsError(() => run(over))).name, code);
    });
  }
});

describe('DescribeInstanceStatus', () => {
  it('running instances pass both checks; IncludeAllInstances lists the others as not-applicable', async () => {
    const i = await run();
    await waitForState(client, i.InstanceId!, 'running');
    const s = await client.send(new DescribeInstanceStatusCommand({ InstanceIds: [i.InstanceId!] }));
    const st = s.InstanceStatuses![0]!;
    assert.equal(st.InstanceState!.Name, 'running');
    assert.deepEqual(st.InstanceStatus, { Status: 'ok', Details: [{ Name: 'reachability', Status: 'passed' }] });
    assert.deepEqual(st.SystemStatus, { Status: 'ok', Details: [{ Name: 'reachability', Status: 'passed' }] });
    await client.send(new StopInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    await waitForState(client, i.InstanceId!, 'stopped');
    assert.deepEqual((await client.send(new DescribeInstanceStatusCommand({ InstanceIds: [i.InstanceId!] }))).InstanceStatuses, []);
    const all = await client.send(new DescribeInstanceStatusCommand({ InstanceIds: [i.InstanceId!], IncludeAllInstances: true }));
    assert.equal(all.InstanceStatuses![0]!.InstanceStatus!.Status, 'not-applicable');
    const f = await client.send(new DescribeInstanceStatusCommand({ IncludeAllInstances: true, Filters: [{ Name: 'instance-state-name', Values: ['stopped'] }] }));
    assert.ok(f.InstanceStatuses!.some((x) => x.InstanceId === i.InstanceId));
    assert.ok(f.InstanceStatuses!.every((x) => x.InstanceState!.Name === 'stopped'));
    const bad = await awsError(() => client.send(new DescribeInstanceStatusCommand({ Filters: [{ Name: 'bogus', Values: ['x'] }] })));
    assert.equal(bad.name, 'InvalidParameterValue');
  });
});
