// CopyImage: issued in the destination region; copies an image of SourceRegion that the caller
// owns or may launch. New snapshots (layered on the source's, no bytes copied) and a new AMI id;
// launch permissions are not copied, tags only with CopyImageTags.
import { Ec2Error } from '../errors/ec2-error.js';
import { canLaunch } from '../compute/images.js';
import { settledImage } from '../compute/volume-state.js';
import type { ImageRecord, SnapshotRecord } from '../store/port.js';
import { checkKeyNeedsEncryption, resolveVolumeEncryption } from '../compute/ebs-encryption.js';
import { ebsDefaults } from './ebs-defaults.js';
import { checkDryRun, defineAction } from './action.js';
import { checkImageId, checkImageName, insertImage } from './image-views.js';
import { fields } from './input.js';
import { tagsFor } from './tag-specifications.js';

export default defineAction(
  'CopyImage',
  {
    sourceImageId: fields.string('SourceImageId', { required: true }),
    sourceRegion: fields.string('SourceRegion', { required: true }),
    name: fields.string('Name', { required: true }),
    description: fields.string('Description'),
    encrypted: fields.boolean('Encrypted'),
    kmsKeyId: fields.string('KmsKeyId'),
    copyImageTags: fields.boolean('CopyImageTags'),
    tagSpecifications: fields.tagSpecifications(),
    clientToken: fields.string('ClientToken'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    // Tags live with their owner's account and region: only an own image's tags can be copied.
    const ownTags = async (accountId: string, region: string, imageId: string) =>
      (await ctx.store.images.listVisible({ accountId, region })).find((i) => i.imageId === imageId && i.ownerId === accountId)?.tags ?? [];
    checkImageId(input.sourceImageId);
    checkImageName(input.name);
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(input.sourceRegion)) throw new Ec2Error('InvalidParameterValue', `Invalid region: ${input.sourceRegion}`);
    const tags = tagsFor(input.tagSpecifications, ['image'], 'image');
    checkKeyNeedsEncryption(input);
    checkDryRun(input.dryRun);
    const found = await ctx.store.images.find(input.sourceRegion, input.sourceImageId);
    if (!found || !canLaunch(found, ctx.scope.accountId)) throw new Ec2Error('InvalidAMIID.NotFound', input.sourceImageId);
    const source = settledImage(found, ctx.now());
    if (source.state !== 'available') throw new Ec2Error('IncorrectState', `Image '${source.imageId}' is not in the 'available' state.`);
    const now = ctx.now();
    const settlesAt = new Date(now.getTime() + ctx.runtime.storageDelayMs);
    const imageId = ctx.ids.next('ami');
    const snapshots: SnapshotRecord[] = [];
    const mappings = [];
    const defaults = await ebsDefaults(ctx);
    for (const m of source.blockDeviceMappings) {
      // Encrypted/KmsKeyId (or encryption by default) encrypt the copies; encrypted ones stay so.
      const encryption = resolveVolumeEncryption(ctx.scope, input, m, defaults);
      const snapshotId = ctx.ids.next('snap');
      await ctx.runtime.volumes.copySnapshot(m.snapshotId, snapshotId);
      snapshots.push({
        snapshotId,
        volumeId: 'vol-ffffffff',
        volumeSize: m.volumeSize,
        description: `Copied for DestinationAmi ${imageId} from SourceAmi ${source.imageId} for SourceSnapshot ${m.snapshotId}. Task created on ${now.getTime()}.`,
        state: 'pending',
        startTime: now,
        settlesAt,
        ownerId: ctx.scope.accountId,
        tags: [],
        ...(encryption.encrypted ? encryption : {}),
      });
      mappings.push({ ...m, snapshotId, ...(encryption.encrypted ? encryption : {}) });
    }
    const image: ImageRecord = {
      imageId,
      ownerId: ctx.scope.accountId,
      name: input.name,
      description: input.description ?? source.description,
      state: 'pending',
      creationDate: now,
      settlesAt,
      rootDeviceName: source.rootDeviceName,
      template: source.template,
      blockDeviceMappings: mappings,
      launchPermissions: [],
      sourceImageId: source.imageId,
      sourceRegion: input.sourceRegion,
      tags: [...(input.copyImageTags ? await ownTags(ctx.scope.accountId, input.sourceRegion, source.imageId) : []), ...tags],
    };
    await insertImage(ctx, image, snapshots);
    return { imageId };
  },
);
