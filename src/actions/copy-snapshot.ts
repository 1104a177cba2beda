// CopySnapshot: a new snapshot in the caller's Region (the destination) with the source's contents,
// from its own Region or another (SourceRegion), or from a snapshot another account shared with it.
// Encryption follows compute/ebs-encryption.ts: an encrypted source stays encrypted (a copy to
// another Region takes the destination's default key unless KmsKeyId names one); Encrypted or
// encryption by default encrypts a copy of an unencrypted one. The SDKs add PresignedUrl and
// DestinationRegion by themselves; the copy is authorised by the caller's own request here.
import { Ec2Error } from '../errors/ec2-error.js';
import { checkKeyNeedsEncryption, isKmsKeyIdForm, resolveVolumeEncryption } from '../compute/ebs-encryption.js';
import { settledSnapshot } from '../compute/volume-state.js';
import type { SnapshotRecord } from '../store/port.js';
import { checkDryRun, defineAction } from './action.js';
import { ebsDefaults } from './ebs-defaults.js';
import { fields } from './input.js';
import { checkSnapshotId, restorableBy } from './snapshot-views.js';
import { tagsFor } from './tag-specifications.js';
import { tagSet } from '../domain/tags.js';

export default defineAction(
  'CopySnapshot',
  {
    sourceSnapshotId: fields.string('SourceSnapshotId', { required: true }),
    sourceRegion: fields.string('SourceRegion', { required: true }),
    description: fields.string('Description'),
    destinationRegion: fields.string('DestinationRegion'),
    encrypted: fields.boolean('Encrypted'),
    kmsKeyId: fields.string('KmsKeyId'),
    presignedUrl: fields.string('PresignedUrl'),
    completionDurationMinutes: fields.integer('CompletionDurationMinutes'),
    tagSpecifications: fields.tagSpecifications(),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkSnapshotId(input.sourceSnapshotId);
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(input.sourceRegion)) throw new Ec2Error('InvalidParameterValue', `Invalid region: ${input.sourceRegion}`);
    // The copy is made where the request is sent; a DestinationRegion naming another is a mistake.
    if (input.destinationRegion !== undefined && input.destinationRegion !== ctx.scope.region) {
      throw new Ec2Error('InvalidParameterValue', `Invalid value '${input.destinationRegion}' for destinationRegion. It must be the Region the request is sent to (${ctx.scope.region}).`);
    }
    if (input.completionDurationMinutes !== undefined && (input.completionDurationMinutes < 15 || input.completionDurationMinutes > 2880 || input.completionDurationMinutes % 15)) {
      // API reference: 15 to 2880 minutes, in increments of 15
      throw new Ec2Error('InvalidParameterValue', `Invalid value '${input.completionDurationMinutes}' for CompletionDurationMinutes.`);
    }
    checkKeyNeedsEncryption(input);
    const tags = tagsFor(input.tagSpecifications, ['snapshot'], 'snapshot');
    checkDryRun(input.dryRun);
    const stored = await ctx.store.snapshots.find(input.sourceRegion, input.sourceSnapshotId);
    if (!stored || !restorableBy(stored, ctx.scope.accountId)) throw new Ec2Error('InvalidSnapshot.NotFound', input.sourceSnapshotId);
    const source = settledSnapshot(stored, ctx.now());
    if (source.state !== 'completed') {
      // observed wording of EC2's IncorrectState texts elsewhere ("… is in the 'x' state."); unconfirmed here
      throw new Ec2Error('IncorrectState', `Snapshot '${source.snapshotId}' is not in the 'completed' state.`);
    }
    const sameRegion = input.sourceRegion === ctx.scope.region && source.ownerId === ctx.scope.accountId;
    const encryption = resolveVolumeEncryption(
      ctx.scope,
      input,
      { encrypted: source.encrypted, kmsKeyId: sameRegion ? source.kmsKeyId : undefined },
      await ebsDefaults(ctx),
    );
    const now = ctx.now();
    const snap: SnapshotRecord = {
      snapshotId: ctx.ids.next('snap'),
      // AWS shows a copy's volume as vol-ffffffff (its volume is in another place or gone)
      volumeId: 'vol-ffffffff',
      volumeSize: source.volumeSize,
      // the console's default description of a copy; unconfirmed through the API
      description: input.description ?? `[Copied ${source.snapshotId} from ${input.sourceRegion}]`,
      state: 'pending',
      startTime: now,
      settlesAt: new Date(now.getTime() + ctx.runtime.storageDelayMs),
      ownerId: ctx.scope.accountId,
      tags,
      ...(encryption.encrypted ? encryption : {}),
      sourceSnapshotId: source.snapshotId,
      sourceRegion: input.sourceRegion,
      ...(input.completionDurationMinutes !== undefined ? { completionDurationMinutes: input.completionDurationMinutes } : {}),
      // A KmsKeyId naming no key is accepted and the copy then fails (the CopySnapshot reference:
      // "the action can appear to complete, but eventually fails"); StateMessage wording unconfirmed.
      ...(input.kmsKeyId !== undefined && !isKmsKeyIdForm(input.kmsKeyId)
        ? { keyUnusable: true, stateMessage: `The KMS key ${input.kmsKeyId} could not be used to encrypt the snapshot copy.` }
        : {}),
    };
    await ctx.runtime.volumes.copySnapshot(source.snapshotId, snap.snapshotId);
    await ctx.store.snapshots.insert(ctx.scope, [snap]);
    return { tagSet: tags.length ? tagSet(tags) : undefined, snapshotId: snap.snapshotId };
  },
);
