// The default network exists for every account and Region from the first call: created lazily,
// once (the store's initialise() decides who creates it, on any node), and remembered here so later
// calls cost nothing.
import type { IdSource } from '../../domain/ids.js';
import type { Scope, Store } from '../../store/port.js';
import { defaultVpcObjects } from './defaults.js';

const ready = new WeakMap<Store, Set<string>>();

export async function ensureNetwork(store: Store, ids: IdSource, scope: Scope): Promise<void> {
  let done = ready.get(store);
  if (!done) ready.set(store, (done = new Set()));
  const key = `${scope.accountId}/${scope.region}`;
  if (done.has(key)) return;
  await store.network.initialise(scope, () => defaultVpcObjects(ids, scope.region));
  done.add(key);
}
