// Shared by the snapshot actions: lookups that fail as AWS does, and the XML shape of a snapshot.
import { Ec2Error } from '../errors/ec2-error.js';
import { settledSnapshot } from '../compute/volume-state.js';
import { tierState } from '../compute/snapshot-tier.js';
import { tagSet } from '../domain/tags.js';
import type { SnapshotRecord } from '../store/port.js';
import type { ActionContext } from './context.js';
import { fields } from './input.js';
import type { ActionOutput } from './output.js';
import { isSnapshotId } from './volume-views.js';

/** The request of DescribeSnapshotAttribute and ResetSnapshotAttribute: one snapshot and one attribute. */
export const snapshotAttributeFields = {
  snapshotId: fields.string('SnapshotId', { required: true }),
  attribute: fields.enum('Attribute', ['productCodes', 'createVolumePermission'] as const, { required: true }),
  dryRun: fields.boolean('DryRun'),
};

export function checkSnapshotId(id: string): void {
  if (!isSnapshotId(id)) throw new Ec2Error('InvalidSnapshot.Malformed', id);
}

/** Another account's snapshot that it shared with the caller (createVolumePermission), as of now. */
export async function sharedSnapshot(ctx: ActionContext, id: string): Promise<SnapshotRecord | undefined> {
  const s = await ctx.store.snapshots.find(ctx.scope.region, id);
  if (!s || s.ownerId === ctx.scope.accountId || !restorableBy(s, ctx.scope.accountId)) return undefined;
  return settledSnapshot(s, ctx.now());
}

/** Whether an account may create volumes from the snapshot: its owner, or one it was shared with. */
export const restorableBy = (s: SnapshotRecord, accountId: string): boolean =>
  s.ownerId === accountId || (s.createVolumePermissions ?? []).some((p) => p.group === 'all' || p.userId === accountId);

/**
 * Snapshots with these ids, as of now; every id must exist. `withShared`: others' snapshots shared
 * with the caller count too (DescribeSnapshots), not for actions only the owner may take.
 */
export async function findSnapshots(ctx: ActionContext, ids: readonly string[], withShared = false): Promise<SnapshotRecord[]> {
  ids.forEach(checkSnapshotId);
  const found = new Map((await ctx.store.snapshots.list(ctx.scope, ids)).map((s) => [s.snapshotId, settledSnapshot(s, ctx.now())]));
  if (withShared) {
    for (const id of ids) {
      const shared = found.has(id) ? undefined : await sharedSnapshot(ctx, id);
      if (shared) found.set(id, shared);
    }
  }
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) throw new Ec2Error('InvalidSnapshot.NotFound', missing);
  return [...new Set(ids)].map((id) => found.get(id)!);
}

/** A snapshot as DescribeSnapshots shows it; `now` decides its storage tier (compute/snapshot-tier.ts). */
export function snapshotItem(s: SnapshotRecord, now: Date): ActionOutput {
  const tier = tierState(s, now);
  return {
    snapshotId: s.snapshotId,
    volumeId: s.volumeId,
    status: s.state,
    statusMessage: s.state === 'error' ? s.stateMessage : undefined,
    startTime: s.startTime,
    progress: s.state === 'completed' ? '100%' : '',
    ownerId: s.ownerId,
    volumeSize: s.volumeSize,
    description: s.description,
    encrypted: s.encrypted ?? false,
    kmsKeyId: s.kmsKeyId,
    tagSet: s.tags.length ? tagSet(s.tags) : undefined,
    storageTier: tier.storageTier,
    restoreExpiryTime: tier.restoreExpiryTime,
    completionDurationMinutes: s.completionDurationMinutes,
  };
}
