// Shared by the snapshot actions: lookups that fail as AWS does, and the XML shape of a snapshot.
import { Ec2Error } from '../errors/ec2-error.js';
import { settledSnapshot } from '../compute/volume-state.js';
import { tagSet } from '../domain/tags.js';
import type { SnapshotRecord } from '../store/port.js';
import type { ActionContext } from './context.js';
import type { ActionOutput } from './output.js';
import { isSnapshotId } from './volume-views.js';

export function checkSnapshotId(id: string): void {
  if (!isSnapshotId(id)) throw new Ec2Error('InvalidSnapshot.Malformed', id);
}

/** The caller's snapshots with these ids, as of now; every id must exist. */
export async function findSnapshots(ctx: ActionContext, ids: readonly string[]): Promise<SnapshotRecord[]> {
  ids.forEach(checkSnapshotId);
  const found = new Map((await ctx.store.snapshots.list(ctx.scope, ids)).map((s) => [s.snapshotId, settledSnapshot(s, ctx.now())]));
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) throw new Ec2Error('InvalidSnapshot.NotFound', missing);
  return [...new Set(ids)].map((id) => found.get(id)!);
}

export function snapshotItem(s: SnapshotRecord): ActionOutput {
  return {
    snapshotId: s.snapshotId,
    volumeId: s.volumeId,
    status: s.state,
    startTime: s.startTime,
    progress: s.state === 'completed' ? '100%' : '',
    ownerId: s.ownerId,
    volumeSize: s.volumeSize,
    description: s.description,
    encrypted: false,
    tagSet: s.tags.length ? tagSet(s.tags) : undefined,
    storageTier: 'standard',
  };
}
