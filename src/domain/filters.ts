// EC2 Describe* filter semantics: names and values case-sensitive; values within a filter are
// ORed, filters ANDed; `*` matches any run of characters, `?` zero or one character (the doc's
// wording), and a backslash escapes `*`, `?` or `\`.
import { Ec2Error } from '../errors/ec2-error.js';
import type { Tag } from './tags.js';

export interface Filter { name: string; values: string[] }

const cache = new Map<string, RegExp>();

export function wildcardToRegExp(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re) return re;
  let src = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length && '*?\\'.includes(pattern[i + 1]!)) {
      src += '\\' + pattern[++i];
    } else if (c === '*') src += '[\\s\\S]*';
    else if (c === '?') src += '[\\s\\S]?';
    else src += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  re = new RegExp(`^${src}$`);
  if (cache.size > 1000) cache.clear();
  cache.set(pattern, re);
  return re;
}

export const matchesAny = (candidates: readonly string[], patterns: readonly string[]): boolean =>
  patterns.some((p) => {
    const re = wildcardToRegExp(p);
    return candidates.some((c) => re.test(c));
  });

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
