// #cloud-config documents: YAML parsed with `yaml` (a maintained YAML 1.2 parser, with alias
// limits), merged as cloud-init merges parts by default: later top-level keys replace earlier ones.
import { parse } from 'yaml';

export type CloudConfig = Record<string, unknown>;

export function parseCloudConfig(text: string): CloudConfig {
  // YAML 1.1, as PyYAML reads it: an unquoted 0644 is octal, yes/no are booleans.
  const doc: unknown = parse(text, { version: '1.1', maxAliasCount: 100, uniqueKeys: false });
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error('cloud-config is not a YAML mapping');
  return doc as CloudConfig;
}

export function mergeCloudConfigs(parts: readonly CloudConfig[]): CloudConfig {
  return Object.assign({}, ...parts) as CloudConfig;
}

/** A module's command entry: a string goes to `sh -c`, a list is argv (quoted for the shell). */
export function commandLine(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (Array.isArray(entry)) return entry.map((a) => shellQuote(String(a))).join(' ');
  return undefined;
}

export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `a,b` or `[a, b]` → ['a', 'b']. */
export function nameList(v: unknown): string[] {
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(v)) return v.map((s) => String(s).trim()).filter(Boolean);
  return [];
}
