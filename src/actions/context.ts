// What every action handler receives. No HTTP, no XML: the account and region the request
// belongs to, the clock, ids, the store and the key services.
import type { IdSource } from '../domain/ids.js';
import type { RsaKeyPool } from '../keys/index.js';
import type { Scope, Store } from '../store/port.js';
import type { InstanceControl } from '../compute/instance-control.js';

export interface KeyServices {
  readonly rsaPool: RsaKeyPool;
  /** PPK version CreateKeyPair emits for KeyFormat=ppk (AWS's is unconfirmed; v2 loads everywhere). */
  readonly ppkVersion: 2 | 3;
}

export interface Limits {
  readonly keyPairsPerRegion: number;
  /** VPCs and Elastic IPs per Region (AWS's defaults: 5 each; absent = those). */
  readonly vpcsPerRegion?: number;
  readonly addressesPerRegion?: number;
}

/** What Auto Scaling actions need from the service behind them. */
export interface AutoScalingControl {
  /** After a change to a group: the reconciler should look at it now rather than at its next tick. */
  wake(): void;
  /** False for accounts that may not create launch configurations (AWS: accounts created after 2024-10-01). */
  readonly launchConfigurationsEnabled: boolean;
}

/** Login services' settings (Windows passwords, EC2 Instance Connect). */
export interface LoginSettings {
  /** How long after launch a Windows instance's password becomes available (AWS: minutes). */
  readonly windowsPasswordDelayMs: number;
  /** How long a key pushed with SendSSHPublicKey opens SSH (AWS: 60 s). */
  readonly instanceConnectKeyLifetimeMs: number;
  /** The clock pushed keys are stamped with (tests move it forward); default ctx.now. */
  readonly now?: () => Date;
}

export const DEFAULT_LOGIN_SETTINGS: LoginSettings = { windowsPasswordDelayMs: 4000, instanceConnectKeyLifetimeMs: 60_000 };

export interface ActionContext {
  readonly scope: Scope;
  readonly now: () => Date;
  readonly ids: IdSource;
  readonly store: Store;
  readonly keys: KeyServices;
  readonly limits: Limits;
  /** Running instances: state transitions' guest effects, hot plug, flush, volume bytes. */
  readonly runtime: InstanceControl;
  readonly autoScaling: AutoScalingControl;
  /** Absent: DEFAULT_LOGIN_SETTINGS. */
  readonly login?: LoginSettings;
}
