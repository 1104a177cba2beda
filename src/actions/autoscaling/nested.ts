// Large Auto Scaling structures taken whole (MixedInstancesPolicy, TargetTrackingConfiguration,
// Preferences…): the flat Query members of a `rest` field turned back into the nested value the
// caller sent (`Overrides.member.2.InstanceType` → { Overrides: [_, { InstanceType }] }), stored as
// is and written back in the same shape. Values stay strings: the SDK reads them by its model.
import type { NestedDoc, NestedValue } from '../../domain/autoscaling.js';

export type { NestedValue };
type Nested = NestedDoc;

export function unflatten(flat: Record<string, string>): Nested | undefined {
  const keys = Object.keys(flat);
  if (!keys.length) return undefined;
  const root: Nested = {};
  for (const key of keys.sort(byIndexes)) {
    const parts = key.split('.');
    let node: Nested | NestedValue[] = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      if (part === 'member' && Array.isArray(node)) continue;
      if (Array.isArray(node)) {
        const idx = Number(part) - 1;
        if (last) node[idx] = flat[key]!;
        else node = (node[idx] ??= {}) as Nested;
        continue;
      }
      if (last) {
        node[part] = flat[key]!;
        break;
      }
      // `X.member.N…` is a list; an empty `X=` (botocore's []) leaves an empty list.
      const child: NestedValue = node[part] ?? (parts[i + 1] === 'member' ? [] : {});
      node[part] = child;
      node = child as Nested | NestedValue[];
    }
  }
  return compact(root) as Nested;
}

/** Sorts `a.member.10` after `a.member.9`. */
function byIndexes(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Holes from sparse indexes go; an empty string for a list member (`X=`) is an empty list. */
function compact(v: NestedValue): NestedValue {
  if (Array.isArray(v)) return v.filter((x) => x !== undefined).map(compact);
  if (typeof v === 'string') return v;
  const out: Nested = {};
  for (const [k, x] of Object.entries(v)) out[k] = compact(x);
  return out;
}

/** A member path read from a nested value: `get(p, 'InstancesDistribution', 'OnDemandBaseCapacity')`. */
export function get(v: NestedValue | undefined, ...path: string[]): NestedValue | undefined {
  let cur = v;
  for (const p of path) {
    if (cur === undefined || typeof cur === 'string' || Array.isArray(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

export const getString = (v: NestedValue | undefined, ...path: string[]): string | undefined => {
  const x = get(v, ...path);
  return typeof x === 'string' ? x : undefined;
};

export const getNumber = (v: NestedValue | undefined, ...path: string[]): number | undefined => {
  const x = getString(v, ...path);
  return x === undefined || x === '' || !Number.isFinite(Number(x)) ? undefined : Number(x);
};

export const getList = (v: NestedValue | undefined, ...path: string[]): NestedValue[] => {
  const x = get(v, ...path);
  return Array.isArray(x) ? x : [];
};
