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

export interface KeyPairRepository {
  /** Inserts the key pair and its tags; throws DuplicateKeyNameError or KeyPairLimitError. */
  insert(scope: Scope, record: KeyPairRecord, limit: number): Promise<void>;
  /**
   * Key pairs of the scope in creation order, with their tags: all of them, or only those whose
   * name is in `select.names` or whose id is in `select.ids`.
   */
  list(scope: Scope, select?: { names?: readonly string[]; ids?: readonly string[] }): Promise<KeyPairRecord[]>;
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
