// The EBS actions added with issue 23 (encryption by default, …), listed here so that
// registry.ts gains one line.
import type { Action } from './action.js';
import copySnapshot from './copy-snapshot.js';
import createSnapshots from './create-snapshots.js';
import describeVolumesModifications from './describe-volumes-modifications.js';
import modifyVolume from './modify-volume.js';
import describeSnapshotAttribute from './describe-snapshot-attribute.js';
import modifySnapshotAttribute from './modify-snapshot-attribute.js';
import resetSnapshotAttribute from './reset-snapshot-attribute.js';
import disableEbsEncryptionByDefault from './disable-ebs-encryption-by-default.js';
import enableEbsEncryptionByDefault from './enable-ebs-encryption-by-default.js';
import getEbsDefaultKmsKeyId from './get-ebs-default-kms-key-id.js';
import getEbsEncryptionByDefault from './get-ebs-encryption-by-default.js';
import modifyEbsDefaultKmsKeyId from './modify-ebs-default-kms-key-id.js';
import resetEbsDefaultKmsKeyId from './reset-ebs-default-kms-key-id.js';
import modifySnapshotTier from './modify-snapshot-tier.js';
import restoreSnapshotTier from './restore-snapshot-tier.js';
import describeSnapshotTierStatus from './describe-snapshot-tier-status.js';

export const ebsActions: Action<any>[] = [
  getEbsEncryptionByDefault,
  enableEbsEncryptionByDefault,
  disableEbsEncryptionByDefault,
  getEbsDefaultKmsKeyId,
  modifyEbsDefaultKmsKeyId,
  resetEbsDefaultKmsKeyId,
  describeSnapshotAttribute,
  modifySnapshotAttribute,
  resetSnapshotAttribute,
  copySnapshot,
  createSnapshots,
  modifyVolume,
  describeVolumesModifications,
  modifySnapshotTier,
  restoreSnapshotTier,
  describeSnapshotTierStatus,
];
