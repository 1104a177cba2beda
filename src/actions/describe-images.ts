// DescribeImages: the built-in catalogue of the region (Amazon's, public) beside the images
// accounts made (CreateImage, CopyImage): the caller's own, those shared with it, public ones.
// Owners takes account ids and `amazon`, `self`; ExecutableUsers `all` (public), `self` or the
// caller's id (own images and those it was granted), another id (the caller's images granted to it).
import { Ec2Error } from '../errors/ec2-error.js';
import { imagesIn, type ImageInfo } from '../compute/images.js';
import { applyFilters, type FilterSchema } from '../domain/filters.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { imageItem, recentlyDeregistered, visibleUserImages } from './image-views.js';
import { isImageId } from './instance-views.js';

const filterSchema: FilterSchema<ImageInfo> = {
  fields: {
    name: (i) => [i.name],
    'image-id': (i) => [i.imageId],
    'root-device-type': (i) => [i.rootDeviceType],
    'root-device-name': (i) => [i.rootDeviceName],
    architecture: () => ['x86_64'],
    'owner-alias': (i) => [i.ownerAlias],
    'owner-id': (i) => [i.ownerId],
    state: (i) => [i.state],
    'is-public': (i) => [String(i.isPublic)],
    'image-type': () => ['machine'],
    'virtualization-type': () => ['hvm'],
    hypervisor: () => ['xen'],
    description: (i) => [i.description],
    'platform-details': (i) => [i.platformDetails],
    'source-instance-id': (i) => [i.record?.sourceInstanceId],
    // Whole seconds, as creationDate is shown (compute/images.ts).
    'creation-date': (i) => [i.creationDate],
    platform: (i) => (i.platform ? [i.platform] : []),
    'block-device-mapping.snapshot-id': (i) => i.record?.blockDeviceMappings.map((m) => m.snapshotId) ?? [],
  },
  tags: (i) => i.record?.tags ?? [],
};

/** Whether `user` (an ExecutableBy value) may launch the image, as the caller sees it. */
function executableBy(i: ImageInfo, user: string, caller: string): boolean {
  if (user === 'all') return i.isPublic;
  const grants = i.record?.launchPermissions ?? [];
  if (user === 'self' || user === caller) return i.ownerId === caller || grants.some((p) => p.userId === caller);
  return i.ownerId === caller && grants.some((p) => p.userId === user);
}

export default defineAction(
  'DescribeImages',
  {
    imageIds: fields.list('ImageId'),
    owners: fields.list('Owner'),
    executableUsers: fields.list('ExecutableBy'),
    filters: fields.filters(),
    includeDeprecated: fields.boolean('IncludeDeprecated'),
    includeDisabled: fields.boolean('IncludeDisabled'),
    maxResults: fields.integer('MaxResults'),
    nextToken: fields.string('NextToken'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    const malformed = input.imageIds.find((id) => !isImageId(id));
    if (malformed !== undefined) throw new Ec2Error('InvalidAMIID.Malformed', malformed);
    checkDryRun(input.dryRun);
    let images = [...imagesIn(ctx.scope.region), ...(await visibleUserImages(ctx))];
    if (input.imageIds.length) {
      // A just-deregistered id is left out without an error (image-views.ts: DEREGISTERED_MEMORY_MS).
      // Every missing id is named, in request order (AWS's plural text for several).
      const missing: string[] = [];
      for (const id of new Set(input.imageIds)) {
        if (!images.some((i) => i.imageId === id) && !(await recentlyDeregistered(ctx, id))) missing.push(id);
      }
      if (missing.length) throw new Ec2Error('InvalidAMIID.NotFound', ...missing);
      images = images.filter((i) => input.imageIds.includes(i.imageId));
    }
    if (input.owners.length) {
      images = images.filter((i) =>
        input.owners.some((o) => o === i.ownerId || o === i.ownerAlias || (o === 'self' && i.ownerId === ctx.scope.accountId)),
      );
    }
    if (input.executableUsers.length) {
      images = images.filter((i) => input.executableUsers.some((u) => executableBy(i, u, ctx.scope.accountId)));
    }
    images = applyFilters(images, input.filters, filterSchema);
    return { imagesSet: images.map(imageItem) };
  },
);
