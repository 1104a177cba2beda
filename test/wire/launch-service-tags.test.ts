// The `aws:` tags instances get from the service that launched them, present in the very first
// DescribeInstances that lists them: the launch template and version, the Auto Scaling group.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateLaunchTemplateCommand, CreateLaunchTemplateVersionCommand, DescribeInstancesCommand, RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { CreateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { images, type Images } from '../helpers/instances.js';
import { autoScalingClient, destroyAutoScalingClients, FAST_AUTOSCALING } from '../helpers/autoscaling.js';

let server: TestServer;
let client: EC2Client;
let img: Images;
before(async () => {
  server = await startTestServer({ instanceDelays: { start: 20, stop: 20, terminate: 20 }, storageDelayMs: 20, autoScaling: FAST_AUTOSCALING });
  client = server.client();
  img = await images(client);
});
after(async () => {
  destroyAutoScalingClients();
  await server.close();
});

const tagsOf = (t: { Key?: string; Value?: string }[] | undefined) => Object.fromEntries((t ?? []).map((x) => [x.Key, x.Value]));

describe('service tags on launched instances', () => {
  it('a launch template launch carries aws:ec2launchtemplate:id and :version (the resolved number)', async () => {
    const lt = await client.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'tagged', LaunchTemplateData: { ImageId: img.al2023 } }));
    const id = lt.LaunchTemplate!.LaunchTemplateId!;
    await client.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: id, SourceVersion: '1', LaunchTemplateData: { InstanceType: 't3.micro' } }));
    const r = await client.send(
      new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateId: id, Version: '$Latest' }, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'x' }] }] }),
    );
    assert.deepEqual(tagsOf(r.Instances![0]!.Tags), { Name: 'x', 'aws:ec2launchtemplate:id': id, 'aws:ec2launchtemplate:version': '2' });
    const plain = await client.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, ImageId: img.al2023 }));
    assert.equal(plain.Instances![0]!.Tags, undefined);
  });

  it("an Auto Scaling group's instances are tagged aws:autoscaling:groupName in the first listing that shows them", async () => {
    const as = autoScalingClient(server.url);
    await client.send(
      new CreateLaunchTemplateCommand({ LaunchTemplateName: 'group-lt', LaunchTemplateData: { ImageId: img.al2023, Monitoring: { Enabled: true }, EbsOptimized: true } }),
    );
    await as.send(
      new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'tagged-group', MinSize: 2, MaxSize: 2, AvailabilityZones: ['us-east-1a'], LaunchTemplate: { LaunchTemplateName: 'group-lt' } }),
    );
    const seen = new Set<string>();
    for (let i = 0; i < 2000 && seen.size < 2; i++) {
      const d = await client.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:aws:ec2launchtemplate:version', Values: ['1'] }] }));
      for (const inst of d.Reservations!.flatMap((x) => x.Instances!)) {
        const tags = tagsOf(inst.Tags);
        if (tags['aws:ec2launchtemplate:id'] !== undefined && tags['aws:ec2launchtemplate:id'] === (await ltId('group-lt'))) {
          assert.equal(tags['aws:autoscaling:groupName'], 'tagged-group', `${inst.InstanceId} listed without its group tag`);
          // Auto Scaling launches apply the template's members as RunInstances does
          assert.equal(inst.Monitoring!.State, 'enabled');
          assert.equal(inst.EbsOptimized, true);
          seen.add(inst.InstanceId!);
        }
      }
    }
    assert.equal(seen.size, 2);
  });
});

const ids = new Map<string, string>();
async function ltId(name: string): Promise<string> {
  if (!ids.has(name)) {
    const { DescribeLaunchTemplatesCommand } = await import('@aws-sdk/client-ec2');
    ids.set(name, (await client.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: [name] }))).LaunchTemplates![0]!.LaunchTemplateId!);
  }
  return ids.get(name)!;
}
