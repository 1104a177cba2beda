// DescribeInstances' network filters: vpc-id, subnet-id, the instance's groups, its interfaces.
import type { InstanceNetwork } from '../../compute/network/instance-network.js';
import type { InstanceRecord } from '../../store/port.js';
import { privateDnsName } from '../../compute/addresses.js';
import { publicDns, shownPublicIp } from './instance-items.js';
import { privateIpsOf } from '../../compute/network/interface-addresses.js';
import { wholeSecondsIso } from '../../domain/aws-time.js';

type Get = (r: InstanceRecord) => InstanceNetwork | undefined;
type Field = (r: InstanceRecord) => readonly (string | undefined)[];

export function instanceNetworkFilters(net: Get): Record<string, Field> {
  const enis = (r: InstanceRecord) => net(r)?.interfaces ?? [];
  const groups = (r: InstanceRecord) => net(r)?.groups ?? [];
  const each = (f: (e: InstanceNetwork['interfaces'][number]) => string | undefined): Field => (r) => enis(r).map(f);
  return {
    'vpc-id': (r) => [r.vpcId],
    'subnet-id': (r) => [r.subnetId],
    'instance.group-id': (r) => groups(r).map((g) => g.groupId),
    'instance.group-name': (r) => groups(r).map((g) => g.groupName),
    'group-id': (r) => groups(r).map((g) => g.groupId),
    'group-name': (r) => groups(r).map((g) => g.groupName),
    'source-dest-check': (r) => [String(enis(r)[0]?.data.sourceDestCheck ?? r.sourceDestCheck ?? true)],
    'network-interface.network-interface-id': each((e) => e.id),
    'network-interface.subnet-id': each((e) => e.data.subnetId),
    'network-interface.vpc-id': each((e) => e.vpcId),
    'network-interface.mac-address': each((e) => e.data.macAddress),
    'network-interface.private-ip-address': each((e) => e.data.privateIp),
    'network-interface.addresses.private-ip-address': (r) => enis(r).flatMap((e) => privateIpsOf(e.data)),
    'network-interface.addresses.primary': (r) => enis(r).flatMap((e) => ['true', ...(e.data.secondaryPrivateIps?.length ? ['false'] : [])]),
    'network-interface.ipv6-addresses.ipv6-address': (r) => enis(r).flatMap((e) => e.data.ipv6Addresses ?? []),
    'network-interface.ipv6-address': (r) => enis(r).flatMap((e) => e.data.ipv6Addresses ?? []),
    'ipv6-address': (r) => enis(r).flatMap((e) => e.data.ipv6Addresses ?? []),
    'network-interface.description': each((e) => e.data.description),
    'network-interface.owner-id': each(() => undefined),
    'network-interface.status': each(() => 'in-use'),
    'network-interface.source-dest-check': each((e) => String(e.data.sourceDestCheck)),
    'network-interface.group-id': (r) => enis(r).flatMap((e) => e.data.groupIds),
    'network-interface.group-name': (r) => enis(r).flatMap((e) => e.data.groupIds.map((id) => groups(r).find((g) => g.groupId === id)?.groupName)),
    'network-interface.attachment.attachment-id': each((e) => e.data.attachment?.attachmentId),
    'network-interface.attachment.instance-id': each((e) => e.data.attachment?.instanceId),
    'network-interface.attachment.device-index': each((e) => String(e.data.attachment?.deviceIndex)),
    'network-interface.attachment.status': each(() => 'attached'),
    'network-interface.attachment.attach-time': each((e) => (e.data.attachment ? wholeSecondsIso(e.data.attachment.attachTime) : undefined)),
    'network-interface.attachment.delete-on-termination': each((e) => String(e.data.attachment?.deleteOnTermination)),
    'network-interface.association.public-ip': (r) => [shownPublicIp(r)],
    'network-interface.association.ip-owner-id': (r) => [shownPublicIp(r) ? 'amazon' : undefined],
    'association.public-ip': (r) => [shownPublicIp(r)],
    'private-dns-name': (r) => [r.state === 'terminated' ? undefined : privateDnsName(r.privateIp, r.availabilityZone.slice(0, -1))],
    'dns-name': (r) => {
      const ip = shownPublicIp(r);
      return [ip && publicDns(ip, r.availabilityZone.slice(0, -1))];
    },
    'network-interface.addresses.association.public-ip': (r) => [shownPublicIp(r), ...enis(r).flatMap((e) => (e.data.secondaryPrivateIps ?? []).map((s) => s.association?.publicIp))],
    'network-interface.private-dns-name': each((e) => privateDnsName(e.data.privateIp, e.data.availabilityZone.slice(0, -1))),
    'network-interface.availability-zone': each((e) => e.data.availabilityZone),
  };
}
