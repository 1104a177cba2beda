// The image catalogue as the API sees it: the built-in images (image-catalogue.ts, data) with a
// region-specific AMI id each, as on AWS, joined by the images accounts make with
// CreateImage/CopyImage (kept in the store).
import { createHash } from 'node:crypto';
import { catalogueImages, type CatalogueImage } from './image-catalogue.js';
import { imageSource } from './volume-bytes.js';
import type { ImageRecord, Scope, Store } from '../store/port.js';
import { wholeSecondsIso } from '../domain/aws-time.js';

export interface ImageInfo {
  imageId: string;
  /** The built-in image whose OS (default user, shell, platform) the image carries. */
  template: string;
  name: string;
  description: string;
  ownerId: string;
  /** `amazon` for built-in images; absent for accounts' own. */
  ownerAlias?: string;
  defaultUser: string;
  rootDeviceName: string;
  rootDeviceType: 'ebs' | 'instance-store';
  platformDetails: string;
  /** `windows` for Windows images (and images made from Windows instances). */
  platform?: 'windows';
  /** The root snapshot's size in GiB (built-in images). */
  rootVolumeGiB?: number;
  usageOperation: string;
  creationDate: string;
  imdsSupport?: 'v2.0';
  state: 'pending' | 'available' | 'failed';
  isPublic: boolean;
  /** Where a new root volume's contents come from: a snapshot id or `image:<template>`. */
  rootSource: string;
  /** Set for images kept in the store. */
  record?: ImageRecord;
}

const amiId = (region: string, template: string): string =>
  `ami-0${createHash('sha256').update(`${region}/${template}`).digest('hex').slice(0, 16)}`;

/** The content source of a built-in image's root volume (resolved by the engine's volume bytes). */
export const templateSource = imageSource;

function builtIn(region: string, t: CatalogueImage): ImageInfo {
  return {
    imageId: amiId(region, t.key),
    template: t.key,
    name: t.name,
    description: t.description,
    ownerId: t.ownerId,
    ownerAlias: t.ownerAlias,
    defaultUser: t.defaultUser,
    rootDeviceName: t.rootDeviceName,
    rootDeviceType: t.rootDeviceType,
    platformDetails: t.platformDetails,
    platform: t.platform,
    rootVolumeGiB: t.rootVolumeGiB,
    usageOperation: t.usageOperation,
    creationDate: t.creationDate,
    imdsSupport: t.imdsSupport,
    state: 'available',
    isPublic: true,
    rootSource: templateSource(t.key),
  };
}

/** A stored (account-made) image in the catalogue's terms. */
export function userImage(r: ImageRecord): ImageInfo {
  const t = catalogueImages().find((x) => x.key === r.template);
  const root = r.blockDeviceMappings.find((m) => m.deviceName === r.rootDeviceName);
  return {
    imageId: r.imageId,
    template: r.template,
    name: r.name,
    description: r.description,
    ownerId: r.ownerId,
    defaultUser: t?.defaultUser ?? 'ec2-user',
    rootDeviceName: r.rootDeviceName,
    rootDeviceType: 'ebs',
    platformDetails: t?.platformDetails ?? 'Linux/UNIX',
    platform: t?.platform,
    usageOperation: t?.usageOperation ?? 'RunInstances',
    creationDate: wholeSecondsIso(r.creationDate),
    imdsSupport: t?.imdsSupport,
    state: r.state,
    isPublic: r.launchPermissions.some((p) => p.group === 'all'),
    rootSource: root?.snapshotId ?? templateSource(r.template),
    record: r,
  };
}

/** What a built-in template says about the OS (platform, details, usage operation), by template key. */
export function templateInfo(key: string): Pick<ImageInfo, 'platform' | 'platformDetails' | 'usageOperation'> | undefined {
  const t = catalogueImages().find((x) => x.key === key);
  return t && { platform: t.platform, platformDetails: t.platformDetails, usageOperation: t.usageOperation };
}

export function imagesIn(region: string): ImageInfo[] {
  return catalogueImages().map((t) => builtIn(region, t));
}

/** A built-in image by id (synchronous: instance views use it for platform details). */
export function findImage(region: string, imageId: string): ImageInfo | undefined {
  return imagesIn(region).find((i) => i.imageId === imageId);
}

/** Whether `accountId` may launch (and describe) the stored image. */
export const canLaunch = (r: ImageRecord, accountId: string): boolean =>
  r.ownerId === accountId || r.launchPermissions.some((p) => p.group === 'all' || p.userId === accountId);

/**
 * Any image the scope's account can see, built-in or stored: `undefined` when it does not exist in
 * the region, `'denied'` when it exists but is private to another account.
 */
export async function resolveImage(store: Store, scope: Scope, imageId: string): Promise<ImageInfo | 'denied' | undefined> {
  const b = findImage(scope.region, imageId);
  if (b) return b;
  const r = await store.images.find(scope.region, imageId);
  if (!r) return undefined;
  return canLaunch(r, scope.accountId) ? userImage(r) : 'denied';
}

/**
 * The snapshot a built-in image's root mapping names (built-in images carry their root as a
 * template, so no snapshot record exists): stable per image id, hence per Region. AWS's public
 * AMIs name their root snapshot in DescribeImages and on the volumes launched from them; like
 * Amazon's, it is not the caller's to describe (DescribeSnapshots answers NotFound).
 */
export const builtInRootSnapshot = (image: { imageId: string }): string =>
  `snap-0${createHash('sha256').update(`root/${image.imageId}`).digest('hex').slice(0, 16)}`;
