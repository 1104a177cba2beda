// Argument parsing shared by the commands: node:util parseArgs with positionals, and checks that
// turn bad input into UsageError (exit code 2).

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs in strict mode with positionals allowed; its errors become UsageError. */
export function parseCommand<T extends Options>(argv: string[], options: T, command: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message, command);
  }
}

/** Exactly `names.length` positional arguments, returned in order. */
export function positionals(given: string[], names: string[], command: string): string[] {
  if (given.length < names.length) throw new UsageError(`missing ${names.slice(given.length).join(' ')}`, command);
  if (given.length > names.length) throw new UsageError(`unexpected argument '${given[names.length]}'`, command);
  return given;
}

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
