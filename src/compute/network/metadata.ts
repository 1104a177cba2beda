// What the metadata service shows of an instance's network (mac, security-groups and the
// network/interfaces/macs/<mac>/ tree), read from the network store when the guest boots.
import type { GuestInterface as ImdsInterface } from '../guest-engine.js';
import type { InstanceRecord, Scope, Store } from '../../store/port.js';
import { privateDnsName } from '../addresses.js';
import { instanceNetworks } from './instance-network.js';
import { privateIpsOf } from './interface-addresses.js';

const publicDns = (ip: string, region: string) =>
  `ec2-${ip.replace(/\./g, '-')}.${region === 'us-east-1' ? 'compute-1' : `${region}.compute`}.amazonaws.com`;

/** The public address the guest sees (none when the subnet gave it none and no Elastic IP is associated). */
export const guestPublicIp = (r: InstanceRecord): string | undefined => (r.noPublicIp && !r.elasticIp ? undefined : r.publicIp);

export async function imdsInterfaces(store: Store, scope: Scope, r: InstanceRecord): Promise<ImdsInterface[] | undefined> {
  const net = (await instanceNetworks(store, scope, [r.instanceId])).get(r.instanceId);
  if (!net) return undefined;
  return net.interfaces.map((e) => {
    const primary = e.data.attachment?.deviceIndex === 0;
    const publicIp = primary ? guestPublicIp(r) : e.data.association?.publicIp;
    return {
      mac: e.data.macAddress,
      deviceNumber: e.data.attachment?.deviceIndex ?? 0,
      interfaceId: e.id,
      localIpv4: e.data.privateIp,
      localIpv4s: privateIpsOf(e.data),
      ...(e.data.ipv6Addresses?.length ? { ipv6s: e.data.ipv6Addresses } : {}),
      localHostname: privateDnsName(e.data.privateIp, scope.region),
      ...(publicIp ? { publicIpv4: publicIp, publicHostname: publicDns(publicIp, scope.region) } : {}),
      ownerId: scope.accountId,
      securityGroupIds: e.data.groupIds,
      securityGroups: e.data.groupIds.map((id) => net.groups.find((g) => g.groupId === id)?.groupName ?? id),
      subnetId: e.data.subnetId,
      subnetCidr: primary ? (net.subnetCidr ?? '') : '',
      vpcId: e.vpcId ?? '',
      vpcCidr: net.vpcCidr ?? '',
    };
  });
}
