// Option value checks shared by the commands (parsing itself is defineCommand's, ./command.ts):
// bad values become UsageError (exit code 2).

import { UsageError } from './errors.js';

/** One of `allowed` (or `fallback` when absent). */
export function choice<C extends string>(value: string | undefined, allowed: readonly C[], option: string, command: string, fallback: C): C;
export function choice<C extends string>(value: string | undefined, allowed: readonly C[], option: string, command: string): C | undefined;
export function choice<C extends string>(value: string | undefined, allowed: readonly C[], option: string, command: string, fallback?: C): C | undefined {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${option} must be one of ${allowed.join(', ')} (got '${value}')`, command);
  }
  return value as C;
}

export type OutputFormat = 'table' | 'json';

export const outputOption = { output: { type: 'string' } } as const;

export function outputFormat(value: string | undefined, command: string): OutputFormat {
  return choice(value, ['table', 'json'] as const, '--output', command, 'table');
}
