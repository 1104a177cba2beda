import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTagsCommand,
  DescribeTagsCommand,
  DescribeVolumesCommand,
  ModifyInstanceMetadataOptionsCommand,
  RebootInstancesCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { awsError, startTestServer, type TestServer } from '../helpers/server.js';
import { describe as describeInstance, images, waitForState, type Images } from '../helpers/instances.js';
import { sshProbe, type SshProbe } from '../helpers/ssh-probe.js';

let server: TestServer;
let client: EC2Client;
let img: Images;
let probe: SshProbe;
before(async () => {
  server = await startTestServer({ instanceDelays: { start: 50, stop: 50, terminate: 50 } });
  client = server.client();
  img = await images(client);
  probe = await sshProbe(client);
});
after(async () => {
  await server.close();
  probe.cleanup();
});

async function launch(imageId = img.al2023, keyName?: string): Promise<string> {
  const r = await client.send(new RunInstancesCommand({ ImageId: imageId, MinCount: 1, MaxCount: 1, KeyName: keyName }));
  return r.Instances![0]!.InstanceId!;
}

describe('instance lifecycle', () => {
  it('stops and starts: running → stopping → stopped → pending → running, with the SSH endpoint down then back', async () => {
    const id = await launch();
    await waitForState(client, id, 'running');
    assert.ok(server.app.runtime.sshEndpoint(id));
    const stop = await client.send(new StopInstancesCommand({ InstanceIds: [id] }));
    assert.deepEqual(stop.StoppingInstances, [{ InstanceId: id, CurrentState: { Code: 64, Name: 'stopping' }, PreviousState: { Code: 16, Name: 'running' } }]);
    assert.equal(server.app.runtime.sshEndpoint(id), undefined);
    const stopped = await waitForState(client, id, 'stopped');
    assert.equal(stopped.StateReason!.Code, 'Client.UserInitiatedShutdown');
    assert.match(stopped.StateTransitionReason!, /^User initiated \(/);
    assert.equal(stopped.PublicIpAddress, undefined);
    assert.equal(stopped.BlockDeviceMappings![0]!.Ebs!.Status, 'attached');
    // stopping a stopped instance is a no-op that reports the state
    const again = await client.send(new StopInstancesCommand({ InstanceIds: [id] }));
    assert.deepEqual(again.StoppingInstances![0]!.CurrentState, { Code: 80, Name: 'stopped' });
    const start = await client.send(new StartInstancesCommand({ InstanceIds: [id] }));
    assert.deepEqual(start.StartingInstances, [{ InstanceId: id, CurrentState: { Code: 0, Name: 'pending' }, PreviousState: { Code: 80, Name: 'stopped' } }]);
    const running = await waitForState(client, id, 'running');
    assert.equal(running.StateTransitionReason, '');
    assert.ok(server.app.runtime.sshEndpoint(id));
    // starting a running instance reports running → running
    const noop = await client.send(new StartInstancesCommand({ InstanceIds: [id] }));
    assert.deepEqual(noop.StartingInstances![0]!.PreviousState, { Code: 16, Name: 'running' });
    assert.deepEqual(noop.StartingInstances![0]!.CurrentState, { Code: 16, Name: 'running' });
  });

  it('terminates: shutting-down → terminated, stays visible, root volume deleted, further actions refused', async () => {
    const id = await launch();
    await waitForState(client, id, 'running');
    const volumeId = (await describeInstance(client, id)).BlockDeviceMappings![0]!.Ebs!.VolumeId!;
    const t = await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    assert.deepEqual(t.TerminatingInstances, [{ InstanceId: id, CurrentState: { Code: 32, Name: 'shutting-down' }, PreviousState: { Code: 16, Name: 'running' } }]);
    assert.equal(server.app.runtime.sshEndpoint(id), undefined);
    const done = await waitForState(client, id, 'terminated');
    assert.deepEqual(done.BlockDeviceMappings, []);
    const vol = await awsError(() => client.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] })));
    assert.equal(vol.name, 'InvalidVolume.NotFound');
    const twice = await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    assert.deepEqual(twice.TerminatingInstances![0]!.PreviousState, { Code: 48, Name: 'terminated' });
    assert.deepEqual(twice.TerminatingInstances![0]!.CurrentState, { Code: 48, Name: 'terminated' });
    const start = await awsError(() => client.send(new StartInstancesCommand({ InstanceIds: [id] })));
    assert.equal(start.name, 'IncorrectInstanceState');
    assert.equal(start.message, `The instance '${id}' is not in a state from which it can be started.`);
    const stop = await awsError(() => client.send(new StopInstancesCommand({ InstanceIds: [id] })));
    assert.equal(stop.name, 'IncorrectInstanceState');
    assert.equal(stop.message, `This instance '${id}' is not in a state from which it can be stopped.`);
    const reboot = await awsError(() => client.send(new RebootInstancesCommand({ InstanceIds: [id] })));
    assert.equal(reboot.name, 'IncorrectInstanceState');
  });

  it('refuses to stop an instance-store instance with AWS’s UnsupportedOperation', async () => {
    const id = await launch(img.instanceStore);
    await waitForState(client, id, 'running');
    const e = await awsError(() => client.send(new StopInstancesCommand({ InstanceIds: [id] })));
    assert.equal(e.name, 'UnsupportedOperation');
    assert.equal(e.status, 400);
    assert.equal(e.message, `The instance '${id}' does not have an 'ebs' root device type and cannot be stopped.`);
    assert.equal((await describeInstance(client, id)).State!.Name, 'running');
  });

  it('refuses to stop an instance that never reached running', async () => {
    const slow = await startTestServer({ instanceDelays: { start: 60_000, stop: 50, terminate: 50 } });
    try {
      const c = slow.client();
      const imgs = await images(c);
      const id = (await c.send(new RunInstancesCommand({ ImageId: imgs.al2023, MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
      const e = await awsError(() => c.send(new StopInstancesCommand({ InstanceIds: [id] })));
      assert.equal(e.name, 'IncorrectInstanceState');
      assert.equal(e.message, `Instance '${id}' cannot be stopped as it has never reached the 'running' state.`);
      // but it can be terminated while pending
      const t = await c.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
      assert.deepEqual(t.TerminatingInstances![0]!.PreviousState, { Code: 0, Name: 'pending' });
    } finally {
      await slow.close();
    }
  });

  it('reboots a running instance: the endpoint comes back, the state stays running', async () => {
    const id = await launch(img.al2023, probe.keyName);
    await waitForState(client, id, 'running');
    // A session open across the reboot ends with it (the guest restarted); a new one logs in.
    const before = probe.run(server.url, id, 'echo up; touch /tmp/started; sleep 60');
    while ((await probe.run(server.url, id, 'test -f /tmp/started')).code !== 0) await new Promise((r) => setTimeout(r, 50));
    const r = await client.send(new RebootInstancesCommand({ InstanceIds: [id] }));
    assert.equal(r.$metadata.httpStatusCode, 200);
    assert.ok(server.app.runtime.sshEndpoint(id));
    const ended = await before;
    assert.notEqual(ended.code, 0, 'the session open before the reboot ended with it');
    assert.equal(ended.stdout, 'up\n');
    assert.equal(await probe.output(server.url, id, 'echo back'), 'back\n');
    assert.equal((await describeInstance(client, id)).State!.Name, 'running');
  });

  it('names every missing id and refuses malformed ones in Start/Stop/Reboot/Terminate', async () => {
    const commands = {
      StartInstances: (input: { InstanceIds: string[]; DryRun?: boolean }) => client.send(new StartInstancesCommand(input)),
      StopInstances: (input: { InstanceIds: string[]; DryRun?: boolean }) => client.send(new StopInstancesCommand(input)),
      RebootInstances: (input: { InstanceIds: string[]; DryRun?: boolean }) => client.send(new RebootInstancesCommand(input)),
      TerminateInstances: (input: { InstanceIds: string[]; DryRun?: boolean }) => client.send(new TerminateInstancesCommand(input)),
    };
    for (const [name, send] of Object.entries(commands)) {
      const e = await awsError(() => send({ InstanceIds: ['i-0123456789abcdef0', 'i-0123456789abcdef1'] }));
      assert.equal(e.name, 'InvalidInstanceID.NotFound', name);
      assert.equal(e.message, "The instance IDs 'i-0123456789abcdef0, i-0123456789abcdef1' do not exist");
      const bad = await awsError(() => send({ InstanceIds: ['i-xyz'] }));
      assert.equal(bad.name, 'InvalidInstanceID.Malformed');
      const dry = await awsError(() => send({ InstanceIds: ['i-0123456789abcdef0'], DryRun: true }));
      assert.equal(dry.name, 'DryRunOperation', name);
    }
    const missing = await server.raw({ Action: 'StopInstances', Version: '2016-11-15' });
    assert.match(missing.body, /<Code>MissingParameter<\/Code><Message>The request must contain the parameter InstanceId<\/Message>/);
  });

  it('modifies metadata options, persisted and applied to the guest', async () => {
    const id = await launch(img.al2023, probe.keyName);
    await waitForState(client, id, 'running');
    const r = await client.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpTokens: 'required', HttpPutResponseHopLimit: 3 }));
    assert.equal(r.InstanceId, id);
    assert.equal(r.InstanceMetadataOptions!.State, 'pending');
    assert.equal(r.InstanceMetadataOptions!.HttpTokens, 'required');
    assert.equal(r.InstanceMetadataOptions!.HttpPutResponseHopLimit, 3);
    assert.equal(r.InstanceMetadataOptions!.HttpEndpoint, 'enabled');
    const d = await describeInstance(client, id);
    assert.equal(d.MetadataOptions!.HttpTokens, 'required');
    assert.equal(d.MetadataOptions!.HttpPutResponseHopLimit, 3);
    const v1 = await probe.output(server.url, id, 'curl -s -o /dev/null -w "%{http_code}" http://169.254.169.254/latest/meta-data/instance-id');
    assert.equal(v1.trim(), '401');
    const hop = await awsError(() => client.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpPutResponseHopLimit: 65 })));
    assert.equal(hop.name, 'InvalidParameterValue');
    const missing = await awsError(() => client.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: 'i-0123456789abcdef0', HttpTokens: 'optional' })));
    assert.equal(missing.name, 'InvalidInstanceID.NotFound');
    const dry = await awsError(() => client.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpTokens: 'optional', DryRun: true })));
    assert.equal(dry.name, 'DryRunOperation');
    assert.equal((await describeInstance(client, id)).MetadataOptions!.HttpTokens, 'required');
  });

  it('tags instances and volumes with CreateTags; DescribeTags shows their types', async () => {
    const id = await launch();
    const vol = (await describeInstance(client, id)).BlockDeviceMappings![0]!.Ebs!.VolumeId!;
    await client.send(new CreateTagsCommand({ Resources: [id, vol], Tags: [{ Key: 'env', Value: 'test' }] }));
    const tags = await client.send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['env'] }] }));
    assert.deepEqual(
      tags.Tags!.map((t) => [t.ResourceId, t.ResourceType]).sort(),
      [[id, 'instance'], [vol, 'volume']].sort(),
    );
    assert.deepEqual((await describeInstance(client, id)).Tags, [{ Key: 'env', Value: 'test' }]);
  });

  it('DescribeVolumes filters root volumes by instance and status', async () => {
    const id = await launch();
    const vols = await client.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [id] }] }));
    assert.equal(vols.Volumes!.length, 1);
    const v = vols.Volumes![0]!;
    assert.equal(v.Size, 8);
    assert.equal(v.VolumeType, 'gp3');
    assert.equal(v.AvailabilityZone, 'us-east-1a');
    assert.equal(v.Attachments![0]!.DeleteOnTermination, true);
    const byId = await client.send(new DescribeVolumesCommand({ Filters: [{ Name: 'volume-id', Values: [v.VolumeId!] }, { Name: 'status', Values: ['in-use'] }] }));
    assert.equal(byId.Volumes!.length, 1);
    const none = await client.send(new DescribeVolumesCommand({ Filters: [{ Name: 'volume-id', Values: [v.VolumeId!] }, { Name: 'status', Values: ['available'] }] }));
    assert.deepEqual(none.Volumes, []);
    const bad = await awsError(() => client.send(new DescribeVolumesCommand({ VolumeIds: ['disk-1'] })));
    assert.equal(bad.name, 'InvalidVolumeID.Malformed');
    const missing = await awsError(() => client.send(new DescribeVolumesCommand({ VolumeIds: ['vol-0123456789abcdef0'] })));
    assert.equal(missing.name, 'InvalidVolume.NotFound');
    assert.equal(missing.message, "The volume 'vol-0123456789abcdef0' does not exist.");
  });
});
