// RunInstances members an instance keeps and echoes (DescribeInstances, DescribeInstanceAttribute):
// Monitoring, EbsOptimized, IamInstanceProfile, DisableApiStop, HibernationOptions,
// CreditSpecification, CpuOptions, PrivateDnsNameOptions, MaintenanceOptions,
// CapacityReservationSpecification, Placement members, EnclaveOptions. Their input table (spread
// into RunInstances'), their validation, the stored form, and the instance item members they give.
import { createHash } from 'node:crypto';
import { Ec2Error } from '../errors/ec2-error.js';
import type { Tag } from '../domain/tags.js';
import type { InstanceLaunchOptions, InstanceRecord, Scope } from '../store/port.js';
import type { ActionContext } from './context.js';
import { fields, type InputOf } from './input.js';
import type { ActionOutput } from './output.js';

const ENABLED = ['enabled', 'disabled'] as const;

/** The input table of these members (the wire names of the EC2 model's RunInstancesRequest). */
export const launchOptionFields = {
  monitoring: fields.struct('Monitoring', { enabled: fields.boolean('Enabled') }),
  ebsOptimized: fields.boolean('EbsOptimized'),
  iamInstanceProfile: fields.struct('IamInstanceProfile', { arn: fields.string('Arn'), name: fields.string('Name') }),
  disableApiStop: fields.boolean('DisableApiStop'),
  hibernationOptions: fields.struct('HibernationOptions', { configured: fields.boolean('Configured') }),
  creditSpecification: fields.struct('CreditSpecification', { cpuCredits: fields.string('CpuCredits') }),
  cpuOptions: fields.struct('CpuOptions', {
    coreCount: fields.integer('CoreCount'),
    threadsPerCore: fields.integer('ThreadsPerCore'),
    amdSevSnp: fields.enum('AmdSevSnp', ENABLED),
  }),
  privateDnsNameOptions: fields.struct('PrivateDnsNameOptions', {
    hostnameType: fields.enum('HostnameType', ['ip-name', 'resource-name'] as const),
    enableResourceNameDnsARecord: fields.boolean('EnableResourceNameDnsARecord'),
    enableResourceNameDnsAAAARecord: fields.boolean('EnableResourceNameDnsAAAARecord'),
  }),
  maintenanceOptions: fields.struct('MaintenanceOptions', { autoRecovery: fields.enum('AutoRecovery', ['disabled', 'default'] as const) }),
  capacityReservationSpecification: fields.struct('CapacityReservationSpecification', {
    preference: fields.enum('CapacityReservationPreference', ['capacity-reservations-only', 'open', 'none'] as const),
    targetId: fields.string('CapacityReservationTarget.CapacityReservationId'),
    targetResourceGroupArn: fields.string('CapacityReservationTarget.CapacityReservationResourceGroupArn'),
  }),
  enclaveOptions: fields.struct('EnclaveOptions', { enabled: fields.boolean('Enabled') }),
};

/** RunInstances' Placement (every member the model gives it). */
export const placementField = fields.struct('Placement', {
  availabilityZone: fields.string('AvailabilityZone'),
  affinity: fields.string('Affinity'),
  groupName: fields.string('GroupName'),
  groupId: fields.string('GroupId'),
  partitionNumber: fields.integer('PartitionNumber'),
  hostId: fields.string('HostId'),
  tenancy: fields.enum('Tenancy', ['default', 'dedicated', 'host'] as const),
  spreadDomain: fields.string('SpreadDomain'),
  hostResourceGroupArn: fields.string('HostResourceGroupArn'),
});

export type LaunchOptionInput = Partial<InputOf<typeof launchOptionFields>> & { placement?: InputOf<{ p: typeof placementField }>['p'] };

/** Burstable families: CPU credits apply (t2 defaults to `standard`, the later ones to `unlimited`). */
const burstable = (type: string): boolean => /^t[234][ag]?\./.test(type);
export const defaultCpuCredits = (type: string): string | undefined => (!burstable(type) ? undefined : type.startsWith('t2.') ? 'standard' : 'unlimited');

/** vCPUs by size, and threads per core by family (Graviton, t2 and older families: one thread). */
export function defaultCpu(type: string): { coreCount: number; threadsPerCore: number } {
  const [family = '', size = ''] = type.split('.');
  const single = /^(t2|m1|m2|m3|c1|c3|t1|a1)$/.test(family) || /^[a-z]+[0-9]+g/.test(family);
  const vcpus: Record<string, number> = { nano: 2, micro: 2, small: 2, medium: 2, large: 2, xlarge: 4, metal: 96 };
  let n = vcpus[size] ?? (/^([0-9]+)xlarge$/.test(size) ? 4 * Number(size.slice(0, -6)) : 2);
  if (family === 't2' || family === 'm1' || family === 't1') n = size === 'medium' || size === 'large' ? 2 : size === 'nano' || size === 'micro' || size === 'small' ? 1 : n;
  const threads = single ? 1 : 2;
  return { coreCount: Math.max(1, Math.floor(n / threads)), threadsPerCore: threads };
}

/** An IAM instance profile's id (`AIPA…`): stable per account and name, as the profile's own. */
const profileId = (accountId: string, name: string): string =>
  'AIPA' + createHash('sha256').update(`${accountId}/${name}`).digest('base64').replace(/[^A-Za-z0-9]/g, '').toUpperCase().slice(0, 17);

/** `arn:aws:iam::<account>:instance-profile[/path]/<name>` */
const PROFILE_ARN = /^arn:aws:iam::([0-9]{12}):instance-profile\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,128})$/;

/** The profile an `IamInstanceProfile` names, resolved as EC2 resolves it (ec2lite has no IAM: every well-formed name exists). */
export function resolveInstanceProfile(scope: Scope, spec: { arn?: string; name?: string }): { arn: string; id: string } | undefined {
  if (spec.arn === undefined && spec.name === undefined) return undefined;
  if (spec.arn !== undefined && spec.name !== undefined) {
    // observed wording (Terraform and SDK users who set both): the two members exclude each other
    throw new Ec2Error('InvalidParameterCombination', "The parameter 'iamInstanceProfile.name' may not be used in combination with 'iamInstanceProfile.arn'");
  }
  if (spec.arn !== undefined) {
    const m = PROFILE_ARN.exec(spec.arn);
    if (!m) throw new Ec2Error('InvalidParameterValue', `Value (${spec.arn}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`);
    return { arn: spec.arn, id: profileId(m[1]!, m[2]!) };
  }
  if (!/^[\w+=,.@-]{1,128}$/.test(spec.name!)) {
    // observed: "Value (x) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name" (Terraform issues)
    throw new Ec2Error('InvalidParameterValue', `Value (${spec.name}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`);
  }
  return { arn: `arn:aws:iam::${scope.accountId}:instance-profile/${spec.name}`, id: profileId(scope.accountId, spec.name!) };
}

/**
 * Validates the members (before DryRun, as EC2 does) and returns what every instance of the launch
 * keeps; each instance then gets its own profile association id (`forInstance`).
 */
export function launchOptions(scope: Scope, input: LaunchOptionInput, instanceType: string): Omit<InstanceLaunchOptions, 'iamInstanceProfile'> & { profile?: { arn: string; id: string } } {
  const o: Omit<InstanceLaunchOptions, 'iamInstanceProfile'> & { profile?: { arn: string; id: string } } = {};
  if (input.monitoring?.enabled !== undefined) o.monitoring = input.monitoring.enabled;
  if (input.ebsOptimized !== undefined) o.ebsOptimized = input.ebsOptimized;
  o.profile = resolveInstanceProfile(scope, input.iamInstanceProfile ?? {});
  if (input.disableApiStop !== undefined) o.disableApiStop = input.disableApiStop;
  if (input.hibernationOptions?.configured !== undefined) o.hibernation = input.hibernationOptions.configured;
  const credits = input.creditSpecification?.cpuCredits;
  if (credits !== undefined) {
    if (credits !== 'standard' && credits !== 'unlimited') {
      throw new Ec2Error('InvalidParameterValue', `Value (${credits}) for parameter cpuCredits is invalid. Valid values are 'standard' and 'unlimited'.`);
    }
    // unconfirmed wording: EC2 refuses credit options on types without CPU credits
    if (!burstable(instanceType)) throw new Ec2Error('InvalidParameterCombination', `The parameter CreditSpecification is not supported for instance type ${instanceType}.`);
    o.creditSpecification = credits;
  }
  const cpu = input.cpuOptions;
  if (cpu && Object.keys(cpu).length) {
    const d = defaultCpu(instanceType);
    if (cpu.threadsPerCore !== undefined && (cpu.threadsPerCore < 1 || cpu.threadsPerCore > d.threadsPerCore)) {
      throw new Ec2Error('InvalidParameterValue', `Invalid value '${cpu.threadsPerCore}' for threadsPerCore. Valid values for ${instanceType} are: ${d.threadsPerCore === 2 ? '1, 2' : '1'}`);
    }
    if (cpu.coreCount !== undefined && (cpu.coreCount < 1 || cpu.coreCount > d.coreCount)) {
      throw new Ec2Error('InvalidParameterValue', `Invalid value '${cpu.coreCount}' for coreCount. Valid values for ${instanceType} are: 1-${d.coreCount}`);
    }
    o.cpuOptions = { coreCount: cpu.coreCount, threadsPerCore: cpu.threadsPerCore, amdSevSnp: cpu.amdSevSnp };
  }
  const dns = input.privateDnsNameOptions;
  if (dns && Object.keys(dns).length) o.privateDnsNameOptions = { ...dns };
  if (input.maintenanceOptions?.autoRecovery !== undefined) o.maintenanceOptions = { autoRecovery: input.maintenanceOptions.autoRecovery };
  const cr = input.capacityReservationSpecification;
  if (cr && Object.keys(cr).length) {
    if (cr.preference !== undefined && (cr.targetId !== undefined || cr.targetResourceGroupArn !== undefined)) {
      throw new Ec2Error('InvalidParameterCombination', 'CapacityReservationPreference and CapacityReservationTarget cannot both be specified.');
    }
    // ec2lite has no capacity reservations: a target names one that does not exist
    if (cr.targetId !== undefined) throw new Ec2Error('InvalidCapacityReservationId.NotFound', `The capacity reservation ID '${cr.targetId}' does not exist`);
    if (cr.targetResourceGroupArn !== undefined) throw new Ec2Error('InvalidParameterValue', `The resource group ${cr.targetResourceGroupArn} does not exist.`);
    o.capacityReservation = { preference: cr.preference };
  }
  if (input.enclaveOptions?.enabled !== undefined) o.enclave = input.enclaveOptions.enabled;
  const p = input.placement ?? {};
  // ec2lite has no placement groups, dedicated hosts or host resource groups: naming one is naming what does not exist
  if (p.groupName) throw new Ec2Error('InvalidPlacementGroup.Unknown', `The Placement Group '${p.groupName}' is unknown.`);
  if (p.groupId) throw new Ec2Error('InvalidPlacementGroup.Unknown', `The Placement Group '${p.groupId}' is unknown.`);
  if (p.partitionNumber !== undefined) throw new Ec2Error('InvalidParameterCombination', 'PartitionNumber can only be specified with a partition placement group.');
  if (p.hostId) throw new Ec2Error('InvalidHostID.NotFound', `The host ID '${p.hostId}' does not exist`);
  if (p.hostResourceGroupArn) throw new Ec2Error('InvalidParameterValue', `The resource group ${p.hostResourceGroupArn} does not exist.`);
  if (p.tenancy === 'host') throw new Ec2Error('InsufficientHostCapacity', 'There is not enough capacity to fulfill your Dedicated Host request.');
  if (p.affinity !== undefined && p.affinity !== 'default' && p.affinity !== 'host') {
    throw new Ec2Error('InvalidParameterValue', `Value (${p.affinity}) for parameter affinity is invalid. Valid values are 'default' and 'host'.`);
  }
  if (p.tenancy || p.affinity || p.spreadDomain) {
    o.placement = { tenancy: p.tenancy, affinity: p.affinity, spreadDomain: p.spreadDomain };
  }
  return o;
}

/** One instance's options: the launch's, with its own profile association. */
export function forInstance(ctx: ActionContext, base: ReturnType<typeof launchOptions>): InstanceLaunchOptions {
  const { profile, ...rest } = base;
  const out: InstanceLaunchOptions = { ...rest };
  if (profile) out.iamInstanceProfile = { ...profile, associationId: ctx.ids.next('iip-assoc') };
  return JSON.parse(JSON.stringify(out)) as InstanceLaunchOptions; // drops undefined members
}

/** The private DNS name a `resource-name` instance gets: its id under the region's internal domain. */
export const resourceDnsName = (instanceId: string, region: string): string =>
  region === 'us-east-1' ? `${instanceId}.ec2.internal` : `${instanceId}.${region}.compute.internal`;

/** Members of the instance item these options give (overriding the item's defaults). */
export function launchOptionItems(r: InstanceRecord, scope: Scope): ActionOutput {
  const o = r.options ?? {};
  const cpu = defaultCpu(r.instanceType);
  const dns = o.privateDnsNameOptions;
  const live = r.state !== 'terminated';
  const out: ActionOutput = {
    monitoring: { state: o.monitoring ? 'enabled' : 'disabled' },
    placement: {
      availabilityZone: r.availabilityZone,
      affinity: o.placement?.affinity,
      groupName: '',
      tenancy: o.placement?.tenancy ?? 'default',
      spreadDomain: o.placement?.spreadDomain,
    },
    iamInstanceProfile: o.iamInstanceProfile && live ? { arn: o.iamInstanceProfile.arn, id: o.iamInstanceProfile.id } : undefined,
    ebsOptimized: o.ebsOptimized ?? false,
    cpuOptions: { coreCount: o.cpuOptions?.coreCount ?? cpu.coreCount, threadsPerCore: o.cpuOptions?.threadsPerCore ?? cpu.threadsPerCore, amdSevSnp: o.cpuOptions?.amdSevSnp },
    capacityReservationSpecification: { capacityReservationPreference: o.capacityReservation?.preference ?? 'open' },
    hibernationOptions: { configured: o.hibernation ?? false },
    enclaveOptions: { enabled: o.enclave ?? false },
    enaSupport: o.enaSupport ?? true,
    sriovNetSupport: o.sriovNetSupport,
    privateDnsNameOptions: {
      hostnameType: dns?.hostnameType ?? 'ip-name',
      enableResourceNameDnsARecord: dns?.enableResourceNameDnsARecord ?? false,
      enableResourceNameDnsAAAARecord: dns?.enableResourceNameDnsAAAARecord ?? false,
    },
    maintenanceOptions: { autoRecovery: o.maintenanceOptions?.autoRecovery ?? 'default', rebootMigration: 'default' },
  };
  if (dns?.hostnameType === 'resource-name' && r.state !== 'terminated') out['privateDnsName'] = resourceDnsName(r.instanceId, scope.region);
  return out;
}

/**
 * The `aws:` tags a launch gives its instances from the first moment they are listed: the launch
 * template and version used, and those a calling service (Auto Scaling: `aws:autoscaling:groupName`)
 * passes as `serviceTags` beside the request's own members (never from the wire).
 */
export function serviceTags(template: { id: string; version: number } | undefined, request: object): Tag[] {
  const out: Tag[] = [];
  if (template) {
    out.push({ key: 'aws:ec2launchtemplate:id', value: template.id }, { key: 'aws:ec2launchtemplate:version', value: String(template.version) });
  }
  const extra = (request as { serviceTags?: Tag[] }).serviceTags;
  if (extra) out.push(...extra.filter((t) => t.key.startsWith('aws:')));
  return out;
}
