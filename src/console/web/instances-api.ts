// Reading instances and images from DescribeInstances / DescribeImages answers.
import { childText, items, path, tagsOf, type ApiClient, type Params, type Tag } from './api.js';

export interface BlockDevice {
  deviceName: string;
  volumeId: string;
  status: string;
}

export interface Instance {
  id: string;
  name: string;
  state: string;
  type: string;
  zone: string;
  publicIp: string;
  privateIp: string;
  keyName: string;
  launchTime: string;
  imageId: string;
  rootDeviceName: string;
  rootDeviceType: string;
  blockDevices: BlockDevice[];
  httpTokens: string;
  /** `windows` for Windows instances, else empty. */
  platform: string;
  tags: Tag[];
  vpcId: string;
  subnetId: string;
  privateDnsName: string;
  publicDnsName: string;
  groups: GroupRef[];
  interfaces: NetworkInterface[];
}

export interface GroupRef {
  id: string;
  name: string;
}

export interface NetworkInterface {
  id: string;
  description: string;
  deviceIndex: string;
  status: string;
  privateIp: string;
  publicIp: string;
  mac: string;
  subnetId: string;
  vpcId: string;
  sourceDestCheck: string;
  groups: GroupRef[];
}

const groupsOf = (el: Element): GroupRef[] => items(el, 'groupSet').map((g) => ({ id: childText(g, 'groupId'), name: childText(g, 'groupName') }));

export const PENDING_STATES = new Set(['pending', 'stopping', 'shutting-down', 'rebooting']);

function instanceOf(el: Element): Instance {
  const tags = tagsOf(el);
  return {
    id: childText(el, 'instanceId'),
    name: tags.find((t) => t.key === 'Name')?.value ?? '',
    state: path(el, 'instanceState', 'name'),
    type: childText(el, 'instanceType'),
    zone: path(el, 'placement', 'availabilityZone'),
    publicIp: childText(el, 'ipAddress'),
    privateIp: childText(el, 'privateIpAddress'),
    keyName: childText(el, 'keyName'),
    launchTime: childText(el, 'launchTime'),
    imageId: childText(el, 'imageId'),
    rootDeviceName: childText(el, 'rootDeviceName'),
    rootDeviceType: childText(el, 'rootDeviceType'),
    blockDevices: items(el, 'blockDeviceMapping').map((b) => ({
      deviceName: childText(b, 'deviceName'),
      volumeId: path(b, 'ebs', 'volumeId'),
      status: path(b, 'ebs', 'status'),
    })),
    httpTokens: path(el, 'metadataOptions', 'httpTokens'),
    platform: childText(el, 'platform'),
    tags,
    vpcId: childText(el, 'vpcId'),
    subnetId: childText(el, 'subnetId'),
    privateDnsName: childText(el, 'privateDnsName'),
    publicDnsName: childText(el, 'dnsName'),
    groups: groupsOf(el),
    interfaces: items(el, 'networkInterfaceSet').map((n) => ({
      id: childText(n, 'networkInterfaceId'),
      description: childText(n, 'description'),
      deviceIndex: path(n, 'attachment', 'deviceIndex'),
      status: childText(n, 'status'),
      privateIp: childText(n, 'privateIpAddress'),
      publicIp: path(n, 'association', 'publicIp'),
      mac: childText(n, 'macAddress'),
      subnetId: childText(n, 'subnetId'),
      vpcId: childText(n, 'vpcId'),
      sourceDestCheck: childText(n, 'sourceDestCheck'),
      groups: groupsOf(n),
    })),
  };
}

/** Every instance, following NextToken. */
export async function listInstances(api: ApiClient, params: Params = {}): Promise<Instance[]> {
  const out: Instance[] = [];
  let token: string | undefined;
  do {
    const r = await api.ec2('DescribeInstances', { ...params, NextToken: token });
    for (const res of items(r, 'reservationSet')) for (const i of items(res, 'instancesSet')) out.push(instanceOf(i));
    token = childText(r, 'nextToken') || undefined;
  } while (token);
  return out;
}

export interface Image {
  id: string;
  name: string;
  description: string;
  rootDeviceType: string;
  ownerAlias: string;
}

export async function listImages(api: ApiClient): Promise<Image[]> {
  const r = await api.ec2('DescribeImages');
  return items(r, 'imagesSet').map((i) => ({
    id: childText(i, 'imageId'),
    name: childText(i, 'name'),
    description: childText(i, 'description'),
    rootDeviceType: childText(i, 'rootDeviceType'),
    ownerAlias: childText(i, 'imageOwnerAlias'),
  }));
}

/** The usual login user of an image, from its name, as the AWS console guesses it. */
export function defaultUserFor(image: Pick<Image, 'name' | 'description'> | undefined): string {
  const text = `${image?.name ?? ''} ${image?.description ?? ''}`.toLowerCase();
  if (text.includes('ubuntu')) return 'ubuntu';
  if (text.includes('windows')) return 'Administrator';
  if (text.includes('debian')) return 'admin';
  return 'ec2-user';
}


