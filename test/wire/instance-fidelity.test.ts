// Instance actions answered as AWS does where moto's suites found a difference.
// ModifyInstanceAttribute Kernel/Ramdisk (both member forms) and DescribeInstanceAttribute
// kernel/ramdisk: stopped-only attributes (EC2 user guide, "Modify a stopped instance"); ec2lite's
// instances are HVM, which boot no AKI/ARI, so a stopped instance refuses and nothing is stored.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeInstanceAttributeCommand, ModifyInstanceAttributeCommand, RunInstancesCommand, StopInstancesCommand, TerminateInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { awsError, startTestServer, type TestServer } from '../helpers/server.js';
import { images, waitForState } from '../helpers/instances.js';

let server: TestServer;
let client: EC2Client;
let id: string;
before(async () => {
  server = await startTestServer({ instanceDelays: { start: 20, stop: 20, terminate: 20 }, storageDelayMs: 20 });
  client = server.client();
  const img = await images(client);
  id = (await client.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
  await waitForState(client, id, 'running');
});
after(() => server.close());

describe('ModifyInstanceAttribute Kernel and Ramdisk', () => {
  it('a running instance: IncorrectInstanceState, as for the other stopped-only attributes', async () => {
    for (const over of [{ Kernel: { Value: 'aki-12345678' } }, { Ramdisk: { Value: 'ari-12345678' } }, { Attribute: 'kernel' as const, Value: 'aki-12345678' }]) {
      const e = await awsError(() => client.send(new ModifyInstanceAttributeCommand({ InstanceId: id, ...over })));
      assert.equal(e.name, 'IncorrectInstanceState', JSON.stringify(over));
      assert.equal(e.message, `The instance '${id}' is not in the 'stopped' state.`);
    }
  });

  it('DryRun answers DryRunOperation; two attributes at once are refused', async () => {
    const dry = await awsError(() => client.send(new ModifyInstanceAttributeCommand({ InstanceId: id, Kernel: { Value: 'aki-12345678' }, DryRun: true })));
    assert.equal(dry.name, 'DryRunOperation');
    const two = await awsError(() => client.send(new ModifyInstanceAttributeCommand({ InstanceId: id, Kernel: { Value: 'aki-1' }, Ramdisk: { Value: 'ari-1' } })));
    assert.equal(two.name, 'InvalidParameterCombination');
  });

  it('a stopped HVM instance refuses (UnsupportedOperation) and DescribeInstanceAttribute still shows no kernel or RAM disk', async () => {
    await client.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await waitForState(client, id, 'stopped');
    for (const [over, what] of [[{ Kernel: { Value: 'aki-12345678' } }, 'kernel'], [{ Ramdisk: { Value: 'ari-12345678' } }, 'RAM disk']] as const) {
      const e = await awsError(() => client.send(new ModifyInstanceAttributeCommand({ InstanceId: id, ...over })));
      assert.equal(e.name, 'UnsupportedOperation');
      assert.equal(e.message, `The instance '${id}' uses HVM virtualization; a ${what} image applies only to paravirtual instances.`);
    }
    const k = await client.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'kernel' }));
    assert.equal(k.InstanceId, id);
    assert.equal(k.KernelId?.Value, undefined);
    const r = await client.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'ramdisk' }));
    assert.equal(r.RamdiskId?.Value, undefined);
    const raw = await server.raw({ Action: 'DescribeInstanceAttribute', Version: '2016-11-15', InstanceId: id, Attribute: 'kernel' });
    assert.match(raw.body, /<kernel\/>|<kernel>\s*<\/kernel>/);
  });
});

describe('TerminateInstances with no instance ids', () => {
  it('answers InvalidParameterCombination "No instances specified" (real AWS: gruntwork-io/cloud-nuke#731), not MissingParameter', async () => {
    const e = await awsError(() => client.send(new TerminateInstancesCommand({ InstanceIds: [] })));
    assert.equal(e.name, 'InvalidParameterCombination');
    assert.equal(e.message, 'No instances specified');
    assert.equal(e.status, 400);
  });
});
