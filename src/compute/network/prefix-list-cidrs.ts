// The addresses of the prefix lists that security group rules name, for rules.ts's evaluation.
import type { Scope, Store } from '../../store/port.js';
import { awsPrefixLists } from './aws-prefix-lists.js';
import type { PrefixListData } from './model.js';

export async function prefixListCidrs(store: Store, scope: Scope, ids: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (ids.length === 0) return out;
  for (const pl of awsPrefixLists(scope.region)) if (ids.includes(pl.id)) out.set(pl.id, pl.entries.map((e) => e.cidr));
  const own = await store.network.list<PrefixListData>(scope, 'prefix-list', { ids: ids.filter((id) => !out.has(id)) });
  for (const pl of own) out.set(pl.id, pl.data.versions.at(-1)!.entries.map((e) => e.cidr));
  return out;
}
