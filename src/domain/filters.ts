// EC2 Describe* filter semantics: names and values case-sensitive; values within a filter are
// ORed, filters ANDed; `*` matches any run of characters, `?` zero or one character (the doc's
// wording), and a backslash escapes `*`, `?` or `\`. Values are matched by a linear
// simulation (wildcardMatch): a filter value like `*a*a*a*a*b` costs one pass over each
// candidate, where the backtracking RegExp it replaced took minutes.
import { Ec2Error } from '../errors/ec2-error.js';
import type { Tag } from './tags.js';

export interface Filter { name: string; values: string[] }

/** A filter value split into literal characters, `*` (any run) and `?` (zero or one character). */
type Token = string | '*any' | '?opt';

function tokens(pattern: string): Token[] {
  const out: Token[] = [];
  const chars = Array.from(pattern); // code points, as the candidate is read
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '\\' && i + 1 < chars.length && '*?\\'.includes(chars[i + 1]!)) out.push(chars[++i]!);
    else if (c === '*') out.push('*any');
    else if (c === '?') out.push('?opt');
    else out.push(c);
  }
  return out;
}

/**
 * Whether the whole candidate matches the wildcard pattern: a simulation of the pattern's NFA
 * (the set of pattern positions reachable so far), so the cost is candidate × pattern whatever
 * the pattern — `*a*a*a*a*b` cannot make it backtrack.
 */
export function wildcardMatch(pattern: string, candidate: string): boolean {
  const toks = tokens(pattern);
  const m = toks.length;
  let cur = new Uint8Array(m + 1);
  let next = new Uint8Array(m + 1);
  const close = (set: Uint8Array, i: number) => {
    // entering position i also enters every position after a run of skippable tokens
    for (; i <= m && !set[i]; i++) {
      set[i] = 1;
      if (i === m || (toks[i] !== '*any' && toks[i] !== '?opt')) break;
    }
  };
  close(cur, 0);
  for (const ch of candidate) {
    next.fill(0);
    let alive = false;
    for (let i = 0; i < m; i++) {
      if (!cur[i]) continue;
      const t = toks[i]!;
      if (t === '*any') close(next, i);
      else if (t === '?opt' || t === ch) close(next, i + 1);
      else continue;
      alive = true;
    }
    if (!alive) return false;
    [cur, next] = [next, cur];
  }
  return cur[m] === 1;
}

/** A value without wildcards or escapes: it matches exactly itself, so a store can look it up by index. */
export const isLiteral = (value: string): boolean => !/[*?\\]/.test(value);

export const matchesAny = (candidates: readonly string[], patterns: readonly string[]): boolean =>
  patterns.some((p) => candidates.some((c) => wildcardMatch(p, c)));

/** What a resource exposes to filters: fixed filter names, plus its tags for `tag:<key>` and `tag-key`. */
export interface FilterSchema<T> {
  readonly fields: Readonly<Record<string, (item: T) => readonly (string | undefined)[]>>;
  readonly tags?: (item: T) => readonly Tag[];
}

function candidates<T>(schema: FilterSchema<T>, name: string, item: T): readonly (string | undefined)[] {
  const field = schema.fields[name];
  if (field) return field(item);
  const tags = schema.tags!(item);
  if (name === 'tag-key') return tags.map((t) => t.key);
  if (name === 'tag-value') return tags.map((t) => t.value);
  const key = name.slice('tag:'.length);
  return tags.filter((t) => t.key === key).map((t) => t.value);
}

function isKnown<T>(schema: FilterSchema<T>, name: string): boolean {
  if (Object.hasOwn(schema.fields, name)) return true;
  return schema.tags !== undefined && (name === 'tag-key' || name === 'tag-value' || (name.startsWith('tag:') && name.length > 4));
}

export function applyFilters<T>(items: readonly T[], filters: readonly Filter[], schema: FilterSchema<T>): T[] {
  // Unknown names are rejected even when there is nothing to filter, as AWS does.
  for (const f of filters) {
    if (!isKnown(schema, f.name)) throw new Ec2Error('InvalidParameterValue', `The filter '${f.name}' is invalid`);
  }
  if (filters.length === 0) return [...items];
  return items.filter((item) =>
    filters.every((f) => matchesAny(candidates(schema, f.name, item).filter((c): c is string => c !== undefined), f.values)),
  );
}
