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
  /** All key pairs of the scope, in creation order, with their tags. */
  list(scope: Scope): Promise<KeyPairRecord[]>;
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

export interface Store {
  readonly engine: 'sqlite' | 'postgres';
  readonly keyPairs: KeyPairRepository;
  readonly tags: TagRepository;
  close(): Promise<void>;
}
