// DescribeVolumes: the root volumes RunInstances creates (EBS images only). A volume deleted on
// termination disappears, as on AWS.
import { Ec2Error } from '../errors/ec2-error.js';
import { applyFilters, type FilterSchema } from '../domain/filters.js';
import { tagSet } from '../domain/tags.js';
import type { VolumeRecord } from '../store/port.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { isVolumeId } from './instance-views.js';
import { decodeToken, encodeToken } from './pagination.js';

const filterSchema: FilterSchema<VolumeRecord> = {
  fields: {
    'volume-id': (v) => [v.volumeId],
    status: (v) => [v.state],
    'availability-zone': (v) => [v.availabilityZone],
    'volume-type': (v) => [v.volumeType],
    size: (v) => [String(v.size)],
    'attachment.instance-id': (v) => [v.attachment?.instanceId],
    'attachment.device': (v) => [v.attachment?.device],
    'attachment.status': (v) => [v.attachment?.state],
    'attachment.delete-on-termination': (v) => [v.attachment ? String(v.attachment.deleteOnTermination) : undefined],
    encrypted: () => ['false'],
  },
  tags: (v) => v.tags,
};

const visible = (v: VolumeRecord) => v.volumeId.startsWith('vol-') && v.state !== 'deleted';

export default defineAction(
  'DescribeVolumes',
  {
    volumeIds: fields.list('VolumeId'),
    filters: fields.filters(),
    maxResults: fields.integer('MaxResults'),
    nextToken: fields.string('NextToken'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    const malformed = input.volumeIds.find((id) => !isVolumeId(id));
    if (malformed !== undefined) throw new Ec2Error('InvalidVolumeID.Malformed', malformed);
    checkDryRun(input.dryRun);
    let volumes = (await ctx.store.volumes.list(ctx.scope, input.volumeIds.length ? input.volumeIds : undefined)).filter(visible);
    const missing = input.volumeIds.find((id) => !volumes.some((v) => v.volumeId === id));
    if (missing !== undefined) throw new Ec2Error('InvalidVolume.NotFound', missing);
    volumes = applyFilters(volumes, input.filters, filterSchema);
    const start = input.nextToken ? decodeToken(input.nextToken) : 0;
    const end = input.maxResults ? start + input.maxResults : volumes.length;
    return {
      volumeSet: volumes.slice(start, end).map((v) => ({
        volumeId: v.volumeId,
        size: v.size,
        snapshotId: '',
        availabilityZone: v.availabilityZone,
        status: v.state,
        createTime: v.createTime,
        attachmentSet: v.attachment
          ? [
              {
                volumeId: v.volumeId,
                instanceId: v.attachment.instanceId,
                device: v.attachment.device,
                status: v.attachment.state,
                attachTime: v.attachment.attachTime,
                deleteOnTermination: v.attachment.deleteOnTermination,
              },
            ]
          : [],
        tagSet: v.tags.length ? tagSet(v.tags) : undefined,
        volumeType: v.volumeType,
        iops: 3000,
        encrypted: false,
        throughput: 125,
        multiAttachEnabled: false,
      })),
      nextToken: end < volumes.length ? encodeToken(end) : undefined,
    };
  },
);
