// DescribeVolumes: EBS volumes of the account and region (roots made by RunInstances, volumes made
// by CreateVolume), each as of now (transitional states settle with time).
import { Ec2Error } from '../errors/ec2-error.js';
import { attachmentsOf, settled } from '../compute/volume-state.js';
import { applyFilters, type FilterSchema } from '../domain/filters.js';
import type { VolumeRecord } from '../store/port.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { isVolumeId } from './instance-views.js';
import { pageOf } from './pagination.js';
import { releaseIfUnmounted, volumeItem } from './volume-views.js';
import { wholeSecondsIso } from '../domain/aws-time.js';

const filterSchema: FilterSchema<VolumeRecord> = {
  fields: {
    'volume-id': (v) => [v.volumeId],
    status: (v) => [v.state],
    'availability-zone': (v) => [v.availabilityZone],
    'volume-type': (v) => [v.volumeType],
    size: (v) => [String(v.size)],
    'snapshot-id': (v) => [v.snapshotId ?? ''],
    'create-time': (v) => [v.createTime.toISOString()],
    'attachment.instance-id': (v) => attachmentsOf(v).map((a) => a.instanceId),
    'attachment.device': (v) => attachmentsOf(v).map((a) => a.device),
    'attachment.status': (v) => attachmentsOf(v).map((a) => a.state),
    'attachment.attach-time': (v) => attachmentsOf(v).map((a) => wholeSecondsIso(a.attachTime)),
    'attachment.delete-on-termination': (v) => attachmentsOf(v).map((a) => String(a.deleteOnTermination)),
    encrypted: (v) => [String(v.encrypted ?? false)],
    'multi-attach-enabled': (v) => [String(v.multiAttachEnabled ?? false)],
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
    const now = ctx.now();
    let volumes = (await ctx.store.volumes.list(ctx.scope, input.volumeIds.length ? input.volumeIds : undefined))
      .map((v) => settled(v, now))
      .filter(visible);
    volumes = await Promise.all(volumes.map((v) => releaseIfUnmounted(ctx, v)));
    const missing = input.volumeIds.find((id) => !volumes.some((v) => v.volumeId === id));
    if (missing !== undefined) throw new Ec2Error('InvalidVolume.NotFound', missing);
    volumes = applyFilters(volumes, input.filters, filterSchema);
    const { page, nextToken } = pageOf(volumes, input.nextToken, input.maxResults);
    return { volumeSet: page.map(volumeItem), nextToken };
  },
);
