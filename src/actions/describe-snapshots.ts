// DescribeSnapshots: the caller's snapshots (OwnerIds `self` or the account id; `amazon` has none
// here), by id, with filters; pending ones complete with time.
import { settledSnapshot } from '../compute/volume-state.js';
import { applyFilters, type FilterSchema } from '../domain/filters.js';
import type { SnapshotRecord } from '../store/port.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { pageOf } from './pagination.js';
import { findSnapshots, snapshotItem } from './snapshot-views.js';

const filterSchema: FilterSchema<SnapshotRecord> = {
  fields: {
    'snapshot-id': (s) => [s.snapshotId],
    'volume-id': (s) => [s.volumeId],
    'volume-size': (s) => [String(s.volumeSize)],
    status: (s) => [s.state],
    'owner-id': (s) => [s.ownerId],
    description: (s) => [s.description],
    progress: (s) => [s.state === 'completed' ? '100%' : ''],
    'start-time': (s) => [s.startTime.toISOString()],
    encrypted: () => ['false'],
  },
  tags: (s) => s.tags,
};

export default defineAction(
  'DescribeSnapshots',
  {
    snapshotIds: fields.list('SnapshotId'),
    ownerIds: fields.list('Owner'),
    restorableByUserIds: fields.list('RestorableBy'),
    filters: fields.filters(),
    maxResults: fields.integer('MaxResults'),
    nextToken: fields.string('NextToken'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkDryRun(input.dryRun);
    const now = ctx.now();
    let snaps = input.snapshotIds.length
      ? await findSnapshots(ctx, input.snapshotIds)
      : (await ctx.store.snapshots.list(ctx.scope)).map((s) => settledSnapshot(s, now));
    if (input.ownerIds.length) snaps = snaps.filter((s) => input.ownerIds.some((o) => o === s.ownerId || (o === 'self' && s.ownerId === ctx.scope.accountId)));
    snaps = applyFilters(snaps, input.filters, filterSchema);
    const { page, nextToken } = pageOf(snaps, input.nextToken, input.maxResults);
    return { snapshotSet: page.map(snapshotItem), nextToken };
  },
);
