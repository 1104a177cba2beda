// Small helpers shared by the guest commands: option parsing in the style of
// getopt (combined short flags, attached or separate values, long options,
// "--"), and coreutils-style error lines.
import { isFsError } from '../../fs/errors.js';
import type { CommandContext } from '../types.js';

export interface OptSpec {
  /** Short flags without a value, e.g. "laR". */
  bool?: string;
  /** Short flags taking a value, e.g. "nc". */
  value?: string;
  /** Long options: name → short equivalent or itself; a trailing "=" means it takes a value. */
  long?: Record<string, string>;
  /** Stop at the first operand (sudo, su -c …). */
  stopAtOperand?: boolean;
}

export interface Parsed {
  flags: Map<string, string | true>;
  /** Repeated value flags (-e a -e b, -H x -H y). */
  multi: Map<string, string[]>;
  operands: string[];
}

export class UsageError extends Error {}

export function getopt(args: string[], spec: OptSpec): Parsed {
  const flags = new Map<string, string | true>();
  const multi = new Map<string, string[]>();
  const operands: string[] = [];
  const set = (k: string, v: string | true) => {
    flags.set(k, v);
    if (typeof v === 'string') multi.set(k, [...(multi.get(k) ?? []), v]);
  };
  const bool = spec.bool ?? '';
  const value = spec.value ?? '';
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--') && spec.long) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const def = spec.long[name] ?? spec.long[name + '='];
      if (def === undefined) throw new UsageError(`unrecognized option '${a}'`);
      const takes = spec.long[name + '='] !== undefined;
      const key = def.replace(/=$/, '') || name;
      if (takes) {
        const v = eq >= 0 ? a.slice(eq + 1) : args[++i];
        if (v === undefined) throw new UsageError(`option '${a}' requires an argument`);
        set(key, v);
      } else set(key, true);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (value.includes(c)) {
          const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (v === undefined) throw new UsageError(`option requires an argument -- '${c}'`);
          set(c, v);
          break;
        }
        if (!bool.includes(c)) throw new UsageError(`invalid option -- '${c}'`);
        set(c, true);
      }
      continue;
    }
    operands.push(a);
    if (spec.stopAtOperand) {
      operands.push(...args.slice(i + 1));
      break;
    }
  }
  return { flags, multi, operands };
}

/** Run a command body, turning UsageError into the usual message and status. */
export async function withUsage(ctx: CommandContext, body: () => Promise<number> | number, status = 1): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof UsageError) {
      ctx.io.err.write(`${ctx.name}: ${e.message}\nTry '${ctx.name} --help' for more information.\n`);
      return status;
    }
    throw e;
  }
}

/** "cat: x: No such file or directory" style line for filesystem errors; rethrows others. */
export function report(ctx: CommandContext, e: unknown, what: string): void {
  if (isFsError(e)) {
    ctx.io.err.write(`${ctx.name}: ${what}: ${e.text}\n`);
    return;
  }
  throw e;
}

export const q = (s: string) => `'${s}'`;

export function modeString(type: 'file' | 'dir', mode: number): string {
  const t = type === 'dir' ? 'd' : '-';
  const rwx = (b: number, s: boolean, sc: string) =>
    (b & 4 ? 'r' : '-') + (b & 2 ? 'w' : '-') + (s ? (b & 1 ? sc : sc.toUpperCase()) : b & 1 ? 'x' : '-');
  return (
    t +
    rwx((mode >> 6) & 7, (mode & 0o4000) !== 0, 's') +
    rwx((mode >> 3) & 7, (mode & 0o2000) !== 0, 's') +
    rwx(mode & 7, (mode & 0o1000) !== 0, 't')
  );
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ls -l date column: "Jan 15 09:30", or "Jan 15  2024" when older than six months. */
export function lsDate(t: number, now: number): string {
  const d = new Date(t);
  const mon = MONTHS[d.getUTCMonth()]!;
  const day = String(d.getUTCDate()).padStart(2, ' ');
  if (Math.abs(now - t) > 182 * 86400_000) return `${mon} ${day}  ${d.getUTCFullYear()}`;
  return `${mon} ${day} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/** stat's timestamp format: 2025-01-15 09:30:00.000000000 +0000 */
export function statDate(t: number): string {
  const iso = new Date(t).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${String(t % 1000).padStart(3, '0')}000000 +0000`;
}

export async function readInputs(ctx: CommandContext, files: string[], onError: (f: string, e: unknown) => void): Promise<{ name: string; data: Buffer }[]> {
  const out: { name: string; data: Buffer }[] = [];
  const { resolvePath } = await import('../../fs/vfs.js');
  if (!files.length) files = ['-'];
  for (const f of files) {
    if (f === '-') {
      out.push({ name: '-', data: await ctx.io.input.readAll() });
      continue;
    }
    try {
      out.push({ name: f, data: ctx.sys.vfs.readFile(ctx.proc.cred, resolvePath(ctx.proc.cwd, f)) });
    } catch (e) {
      onError(f, e);
    }
  }
  return out;
}
