// EC2 launch templates through the SDK: versions, $Latest/$Default, ModifyLaunchTemplate,
// DeleteLaunchTemplate, RunInstances from a template (request members override), and EC2's errors.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateKeyPairCommand,
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  DeleteLaunchTemplateCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  ModifyLaunchTemplateCommand,
  RunInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { awsError, startTestServer, type TestServer } from '../helpers/server.js';
import { images, type Images } from '../helpers/instances.js';

let server: TestServer;
let ec2: EC2Client;
let img: Images;
before(async () => {
  server = await startTestServer({ instanceDelays: { start: 20, stop: 20, terminate: 20 } });
  ec2 = server.client();
  img = await images(ec2);
  await ec2.send(new CreateKeyPairCommand({ KeyName: 'lt-key', KeyType: 'ed25519' }));
  await ec2.send(new CreateKeyPairCommand({ KeyName: 'other-key', KeyType: 'ed25519' }));
});
after(() => server.close());

describe('launch templates', () => {
  it('creates version 1 as default and latest, tagged', async () => {
    const r = await ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: 'web',
        VersionDescription: 'first',
        LaunchTemplateData: {
          ImageId: img.al2023,
          InstanceType: 't3.micro',
          KeyName: 'lt-key',
          MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 3 },
          TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'role', Value: 'web' }] }],
        },
        TagSpecifications: [{ ResourceType: 'launch-template', Tags: [{ Key: 'team', Value: 'a' }] }],
      }),
    );
    const t = r.LaunchTemplate!;
    assert.match(t.LaunchTemplateId!, /^lt-0[0-9a-f]{16}$/);
    assert.equal(t.LaunchTemplateName, 'web');
    assert.equal(t.DefaultVersionNumber, 1);
    assert.equal(t.LatestVersionNumber, 1);
    assert.equal(t.CreatedBy, 'arn:aws:iam::000000000000:root');
    assert.deepEqual(t.Tags, [{ Key: 'team', Value: 'a' }]);
    assert.ok(t.CreateTime instanceof Date);
  });

  it('adds versions from a source version and resolves $Latest and $Default', async () => {
    const v2 = await ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateName: 'web',
        SourceVersion: '1',
        VersionDescription: 'bigger',
        LaunchTemplateData: { InstanceType: 't3.large' },
      }),
    );
    assert.equal(v2.LaunchTemplateVersion!.VersionNumber, 2);
    assert.equal(v2.LaunchTemplateVersion!.DefaultVersion, false);
    const data = v2.LaunchTemplateVersion!.LaunchTemplateData!;
    assert.equal(data.InstanceType, 't3.large');
    assert.equal(data.ImageId, img.al2023, 'copied from the source version');
    assert.equal(data.KeyName, 'lt-key');
    assert.equal(data.MetadataOptions!.HttpTokens, 'required');

    const latest = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'web', Versions: ['$Latest'] }));
    assert.deepEqual(latest.LaunchTemplateVersions!.map((v) => v.VersionNumber), [2]);
    const def = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'web', Versions: ['$Default'] }));
    assert.deepEqual(def.LaunchTemplateVersions!.map((v) => v.VersionNumber), [1]);
    assert.equal(def.LaunchTemplateVersions![0]!.DefaultVersion, true);
    const all = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'web' }));
    assert.deepEqual(all.LaunchTemplateVersions!.map((v) => v.VersionNumber), [2, 1]);

    const m = await ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateName: 'web', DefaultVersion: '2' }));
    assert.equal(m.LaunchTemplate!.DefaultVersionNumber, 2);
    const d = await ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['web'] }));
    assert.equal(d.LaunchTemplates![0]!.DefaultVersionNumber, 2);
    assert.equal(d.LaunchTemplates![0]!.LatestVersionNumber, 2);
  });

  it('RunInstances takes the template members; request members override them', async () => {
    const fromTemplate = await ec2.send(
      new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: 'web', Version: '1' } }),
    );
    const i = fromTemplate.Instances![0]!;
    assert.equal(i.ImageId, img.al2023);
    assert.equal(i.InstanceType, 't3.micro');
    assert.equal(i.KeyName, 'lt-key');
    assert.equal(i.MetadataOptions!.HttpTokens, 'required');
    assert.equal(i.MetadataOptions!.HttpPutResponseHopLimit, 3);
    assert.deepEqual(i.Tags?.filter((t) => !t.Key!.startsWith('aws:')), [{ Key: 'role', Value: 'web' }]);

    const overridden = await ec2.send(
      new RunInstancesCommand({
        MinCount: 1,
        MaxCount: 1,
        KeyName: 'other-key',
        InstanceType: 'm5.large',
        LaunchTemplate: { LaunchTemplateId: (await templateId('web')) },
      }),
    );
    const o = overridden.Instances![0]!;
    assert.equal(o.KeyName, 'other-key');
    assert.equal(o.InstanceType, 'm5.large');
    assert.equal(o.ImageId, img.al2023);
  });

  it('answers EC2 errors', async () => {
    let e = await awsError(() => ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'web', LaunchTemplateData: {} })));
    assert.deepEqual([e.name, e.message, e.status], ['InvalidLaunchTemplateName.AlreadyExistsException', 'Launch template name already in use.', 400]);
    e = await awsError(() => ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'a b', LaunchTemplateData: {} })));
    assert.equal(e.name, 'InvalidLaunchTemplateName.MalformedException');
    e = await awsError(() => ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'web', Versions: ['9'] })));
    assert.equal(e.name, 'InvalidLaunchTemplateId.VersionNotFound');
    assert.match(e.message, /^Could not find the specified version 9 for the launch template with ID lt-0[0-9a-f]{16}\.$/);
    e = await awsError(() => ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'nope' })));
    assert.deepEqual([e.name, e.message], ['InvalidLaunchTemplateName.NotFoundException', 'The specified launch template, with template name nope, does not exist.']);
    e = await awsError(() => ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: ['lt-0123456789abcdef0'] })));
    assert.deepEqual([e.name, e.message], ['InvalidLaunchTemplateId.NotFound', 'The specified launch template, with template ID lt-0123456789abcdef0, does not exist.']);
    e = await awsError(() => ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['nope'] })));
    assert.equal(e.name, 'InvalidLaunchTemplateName.NotFoundException');
    e = await awsError(() => ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: 'nope' } })));
    assert.equal(e.name, 'InvalidLaunchTemplateName.NotFoundException');
    e = await awsError(() => ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateName: 'web', DefaultVersion: '7' })));
    assert.equal(e.name, 'InvalidLaunchTemplateId.VersionNotFound');
  });

  it('deletes a template; its name can be used again', async () => {
    const d = await ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateName: 'web' }));
    assert.equal(d.LaunchTemplate!.LaunchTemplateName, 'web');
    const e = await awsError(() => ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['web'] })));
    assert.equal(e.name, 'InvalidLaunchTemplateName.NotFoundException');
    const again = await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'web', LaunchTemplateData: { ImageId: img.ubuntu } }));
    assert.equal(again.LaunchTemplate!.LatestVersionNumber, 1);
  });
});

async function templateId(name: string): Promise<string> {
  return (await ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: [name] }))).LaunchTemplates![0]!.LaunchTemplateId!;
}
