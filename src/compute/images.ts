// The built-in image catalogue: the same images in every region, each with a region-specific
// AMI id (as on AWS), pointing at a guest root-filesystem template.
import { createHash } from 'node:crypto';

export interface ImageInfo {
  imageId: string;
  /** Key of the guest root filesystem template (src/guest/images.ts). */
  template: string;
  name: string;
  description: string;
  ownerId: string;
  ownerAlias: string;
  defaultUser: string;
  rootDeviceName: string;
  rootDeviceType: 'ebs' | 'instance-store';
  platformDetails: string;
  usageOperation: string;
  creationDate: string;
}

const CATALOGUE: Omit<ImageInfo, 'imageId'>[] = [
  {
    template: 'al2023',
    name: 'al2023-ami-2023.6.20250115.0-kernel-6.1-x86_64',
    description: 'Amazon Linux 2023 AMI 2023.6.20250115.0 x86_64 HVM kernel-6.1',
    ownerId: '137112412989',
    ownerAlias: 'amazon',
    defaultUser: 'ec2-user',
    rootDeviceName: '/dev/xvda',
    rootDeviceType: 'ebs',
    platformDetails: 'Linux/UNIX',
    usageOperation: 'RunInstances',
    creationDate: '2025-01-15T00:00:00.000Z',
  },
  {
    template: 'ubuntu-24.04',
    name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250115',
    description: 'Canonical, Ubuntu, 24.04, amd64 noble image',
    ownerId: '099720109477',
    ownerAlias: 'amazon',
    defaultUser: 'ubuntu',
    rootDeviceName: '/dev/sda1',
    rootDeviceType: 'ebs',
    platformDetails: 'Linux/UNIX',
    usageOperation: 'RunInstances',
    creationDate: '2025-01-15T00:00:00.000Z',
  },
  {
    template: 'amzn-instance-store',
    name: 'amzn-ami-minimal-hvm-2018.03.0.20250115.0-x86_64-s3',
    description: 'Amazon Linux AMI 2018.03.0 x86_64 Minimal HVM instance-store',
    ownerId: '137112412989',
    ownerAlias: 'amazon',
    defaultUser: 'ec2-user',
    rootDeviceName: '/dev/sda1',
    rootDeviceType: 'instance-store',
    platformDetails: 'Linux/UNIX',
    usageOperation: 'RunInstances',
    creationDate: '2025-01-15T00:00:00.000Z',
  },
];

const amiId = (region: string, template: string): string =>
  `ami-0${createHash('sha256').update(`${region}/${template}`).digest('hex').slice(0, 16)}`;

export function imagesIn(region: string): ImageInfo[] {
  return CATALOGUE.map((i) => ({ ...i, imageId: amiId(region, i.template) }));
}

export function findImage(region: string, imageId: string): ImageInfo | undefined {
  return imagesIn(region).find((i) => i.imageId === imageId);
}
