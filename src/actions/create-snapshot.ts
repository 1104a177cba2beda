// CreateSnapshot: freezes a volume's contents now (a running guest's unsaved changes are flushed
// first). Stores no copy: the snapshot shares the volume's layers. `pending` → `completed`.
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { snapshotItem } from './snapshot-views.js';
import { tagsFor } from './tag-specifications.js';
import { checkVolumeId, findVolume } from './volume-views.js';
import type { SnapshotRecord } from '../store/port.js';

export default defineAction(
  'CreateSnapshot',
  {
    volumeId: fields.string('VolumeId', { required: true }),
    description: fields.string('Description'),
    outpostArn: fields.string('OutpostArn'),
    location: fields.string('Location'),
    tagSpecifications: fields.tagSpecifications(),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkVolumeId(input.volumeId);
    const tags = tagsFor(input.tagSpecifications, ['snapshot'], 'snapshot');
    checkDryRun(input.dryRun);
    const volume = await findVolume(ctx, input.volumeId);
    const now = ctx.now();
    const snap: SnapshotRecord = {
      snapshotId: ctx.ids.next('snap'),
      volumeId: volume.volumeId,
      volumeSize: volume.size,
      description: input.description ?? '',
      state: 'pending',
      startTime: now,
      settlesAt: new Date(now.getTime() + ctx.runtime.storageDelayMs),
      ownerId: ctx.scope.accountId,
      tags,
      // A snapshot of an encrypted volume is encrypted with the volume's key.
      ...(volume.encrypted ? { encrypted: true, kmsKeyId: volume.kmsKeyId } : {}),
    };
    if (volume.attachment) await ctx.runtime.flush(volume.attachment.instanceId);
    await ctx.runtime.volumes.snapshot(volume.volumeId, snap.snapshotId);
    await ctx.store.snapshots.insert(ctx.scope, [snap]);
    return snapshotItem(snap, now);
  },
);
