// The state of one shell process: variables (and which are exported),
// functions, positional parameters, options, traps. A subshell, a command
// substitution or a pipeline stage works on a copy, as a fork would.
import type { Command } from './ast.js';
import type { Proc } from './types.js';

export interface ShellOptions {
  errexit: boolean;
  nounset: boolean;
  xtrace: boolean;
  pipefail: boolean;
  noglob: boolean;
  noclobber: boolean;
}

export const OPTION_LETTERS: Record<string, keyof ShellOptions> = { e: 'errexit', u: 'nounset', x: 'xtrace', f: 'noglob', C: 'noclobber' };
export const OPTION_NAMES: Record<string, keyof ShellOptions> = {
  errexit: 'errexit',
  nounset: 'nounset',
  xtrace: 'xtrace',
  pipefail: 'pipefail',
  noglob: 'noglob',
  noclobber: 'noclobber',
};

/** `set -e` and friends by letter; false for letters that are not options of ours. */
export function setShellOption(sp: { options: ShellOptions }, letter: string, on: boolean): boolean {
  const name = OPTION_LETTERS[letter];
  if (!name) return false;
  sp.options[name] = on;
  return true;
}

/** A bash array: indexed (keys are non-negative integers as text) or associative. */
export interface ShellArray {
  assoc: boolean;
  items: Map<string, string>;
  /** An indexed array's highest index + 1 when known (a+=(…) in a loop stays linear); unset forgets it. */
  next?: number;
}

/** What `local` saved of a name: its scalar value, its array, or nothing (it was unset). */
type Saved = { scalar?: string; array?: ShellArray };

const cloneArray = (a: ShellArray): ShellArray => ({ assoc: a.assoc, items: new Map(a.items), next: a.next });

/** An indexed array's keys in index order (they are kept as text, inserted in any order). */
export function arrayKeys(a: ShellArray): string[] {
  const keys = [...a.items.keys()];
  return a.assoc ? keys : keys.sort((x, y) => Number(x) - Number(y));
}

export const arrayValues = (a: ShellArray): string[] => arrayKeys(a).map((k) => a.items.get(k)!);

let nextPid = 2000;
export const allocatePid = () => (nextPid = nextPid >= 32000 ? 2000 : nextPid + 1);

export class ShellProcess {
  exported: Set<string>;
  readonly: Set<string> = new Set();
  functions = new Map<string, Command>();
  positional: string[] = [];
  options: ShellOptions = { errexit: false, nounset: false, xtrace: false, pipefail: false, noglob: false, noclobber: false };
  traps = new Map<string, string>();
  /** One frame per running function: the values `local` saved, restored on return. */
  locals: Map<string, Saved>[] = [];
  /** Array variables (never exported); a name is either here or in proc.env, not both. */
  arrays = new Map<string, ShellArray>();
  status = 0;
  lineno = 1;
  /** getopts' position inside a cluster of short options (-abc). */
  optCharIndex = 1;
  lastBackgroundPid: number | undefined;
  /** Whether this is a subshell of its parent (exit ends only it). */
  subshell = false;
  /** Loops being run (break/continue outside one is an error; `break 5` stops at the outermost). */
  loopDepth = 0;
  /** Files being sourced (`return` is allowed in them). */
  sourceDepth = 0;
  /** Files opened by `exec >file`, flushed when the process ends. */
  closers: (() => void)[] = [];

  constructor(
    /** User, credentials, cwd, umask; `proc.env` holds all variables. */
    public proc: Proc,
    /** $0, and the prefix of error messages in non-interactive shells. */
    public arg0: string,
    readonly pid: number = allocatePid(),
    exported?: Set<string>,
  ) {
    this.exported = exported ?? new Set(proc.env.keys());
  }

  /** A copy for a subshell (a fork): later changes do not reach the parent. */
  fork(): ShellProcess {
    const p = new ShellProcess({ ...this.proc, env: new Map(this.proc.env) }, this.arg0, this.pid, new Set(this.exported));
    p.readonly = new Set(this.readonly);
    p.functions = new Map(this.functions);
    p.positional = [...this.positional];
    p.options = { ...this.options };
    // traps other than ignored signals are reset in a subshell
    p.traps = new Map([...this.traps].filter(([, v]) => v === ''));
    p.status = this.status;
    p.lineno = this.lineno;
    p.subshell = true;
    p.loopDepth = this.loopDepth;
    p.sourceDepth = this.sourceDepth;
    p.lastBackgroundPid = this.lastBackgroundPid;
    p.locals = this.locals.map((frame) => new Map(frame));
    p.arrays = new Map([...this.arrays].map(([k, a]) => [k, cloneArray(a)]));
    return p;
  }

  /** A scalar's value; an array's element 0 (as bash's $a for an array). */
  get(name: string): string | undefined {
    const v = this.proc.env.get(name);
    if (v !== undefined) return v;
    return this.arrays.get(name)?.items.get('0');
  }

  set(name: string, value: string): void {
    const a = this.arrays.get(name);
    if (a) return void a.items.set('0', value);
    this.proc.env.set(name, value);
    if (name === 'PWD') this.proc.cwd = value;
  }

  unset(name: string): void {
    this.proc.env.delete(name);
    this.arrays.delete(name);
    this.exported.delete(name);
  }

  /** The array `name`, made one (its scalar value becomes element 0) when `create`. */
  array(name: string, create?: { assoc: boolean }): ShellArray | undefined {
    let a = this.arrays.get(name);
    if (a || !create) return a;
    a = { assoc: create.assoc, items: new Map() };
    const v = this.proc.env.get(name);
    if (v !== undefined) a.items.set('0', v);
    this.proc.env.delete(name);
    this.arrays.set(name, a);
    return a;
  }

  /** The environment a program started from this shell receives. */
  environment(extra: [string, string][] = []): Map<string, string> {
    const env = new Map<string, string>();
    for (const [k, v] of this.proc.env) if (this.exported.has(k)) env.set(k, v);
    for (const [k, v] of extra) env.set(k, v);
    env.set('PWD', this.proc.cwd);
    return env;
  }

  /** `local name`: remember the outer value, restored when the function returns. */
  makeLocal(name: string): boolean {
    const frame = this.locals[this.locals.length - 1];
    if (!frame) return false;
    if (!frame.has(name)) {
      const a = this.arrays.get(name);
      frame.set(name, a ? { array: cloneArray(a) } : { scalar: this.proc.env.get(name) });
    }
    return true;
  }

  popLocals(): void {
    const frame = this.locals.pop();
    if (!frame) return;
    for (const [k, v] of frame) {
      this.proc.env.delete(k);
      this.arrays.delete(k);
      if (v.array) this.arrays.set(k, v.array);
      else if (v.scalar !== undefined) this.proc.env.set(k, v.scalar);
    }
  }
}
