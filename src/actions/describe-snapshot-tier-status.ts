// DescribeSnapshotTierStatus: the archive/restore status of the caller's snapshots, with filters
// snapshot-id, volume-id and last-tiering-operation (a TieringOperationStatus value).
import { tierState } from '../compute/snapshot-tier.js';
import { settledSnapshot } from '../compute/volume-state.js';
import { applyFilters, type FilterSchema } from '../domain/filters.js';
import { tagSet } from '../domain/tags.js';
import type { SnapshotRecord } from '../store/port.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { pageOf } from './pagination.js';

const filterSchema = (now: Date): FilterSchema<SnapshotRecord> => ({
  fields: {
    'snapshot-id': (s) => [s.snapshotId],
    'volume-id': (s) => [s.volumeId],
    'last-tiering-operation': (s) => [tierState(s, now).operationStatus],
  },
});

export default defineAction(
  'DescribeSnapshotTierStatus',
  {
    filters: fields.filters(),
    maxResults: fields.integer('MaxResults'),
    nextToken: fields.string('NextToken'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkDryRun(input.dryRun);
    const now = ctx.now();
    const snaps = applyFilters((await ctx.store.snapshots.list(ctx.scope)).map((s) => settledSnapshot(s, now)), input.filters, filterSchema(now));
    const { page, nextToken } = pageOf(snaps, input.nextToken, input.maxResults);
    return {
      snapshotTierStatusSet: page.map((s) => {
        const tier = tierState(s, now);
        return {
          snapshotId: s.snapshotId,
          volumeId: s.volumeId,
          status: s.state,
          ownerId: s.ownerId,
          tagSet: s.tags.length ? tagSet(s.tags) : undefined,
          storageTier: tier.storageTier,
          lastTieringStartTime: s.tiering?.startTime,
          lastTieringProgress: tier.progress,
          lastTieringOperationStatus: tier.operationStatus,
          lastTieringOperationStatusDetail: tier.operationStatus && statusDetail(tier.operationStatus),
          archivalCompleteTime: tier.archivalCompleteTime,
          restoreExpiryTime: tier.restoreExpiryTime,
        };
      }),
      nextToken,
    };
  },
);

/** A human line for the status, e.g. "Archival in progress" (AWS's own wording is not documented). */
function statusDetail(status: string): string {
  const words = status.replaceAll('-', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
