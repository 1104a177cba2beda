// What every action handler receives. No HTTP, no XML: the account and region the request
// belongs to, the clock, ids, the store and the key services.
import type { IdSource } from '../domain/ids.js';
import type { RsaKeyPool } from '../keys/index.js';
import type { Scope, Store } from '../store/port.js';
import type { InstanceRuntime } from '../compute/instance-runtime.js';

export interface KeyServices {
  readonly rsaPool: RsaKeyPool;
  /** PPK version CreateKeyPair emits for KeyFormat=ppk (AWS's is unconfirmed; v2 loads everywhere). */
  readonly ppkVersion: 2 | 3;
}

export interface Limits {
  readonly keyPairsPerRegion: number;
}

export interface ActionContext {
  readonly scope: Scope;
  readonly now: () => Date;
  readonly ids: IdSource;
  readonly store: Store;
  readonly keys: KeyServices;
  readonly limits: Limits;
  /** Running instances: guests, SSH endpoints, state transitions. */
  readonly runtime: InstanceRuntime;
}
