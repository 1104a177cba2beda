// The one rule for a new EBS volume's (or snapshot copy's) encryption, shared by CreateVolume,
// CopySnapshot, CopyImage and RunInstances' block device mappings. AWS's encryption rules (EBS
// User Guide, "Encryption rules"): encryption is only ever added, never removed — a volume made
// from an encrypted snapshot is encrypted; account-level encryption by default encrypts every new
// volume; a key is used only with encryption (`KmsKeyId` without `Encrypted` is refused).
// There is no KMS here: key ids are kept as ARNs, the AWS managed key `alias/aws/ebs` stands for a
// fixed per-account-and-region key id.
import { createHash } from 'node:crypto';
import { Ec2Error } from '../errors/ec2-error.js';

export interface Scope { accountId: string; region: string }

/** Account-level settings per Region (Enable/DisableEbsEncryptionByDefault, Modify/ResetEbsDefaultKmsKeyId). */
export interface EbsEncryptionDefaults {
  enabled: boolean;
  /** A customer managed key set with ModifyEbsDefaultKmsKeyId (an ARN); absent = the AWS managed key. */
  kmsKeyId?: string;
}

export interface Encryption { encrypted: boolean; kmsKeyId?: string }

/**
 * What GetEbsDefaultKmsKeyId answers while no customer key is set: the bare alias (the AWS CLI's
 * own example: `"KmsKeyId": "alias/aws/ebs"`); Reset answers the managed key's ARN instead.
 */
export const AWS_MANAGED_ALIAS = 'alias/aws/ebs';

/** The managed key's alias as an ARN (accepted wherever a key id is). */
export const awsManagedAliasArn = (s: Scope): string => `arn:aws:kms:${s.region}:${s.accountId}:alias/aws/ebs`;

/** A stable key id for a name (there is no KMS here to look aliases up). */
function keyUuid(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The AWS managed key behind `alias/aws/ebs` (a volume shows the key's ARN, not the alias): one stable id per account and Region. */
export function awsManagedKeyArn(s: Scope): string {
  return `arn:aws:kms:${s.region}:${s.accountId}:key/${keyUuid(`aws/ebs:${s.accountId}:${s.region}`)}`;
}

/**
 * A key id resolved to its key ARN, as ModifyEbsDefaultKmsKeyId answers (the CLI's example turns
 * `alias/my-cmk` into `arn:aws:kms:…:key/…`): key ids and key ARNs name their key; an alias stands
 * for a stable key of its own, as there is no KMS to look it up in.
 */
export function resolvedKeyArn(s: Scope, id: string): string {
  const stored = storedKmsKeyId(s, id);
  if (stored.includes(':key/')) return stored;
  if (UUID.test(stored)) return `arn:aws:kms:${s.region}:${s.accountId}:key/${stored}`;
  const alias = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(alias\/.+)$/.exec(stored);
  const [region, account, name] = alias ? [alias[1]!, alias[2]!, alias[3]!] : [s.region, s.accountId, stored];
  return `arn:aws:kms:${region}:${account}:key/${keyUuid(`${account}:${region}:${name}`)}`;
}

const UUID = /^(?:mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(?:key\/.+|alias\/.+)$/;

/**
 * A KMS key identifier as AWS accepts it (key id, alias, key ARN, alias ARN). AWS echoes the id as
 * given (aws/aws-cli#2604 shows `"KmsKeyId": "1756142a-…"` in CreateVolume's answer); only the
 * AWS managed alias is turned into its key's ARN, as a volume encrypted by default shows.
 */
export function storedKmsKeyId(s: Scope, id: string): string {
  return id === 'alias/aws/ebs' || id === awsManagedAliasArn(s) ? awsManagedKeyArn(s) : id;
}

/**
 * Whether an id can name a KMS key at all. AWS checks the key after answering: a volume with a
 * key that does not exist is accepted (`creating`) and then vanishes (aws/aws-cli#2604,
 * aws/aws-sdk-ruby#1222: DescribeVolumes answers InvalidVolume.NotFound). Without KMS, ec2lite
 * does that for ids of no key form at all.
 */
export const isKmsKeyIdForm = (id: string): boolean => UUID.test(id) || /^alias\/[a-zA-Z0-9/_-]+$/.test(id) || ARN.test(id);

/** The key encryption by default uses now: the customer key set, or the AWS managed key. */
export const defaultKeyArn = (s: Scope, d: EbsEncryptionDefaults): string => d.kmsKeyId ?? awsManagedKeyArn(s);

/** A key is named only with `Encrypted=true`; validation, so callers run it before DryRun. */
export function checkKeyNeedsEncryption(asked: { encrypted?: boolean; kmsKeyId?: string }): void {
  if (asked.kmsKeyId !== undefined && asked.encrypted !== true) {
    // observed: "InvalidParameterDependency: The parameter KmsKeyId requires the parameter
    // Encrypted to be set." (keithvassallomt/parsec-aws-automation#12, RunInstances)
    throw new Ec2Error('InvalidParameterDependency', 'KmsKeyId', 'Encrypted');
  }
}

/**
 * A new volume's encryption from what the request asked (`encrypted`, `kmsKeyId`), where its data
 * comes from (`source`: the snapshot, if any) and the account's defaults. Throws AWS's error for a
 * key without `Encrypted`.
 */
export function resolveVolumeEncryption(
  s: Scope,
  asked: { encrypted?: boolean; kmsKeyId?: string },
  source: { encrypted?: boolean; kmsKeyId?: string } | undefined,
  defaults: EbsEncryptionDefaults,
): Encryption {
  checkKeyNeedsEncryption(asked);
  const explicitKey = asked.kmsKeyId !== undefined ? storedKmsKeyId(s, asked.kmsKeyId) : undefined;
  if (source?.encrypted) return { encrypted: true, kmsKeyId: explicitKey ?? source.kmsKeyId ?? defaultKeyArn(s, defaults) };
  if (asked.encrypted || defaults.enabled) return { encrypted: true, kmsKeyId: explicitKey ?? defaultKeyArn(s, defaults) };
  return { encrypted: false };
}
