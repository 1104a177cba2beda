// DescribeInstances filters on what an instance's launch options and its written item hold:
// architecture, owner, source/dest check, state reason, DNS names, monitoring, IAM profile,
// placement, hibernation, CPU, DNS name options. Spread into DescribeInstances' filter schema.
import type { InstanceRecord, Scope } from '../store/port.js';
import { instanceItem } from './instance-views.js';
import { defaultCpu } from './launch-options.js';
import type { ActionOutput } from './output.js';
import { wholeSecondsIso } from '../domain/aws-time.js';

const text = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v));

export function launchFilterFields(scope: Scope): Record<string, (r: InstanceRecord) => (string | undefined)[]> {
  // The item as DescribeInstances writes it, for the members derived there (names, reasons).
  const item = (r: InstanceRecord) => instanceItem(r, scope, []);
  const member = (r: InstanceRecord, ...path: string[]) => {
    let v: unknown = item(r);
    for (const p of path) v = (v as ActionOutput | undefined)?.[p];
    return text(v);
  };
  const o = (r: InstanceRecord) => r.options ?? {};
  return {
    architecture: () => ['x86_64'],
    'owner-id': () => [scope.accountId],
    'requester-id': () => [],
    'source-dest-check': (r) => [String(r.sourceDestCheck ?? true)],
    'state-reason-code': (r) => [member(r, 'stateReason', 'code')],
    'state-reason-message': (r) => [member(r, 'stateReason', 'message')],
    reason: (r) => [text(r.stateTransitionReason)],
    'dns-name': (r) => [member(r, 'dnsName')],
    'private-dns-name': (r) => [member(r, 'privateDnsName')],
    'launch-time': (r) => [wholeSecondsIso(r.launchTime)],
    hypervisor: () => ['xen'],
    'virtualization-type': () => ['hvm'],
    'platform-details': (r) => [member(r, 'platformDetails')],
    'usage-operation': (r) => [member(r, 'usageOperation')],
    'monitoring-state': (r) => [o(r).monitoring ? 'enabled' : 'disabled'],
    'iam-instance-profile.arn': (r) => [r.state === 'terminated' ? undefined : o(r).iamInstanceProfile?.arn],
    'iam-instance-profile.id': (r) => [r.state === 'terminated' ? undefined : o(r).iamInstanceProfile?.id],
    tenancy: (r) => [o(r).placement?.tenancy ?? 'default'],
    affinity: (r) => [o(r).placement?.affinity],
    'placement-group-name': () => [],
    'hibernation-options.configured': (r) => [String(o(r).hibernation ?? false)],
    'ebs-optimized': (r) => [String(o(r).ebsOptimized ?? false)],
    'ena-support': () => ['true'],
    'cpu-options.core-count': (r) => [String(o(r).cpuOptions?.coreCount ?? defaultCpu(r.instanceType).coreCount)],
    'cpu-options.threads-per-core': (r) => [String(o(r).cpuOptions?.threadsPerCore ?? defaultCpu(r.instanceType).threadsPerCore)],
    'capacity-reservation-specification.capacity-reservation-preference': (r) => [o(r).capacityReservation?.preference ?? 'open'],
    'maintenance-options.auto-recovery': (r) => [o(r).maintenanceOptions?.autoRecovery ?? 'default'],
    'private-dns-name-options.hostname-type': (r) => [o(r).privateDnsNameOptions?.hostnameType ?? 'ip-name'],
    'private-dns-name-options.enable-resource-name-dns-a-record': (r) => [String(o(r).privateDnsNameOptions?.enableResourceNameDnsARecord ?? false)],
    'private-dns-name-options.enable-resource-name-dns-aaaa-record': (r) => [String(o(r).privateDnsNameOptions?.enableResourceNameDnsAAAARecord ?? false)],
    'metadata-options.instance-metadata-tags': (r) => [r.metadataOptions.instanceMetadataTags],
    'metadata-options.http-protocol-ipv6': (r) => [r.metadataOptions.httpProtocolIpv6],
    'enclave-options.enabled': (r) => [String(o(r).enclave ?? false)],
  };
}
