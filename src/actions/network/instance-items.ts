// The network members of an instance item (RunInstances, DescribeInstances): groupSet and
// networkInterfaceSet, from the instance's interfaces in the network store.
import { privateDnsName } from '../../compute/addresses.js';
import type { InstanceNetwork } from '../../compute/network/instance-network.js';
import type { Obj } from '../../compute/network/model.js';
import type { InstanceRecord, Scope } from '../../store/port.js';
import type { ActionOutput } from '../output.js';
import { wholeSeconds } from '../../domain/aws-time.js';

/** The public address the instance shows now: an Elastic IP always, a mapped one while it runs. */
export function shownPublicIp(r: InstanceRecord): string | undefined {
  if (r.elasticIp) return r.state === 'terminated' ? undefined : r.publicIp;
  if (r.noPublicIp) return undefined;
  return r.state === 'pending' || r.state === 'running' ? r.publicIp : undefined;
}

export function publicDns(ip: string, region: string): string {
  const host = `ec2-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1' ? `${host}.compute-1.amazonaws.com` : `${host}.${region}.compute.amazonaws.com`;
}

/** privateIpAddressesSet and ipv6AddressesSet of an interface: the primary address (with the interface's public one), then the secondaries with their Elastic IPs. */
export function addressSets(e: Obj<'network-interface'>, scope: Scope, primaryAssociation: ActionOutput | undefined): { privateIpAddressesSet: ActionOutput[]; ipv6AddressesSet: ActionOutput[] } {
  const secondary = (e.data.secondaryPrivateIps ?? []).map((s) => ({
    privateIpAddress: s.ip,
    privateDnsName: privateDnsName(s.ip, scope.region),
    primary: false,
    association: s.association && { publicIp: s.association.publicIp, publicDnsName: publicDns(s.association.publicIp, scope.region), ipOwnerId: scope.accountId },
  }));
  return {
    privateIpAddressesSet: [{ privateIpAddress: e.data.privateIp, privateDnsName: privateDnsName(e.data.privateIp, scope.region), primary: true, association: primaryAssociation }, ...secondary],
    ipv6AddressesSet: (e.data.ipv6Addresses ?? []).map((ip) => ({ ipv6Address: ip, isPrimaryIpv6: false })),
  };
}

/** The instance's IPv6 address (DescribeInstances' `ipv6Address`): its primary interface's first. */
export const instanceIpv6 = (net: InstanceNetwork | undefined): string | undefined => net?.interfaces[0]?.data.ipv6Addresses?.[0];

export function groupSetOf(net: InstanceNetwork | undefined): ActionOutput[] {
  return (net?.groups ?? []).map((g) => ({ groupName: g.groupName, groupId: g.groupId }));
}

export function networkInterfaceSet(r: InstanceRecord, net: InstanceNetwork | undefined, scope: Scope): ActionOutput[] {
  if (!net || r.state === 'terminated') return [];
  return net.interfaces.map((e) => {
    const primary = e.data.attachment?.deviceIndex === 0;
    const publicIp = primary ? shownPublicIp(r) : e.data.association?.publicIp;
    const association = publicIp
      ? { publicIp, publicDnsName: publicDns(publicIp, scope.region), ipOwnerId: r.elasticIp && primary ? scope.accountId : 'amazon' }
      : undefined;
    const dns = privateDnsName(e.data.privateIp, scope.region);
    return {
      networkInterfaceId: e.id,
      subnetId: e.data.subnetId,
      vpcId: e.vpcId,
      description: e.data.description,
      ownerId: scope.accountId,
      status: 'in-use',
      macAddress: e.data.macAddress,
      privateIpAddress: e.data.privateIp,
      privateDnsName: dns,
      sourceDestCheck: e.data.sourceDestCheck,
      groupSet: e.data.groupIds.map((id) => ({ groupId: id, groupName: net.groups.find((g) => g.groupId === id)?.groupName ?? '' })),
      attachment: e.data.attachment && {
        attachmentId: e.data.attachment.attachmentId,
        deviceIndex: e.data.attachment.deviceIndex,
        status: 'attached',
        attachTime: wholeSeconds(e.data.attachment.attachTime),
        deleteOnTermination: e.data.attachment.deleteOnTermination,
        networkCardIndex: 0,
      },
      association,
      ...addressSets(e, scope, association),
      interfaceType: 'interface',
    };
  });
}
