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

/** What Auto Scaling actions need from the service behind them. */
export interface AutoScalingControl {
  /** After a change to a group: the reconciler should look at it now rather than at its next tick. */
  wake(): void;
  /** False for accounts that may not create launch configurations (AWS: accounts created after 2024-10-01). */
  readonly launchConfigurationsEnabled: boolean;
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
  readonly autoScaling: AutoScalingControl;
}
