// DescribeVolumesModifications: the ModifyVolume requests of the caller's volumes (all, or of some
// volumes), each as of now, with AWS's filters.
import { settled } from '../compute/volume-state.js';
import { modificationState } from '../compute/volume-modification.js';
import { applyFilters, type FilterSchema } from '../domain/filters.js';
import type { VolumeModificationRecord } from '../store/port.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { pageOf } from './pagination.js';
import { checkVolumeId, findVolume, volumeModificationItem } from './volume-views.js';
import { wholeSecondsIso } from '../domain/aws-time.js';

type Row = { volumeId: string; m: VolumeModificationRecord; now: Date };

const filterSchema: FilterSchema<Row> = {
  fields: {
    'volume-id': (r) => [r.volumeId],
    'modification-state': (r) => [modificationState(r.m, r.now)],
    'original-size': (r) => [String(r.m.originalSize)],
    'target-size': (r) => [String(r.m.targetSize)],
    'original-volume-type': (r) => [r.m.originalVolumeType],
    'target-volume-type': (r) => [r.m.targetVolumeType],
    'original-iops': (r) => [r.m.originalIops === undefined ? undefined : String(r.m.originalIops)],
    'target-iops': (r) => [r.m.targetIops === undefined ? undefined : String(r.m.targetIops)],
    'original-multi-attach-enabled': (r) => [String(r.m.originalMultiAttachEnabled)],
    'target-multi-attach-enabled': (r) => [String(r.m.targetMultiAttachEnabled)],
    'start-time': (r) => [wholeSecondsIso(r.m.startTime)],
  },
};

export default defineAction(
  'DescribeVolumesModifications',
  {
    volumeIds: fields.list('VolumeId'),
    filters: fields.filters(),
    nextToken: fields.string('NextToken'),
    maxResults: fields.integer('MaxResults'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    input.volumeIds.forEach(checkVolumeId);
    checkDryRun(input.dryRun);
    const now = ctx.now();
    const volumes = input.volumeIds.length
      ? await Promise.all(input.volumeIds.map((id) => findVolume(ctx, id)))
      : (await ctx.store.volumes.list(ctx.scope)).map((v) => settled(v, now)).filter((v) => v.volumeId.startsWith('vol-') && v.state !== 'deleted');
    const rows = applyFilters(
      volumes.flatMap((v) => (v.modifications ?? []).map((m) => ({ volumeId: v.volumeId, m, now }))),
      input.filters,
      filterSchema,
    );
    const { page, nextToken } = pageOf(rows, input.nextToken, input.maxResults);
    return { volumeModificationSet: page.map((r) => volumeModificationItem(r.volumeId, r.m, now)), nextToken };
  },
);
