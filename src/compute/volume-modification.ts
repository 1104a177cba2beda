// ModifyVolume's modifications as of now: `modifying` for one storage delay, then `optimizing`
// (the new size is usable; AWS: "as soon as the volume is in the optimizing state") for another,
// then `completed`. Like every settling state here, derived from stored times when read.
import type { VolumeModificationRecord } from '../store/port.js';

export type ModificationState = 'modifying' | 'optimizing' | 'completed';

export function modificationState(m: VolumeModificationRecord, now: Date): ModificationState {
  if (now.getTime() >= m.completedAt.getTime()) return 'completed';
  return now.getTime() >= m.optimizingAt.getTime() ? 'optimizing' : 'modifying';
}

/** Progress in percent, as AWS reports it (0 while modifying, growing while optimizing). */
export function modificationProgress(m: VolumeModificationRecord, now: Date): number {
  const state = modificationState(m, now);
  if (state === 'completed') return 100;
  if (state === 'modifying') return 0;
  const span = m.completedAt.getTime() - m.optimizingAt.getTime();
  return Math.min(99, Math.floor(((now.getTime() - m.optimizingAt.getTime()) / Math.max(1, span)) * 100));
}
