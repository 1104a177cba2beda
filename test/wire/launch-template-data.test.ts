// Launch template data kept whole: every member given is stored verbatim, returned by
// DescribeLaunchTemplateVersions and GetLaunchTemplateData, and applied by RunInstances with the
// request's own members winning; tags on lt-… ids; AWS's validation of the template actions.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeTagsCommand,
  DescribeVolumesCommand,
  GetLaunchTemplateDataCommand,
  ModifyLaunchTemplateCommand,
  RunInstancesCommand,
  StopInstancesCommand,
  type EC2Client,
  type RequestLaunchTemplateData,
} from '@aws-sdk/client-ec2';
import { awsError, V, type TestServer } from '../helpers/server.js';
import { describe as describeInstance, waitForState, type Images } from '../helpers/instances.js';
import { startLaunchServer } from '../helpers/launch-fixture.js';

let server: TestServer;
let client: EC2Client;
let img: Images;
before(async () => ({ server, client, img } = await startLaunchServer()));
after(() => server.close());

const rich = (): RequestLaunchTemplateData => ({
  ImageId: img.al2023,
  InstanceType: 't3.small',
  EbsOptimized: true,
  IamInstanceProfile: { Name: 'worker' },
  BlockDeviceMappings: [
    { DeviceName: '/dev/xvda', Ebs: { VolumeSize: 16, VolumeType: 'gp3', Iops: 3500, Throughput: 200, DeleteOnTermination: true, Encrypted: true } },
    { DeviceName: '/dev/sdf', Ebs: { VolumeSize: 4, VolumeType: 'gp2' } },
  ],
  Monitoring: { Enabled: true },
  DisableApiTermination: false,
  DisableApiStop: true,
  InstanceInitiatedShutdownBehavior: 'terminate',
  CreditSpecification: { CpuCredits: 'standard' },
  CpuOptions: { CoreCount: 1, ThreadsPerCore: 2 },
  HibernationOptions: { Configured: false },
  MaintenanceOptions: { AutoRecovery: 'disabled' },
  PrivateDnsNameOptions: { HostnameType: 'resource-name', EnableResourceNameDnsARecord: true, EnableResourceNameDnsAAAARecord: false },
  CapacityReservationSpecification: { CapacityReservationPreference: 'open' },
  InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { MaxPrice: '0.05', SpotInstanceType: 'one-time' } },
  LicenseSpecifications: [{ LicenseConfigurationArn: 'arn:aws:license-manager:us-east-1:000000000000:license-configuration:lic-0123456789abcdef0123456789abcdef' }],
  TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'team', Value: 'a' }] }],
});

describe('launch template data', () => {
  it('is returned verbatim by DescribeLaunchTemplateVersions', async () => {
    const data = rich();
    await client.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'rich', LaunchTemplateData: data }));
    const [v] = (await client.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'rich' }))).LaunchTemplateVersions!;
    const got = v!.LaunchTemplateData!;
    assert.deepEqual(got.BlockDeviceMappings, data.BlockDeviceMappings);
    assert.deepEqual(got.IamInstanceProfile, data.IamInstanceProfile);
    assert.deepEqual(got.Monitoring, data.Monitoring);
    assert.deepEqual(got.CpuOptions, data.CpuOptions);
    assert.deepEqual(got.CreditSpecification, data.CreditSpecification);
    assert.deepEqual(got.PrivateDnsNameOptions, data.PrivateDnsNameOptions);
    assert.deepEqual(got.InstanceMarketOptions, data.InstanceMarketOptions);
    assert.deepEqual(got.LicenseSpecifications, data.LicenseSpecifications);
    assert.deepEqual(got.TagSpecifications, data.TagSpecifications);
    for (const k of ['EbsOptimized', 'DisableApiTermination', 'DisableApiStop', 'InstanceInitiatedShutdownBehavior', 'InstanceType', 'ImageId'] as const) assert.equal(got[k], data[k], k);
  });

  it('is applied by RunInstances; request members win (block devices by device name)', async () => {
    const data = rich();
    delete data.InstanceMarketOptions; // spot: refused at launch below
    delete data.LicenseSpecifications;
    const lt = await client.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'applied', LaunchTemplateData: data }));
    const id = lt.LaunchTemplate!.LaunchTemplateId!;
    const r = await client.send(
      new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateId: id }, Monitoring: { Enabled: false }, BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 20 } }] }),
    );
    const iid = r.Instances![0]!.InstanceId!;
    const i = await describeInstance(client, iid);
    assert.equal(i.InstanceType, 't3.small');
    assert.equal(i.Monitoring!.State, 'disabled', 'the request wins');
    assert.equal(i.EbsOptimized, true);
    assert.match(i.IamInstanceProfile!.Arn!, /instance-profile\/worker$/);
    assert.equal(i.PrivateDnsName, `${iid}.ec2.internal`);
    assert.equal(i.MaintenanceOptions!.AutoRecovery, 'disabled');
    const vols = (await client.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [iid] }] }))).Volumes!;
    const byDev = new Map(vols.map((v) => [v.Attachments![0]!.Device!, v]));
    assert.equal(byDev.get('/dev/xvda')!.Size, 20, "the request's mapping replaces the template's for that device");
    assert.equal(byDev.get('/dev/xvda')!.Encrypted, false);
    assert.equal(byDev.get('/dev/sdf')!.Size, 4, "the template's other device stays");
    await waitForState(client, iid, 'running');
    const stop = await awsError(() => client.send(new StopInstancesCommand({ InstanceIds: [iid] })));
    assert.equal(stop.name, 'OperationNotPermitted', "the template's DisableApiStop applies");

    const spot = await client.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'spot', LaunchTemplateData: { ImageId: img.al2023, InstanceMarketOptions: { MarketType: 'spot' } } }));
    const refused = await awsError(() => client.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateId: spot.LaunchTemplate!.LaunchTemplateId! } })));
    assert.equal(refused.name, 'UnknownParameter', 'members ec2lite cannot apply are refused at launch, never dropped');
  });

  it('a new version from a source version replaces a member given whole', async () => {
    const lt = await client.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'versions', LaunchTemplateData: rich() }));
    const id = lt.LaunchTemplate!.LaunchTemplateId!;
    await client.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: id, SourceVersion: '1', LaunchTemplateData: { BlockDeviceMappings: [{ DeviceName: '/dev/sdg', Ebs: { VolumeSize: 1 } }] } }));
    const [v] = (await client.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: ['$Latest'] }))).LaunchTemplateVersions!;
    assert.deepEqual(v!.LaunchTemplateData!.BlockDeviceMappings, [{ DeviceName: '/dev/sdg', Ebs: { VolumeSize: 1 } }]);
    assert.deepEqual(v!.LaunchTemplateData!.CpuOptions, { CoreCount: 1, ThreadsPerCore: 2 });
    assert.equal(v!.VersionNumber, 2);
    assert.equal(v!.DefaultVersion, false);
  });

  it('GetLaunchTemplateData describes an instance as template data', async () => {
    const r = await client.send(new RunInstancesCommand({ ImageId: img.al2023, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, Monitoring: { Enabled: true }, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'src' }] }] }));
    const d = (await client.send(new GetLaunchTemplateDataCommand({ InstanceId: r.Instances![0]!.InstanceId! }))).LaunchTemplateData!;
    assert.equal(d.ImageId, img.al2023);
    assert.equal(d.InstanceType, 't3.micro');
    assert.deepEqual(d.Monitoring, { Enabled: true });
    assert.equal(d.BlockDeviceMappings![0]!.DeviceName, '/dev/xvda');
    assert.equal(d.BlockDeviceMappings![0]!.Ebs!.VolumeSize, 8);
    assert.deepEqual(d.CreditSpecification, { CpuCredits: 'unlimited' });
    assert.deepEqual(d.TagSpecifications, [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'src' }] }]);
  });

  it('CreateTags and DeleteTags on lt-… ids; creation tags are listed by DescribeTags', async () => {
    const lt = await client.send(
      new CreateLaunchTemplateCommand({ LaunchTemplateName: 'tags', LaunchTemplateData: { ImageId: img.al2023 }, TagSpecifications: [{ ResourceType: 'launch-template', Tags: [{ Key: 'a', Value: '1' }] }] }),
    );
    const id = lt.LaunchTemplate!.LaunchTemplateId!;
    assert.deepEqual(lt.LaunchTemplate!.Tags, [{ Key: 'a', Value: '1' }]);
    await client.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'b', Value: '2' }] }));
    const tagsOf = async () => (await client.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [id] }))).LaunchTemplates![0]!.Tags;
    assert.deepEqual(await tagsOf(), [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }]);
    const dt = await client.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [id] }] }));
    assert.deepEqual(dt.Tags!.map((t) => [t.ResourceType, t.Key]), [['launch-template', 'a'], ['launch-template', 'b']]);
    await client.send(new DeleteTagsCommand({ Resources: [id], Tags: [{ Key: 'a' }] }));
    assert.deepEqual(await tagsOf(), [{ Key: 'b', Value: '2' }]);
    const byTag = await client.send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: 'tag:b', Values: ['2'] }] }));
    assert.deepEqual(byTag.LaunchTemplates!.map((t) => t.LaunchTemplateId), [id]);
    const missing = await awsError(() => client.send(new CreateTagsCommand({ Resources: ['lt-0123456789abcdef0'], Tags: [{ Key: 'x', Value: 'y' }] })));
    assert.equal(missing.name, 'InvalidLaunchTemplateId.NotFound');
  });

  it("AWS's validation (as moto verified it against AWS)", async () => {
    const usage = /^To describe the launch template data for all your launch templates, for ‘--versions’ specify ‘\$Latest’, ‘\$Default’, or both/;
    const none = await awsError(() => client.send(new DescribeLaunchTemplateVersionsCommand({})));
    assert.equal(none.name, 'MissingParameter');
    assert.match(none.message, usage);
    const number = await awsError(() => client.send(new DescribeLaunchTemplateVersionsCommand({ Versions: ['1'] })));
    assert.equal(number.name, 'InvalidParameterValue');
    assert.match(number.message, usage);
    const both = await awsError(() => client.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: 'lt-0123456789abcdef0', LaunchTemplateName: 'rich', DefaultVersion: '1' })));
    assert.equal(both.name, 'InvalidParameterCombination');
    assert.equal(both.message, 'Either provide launch template ID or launch template name to modify the template.');
    const unknownVersion = await awsError(() => client.send(new ModifyLaunchTemplateCommand({ LaunchTemplateName: 'rich', DefaultVersion: '9' })));
    assert.equal(unknownVersion.name, 'InvalidLaunchTemplateId.VersionNotFound');
    assert.equal(unknownVersion.message, 'The launch template version 9 is not found for the specified launch template.');
    const bogus = await server.raw({ Action: 'CreateLaunchTemplate', Version: V, LaunchTemplateName: 'bogus', 'LaunchTemplateData.ImageId': img.al2023, 'LaunchTemplateData.Bogus.Thing': 'x' });
    assert.equal(bogus.status, 400);
    assert.match(bogus.body, /<Code>UnknownParameter<\/Code><Message>The parameter LaunchTemplateData.Bogus.Thing is not recognized<\/Message>/);
    const badBool = await server.raw({ Action: 'CreateLaunchTemplate', Version: V, LaunchTemplateName: 'badbool', 'LaunchTemplateData.EbsOptimized': 'maybe' });
    assert.match(badBool.body, /<Code>InvalidParameterValue<\/Code>/);
  });
});
