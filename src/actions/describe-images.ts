// DescribeImages: the built-in catalogue of the region (owned by Amazon's accounts, public).
// Owners takes account ids and the aliases `amazon`, `self` (no image is the caller's own) and
// `aws-marketplace`; ExecutableUsers `all` lists public images, which all of them are.
import { Ec2Error } from '../errors/ec2-error.js';
import { imagesIn, type ImageInfo } from '../compute/images.js';
import { applyFilters, type FilterSchema } from '../domain/filters.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
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
    state: () => ['available'],
    'is-public': () => ['true'],
    'image-type': () => ['machine'],
    'virtualization-type': () => ['hvm'],
    hypervisor: () => ['xen'],
    description: (i) => [i.description],
    'platform-details': (i) => [i.platformDetails],
  },
  tags: () => [],
};

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
    let images = imagesIn(ctx.scope.region);
    if (input.imageIds.length) {
      const missing = input.imageIds.find((id) => !images.some((i) => i.imageId === id));
      if (missing !== undefined) throw new Ec2Error('InvalidAMIID.NotFound', missing);
      images = images.filter((i) => input.imageIds.includes(i.imageId));
    }
    if (input.owners.length) {
      images = images.filter((i) =>
        input.owners.some((o) => o === i.ownerId || o === i.ownerAlias || (o === 'self' && i.ownerId === ctx.scope.accountId)),
      );
    }
    if (input.executableUsers.length && !input.executableUsers.some((u) => u === 'all' || u === 'self' || u === ctx.scope.accountId)) {
      images = [];
    }
    images = applyFilters(images, input.filters, filterSchema);
    return {
      imagesSet: images.map((i) => ({
        imageId: i.imageId,
        imageLocation: `${i.ownerAlias}/${i.name}`,
        imageState: 'available',
        imageOwnerId: i.ownerId,
        creationDate: i.creationDate,
        isPublic: true,
        architecture: 'x86_64',
        imageType: 'machine',
        platformDetails: i.platformDetails,
        usageOperation: i.usageOperation,
        imageOwnerAlias: i.ownerAlias,
        name: i.name,
        description: i.description,
        rootDeviceType: i.rootDeviceType,
        rootDeviceName: i.rootDeviceName,
        blockDeviceMapping:
          i.rootDeviceType === 'ebs'
            ? [{ deviceName: i.rootDeviceName, ebs: { deleteOnTermination: true, volumeSize: 8, volumeType: 'gp3', encrypted: false } }]
            : [],
        virtualizationType: 'hvm',
        hypervisor: 'xen',
        enaSupport: true,
        sriovNetSupport: 'simple',
        bootMode: 'uefi-preferred',
      })),
    };
  },
);
