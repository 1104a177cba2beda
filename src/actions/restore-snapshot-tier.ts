// RestoreSnapshotTier: brings an archived snapshot back, for TemporaryRestoreDays (then it is
// archived again) or for good (PermanentRestore: standard tier). Also changes the period or type
// of a temporary restore, as AWS allows. The restore takes the storage delay (AWS: hours).
import { tierState } from '../compute/snapshot-tier.js';
import { Ec2Error } from '../errors/ec2-error.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { findSnapshots } from './snapshot-views.js';

const DAY_MS = 86_400_000;

export default defineAction(
  'RestoreSnapshotTier',
  {
    snapshotId: fields.string('SnapshotId', { required: true }),
    temporaryRestoreDays: fields.integer('TemporaryRestoreDays'),
    permanentRestore: fields.boolean('PermanentRestore'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    const days = input.temporaryRestoreDays;
    // The API reference: permanent → omit TemporaryRestoreDays; temporary → days required. Wording unconfirmed.
    if (input.permanentRestore && days !== undefined) throw new Ec2Error('InvalidParameterCombination', 'TemporaryRestoreDays cannot be specified with PermanentRestore');
    if (!input.permanentRestore && days === undefined) throw new Ec2Error('MissingParameter', 'TemporaryRestoreDays');
    // EBS user guide: a temporary restore lasts 1 to 180 days. Wording unconfirmed.
    if (days !== undefined && (days < 1 || days > 180)) throw new Ec2Error('InvalidParameterValue', `Value (${days}) for parameter TemporaryRestoreDays is invalid. Expected a value between 1 and 180.`);
    checkDryRun(input.dryRun);
    const [snap] = await findSnapshots(ctx, [input.snapshotId]);
    const now = ctx.now();
    const tier = tierState(snap!, now);
    const wasTemporary = snap!.tiering?.operation === 'temporary-restore' && tier.restored;
    // Code and wording unconfirmed against AWS.
    if (tier.operationStatus?.endsWith('-in-progress')) throw new Ec2Error('IncorrectState', `Snapshot '${snap!.snapshotId}' has a tiering operation in progress.`);
    if (tier.storageTier !== 'archive' && !wasTemporary) throw new Ec2Error('IncorrectState', `Snapshot '${snap!.snapshotId}' is not archived.`);
    // Changing a live temporary restore takes effect at once; a restore from the archive takes the delay.
    const completesAt = wasTemporary ? now : new Date(now.getTime() + ctx.runtime.storageDelayMs);
    const tiering = input.permanentRestore
      ? { operation: 'permanent-restore' as const, startTime: now, completesAt }
      : { operation: 'temporary-restore' as const, startTime: now, completesAt, restoreDays: days, restoreExpiryTime: new Date(completesAt.getTime() + days! * DAY_MS) };
    await ctx.store.snapshots.update(ctx.scope, snap!.snapshotId, (r) => ({
      ...r,
      tiering: { ...tiering, ...(tier.archivalCompleteTime ? { archivalCompleteTime: tier.archivalCompleteTime } : {}) },
    }));
    return {
      snapshotId: snap!.snapshotId,
      restoreStartTime: now,
      restoreDuration: input.permanentRestore ? undefined : days,
      isPermanentRestore: input.permanentRestore ?? false,
    };
  },
);
