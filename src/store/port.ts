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
  page(scope: Scope, opts: { after?: number; limit: number; publicKey: boolean; where?: KeyPairQuery }): Promise<{ records: KeyPairRecord[]; next?: number }>;
  deleteByName(scope: Scope, keyName: string): Promise<KeyPairRecord | undefined>;
  deleteById(scope: Scope, keyPairId: string): Promise<KeyPairRecord | undefined>;
  exists(scope: Scope, keyPairId: string): Promise<boolean>;
}

/** What the store can filter key pairs on itself: these DescribeKeyPairs filters, with literal values. */
export const KEY_PAIR_QUERY_FIELDS = ['key-pair-id', 'key-name', 'fingerprint', 'key-type'] as const;
export type KeyPairQueryField = (typeof KEY_PAIR_QUERY_FIELDS)[number];

/**
 * Conditions ANDed; the values of one condition ORed and compared exactly (no wildcards): answered
 * through indexes (names, ids, fingerprints, tag keys and values), not by reading the scope.
 */
export interface KeyPairQuery {
  fields?: readonly { field: KeyPairQueryField; values: readonly string[] }[];
  /** `tag:<key>` filters: a tag of that key with one of the values. */
  tags?: readonly { key: string; values: readonly string[] }[];
  /** `tag-key` filters: a tag with one of these keys. */
  tagKeys?: readonly (readonly string[])[];
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
  /** The instance's VPC, subnet and primary network interface (absent on instances launched before issue 20). */
  vpcId?: string;
  subnetId?: string;
  networkInterfaceId?: string;
  /** True when the instance has no public IPv4 on AWS (its SSH endpoint still listens on `publicIp`). */
  noPublicIp?: boolean;
  /** The Elastic IP associated with the instance, if any (then `publicIp` is that address). */
  elasticIp?: { allocationId: string; associationId: string };
  /** Where the root volume's first contents come from: a snapshot id or `image:<template>`. */
  rootSource?: string;
  /** RunInstances members kept and echoed (launch/issue 23): see InstanceLaunchOptions. */
  options?: InstanceLaunchOptions;
  /** Windows: the Administrator password encrypted to the launch key (base64) and when it was set. */
  passwordData?: { encrypted: string; timestamp: string };
  /**
   * Its instance status check failed at this time (ISO): a step of its boot ended the guest's host
   * every time it ran (issue 19). DescribeInstanceStatus answers `impaired`; cleared when it stops.
   */
  impairedSince?: string;
  /**
   * Why a launch failed (its instance went from pending to terminated), as StateReason shows it:
   * a launch volume whose KMS key cannot be used (issue 23).
   */
  launchFailure?: { code: string; message: string };
  tags: Tag[];
}

/**
 * RunInstances members an instance keeps (DescribeInstances, DescribeInstanceAttribute): stored as
 * given, absent = AWS's default. Plain JSON (the instance document holds it).
 */
export interface InstanceLaunchOptions {
  monitoring?: boolean;
  ebsOptimized?: boolean;
  iamInstanceProfile?: { arn: string; id: string; associationId: string };
  disableApiStop?: boolean;
  hibernation?: boolean;
  creditSpecification?: string;
  cpuOptions?: { coreCount?: number; threadsPerCore?: number; amdSevSnp?: string };
  privateDnsNameOptions?: { hostnameType?: string; enableResourceNameDnsARecord?: boolean; enableResourceNameDnsAAAARecord?: boolean };
  maintenanceOptions?: { autoRecovery?: string; rebootMigration?: string };
  capacityReservation?: { preference?: string; targetId?: string; targetResourceGroupArn?: string };
  placement?: { groupName?: string; groupId?: string; partitionNumber?: number; hostId?: string; tenancy?: string; affinity?: string; hostResourceGroupArn?: string; spreadDomain?: string };
  enclave?: boolean;
  /** ModifyInstanceAttribute while stopped: ENA and SR-IOV (`simple`) networking. */
  enaSupport?: boolean;
  sriovNetSupport?: string;
  /** Instance-store mappings kept from BlockDeviceMapping (`ephemeralN` names the type has). */
  ephemeral?: { deviceName: string; virtualName: string }[];
}

export interface VolumeAttachmentRecord {
  instanceId: string;
  device: string;
  /** `busy`: DetachVolume asked while the guest still has it mounted (until unmounted or forced). */
  state: 'attaching' | 'attached' | 'detaching' | 'detached' | 'busy';
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
  /** EBS encryption (compute/ebs-encryption.ts; CreateVolume, launch mappings): the key as AWS shows it. */
  encrypted?: boolean;
  kmsKeyId?: string;
  /** The key id names no key: the volume vanishes once `creating` ends, as AWS's does. */
  keyUnusable?: boolean;
  multiAttachEnabled?: boolean;
  /** Multi-Attach (io1/io2): attachments beyond `attachment`, one per further instance. */
  moreAttachments?: VolumeAttachmentRecord[];
  /** ModifyVolume requests, newest last (DescribeVolumesModifications). */
  modifications?: VolumeModificationRecord[];
}

/** One ModifyVolume: targets and originals; `modifying` → `optimizing` → `completed` with time. */
export interface VolumeModificationRecord {
  originalSize: number;
  targetSize: number;
  originalVolumeType: string;
  targetVolumeType: string;
  originalIops?: number;
  targetIops?: number;
  originalThroughput?: number;
  targetThroughput?: number;
  originalMultiAttachEnabled: boolean;
  targetMultiAttachEnabled: boolean;
  startTime: Date;
  /** When `modifying` becomes `optimizing` (the new size is usable) and when `optimizing` ends. */
  optimizingAt: Date;
  completedAt: Date;
}

export interface InstanceRepository {
  /**
   * Inserts instances with their root volumes, and their user data (base64 of the decoded bytes,
   * by instance id), in one transaction. The launch's ClientToken (the first instance's) is claimed
   * in the same transaction: DuplicateClientTokenError when the scope already used it, so two
   * concurrent RunInstances with one token (two nodes finishing one Auto Scaling launch) make one.
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
  // avail (issue 19): a layer's inodes as rows, so saving a change writes what changed
  /**
   * In one transaction: writes the layer's document, upserts `rows` (doc null: the inode is
   * removed on top of the base), deletes the rows of `deletes`; `replace` first drops all rows.
   */
  saveRows(id: string, record: BlockDataRecord, rows: readonly BlockRow[], deletes: readonly number[], replace: boolean): Promise<void>;
  /** A layer's inode rows. */
  loadRows(id: string): Promise<BlockRow[]>;
  /** Copies a layer (document and rows) under a new id: CreateSnapshot of a volume. */
  copy(fromId: string, toId: string): Promise<void>;
}

/** One inode of a layer: its JSON document, or null where the layer removes its base's inode. */
export interface BlockRow {
  ino: number;
  doc: string | null;
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
  encrypted?: boolean;
  kmsKeyId?: string;
  /** createVolumePermission: accounts (or group `all`) that may create volumes from it. */
  createVolumePermissions?: LaunchPermission[];
  /** CopySnapshot: the snapshot and Region it was copied from. */
  sourceSnapshotId?: string;
  sourceRegion?: string;
  /** CopySnapshot's time-based copy: the completion duration asked for. */
  completionDurationMinutes?: number;
  /** A copy encrypted with a key id of no KMS key form: `pending` ends in `error` (AWS checks keys after answering). */
  keyUnusable?: boolean;
  /** Why an `error` snapshot failed (DescribeSnapshots StateMessage). */
  stateMessage?: string;
  /** The last archive or restore (ModifySnapshotTier, RestoreSnapshotTier); none: standard tier. */
  tiering?: SnapshotTiering;
}

/** One tiering operation; the tier as of a time is derived from it (compute/snapshot-tier.ts). */
export interface SnapshotTiering {
  operation: 'archival' | 'temporary-restore' | 'permanent-restore';
  startTime: Date;
  /** When the operation completes (the storage delay stands for AWS's hours). */
  completesAt: Date;
  /** When the snapshot last reached the archive tier. */
  archivalCompleteTime?: Date;
  /** A temporary restore's end: the snapshot is archived again. */
  restoreExpiryTime?: Date;
  /** TemporaryRestoreDays of a temporary restore. */
  restoreDays?: number;
}

export interface SnapshotRepository {
  insert(scope: Scope, snapshots: readonly SnapshotRecord[]): Promise<void>;
  list(scope: Scope, ids?: readonly string[]): Promise<SnapshotRecord[]>;
  update(scope: Scope, snapshotId: string, change: (r: SnapshotRecord) => SnapshotRecord): Promise<SnapshotRecord | undefined>;
  remove(scope: Scope, snapshotId: string): Promise<void>;
  /** A snapshot of the region by id, whoever owns it (without tags: they are the owner's). */
  find(region: string, snapshotId: string): Promise<SnapshotRecord | undefined>;
  /** Other accounts' snapshots of the region whose createVolumePermission names this account or everyone. */
  listShared(scope: Scope): Promise<SnapshotRecord[]>;
}

export interface ImageBlockDeviceMapping {
  deviceName: string;
  snapshotId: string;
  volumeSize: number;
  volumeType: string;
  deleteOnTermination: boolean;
  encrypted?: boolean;
  kmsKeyId?: string;
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
  /** CreateImage: the instance it was made from (DescribeImages `sourceInstanceId`). */
  sourceInstanceId?: string;
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
export type DocumentKind = 'launch-template' | 'launch-configuration' | 'auto-scaling-group' | 'scaling-activity'
  // EBS encryption by default per account and Region (name `default`); AMIs just deregistered (by id)
  | 'ebs-defaults' | 'deregistered-image';

/** A document with this kind and name already exists in the scope (a UNIQUE constraint said so). */
export class DuplicateDocumentError extends Error {}
/** RunInstances' ClientToken already launched instances in the scope (see InstanceRepository.insert). */
export class DuplicateClientTokenError extends Error {}

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

/** A key pushed with EC2 Instance Connect: it opens SSH for `osUser` until `expiresAt`. */
export interface PushedKeyRecord {
  instanceId: string;
  osUser: string;
  /** The OpenSSH public key line as sent. */
  publicKey: string;
  requestId: string;
  pushedAt: Date;
  expiresAt: Date;
}

/** EC2 Instance Connect's pushed keys, shared by every node (the instance's SSH may run on another). */
export interface PushedKeyRepository {
  /**
   * Adds a key unless the instance already holds `max` unexpired ones (then false), in one
   * transaction; expired keys of the instance go at the same time.
   */
  push(scope: Scope, key: PushedKeyRecord, now: Date, max: number): Promise<boolean>;
  /** The instance's unexpired keys, oldest first (those of one OS user when given). */
  active(scope: Scope, instanceId: string, now: Date, osUser?: string): Promise<PushedKeyRecord[]>;
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
  /** VPCs, subnets, security groups, interfaces, Elastic IPs (issue 20). */
  readonly network: NetworkRepository;
  /** EC2 Instance Connect keys (login, issue 22). */
  readonly pushedKeys: PushedKeyRepository;
  /** Next value of a named counter shared by every node (used for addresses). */
  nextSequence(name: string): Promise<number>;
  close(): Promise<void>;
}

// ---- Networking (issue 20): VPCs, subnets, gateways, route tables, ACLs, DHCP options, security
// groups and their rules, network interfaces, Elastic IPs. One table of JSON objects per engine;
// the columns are what the database constrains (ids, a per-kind unique key) or indexes.

export type NetKind =
  | 'vpc'
  | 'subnet'
  | 'internet-gateway'
  | 'route-table'
  | 'network-acl'
  | 'dhcp-options'
  | 'security-group'
  | 'security-group-rule'
  | 'network-interface'
  | 'elastic-ip'
  | 'prefix-list'
  | 'vpc-endpoint'
  | 'egress-only-internet-gateway';

export interface NetObject<T = unknown> {
  kind: NetKind;
  id: string;
  vpcId?: string;
  /** What the object belongs to (a rule: its group). */
  parentId?: string;
  /**
   * Unique per (scope, kind) when set, enforced by a UNIQUE index: a group's `vpc|name`, a rule's
   * canonical text, a subnet's `vpc|cidr`, an interface's `subnet|private ip`, an address's public ip.
   */
  unique?: string;
  data: T;
  tags: Tag[];
}

/**
 * What one network transaction writes: objects inserted or replaced by id (their `tags` are not
 * written: tags change through `tag` and the tag actions), tags added, ids removed with their tags.
 */
export interface NetChanges {
  put?: readonly NetObject[];
  tag?: readonly { id: string; kind: NetKind; tags: readonly Tag[] }[];
  remove?: readonly string[];
}

/** The objects of the kinds a transaction asked for, read under its lock. */
export type NetView = ReadonlyMap<NetKind, readonly NetObject[]>;

/** Another object of the kind already has this unique key (the UNIQUE index said so). */
export class NetUniqueError extends Error {
  constructor(
    readonly kind: NetKind,
    readonly unique: string,
  ) {
    super(`${kind} ${unique} exists`);
  }
}

export interface NetworkRepository {
  /**
   * Records that the scope's network exists, building it with `build` only if this call is the
   * first: once per account and Region, atomically, whichever node or request gets there first.
   */
  initialise(scope: Scope, build: () => NetChanges): Promise<boolean>;
  /** Objects of a kind in creation order: all, or those with these ids, in this VPC, or of these parents. */
  list<T>(scope: Scope, kind: NetKind, select?: { ids?: readonly string[]; vpcId?: string; parentIds?: readonly string[] }): Promise<NetObject<T>[]>;
  /**
   * Private addresses held in each subnet of the scope: every network interface's primary and
   * secondary ones (`subnetId`, `secondaryPrivateIps` of its data), counted by the database, not
   * by reading every interface (DescribeSubnets' availableIpAddressCount).
   */
  addressesInUse(scope: Scope): Promise<Map<string, number>>;
  /**
   * One transaction, serialised per scope (a lock every node takes): reads the kinds in `need`,
   * runs `plan` (pure: checks limits and conflicts, throws to refuse), writes its changes. Throws
   * NetUniqueError when a write breaks a unique key. `only` narrows kinds of `need` to the objects
   * of these parents (an instance's interfaces at its termination: an index lookup, not the scope).
   */
  change<T>(
    scope: Scope,
    need: readonly NetKind[],
    plan: (view: NetView) => { changes: NetChanges; result: T },
    only?: Partial<Record<NetKind, { parentIds: readonly string[] }>>,
  ): Promise<T>;
}
