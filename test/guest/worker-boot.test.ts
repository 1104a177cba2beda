// A guest in a guest worker process is answered before its boot there is over, and a terminated
// one before its stop there is over (guest/worker-engine.ts, compute/instance-runtime.ts): what
// must still come after them does. A root that outlives its instance holds the first boot's writes
// once it shows `available`; a deleted root's bytes go after the guest's stop; a guest that cannot
// boot in its process shows as impaired rather than vanishing. Real clients: the SDK.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeInstanceStatusCommand,
  DescribeVolumesCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { describe as describeInstance, images, waitForState } from '../helpers/instances.js';
import type { WorkerEngine } from '../../src/guest/worker-engine.js';

let server: TestServer;
let client: EC2Client;
let engine: WorkerEngine;

/** One al2023 instance, not waited for: its boot in the guest process is still under way. */
async function launch(rootDeleteOnTermination: boolean): Promise<{ instanceId: string; rootVolumeId: string }> {
  const r = await client.send(
    new RunInstancesCommand({
      ImageId: (await images(client)).al2023,
      MinCount: 1,
      MaxCount: 1,
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { DeleteOnTermination: rootDeleteOnTermination } }],
    }),
  );
  const i = r.Instances![0]!;
  return { instanceId: i.InstanceId!, rootVolumeId: i.BlockDeviceMappings!.find((m) => m.DeviceName === i.RootDeviceName)!.Ebs!.VolumeId! };
}

async function volumeState(volumeId: string): Promise<string | undefined> {
  const r = await client.send(new DescribeVolumesCommand({ Filters: [{ Name: 'volume-id', Values: [volumeId] }] }));
  return r.Volumes?.[0]?.State;
}

describe('a guest worker process boots and stops after the API answered', () => {
  before(async () => {
    server = await startTestServer({ guestProcesses: { processes: 2, heapMb: 256, stallMs: 30_000 } });
    client = server.client();
    engine = await (server.app.engines[0] as unknown as { loaded(): Promise<WorkerEngine> }).loaded();
  });
  after(async () => {
    await server?.close();
  });

  it('terminated at once after its launch, a root that outlives the instance is available with the first boot in it', async () => {
    const { instanceId, rootVolumeId } = await launch(false);
    await client.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    // with the default delays the instance is terminated and its root detached when the action answers
    assert.equal((await describeInstance(client, instanceId)).State?.Name, 'terminated');
    assert.equal(await volumeState(rootVolumeId), 'available');
    // the first boot's writes (cloud-init's instance directory, named by the instance id) are in it
    const fs = await engine.volumes.load(rootVolumeId);
    assert.ok(fs, 'the root keeps its bytes');
    assert.ok(JSON.stringify(fs).includes(instanceId), 'the first boot wrote the instance id into the root');
  });

  it('terminated at once after its launch, a DeleteOnTermination root is deleted and its bytes go once the guest has stopped', async () => {
    const { instanceId, rootVolumeId } = await launch(true);
    await client.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    assert.equal((await describeInstance(client, instanceId)).State?.Name, 'terminated');
    assert.equal(await volumeState(rootVolumeId), undefined, 'DescribeVolumes no longer lists it');
    // its bytes go after the guest's stop in its process (no deadline here: the test's timeout is one)
    while ((await server.app.store.blockData.load(rootVolumeId)) !== undefined) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await server.app.store.blockData.load(rootVolumeId), undefined);
  });

  it('a guest that cannot boot in its process (its root unreadable) runs impaired, and stops', async () => {
    const { instanceId, rootVolumeId } = await launch(false);
    await waitForState(client, instanceId, 'running');
    await client.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
    await waitForState(client, instanceId, 'stopped');
    // a root whose bytes this engine cannot read: its next boot fails in the guest process
    await server.app.store.blockData.save(rootVolumeId, { data: { format: 'not-a-filesystem' } });
    await client.send(new StartInstancesCommand({ InstanceIds: [instanceId] }));
    assert.equal((await waitForState(client, instanceId, 'running')).State?.Name, 'running');
    const status = async () =>
      (await client.send(new DescribeInstanceStatusCommand({ InstanceIds: [instanceId] }))).InstanceStatuses?.[0]?.InstanceStatus;
    let s = await status();
    while (s?.Status !== 'impaired') {
      await new Promise((r) => setTimeout(r, 20));
      s = await status();
    }
    assert.equal(s.Details?.[0]?.Name, 'reachability');
    assert.equal(s.Details?.[0]?.Status, 'failed');
    // StopInstances still stops it
    await client.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
    assert.equal((await waitForState(client, instanceId, 'stopped')).State?.Name, 'stopped');
    assert.ok(!engine.describe().some((p) => p.instances.includes(instanceId)), 'no process keeps the stopped guest');
  });
});
