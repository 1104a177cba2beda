// DescribeSnapshots: the caller's snapshots and those shared with it (RestorableBy narrows; OwnerIds `self` or the account id; `amazon` has none
// here), by id, with filters; pending ones complete with time.
import { settledSnapshot } from '../compute/volume-state.js';
import { tierState } from '../compute/snapshot-tier.js';
import { applyFilters, type FilterSchema } from '../domain/filters.js';
import type { SnapshotRecord } from '../store/port.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { pageOf } from './pagination.js';
import { findSnapshots, restorableBy, snapshotItem } from './snapshot-views.js';

const filterSchema = (now: Date): FilterSchema<SnapshotRecord> => ({
  fields: {
    'snapshot-id': (s) => [s.snapshotId],
    'volume-id': (s) => [s.volumeId],
    'volume-size': (s) => [String(s.volumeSize)],
    status: (s) => [s.state],
    'owner-id': (s) => [s.ownerId],
    description: (s) => [s.description],
    progress: (s) => [s.state === 'completed' ? '100%' : ''],
    'start-time': (s) => [s.startTime.toISOString()],
    encrypted: (s) => [String(s.encrypted ?? false)],
    'kms-key-id': (s) => [s.kmsKeyId],
    'storage-tier': (s) => [tierState(s, now).storageTier],
  },
  tags: (s) => s.tags,
});

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
    // Yours and those shared with you (createVolumePermission), as AWS lists "snapshots available to you".
    let snaps = input.snapshotIds.length
      ? await findSnapshots(ctx, input.snapshotIds, true)
      : [...(await ctx.store.snapshots.list(ctx.scope)), ...(await ctx.store.snapshots.listShared(ctx.scope))].map((s) => settledSnapshot(s, now));
    if (input.restorableByUserIds.length) {
      const accounts = input.restorableByUserIds.map((u) => (u === 'self' ? ctx.scope.accountId : u));
      snaps = snaps.filter((s) => accounts.some((a) => restorableBy(s, a)));
    }
    if (input.ownerIds.length) snaps = snaps.filter((s) => input.ownerIds.some((o) => o === s.ownerId || (o === 'self' && s.ownerId === ctx.scope.accountId)));
    snaps = applyFilters(snaps, input.filters, filterSchema(now));
    const { page, nextToken } = pageOf(snaps, input.nextToken, input.maxResults);
    return { snapshotSet: page.map((s) => snapshotItem(s, now)), nextToken };
  },
);
