// The store port: what actions need from persistence, independent of the engine. Every method is
// atomic; uniqueness and limits are enforced inside the engine's transaction, never by the
// caller checking first.
import type { Tag } from '../domain/tags.js';

/** Every stored object belongs to one account and one region. */
export interface Scope {
  readonly accountId: string;
  readonly region: string;
}

export type KeyType = 'rsa' | 'ed25519';

export interface KeyPairRecord {
  keyPairId: string;
  keyName: string;
  keyType: KeyType;
  fingerprint: string;
  /** `<type> <base64> <key name>`: what DescribeKeyPairs returns and instances receive. */
  publicKey: string;
  createTime: Date;
  tags: Tag[];
}

export class DuplicateKeyNameError extends Error {}
export class KeyPairLimitError extends Error {}
export class TagLimitError extends Error {}

/**
 * The engine could not be reached or lost the connection (a networked engine only). `applied` says
 * what the caller may assume: `'no'` when nothing reached the database (safe to retry), `'unknown'`
 * when a write was cut off mid-flight and may or may not have committed.
 */
export class StoreUnavailableError extends Error {
  constructor(
    message: string,
    readonly applied: 'no' | 'unknown',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

export interface KeyPairRepository {
  /** Inserts the key pair and its tags; throws DuplicateKeyNameError or KeyPairLimitError. */
  insert(scope: Scope, record: KeyPairRecord, limit: number): Promise<void>;
  /**
   * Key pairs of the scope in creation order, with their tags: all of them, or only those whose
   * name is in `select.names` or whose id is in `select.ids`. With `publicKey: false` the public
   * keys are not read (`publicKey` is '' in the records): a 5,000-key describe without
   * IncludePublicKey then holds none of their ~2–4 MB.
   */
  list(scope: Scope, select?: { names?: readonly string[]; ids?: readonly string[] }, opts?: { publicKey?: boolean }): Promise<KeyPairRecord[]>;
  /**
   * The scope's key pairs in creation order, at most `limit` of them, created after the page that
   * ended at `after` (a page's `next`; none for the first page), with their tags. `next` is set
   * when more may follow. A whole-scope DescribeKeyPairs reads page by page while it writes the
   * answer, so it holds one page of records, never 5,000.
   */
  page(scope: Scope, opts: { after?: number; limit: number; publicKey: boolean }): Promise<{ records: KeyPairRecord[]; next?: number }>;
  deleteByName(scope: Scope, keyName: string): Promise<KeyPairRecord | undefined>;
  deleteById(scope: Scope, keyPairId: string): Promise<KeyPairRecord | undefined>;
  exists(scope: Scope, keyPairId: string): Promise<boolean>;
}

export interface TagRecord {
  resourceId: string;
  resourceType: string;
  key: string;
  value: string;
}

export interface TagRepository {
  /** Adds or overwrites tags on each resource; throws TagLimitError when a resource would exceed `maxPerResource`. */
  put(scope: Scope, resources: readonly { id: string; type: string }[], tags: readonly Tag[], maxPerResource: number): Promise<void>;
  /** Removes tags by key, or by key and value when a value is given (`undefined` value = any value). */
  remove(scope: Scope, resourceIds: readonly string[], tags: readonly { key: string; value?: string }[]): Promise<void>;
  /** Every tag of the scope, ordered by resource then insertion. */
  list(scope: Scope): Promise<TagRecord[]>;
}

export type InstanceStateName = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

export interface InstanceMetadataOptionsRecord {
  httpTokens: 'optional' | 'required';
  httpEndpoint: 'enabled' | 'disabled';
  httpPutResponseHopLimit: number;
  instanceMetadataTags: 'enabled' | 'disabled';
  httpProtocolIpv6: 'enabled' | 'disabled';
}

export interface InstanceRecord {
  instanceId: string;
  reservationId: string;
  imageId: string;
  instanceType: string;
  /** The key pair named at launch; kept after the pair is deleted, as on AWS. */
  keyName?: string;
  /** The public key given at launch: what the metadata service serves, never updated. */
  launchKey?: { name: string; publicKey: string };
  state: InstanceStateName;
  stateTransitionReason: string;
  launchTime: Date;
  availabilityZone: string;
  privateIp: string;
  /** A loopback address of the host (127.x.y.z) where the instance's SSH endpoint listens. */
  publicIp: string;
  /** The port of the SSH endpoint while running (22 where it can be bound). */
  sshPort?: number;
  rootDeviceName: string;
  rootDeviceType: 'ebs' | 'instance-store';
  rootVolumeId: string;
  amiLaunchIndex: number;
  clientToken?: string;
  metadataOptions: InstanceMetadataOptionsRecord;
  /** Hex ed25519 seed of the instance's SSH host key: its identity across restarts. */
  hostKeySeed: string;
  /** Image template the root filesystem came from (default user, shell, platform). */
  imageTemplate: string;
  /** ModifyInstanceAttribute / RunInstances attributes; absent = AWS's default. */
  disableApiTermination?: boolean;
  instanceInitiatedShutdownBehavior?: 'stop' | 'terminate';
  sourceDestCheck?: boolean;
  /** Where the root volume's first contents come from: a snapshot id or `image:<template>`. */
  rootSource?: string;
  tags: Tag[];
}

export interface VolumeAttachmentRecord {
  instanceId: string;
  device: string;
  state: 'attaching' | 'attached' | 'detaching' | 'detached';
  attachTime: Date;
  deleteOnTermination: boolean;
}

export interface VolumeRecord {
  volumeId: string;
  size: number;
  /** The snapshot the volume was created from (CreateVolume SnapshotId, an image's root). */
  snapshotId?: string;
  availabilityZone: string;
  volumeType: string;
  /** Provisioned IOPS and throughput when asked for (io1/io2/gp3). */
  iops?: number;
  throughput?: number;
  createTime: Date;
  state: 'creating' | 'available' | 'in-use' | 'deleting' | 'deleted';
  attachment?: VolumeAttachmentRecord;
  /** When a transitional state (creating, attaching, detaching) ends: see compute/volume-state.ts. */
  settlesAt?: Date;
  tags: Tag[];
}

export interface InstanceRepository {
  /**
   * Inserts instances with their root volumes, and their user data (base64 of the decoded bytes,
   * by instance id), in one transaction.
   */
  insert(scope: Scope, instances: readonly InstanceRecord[], volumes: readonly VolumeRecord[], userData?: ReadonlyMap<string, string>): Promise<void>;
  /**
   * User data lives beside the instance document, not in it: up to 21 KB of base64 that
   * DescribeInstances and every state change would otherwise read and rewrite.
   */
  userData(scope: Scope, instanceId: string): Promise<string | undefined>;
  /** Replaces the user data (undefined clears it) only while the instance is in `state`; false otherwise. */
  setUserData(scope: Scope, instanceId: string, userData: string | undefined, state: InstanceStateName): Promise<boolean>;
  /** Instances of the scope in launch order (all, or those with the given ids), with tags. */
  list(scope: Scope, ids?: readonly string[]): Promise<InstanceRecord[]>;
  /**
   * Instances of the scope matching every condition of `query`, in launch order, each with its
   * position in that order (what a page's NextToken resumes after). Applied by the database, so
   * a filtered or paged DescribeInstances reads only what it answers.
   */
  query(scope: Scope, query: InstanceQuery): Promise<{ instance: InstanceRecord; position: number }[]>;
  /** Applies `change` to the stored record atomically and returns the new one (undefined if absent). */
  update(scope: Scope, instanceId: string, change: (r: InstanceRecord) => InstanceRecord): Promise<InstanceRecord | undefined>;
  /** Every instance not yet terminated, in every account and region: what a restarted server resumes. */
  listLive(): Promise<{ scope: Scope; instance: InstanceRecord }[]>;
  exists(scope: Scope, instanceId: string): Promise<boolean>;
}

/** What the store can filter instances on itself: these DescribeInstances filters, with literal values. */
export const INSTANCE_QUERY_FIELDS = ['instance-id', 'instance-state-name', 'key-name', 'image-id', 'availability-zone', 'instance-type', 'reservation-id'] as const;
export type InstanceQueryField = (typeof INSTANCE_QUERY_FIELDS)[number];

/** Conditions ANDed; the values of one condition ORed and compared exactly (no wildcards). */
export interface InstanceQuery {
  fields?: readonly { field: InstanceQueryField; values: readonly string[] }[];
  /** `tag:<key>` filters: a tag of that key with one of the values. */
  tags?: readonly { key: string; values: readonly string[] }[];
  /** `tag-key` filters: a tag with one of these keys. */
  tagKeys?: readonly (readonly string[])[];
  /** Only instances after this position (see InstanceRepository.query). */
  after?: number;
  /** At most this many. */
  limit?: number;
}

export interface VolumeRepository {
  /** Inserts a volume (CreateVolume) with its tags. */
  insert(scope: Scope, volume: VolumeRecord): Promise<void>;
  list(scope: Scope, ids?: readonly string[]): Promise<VolumeRecord[]>;
  /** Volumes whose stored attachment names one of these instances, in creation order. */
  attachedTo(scope: Scope, instanceIds: readonly string[]): Promise<VolumeRecord[]>;
  update(scope: Scope, volumeId: string, change: (r: VolumeRecord) => VolumeRecord): Promise<VolumeRecord | undefined>;
  exists(scope: Scope, volumeId: string): Promise<boolean>;
  /** Removes a volume record (DeleteVolume) and its tags. */
  remove(scope: Scope, volumeId: string): Promise<void>;
}

/**
 * Where volume and snapshot contents live today: one opaque document per volume or snapshot id,
 * optionally layered on a `base` (another id, or an image template) so that a volume made from
 * a snapshot stores only its changes. The guest layer owns the document format.
 */
export interface BlockDataRecord {
  base?: string;
  data: unknown;
  /** Deleted through the API but kept because other layers are built on it (goes with the last). */
  released?: boolean;
}

export interface BlockDataRepository {
  load(id: string): Promise<BlockDataRecord | undefined>;
  save(id: string, record: BlockDataRecord): Promise<void>;
  remove(id: string): Promise<void>;
  /** Marks a document deleted through the API while layers built on it still need it. */
  release(id: string): Promise<void>;
  /** Whether any stored document is layered on `id` (its bytes must stay). */
  hasDependents(id: string): Promise<boolean>;
  /** Bytes of the stored document (bench and docs figures). */
  size(id: string): Promise<number>;
}

export interface SnapshotRecord {
  snapshotId: string;
  volumeId: string;
  volumeSize: number;
  description: string;
  state: 'pending' | 'completed' | 'error';
  startTime: Date;
  /** When `pending` ends (compute/volume-state.ts). */
  settlesAt?: Date;
  /** The account that owns it (a shared image's snapshots stay their owner's). */
  ownerId: string;
  tags: Tag[];
}

export interface SnapshotRepository {
  insert(scope: Scope, snapshots: readonly SnapshotRecord[]): Promise<void>;
  list(scope: Scope, ids?: readonly string[]): Promise<SnapshotRecord[]>;
  update(scope: Scope, snapshotId: string, change: (r: SnapshotRecord) => SnapshotRecord): Promise<SnapshotRecord | undefined>;
  remove(scope: Scope, snapshotId: string): Promise<void>;
}

export interface ImageBlockDeviceMapping {
  deviceName: string;
  snapshotId: string;
  volumeSize: number;
  volumeType: string;
  deleteOnTermination: boolean;
}

export interface LaunchPermission {
  userId?: string;
  group?: 'all';
}

export interface ImageRecord {
  imageId: string;
  ownerId: string;
  name: string;
  description: string;
  state: 'pending' | 'available' | 'failed';
  creationDate: Date;
  /** When `pending` ends (compute/volume-state.ts). */
  settlesAt?: Date;
  rootDeviceName: string;
  /** The built-in image whose OS this image carries (default user, prompt, platform). */
  template: string;
  blockDeviceMappings: ImageBlockDeviceMapping[];
  launchPermissions: LaunchPermission[];
  /** CopyImage: where it was copied from. */
  sourceImageId?: string;
  sourceRegion?: string;
  tags: Tag[];
}

export class DuplicateImageNameError extends Error {}
/** Another volume is already attached to the instance at that device (a unique index in the engine). */
export class AttachmentConflictError extends Error {}

export interface ImageRepository {
  /** Inserts an image; throws DuplicateImageNameError when the account has one of that name in the region. */
  insert(scope: Scope, image: ImageRecord): Promise<void>;
  /** Images of the region that the account owns or may launch (explicitly or public), in creation order. */
  listVisible(scope: Scope): Promise<ImageRecord[]>;
  /** An image of the region by id, whoever owns it. */
  find(region: string, imageId: string): Promise<ImageRecord | undefined>;
  update(scope: Scope, imageId: string, change: (r: ImageRecord) => ImageRecord): Promise<ImageRecord | undefined>;
  remove(scope: Scope, imageId: string): Promise<void>;
}

/**
 * Kinds of JSON documents kept by name per account and region: launch templates (EC2), and the
 * Auto Scaling service's launch configurations, groups and scaling activities.
 */
export type DocumentKind = 'launch-template' | 'launch-configuration' | 'auto-scaling-group' | 'scaling-activity';

/** A document with this kind and name already exists in the scope (a UNIQUE constraint said so). */
export class DuplicateDocumentError extends Error {}

export interface StoredDocument<T> {
  name: string;
  /** What the document belongs to (a scaling activity: its group's name). */
  parent?: string;
  data: T;
}

/** Named JSON documents (plain JSON values: dates as ISO strings). Every method is atomic. */
export interface DocumentRepository {
  /** Throws DuplicateDocumentError when (scope, kind, name) exists. */
  insert<T>(scope: Scope, kind: DocumentKind, doc: StoredDocument<T>): Promise<void>;
  get<T>(scope: Scope, kind: DocumentKind, name: string): Promise<T | undefined>;
  /** In creation order: all of the kind, or those with one of `names`, or those of `parent`. */
  list<T>(scope: Scope, kind: DocumentKind, select?: { names?: readonly string[]; parent?: string }): Promise<T[]>;
  /** Every document of the kind in every account and region (what a background worker walks). */
  listAll<T>(kind: DocumentKind): Promise<{ scope: Scope; data: T }[]>;
  /**
   * Reads the document locked against concurrent writers, applies `change`, writes the result
   * back (or deletes it when `change` returns null); returns the new value. undefined = absent.
   */
  update<T>(scope: Scope, kind: DocumentKind, name: string, change: (current: T) => T | null): Promise<T | null | undefined>;
  delete(scope: Scope, kind: DocumentKind, name: string): Promise<boolean>;
}

/**
 * Named leases with an expiry, shared by every node on the database: who does a piece of
 * background work. A holder that stops renewing loses the lease once it expires.
 */
export interface LeaseRepository {
  /**
   * Takes or renews `name` for `owner` for `ttlMs` unless another owner holds it unexpired; true when
   * held. `info` (what the holder publishes, e.g. an instance's SSH endpoint) replaces the stored one when given.
   */
  acquire(name: string, owner: string, ttlMs: number, info?: string): Promise<boolean>;
  release(name: string, owner: string): Promise<void>;
  /**
   * Renews, in one statement, every lease of `owner` whose name starts with `prefix` (expired ones
   * too: nobody took them); returns them, each with the node that asked for it (`want`), if any.
   */
  renewAll(owner: string, prefix: string, ttlMs: number): Promise<{ name: string; wantedBy?: string }[]>;
  /** The holder of an unexpired lease and what it published. */
  holder(name: string): Promise<{ owner: string; info?: string } | undefined>;
  /** Expired leases whose name starts with `prefix` (their holders died), with what they published. */
  expired(prefix: string): Promise<{ name: string; info?: string }[]>;
  /** Asks the holder of `name` to hand it over to `by` (see `handOver`). */
  want(name: string, by: string): Promise<void>;
  /** The holder `from` gives the lease to the node that wanted it, for `ttlMs`; false when nobody asked. */
  handOver(name: string, from: string, ttlMs: number): Promise<boolean>;
}

export interface Store {
  readonly engine: 'sqlite' | 'postgres';
  readonly documents: DocumentRepository;
  readonly leases: LeaseRepository;
  readonly keyPairs: KeyPairRepository;
  readonly tags: TagRepository;
  readonly instances: InstanceRepository;
  readonly volumes: VolumeRepository;
  readonly blockData: BlockDataRepository;
  readonly snapshots: SnapshotRepository;
  readonly images: ImageRepository;
  /** Next value of a named counter shared by every node (used for addresses). */
  nextSequence(name: string): Promise<number>;
  close(): Promise<void>;
}
