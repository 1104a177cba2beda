// Shared by the image actions: name rules, lookups, and the XML shape of an image (built-in or
// the caller's own / shared with it).
import { Ec2Error } from '../errors/ec2-error.js';
import { builtInRootSnapshot, canLaunch, userImage, type ImageInfo } from '../compute/images.js';
import { settledImage } from '../compute/volume-state.js';
import { tagSet } from '../domain/tags.js';
import { DuplicateImageNameError, type ImageRecord, type SnapshotRecord } from '../store/port.js';
import type { ActionContext } from './context.js';
import { isImageId } from './instance-views.js';
import type { ActionOutput } from './output.js';

/**
 * AMI names: 3–128 characters of letters, digits, ( ) [ ] space . / - ' @ _ (CreateImage reference).
 * The message is AWS's (observed: webdigi/AWS-AMI-Automated-Creation-Deletion#6, hashicorp/packer#2774).
 */
export function checkImageName(name: string): void {
  if (name.length < 3 || name.length > 128 || !/^[A-Za-z0-9()[\] ./\-'@_]+$/.test(name)) {
    throw new Ec2Error(
      'InvalidAMIName.Malformed',
      "AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'",
    );
  }
}

export function checkImageId(id: string): void {
  if (!isImageId(id)) throw new Ec2Error('InvalidAMIID.Malformed', id);
}

/**
 * Stores a new image and the snapshots it was made with (CreateImage, CopyImage). When a concurrent
 * request took the name first, the snapshots go again and the caller gets InvalidAMIName.Duplicate.
 */
export async function insertImage(ctx: ActionContext, image: ImageRecord, snapshots: SnapshotRecord[]): Promise<void> {
  await ctx.store.snapshots.insert(ctx.scope, snapshots);
  try {
    await ctx.store.images.insert(ctx.scope, image);
  } catch (e) {
    if (!(e instanceof DuplicateImageNameError)) throw e;
    for (const s of snapshots) {
      await ctx.store.snapshots.remove(ctx.scope, s.snapshotId);
      await ctx.runtime.volumes.forgetSnapshot(s.snapshotId);
    }
    const other = (await ctx.store.images.listVisible(ctx.scope)).find((i) => i.ownerId === ctx.scope.accountId && i.name === image.name);
    throw new Ec2Error('InvalidAMIName.Duplicate', image.name, other?.imageId ?? '');
  }
}

/** Stored images the caller may see (own, shared with it, public), as of now, as catalogue entries. */
export async function visibleUserImages(ctx: ActionContext): Promise<ImageInfo[]> {
  const now = ctx.now();
  return (await ctx.store.images.listVisible(ctx.scope)).map((r) => userImage(settledImage(r, now)));
}

/** One of the caller's own stored images; another account's (even shared) or a missing one is not found. */
export async function findOwnImage(ctx: ActionContext, imageId: string): Promise<ImageRecord> {
  checkImageId(imageId);
  const r = await ctx.store.images.find(ctx.scope.region, imageId);
  if (!r || r.ownerId !== ctx.scope.accountId) {
    // observed: cloudquery/cloudquery#9406 (someone else's image)
    if (r && canLaunch(r, ctx.scope.accountId)) throw new Ec2Error('AuthFailure', `Not authorized for image:${imageId}`);
    throw await missingImageError(ctx, imageId);
  }
  return settledImage(r, ctx.now());
}

export function imageItem(i: ImageInfo): ActionOutput {
  const r = i.record;
  return {
    imageId: i.imageId,
    imageLocation: `${i.ownerAlias ?? i.ownerId}/${i.name}`,
    imageState: i.state,
    imageOwnerId: i.ownerId,
    creationDate: i.creationDate,
    isPublic: i.isPublic,
    architecture: 'x86_64',
    imageType: 'machine',
    platform: i.platform,
    platformDetails: i.platformDetails,
    usageOperation: i.usageOperation,
    imageOwnerAlias: i.ownerAlias,
    name: i.name,
    description: i.description,
    rootDeviceType: i.rootDeviceType,
    rootDeviceName: i.rootDeviceName,
    blockDeviceMapping: r
      ? r.blockDeviceMappings.map((m) => ({
          deviceName: m.deviceName,
          ebs: { snapshotId: m.snapshotId, volumeSize: m.volumeSize, deleteOnTermination: m.deleteOnTermination, volumeType: m.volumeType, kmsKeyId: m.kmsKeyId, encrypted: m.encrypted ?? false },
        }))
      : i.rootDeviceType === 'ebs'
        ? [{ deviceName: i.rootDeviceName, ebs: { snapshotId: builtInRootSnapshot(i), deleteOnTermination: true, volumeSize: i.rootVolumeGiB ?? 8, volumeType: 'gp3', encrypted: false } }]
        : [],
    virtualizationType: 'hvm',
    tagSet: r && r.tags.length ? tagSet(r.tags) : undefined,
    hypervisor: 'xen',
    enaSupport: true,
    sriovNetSupport: 'simple',
    bootMode: 'uefi-preferred',
    imdsSupport: i.imdsSupport,
    sourceInstanceId: r?.sourceInstanceId,
  };
}

/**
 * How long a deregistered AMI is remembered: AWS answers a just-deregistered id differently from
 * one that never existed — DescribeImages returns it in no list and no error (terraform-provider-aws
 * #26046/#47945: "DescribeImages returns an empty result" for a recently deregistered AMI), a second
 * DeregisterImage and RunInstances get InvalidAMIID.Unavailable (aeternity/infrastructure#89 handles
 * that code on deregister). How long AWS keeps it so is not documented; an hour here.
 */
export const DEREGISTERED_MEMORY_MS = 60 * 60 * 1000;

export async function rememberDeregistered(ctx: ActionContext, imageId: string): Promise<void> {
  await ctx.store.documents.delete(ctx.scope, 'deregistered-image', imageId);
  await ctx.store.documents.insert(ctx.scope, 'deregistered-image', { name: imageId, data: { at: ctx.now().toISOString() } });
}

/** Whether the caller deregistered this image within the remembered window. */
export async function recentlyDeregistered(ctx: ActionContext, imageId: string): Promise<boolean> {
  const d = await ctx.store.documents.get<{ at: string }>(ctx.scope, 'deregistered-image', imageId);
  return !!d && ctx.now().getTime() - Date.parse(d.at) < DEREGISTERED_MEMORY_MS;
}

/** The error for an image id that cannot be found: Unavailable for one just deregistered, else NotFound. */
export async function missingImageError(ctx: ActionContext, imageId: string): Promise<Ec2Error> {
  return (await recentlyDeregistered(ctx, imageId)) ? new Ec2Error('InvalidAMIID.Unavailable', imageId) : new Ec2Error('InvalidAMIID.NotFound', imageId);
}
