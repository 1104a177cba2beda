// GetLaunchTemplateData: an instance's configuration as launch template data (what the console's
// "Create template from instance" starts from), in the shape DescribeLaunchTemplateVersions writes.
import { checkDryRun, defineAction } from '../action.js';
import { fields } from '../input.js';
import { attachedVolumes, checkInstanceIds, findInstances } from '../instance-views.js';
import { defaultCpu, defaultCpuCredits } from '../launch-options.js';
import { templateParamsXml } from './launch-template-params.js';

export default defineAction(
  'GetLaunchTemplateData',
  {
    instanceId: fields.string('InstanceId', { required: true }),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkInstanceIds([input.instanceId]);
    checkDryRun(input.dryRun);
    const [r] = await findInstances(ctx, [input.instanceId]);
    const o = r!.options ?? {};
    const p: Record<string, string> = {};
    const set = (k: string, v: string | number | boolean | undefined) => {
      if (v !== undefined) p[k] = String(v);
    };
    set('ImageId', r!.imageId);
    set('InstanceType', r!.instanceType);
    set('KeyName', r!.keyName);
    set('UserData', await ctx.store.instances.userData(ctx.scope, r!.instanceId));
    set('EbsOptimized', o.ebsOptimized ?? false);
    if (o.iamInstanceProfile) set('IamInstanceProfile.Arn', o.iamInstanceProfile.arn);
    const volumes = (await attachedVolumes(ctx, [r!])).get(r!.instanceId) ?? [];
    volumes
      .filter((v) => v.volumeId.startsWith('vol-'))
      .forEach((v, i) => {
        const k = `BlockDeviceMapping.${i + 1}`;
        set(`${k}.DeviceName`, v.attachment!.device);
        set(`${k}.Ebs.Encrypted`, v.encrypted ?? false);
        set(`${k}.Ebs.DeleteOnTermination`, v.attachment!.deleteOnTermination);
        set(`${k}.Ebs.SnapshotId`, v.snapshotId);
        set(`${k}.Ebs.VolumeSize`, v.size);
        set(`${k}.Ebs.VolumeType`, v.volumeType);
        if (v.volumeType === 'gp3' || v.volumeType === 'io1' || v.volumeType === 'io2') set(`${k}.Ebs.Iops`, v.iops ?? (v.volumeType === 'gp3' ? 3000 : undefined));
        if (v.volumeType === 'gp3') set(`${k}.Ebs.Throughput`, v.throughput ?? 125);
      });
    set('Monitoring.Enabled', o.monitoring ?? false);
    set('Placement.AvailabilityZone', r!.availabilityZone);
    set('Placement.GroupName', '');
    set('Placement.Tenancy', o.placement?.tenancy ?? 'default');
    set('DisableApiTermination', r!.disableApiTermination ?? false);
    set('InstanceInitiatedShutdownBehavior', r!.instanceInitiatedShutdownBehavior ?? 'stop');
    r!.tags
      .filter((t) => !t.key.startsWith('aws:'))
      .forEach((t, i) => {
        if (i === 0) set('TagSpecification.1.ResourceType', 'instance');
        set(`TagSpecification.1.Tag.${i + 1}.Key`, t.key);
        set(`TagSpecification.1.Tag.${i + 1}.Value`, t.value);
      });
    set('CreditSpecification.CpuCredits', o.creditSpecification ?? defaultCpuCredits(r!.instanceType));
    const cpu = defaultCpu(r!.instanceType);
    set('CpuOptions.CoreCount', o.cpuOptions?.coreCount ?? cpu.coreCount);
    set('CpuOptions.ThreadsPerCore', o.cpuOptions?.threadsPerCore ?? cpu.threadsPerCore);
    set('CapacityReservationSpecification.CapacityReservationPreference', o.capacityReservation?.preference ?? 'open');
    set('HibernationOptions.Configured', o.hibernation ?? false);
    const m = r!.metadataOptions;
    set('MetadataOptions.HttpTokens', m.httpTokens);
    set('MetadataOptions.HttpPutResponseHopLimit', m.httpPutResponseHopLimit);
    set('MetadataOptions.HttpEndpoint', m.httpEndpoint);
    set('MetadataOptions.HttpProtocolIpv6', m.httpProtocolIpv6);
    set('MetadataOptions.InstanceMetadataTags', m.instanceMetadataTags);
    set('EnclaveOptions.Enabled', o.enclave ?? false);
    set('PrivateDnsNameOptions.HostnameType', o.privateDnsNameOptions?.hostnameType ?? 'ip-name');
    set('PrivateDnsNameOptions.EnableResourceNameDnsARecord', o.privateDnsNameOptions?.enableResourceNameDnsARecord ?? false);
    set('PrivateDnsNameOptions.EnableResourceNameDnsAAAARecord', o.privateDnsNameOptions?.enableResourceNameDnsAAAARecord ?? false);
    set('MaintenanceOptions.AutoRecovery', o.maintenanceOptions?.autoRecovery ?? 'default');
    set('DisableApiStop', o.disableApiStop ?? false);
    return { launchTemplateData: templateParamsXml(p) };
  },
);
