// A snapshot's storage tier as of a time, derived from its last tiering operation (archive or
// restore), so that nothing has to run when an operation completes or a temporary restore expires.
import type { SnapshotRecord } from '../store/port.js';

export type StorageTier = 'standard' | 'archive';

export interface TierState {
  storageTier: StorageTier;
  /** TieringOperationStatus, e.g. `archival-in-progress`; absent when never tiered. */
  operationStatus?: string;
  /** Percent done of the last operation. */
  progress?: number;
  archivalCompleteTime?: Date;
  /** Only while a temporary restore lasts. */
  restoreExpiryTime?: Date;
  /** A temporary restore is complete and has not expired: volumes may be created from it. */
  restored: boolean;
}

export function tierState(s: SnapshotRecord, now: Date): TierState {
  const t = s.tiering;
  if (!t) return { storageTier: 'standard', restored: false };
  const span = t.completesAt.getTime() - t.startTime.getTime();
  const done = now.getTime() >= t.completesAt.getTime();
  const progress = done ? 100 : span <= 0 ? 0 : Math.floor(((now.getTime() - t.startTime.getTime()) * 100) / span);
  const status = `${t.operation}-${done ? 'completed' : 'in-progress'}`;
  const base = { operationStatus: status, progress, ...(t.archivalCompleteTime ? { archivalCompleteTime: t.archivalCompleteTime } : {}) };
  switch (t.operation) {
    case 'archival':
      return { ...base, storageTier: done ? 'archive' : 'standard', restored: false, ...(done ? { archivalCompleteTime: t.completesAt } : {}) };
    case 'permanent-restore':
      return { ...base, storageTier: done ? 'standard' : 'archive', restored: false };
    case 'temporary-restore': {
      const live = done && t.restoreExpiryTime !== undefined && now.getTime() < t.restoreExpiryTime.getTime();
      // AWS lists a temporarily restored snapshot in the standard tier with its expiry; after it, archive again.
      return { ...base, storageTier: live ? 'standard' : 'archive', restored: live, ...(live ? { restoreExpiryTime: t.restoreExpiryTime } : {}) };
    }
  }
}
