// Shell builtins: the commands that read or change the shell's own state
// (variables, options, positional parameters, traps, cwd, control flow).
// Messages and statuses follow bash.
import { FsError, isFsError } from '../fs/errors.js';
import { X, resolvePath } from '../fs/vfs.js';
import { ArithError } from './arith.js';
import { ExpansionError, splitIfs } from './expand.js';
import type { Command as Ast } from './ast.js';
import { Killed, LoopSignal, checkScriptSize, ReturnSignal, type Run, type ShellLimits } from './run.js';
import { trimEndOf, trimOf } from '../../domain/trim.js';
import type { Program } from './programs.js';
import { OPTION_LETTERS, OPTION_NAMES, arrayKeys, type ShellProcess } from './process.js';
import { SHELLS } from './programs.js';
import { type Command, ExitSignal, type GuestSystem, type IO, type Proc, type Runtime } from './types.js';
import { parseScript } from './parser.js';
import { BufferSink, InputTooLarge } from './streams.js';

/** What builtins need from the shell (implemented by Shell in interpreter.ts). */
export interface ShellApi {
  readonly sys: GuestSystem;
  readonly limits: ShellLimits;
  readonly commands: Record<string, Command>;
  readonly interactive: boolean;
  errPrefix(sp: ShellProcess): string;
  assign(sp: ShellProcess, name: string, value: string): void;
  assignElement(sp: ShellProcess, name: string, key: string, value: string): void;
  /** An indexed array's key for a subscript's text (arithmetic, negative from the end). */
  elementIndex(sp: ShellProcess, name: string, sub: string): string;
  arith(sp: ShellProcess, src: string): bigint;
  runCommand(sp: ShellProcess, c: Ast, io: IO, run: Run, depth: number): Promise<number>;
  resolve(sp: ShellProcess, name: string, opts?: { functions?: boolean }): { kind: 'function'; body: Ast } | { kind: 'builtin'; fn: Builtin } | { kind: 'program'; program: Program };
  runProgram(proc: Proc, argv: string[], io: IO, run: Run, depth: number, program: Program, from?: ShellProcess): Promise<number>;
  runtime(run: Run, depth: number): Runtime;
}

export interface BuiltinContext {
  shell: ShellApi;
  sp: ShellProcess;
  name: string;
  args: string[];
  io: IO;
  run: Run;
  depth: number;
}

export type Builtin = (ctx: BuiltinContext) => Promise<number> | number;

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

const err = (c: BuiltinContext, msg: string) => c.io.err.write(`${c.shell.errPrefix(c.sp)}${c.name}: ${msg}\n`);

async function loopControl(c: BuiltinContext, kind: 'break' | 'continue'): Promise<number> {
  const n = c.args[0] === undefined ? 1 : Number(c.args[0]);
  if (!Number.isInteger(n) || n < 1) {
    err(c, `${c.args[0]}: loop count out of range`);
    return 1;
  }
  if (c.sp.loopDepth === 0) {
    err(c, "only meaningful in a `for', `while', or `until' loop");
    return 0;
  }
  throw new LoopSignal(kind, Math.min(n, c.sp.loopDepth));
}

function declareVars(c: BuiltinContext, mark: 'export' | 'readonly' | 'local' | 'declare'): number {
  const { sp, shell } = c;
  let status = 0;
  let unexport = false;
  const operands: string[] = [];
  let kind: 'a' | 'A' | undefined;
  let print = false;
  for (const a of c.args) {
    if (/^[-+][a-zA-Z]+$/.test(a) && !operands.length) {
      if (a.startsWith('-') && a.includes('n') && mark !== 'export') {
        // namerefs are not emulated: refuse rather than make a plain variable
        err(c, '-n: namerefs are not supported by this shell');
        return 2;
      }
      if (a.startsWith('-') && a.includes('A')) kind = 'A';
      else if (a.startsWith('-') && a.includes('a')) kind = 'a';
      if (a.startsWith('-') && a.includes('p') && mark !== 'export' && mark !== 'readonly') print = true;
      if (a === '-n' && mark === 'export') unexport = true;
      if (a.includes('x') && mark === 'declare') mark = a.startsWith('-') ? 'export' : 'declare';
      if (a.includes('r') && mark === 'declare') mark = 'readonly';
      if (a === '-p' || a === '-f' || a === '-F') {
        if (!c.args.some((x) => !x.startsWith('-'))) {
          for (const [k, v] of [...sp.proc.env].sort(([a1], [b1]) => (a1 < b1 ? -1 : 1))) {
            if (mark === 'export' && !sp.exported.has(k)) continue;
            c.io.out.write(`declare ${sp.exported.has(k) ? '-x' : '--'} ${k}="${v.replace(/(["\\$`])/g, '\\$1')}"\n`);
          }
          return 0;
        }
      }
      continue;
    }
    operands.push(a);
  }
  if (print && operands.length) {
    // declare -p name…: how bash would recreate each
    for (const name of operands) {
      const a = sp.arrays.get(name);
      const v = sp.proc.env.get(name);
      const q = (x: string) => `"${x.replace(/(["\\$`])/g, '\\$1')}"`;
      if (a) {
        const body = arrayKeys(a).map((k) => `[${/^[\w.:/@%+-]+$/.test(k) ? k : q(k)}]=${q(a.items.get(k)!)}`).join(' ');
        c.io.out.write(`declare -${a.assoc ? 'A' : 'a'}${sp.readonly.has(name) ? 'r' : ''} ${name}=(${body}${a.assoc && body ? ' ' : ''})\n`);
      } else if (v !== undefined) {
        const flags = (sp.exported.has(name) ? 'x' : '') + (sp.readonly.has(name) ? 'r' : '');
        c.io.out.write(`declare -${flags || '-'} ${name}=${q(v)}\n`);
      } else {
        err(c, `${name}: not found`);
        status = 1;
      }
    }
    return status;
  }
  if (!operands.length && kind) {
    for (const [k, a] of [...sp.arrays].sort(([a1], [b1]) => (a1 < b1 ? -1 : 1))) {
      if (a.assoc !== (kind === 'A')) continue;
      const body = arrayKeys(a).map((key) => `[${key}]="${a.items.get(key)!.replace(/(["\\$`])/g, '\\$1')}"`).join(' ');
      c.io.out.write(`declare -${kind} ${k}=(${body}${a.assoc && body ? ' ' : ''})\n`);
    }
    return 0;
  }
  if (!operands.length && (mark === 'export' || mark === 'declare' || mark === 'readonly')) {
    for (const [k, v] of [...sp.proc.env].sort(([a1], [b1]) => (a1 < b1 ? -1 : 1))) {
      if (mark === 'export' && !sp.exported.has(k)) continue;
      if (mark === 'readonly' && !sp.readonly.has(k)) continue;
      c.io.out.write(`declare ${mark === 'readonly' ? '-r' : sp.exported.has(k) ? '-x' : '--'} ${k}="${v.replace(/(["\\$`])/g, '\\$1')}"\n`);
    }
    return 0;
  }
  for (const a of operands) {
    const eq = a.indexOf('=');
    const name = eq < 0 ? a : a.slice(0, eq).replace(/\+$/, '');
    if (!NAME_RE.test(name)) {
      err(c, `\`${a}': not a valid identifier`);
      status = 1;
      continue;
    }
    if (mark === 'local' && !sp.makeLocal(name)) {
      err(c, 'can only be used in a function');
      return 1;
    }
    if (kind) {
      // -a / -A: an (empty, when new or local) array of that kind
      const existing = sp.arrays.get(name);
      if (existing && existing.assoc !== (kind === 'A') && !(mark === 'local' && sp.locals.length)) {
        if (existing.assoc) {
          err(c, `${name}: cannot convert associative to indexed array`);
          status = 1;
          continue;
        }
        if (existing.items.size) {
          err(c, `${name}: cannot convert indexed to associative array`);
          status = 1;
          continue;
        }
      }
      if (mark === 'local' || !existing || existing.assoc !== (kind === 'A')) {
        const scalar = mark === 'local' ? undefined : sp.proc.env.get(name);
        sp.proc.env.delete(name);
        sp.arrays.set(name, { assoc: kind === 'A', items: new Map(scalar !== undefined ? [[kind === 'A' ? '0' : '0', scalar]] : []) });
      }
    }
    if (eq >= 0) {
      const value = a[eq - 1] === '+' ? (sp.get(name) ?? '') + a.slice(eq + 1) : a.slice(eq + 1);
      try {
        shell.assign(sp, name, value);
      } catch (e) {
        if (e instanceof ExpansionError) {
          err(c, e.message.replace(/^[^:]+: /, `${name}: `));
          status = 1;
          continue;
        }
        throw e;
      }
    } else if (mark === 'local' && !sp.proc.env.has(name)) {
      // `local x` declares x unset-but-local; bash shows it as empty
      sp.proc.env.delete(name);
    }
    if (mark === 'export') {
      if (unexport) sp.exported.delete(name);
      else sp.exported.add(name);
    }
    if (mark === 'readonly') sp.readonly.add(name);
  }
  return status;
}

/** mapfile / readarray [-t] [-d delim] [-n count] [-s skip] [name]: stdin's lines into an indexed array (MAPFILE by default). */
/**
 * One line of the builtin's input up to `delim` ('\0': NUL), then a cooperative tick; null at end
 * of input. A line longer than a variable may hold ends the shell as bash's xmalloc failure does.
 */
async function readInputLine(c: BuiltinContext, delim: string): Promise<{ line: string; complete: boolean } | null> {
  let got: { line: string; complete: boolean } | null;
  try {
    got = await c.io.input.readLine(delim === '\0' ? 0 : delim.charCodeAt(0), c.shell.limits.maxVariableBytes);
  } catch (e) {
    if (e instanceof InputTooLarge) throw new Killed(2, `xmalloc: cannot allocate ${c.shell.limits.maxVariableBytes + 1} bytes`);
    throw e;
  }
  await c.run.tick();
  return got;
}

async function mapfile(c: BuiltinContext): Promise<number> {
  let trim = false;
  let delim = '\n';
  let count = 0;
  let skip = 0;
  let name = 'MAPFILE';
  const args = c.args;
  for (let k = 0; k < args.length; k++) {
    const a = args[k]!;
    if (a === '-t') trim = true;
    else if (a === '-d' || a === '-n' || a === '-s' || a === '-u' || a === '-O' || a === '-c' || a === '-C') {
      const v = args[++k] ?? '';
      if (a === '-d') delim = v[0] ?? '\0';
      else if (a === '-n') count = Number(v);
      else if (a === '-s') skip = Number(v);
    } else if (a.startsWith('-') && a.length > 1) {
      err(c, `${a}: invalid option`);
      c.io.err.write(`${c.name}: usage: ${c.name} [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [-C callback] [-c quantum] [array]\n`);
      return 2;
    } else name = a;
  }
  if (!NAME_RE.test(name)) {
    err(c, `\`${name}': not a valid identifier`);
    return 1;
  }
  if (c.sp.readonly.has(name)) {
    err(c, `${name}: readonly variable`);
    return 1;
  }
  const items = new Map<string, string>();
  let seen = 0;
  let total = 0;
  for (;;) {
    if (count && items.size >= count) break;
    const got = await readInputLine(c, delim);
    if (!got) break;
    if (seen++ < skip) continue;
    const v = got.line + (!trim && got.complete ? delim : '');
    total += v.length;
    if (total > c.shell.limits.maxShellMemoryBytes) throw new Killed(2, `xmalloc: cannot allocate ${v.length + 1} bytes`);
    items.set(String(items.size), v);
  }
  c.sp.unset(name);
  c.sp.arrays.set(name, { assoc: false, items });
  return 0;
}

async function evalText(c: BuiltinContext, src: string, positional?: string[]): Promise<number> {
  if (c.depth + 1 > c.shell.limits.maxDepth) {
    err(c, 'maximum nesting level exceeded');
    return 1;
  }
  const saved = c.sp.positional;
  if (positional) {
    c.sp.positional = positional;
    c.sp.sourceDepth++;
  }
  try {
    checkScriptSize(src, c.shell.limits);
    const parsed = parseScript(src);
    let status = 0;
    try {
      for (const item of parsed.commands) {
        status = await c.shell.runCommand(c.sp, item.command, c.io, c.run, c.depth + 1);
        c.sp.status = status;
      }
    } catch (e) {
      if (positional && e instanceof ReturnSignal) return e.code;
      throw e;
    }
    if (parsed.error) {
      c.io.err.write(`${c.shell.errPrefix(c.sp)}${parsed.error.message}\n`);
      return 2;
    }
    return status;
  } finally {
    if (positional) {
      c.sp.positional = saved;
      c.sp.sourceDepth--;
    }
  }
}

function setOption(c: BuiltinContext, letter: string, on: boolean): boolean {
  const name = OPTION_LETTERS[letter];
  if (!name) return 'hBvmaHPEk'.includes(letter);
  c.sp.options[name] = on;
  return true;
}

/** read's line splitting: IFS fields, the last variable takes the rest (with its inner separators). */
function assignRead(c: BuiltinContext, line: string, names: string[], ifs: string): void {
  const ws = [...ifs].filter((ch) => ' \t\n'.includes(ch)).join('');
  let rest = ifs === '' ? line : line.replace(new RegExp(`^[${ws.replace(/[\]\\^-]/g, '\\$&')}]+`), '');
  for (let k = 0; k < names.length; k++) {
    const name = names[k]!;
    if (k === names.length - 1) {
      if (ws && ifs !== '') rest = trimEndOf(rest, ws);
      c.shell.assign(c.sp, name, rest);
      break;
    }
    const fields = ifs === '' ? [rest] : splitIfs(rest, ifs);
    const first = fields[0] ?? '';
    c.shell.assign(c.sp, name, first);
    const cut = ifs === '' ? rest.length : rest.indexOf(first) + first.length;
    rest = rest.slice(cut);
    rest = rest.replace(new RegExp(`^[${(ws || ' ').replace(/[\]\\^-]/g, '\\$&')}]*[${[...ifs].filter((ch) => !ws.includes(ch)).join('').replace(/[\]\\^-]/g, '\\$&') || ' '}]?[${(ws || ' ').replace(/[\]\\^-]/g, '\\$&')}]*`), '');
  }
}

export const BUILTINS: Record<string, Builtin> = Object.assign(Object.create(null) as Record<string, Builtin>, {
  ':': () => 0,

  cd: (c: BuiltinContext) => {
    const { sp, shell } = c;
    const vfs = shell.sys.vfs;
    const args = c.args.filter((a) => a !== '-P' && a !== '-L' && a !== '--');
    if (args.length > 1) {
      err(c, 'too many arguments');
      return 1;
    }
    let target = args[0] ?? sp.get('HOME');
    if (target === undefined) {
      err(c, 'HOME not set');
      return 1;
    }
    if (target === '-') {
      target = sp.get('OLDPWD');
      if (target === undefined) {
        err(c, 'OLDPWD not set');
        return 1;
      }
      c.io.out.write(target + '\n');
    }
    if (target === '') return 0;
    const path = resolvePath(sp.proc.cwd, target);
    try {
      const st = vfs.stat(sp.proc.cred, path);
      if (st.type !== 'dir') throw new FsError('ENOTDIR', path);
      if (!vfs.access(sp.proc.cred, path, X)) throw new FsError('EACCES', path);
    } catch (e) {
      if (isFsError(e)) {
        err(c, `${target}: ${e.text}`);
        return 1;
      }
      throw e;
    }
    sp.proc.env.set('OLDPWD', sp.proc.cwd);
    sp.proc.cwd = path;
    sp.proc.env.set('PWD', path);
    return 0;
  },

  exit: (c: BuiltinContext) => {
    const a = c.args[0];
    if (a !== undefined && !/^[-+]?[0-9]+$/.test(a)) {
      err(c, `${a}: numeric argument required`);
      throw new ExitSignal(2);
    }
    throw new ExitSignal(a !== undefined ? Number(BigInt.asUintN(8, BigInt(a))) : c.sp.status);
  },
  logout: (c: BuiltinContext) => BUILTINS.exit!(c),

  return: async (c: BuiltinContext) => {
    const a = c.args[0];
    if (!c.sp.locals.length && !c.sp.sourceDepth) {
      err(c, "can only `return' from a function or sourced script");
      return 2;
    }
    if (a !== undefined && !/^[-+]?[0-9]+$/.test(a)) {
      err(c, `${a}: numeric argument required`);
      throw new ReturnSignal(2);
    }
    throw new ReturnSignal(a !== undefined ? Number(BigInt.asUintN(8, BigInt(a))) : c.sp.status);
  },
  break: (c: BuiltinContext) => loopControl(c, 'break'),
  continue: (c: BuiltinContext) => loopControl(c, 'continue'),

  export: (c: BuiltinContext) => declareVars(c, 'export'),
  readonly: (c: BuiltinContext) => declareVars(c, 'readonly'),
  local: (c: BuiltinContext) => declareVars(c, 'local'),
  declare: (c: BuiltinContext) => declareVars(c, c.sp.locals.length && !c.args.some((a) => a.startsWith('-') && a.includes('g')) ? 'local' : 'declare'),
  typeset: (c: BuiltinContext) => declareVars(c, c.sp.locals.length ? 'local' : 'declare'),

  unset: (c: BuiltinContext) => {
    let functions = false;
    let status = 0;
    for (const a of c.args) {
      if (a === '-f') functions = true;
      else if (a === '-v') functions = false;
      else if (functions) c.sp.functions.delete(a);
      else if (c.sp.readonly.has(a.replace(/\[.*$/s, ''))) {
        err(c, `${a.replace(/\[.*$/s, '')}: cannot unset: readonly variable`);
        status = 1;
      } else if (/^[A-Za-z_][A-Za-z0-9_]*\[.*\]$/s.test(a)) {
        // unset 'a[i]' / unset 'm[key]': one element
        const name = a.slice(0, a.indexOf('['));
        const sub = a.slice(name.length + 1, -1);
        const arr = c.sp.arrays.get(name);
        if (sub === '@' || sub === '*') c.sp.unset(name);
        else if (arr) {
          try {
            arr.items.delete(arr.assoc ? sub : c.shell.elementIndex(c.sp, name, sub));
            arr.next = undefined;
          } catch (e) {
            if (!(e instanceof ArithError || e instanceof ExpansionError)) throw e;
            err(c, e.message);
            status = 1;
          }
        } else if (c.sp.proc.env.has(name) && sub.trim() === '0') c.sp.unset(name);
      } else if (!NAME_RE.test(a)) {
        err(c, `\`${a}': not a valid identifier`);
        status = 1;
      } else {
        c.sp.unset(a);
        if (!c.sp.proc.env.has(a)) c.sp.functions.delete(a) && false;
      }
    }
    return status;
  },

  set: (c: BuiltinContext) => {
    const args = c.args;
    if (!args.length) {
      for (const [k, v] of [...c.sp.proc.env].sort(([a1], [b1]) => (a1 < b1 ? -1 : 1))) c.io.out.write(`${k}=${/^[\w./:@%+,-]*$/.test(v) ? v : `'${v.replace(/'/g, "'\\''")}'`}\n`);
      return 0;
    }
    let k = 0;
    for (; k < args.length; k++) {
      const a = args[k]!;
      if (a === '--') {
        c.sp.positional = args.slice(k + 1);
        return 0;
      }
      if (a === '-o' || a === '+o') {
        const opt = args[k + 1];
        if (opt === undefined) {
          // bash's whole list; options this shell does not have show their fixed state
          const interactive = c.shell.interactive && c.sp.subshell === false;
          const fixed: Record<string, boolean> = { allexport: false, braceexpand: true, emacs: interactive, errtrace: false, functrace: false, hashall: true, histexpand: interactive, history: interactive, ignoreeof: false, 'interactive-comments': true, keyword: false, monitor: interactive, noexec: false, nolog: false, notify: false, onecmd: false, physical: false, posix: false, privileged: false, verbose: false, vi: false };
          const names = [...new Set([...Object.keys(fixed), ...Object.keys(OPTION_NAMES)])].sort();
          for (const n of names) {
            const key = OPTION_NAMES[n];
            const on = key ? c.sp.options[key] : fixed[n]!;
            c.io.out.write(a === '-o' ? `${n.padEnd(15)}\t${on ? 'on' : 'off'}\n` : `set ${on ? '-o' : '+o'} ${n}\n`);
          }
          return 0;
        }
        k++;
        const key = OPTION_NAMES[opt];
        if (!key) {
          if (['braceexpand', 'hashall', 'interactive-comments', 'monitor', 'emacs', 'vi', 'histexpand', 'history', 'posix', 'errtrace', 'functrace', 'ignoreeof', 'allexport', 'verbose', 'notify', 'physical', 'privileged', 'keyword', 'onecmd', 'noexec', 'nolog'].includes(opt)) continue;
          err(c, `${opt}: invalid option name`);
          return 2;
        }
        c.sp.options[key] = a === '-o';
        continue;
      }
      if (/^[-+][a-zA-Z]+$/.test(a)) {
        for (const ch of a.slice(1)) {
          if (ch === 'o') {
            // `set -euo pipefail`: an `o` in a cluster takes the next word as the option name, as in bash
            const opt = args[k + 1];
            const key = opt === undefined ? undefined : OPTION_NAMES[opt];
            if (!key) {
              err(c, `${opt ?? ''}: invalid option name`);
              return 1;
            }
            k++;
            c.sp.options[key] = a[0] === '-';
            continue;
          }
          if (!setOption(c, ch, a[0] === '-')) {
            err(c, `${a[0]}${ch}: invalid option`);
            c.io.err.write('set: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n');
            return 2;
          }
        }
        continue;
      }
      if (a === '-' || a === '+') {
        c.sp.positional = args.slice(k + 1);
        return 0;
      }
      break;
    }
    if (k < args.length) c.sp.positional = args.slice(k);
    return 0;
  },

  shift: (c: BuiltinContext) => {
    const n = c.args[0] === undefined ? 1 : Number(c.args[0]);
    if (!Number.isInteger(n) || n < 0) {
      err(c, `${c.args[0]}: numeric argument required`);
      return 1;
    }
    if (n > c.sp.positional.length) return 1;
    c.sp.positional = c.sp.positional.slice(n);
    return 0;
  },

  getopts: (c: BuiltinContext) => {
    const [spec, name, ...given] = c.args;
    if (spec === undefined || name === undefined) {
      c.io.err.write('getopts: usage: getopts optstring name [arg ...]\n');
      return 2;
    }
    const argv = given.length ? given : c.sp.positional;
    const silent = spec.startsWith(':');
    const letters = silent ? spec.slice(1) : spec;
    let optind = Number(c.sp.get('OPTIND') ?? '1') || 1;
    if (optind === 1 && c.sp.optCharIndex > 1 && !c.sp.get('OPTIND')) c.sp.optCharIndex = 1;
    const arg = argv[optind - 1];
    const finish = () => {
      c.shell.assign(c.sp, name, '?');
      return 1;
    };
    if (arg === undefined || arg === '-' || !arg.startsWith('-')) return finish();
    if (arg === '--') {
      c.shell.assign(c.sp, 'OPTIND', String(optind + 1));
      return finish();
    }
    const ch = arg[c.sp.optCharIndex]!;
    const at = letters.indexOf(ch);
    let next = c.sp.optCharIndex + 1;
    const advance = () => {
      optind++;
      next = 1;
    };
    if (next >= arg.length) advance();
    if (at < 0 || ch === ':') {
      if (silent) {
        c.shell.assign(c.sp, 'OPTARG', ch);
      } else {
        c.io.err.write(`${c.sp.arg0}: illegal option -- ${ch}\n`);
        c.sp.unset('OPTARG');
      }
      c.shell.assign(c.sp, name, '?');
    } else if (letters[at + 1] === ':') {
      let value: string | undefined;
      if (next > 1) {
        value = arg.slice(next);
        advance();
      } else {
        value = argv[optind - 1];
        if (value !== undefined) optind++;
      }
      if (value === undefined) {
        if (silent) {
          c.shell.assign(c.sp, name, ':');
          c.shell.assign(c.sp, 'OPTARG', ch);
        } else {
          c.io.err.write(`${c.sp.arg0}: option requires an argument -- ${ch}\n`);
          c.shell.assign(c.sp, name, '?');
          c.sp.unset('OPTARG');
        }
      } else {
        c.shell.assign(c.sp, name, ch);
        c.shell.assign(c.sp, 'OPTARG', value);
      }
    } else {
      c.shell.assign(c.sp, name, ch);
      c.sp.unset('OPTARG');
    }
    c.sp.optCharIndex = next;
    c.shell.assign(c.sp, 'OPTIND', String(optind));
    return 0;
  },

  read: async (c: BuiltinContext) => {
    let raw = false;
    let delim = '\n';
    let nchars: number | undefined;
    let prompt = '';
    let arrayName: string | undefined;
    const names: string[] = [];
    const args = c.args;
    for (let k = 0; k < args.length; k++) {
      const a = args[k]!;
      if (names.length || !a.startsWith('-') || a === '-') {
        names.push(a);
        continue;
      }
      for (let j = 1; j < a.length; j++) {
        const ch = a[j]!;
        if (ch === 'r') raw = true;
        else if (ch === 's' || ch === 'e') continue;
        else if ('dnNptua'.includes(ch)) {
          const v = a.slice(j + 1) || args[++k] || '';
          if (ch === 'd') delim = v[0] ?? '\0';
          else if (ch === 'a') arrayName = v;
          else if (ch === 'n' || ch === 'N') nchars = Number(v);
          else if (ch === 'p') prompt = v;
          break;
        } else {
          err(c, `-${ch}: invalid option`);
          return 2;
        }
      }
    }
    if (prompt && c.io.tty) c.io.err.write(prompt);
    if (!names.length) names.push('REPLY');
    let line: string;
    let complete = true;
    if (nchars !== undefined) {
      const b = await c.io.input.readBytes(nchars);
      if (!b.length) return 1;
      line = b.toString('utf8');
    } else {
      let got: { line: string; complete: boolean } | null = null;
      line = '';
      for (;;) {
        got = await readInputLine(c, delim);
        if (!got) break;
        // without -r a trailing backslash joins the next line
        if (!raw && got.complete && /(^|[^\\])(\\\\)*\\$/.test(got.line)) {
          line += got.line.slice(0, -1);
          continue;
        }
        line += got.line;
        break;
      }
      if (!got && line === '') {
        for (const n of names) c.shell.assign(c.sp, n, '');
        return 1;
      }
      complete = !!got && got.complete;
    }
    if (!raw) line = line.replace(/\\(.)/g, '$1');
    const ifs = c.sp.get('IFS') ?? ' \t\n';
    if (arrayName !== undefined) {
      // read -a: every IFS field an element
      const ws = [...ifs].filter((ch) => ' \t\n'.includes(ch)).join('').replace(/[\]\\^-]/g, '\\$&');
      const trimmed = ws ? trimOf(line, [...ifs].filter((ch) => ' \t\n'.includes(ch)).join('')) : line;
      const fields = trimmed === '' ? [] : splitIfs(trimmed, ifs);
      if (c.sp.readonly.has(arrayName)) {
        err(c, `${arrayName}: readonly variable`);
        return 1;
      }
      c.sp.unset(arrayName);
      c.sp.arrays.set(arrayName, { assoc: false, items: new Map(fields.map((f, k) => [String(k), f])) });
      return complete ? 0 : 1;
    }
    if (names.length === 1 && names[0] === 'REPLY' && !c.args.includes('REPLY')) c.shell.assign(c.sp, 'REPLY', line);
    else assignRead(c, line, names, ifs);
    return complete ? 0 : 1;
  },

  mapfile: (c: BuiltinContext) => mapfile(c),
  readarray: (c: BuiltinContext) => mapfile(c),

  eval: (c: BuiltinContext) => evalText(c, c.args.join(' ')),

  '.': async (c: BuiltinContext) => {
    const file = c.args[0];
    if (file === undefined) {
      err(c, 'filename argument required');
      c.io.err.write(`${c.name}: usage: ${c.name} filename [arguments]\n`);
      return 2;
    }
    const vfs = c.shell.sys.vfs;
    let path = resolvePath(c.sp.proc.cwd, file);
    if (!file.includes('/') && !vfs.exists(c.sp.proc.cred, path)) {
      for (const dir of (c.sp.get('PATH') ?? '').split(':')) {
        const p = `${dir}/${file}`;
        if (dir && vfs.exists(c.sp.proc.cred, p)) {
          path = p;
          break;
        }
      }
    }
    let src: string;
    try {
      src = vfs.readFile(c.sp.proc.cred, path).toString('utf8');
    } catch (e) {
      if (isFsError(e)) {
        c.io.err.write(`${c.shell.errPrefix(c.sp)}${file}: ${e.text}\n`);
        return 1;
      }
      throw e;
    }
    return evalText(c, src, c.args.length > 1 ? c.args.slice(1) : c.sp.positional);
  },
  source: (c: BuiltinContext) => BUILTINS['.']!(c),

  exec: async (c: BuiltinContext) => {
    let args = c.args;
    while (args[0] === '-c' || args[0] === '-l' || args[0] === '--') args = args.slice(1);
    if (args[0] === '-a') args = args.slice(2);
    if (!args.length) return 0;
    const resolved = c.shell.resolve(c.sp, args[0]!, { functions: false });
    let status: number;
    if (resolved.kind === 'builtin') status = await resolved.fn({ ...c, name: args[0]!, args: args.slice(1) });
    else if (resolved.kind === 'program') {
      status = await c.shell.runProgram({ ...c.sp.proc, env: c.sp.environment() }, args, c.io, c.run, c.depth + 1, resolved.program, c.sp);
      if (resolved.program.kind === 'missing' && !c.shell.interactive) throw new ExitSignal(127);
    } else status = 0;
    throw new ExitSignal(status);
  },

  trap: (c: BuiltinContext) => {
    const args = c.args[0] === '--' ? c.args.slice(1) : c.args;
    if (!args.length || args[0] === '-p') {
      for (const [sig, action] of c.sp.traps) c.io.out.write(`trap -- '${action.replace(/'/g, "'\\''")}' ${sig}\n`);
      return 0;
    }
    if (args[0] === '-l') {
      c.io.out.write(' 1) SIGHUP\t 2) SIGINT\t 3) SIGQUIT\t 9) SIGKILL\t15) SIGTERM\n');
      return 0;
    }
    let action: string | undefined = args[0];
    let signals = args.slice(1);
    if (/^[0-9]+$/.test(action!) && !signals.length) {
      signals = [action!];
      action = undefined;
    }
    if (action === '-') action = undefined;
    let status = 0;
    for (const s0 of signals) {
      const s = s0.toUpperCase().replace(/^SIG/, '');
      const sig = s === '0' ? 'EXIT' : { '1': 'HUP', '2': 'INT', '3': 'QUIT', '15': 'TERM' }[s] ?? s;
      if (!['EXIT', 'HUP', 'INT', 'QUIT', 'TERM', 'ERR', 'DEBUG', 'RETURN', 'USR1', 'USR2', 'PIPE', 'CHLD', 'ALRM'].includes(sig)) {
        err(c, `${s0}: invalid signal specification`);
        status = 1;
        continue;
      }
      if (action === undefined) c.sp.traps.delete(sig);
      else c.sp.traps.set(sig, action);
    }
    return status;
  },

  command: async (c: BuiltinContext) => {
    let args = c.args;
    let mode: 'run' | 'v' | 'V' = 'run';
    while (args.length && /^-[pvV]+$/.test(args[0]!)) {
      if (args[0]!.includes('v')) mode = 'v';
      if (args[0]!.includes('V')) mode = 'V';
      args = args.slice(1);
    }
    if (args[0] === '--') args = args.slice(1);
    if (!args.length) return 0;
    if (mode !== 'run') return describe(c, args, mode === 'v' ? 'path' : 'verbose');
    const resolved = c.shell.resolve(c.sp, args[0]!, { functions: false });
    if (resolved.kind === 'builtin') return resolved.fn({ ...c, name: args[0]!, args: args.slice(1) });
    if (resolved.kind === 'program') return c.shell.runProgram({ ...c.sp.proc, env: c.sp.environment() }, args, c.io, c.run, c.depth + 1, resolved.program, c.sp);
    return 0;
  },

  type: (c: BuiltinContext) => {
    let mode: 'verbose' | 'type' | 'path' = 'verbose';
    const names: string[] = [];
    for (const a of c.args) {
      if (a === '-t') mode = 'type';
      else if (a === '-p' || a === '-P') mode = 'path';
      else if (a === '-a') continue;
      else names.push(a);
    }
    return describe(c, names, mode);
  },

  hash: () => 0,

  /** `time cmd`: bash's report on stderr (the guest's clock; user and sys are not measured). */
  time: async (c: BuiltinContext) => {
    const t0 = performance.now();
    let status = 0;
    if (c.args.length) {
      const resolved = c.shell.resolve(c.sp, c.args[0]!);
      if (resolved.kind === 'builtin') status = await resolved.fn({ ...c, name: c.args[0]!, args: c.args.slice(1) });
      else if (resolved.kind === 'program') status = await c.shell.runProgram({ ...c.sp.proc, env: c.sp.environment() }, c.args, c.io, c.run, c.depth + 1, resolved.program, c.sp);
      else status = await c.shell.runCommand(c.sp, { type: 'simple', assignments: [], words: c.args.map((a) => [{ kind: 'literal', text: a, quoted: true }]), redirects: [], line: c.sp.lineno }, c.io, c.run, c.depth + 1);
    }
    const secs = (performance.now() - t0) / 1000;
    const fmt = (s: number) => `${Math.floor(s / 60)}m${(s % 60).toFixed(3)}s`;
    c.io.err.write(`\nreal\t${fmt(secs)}\nuser\t${fmt(0)}\nsys\t${fmt(0)}\n`);
    return status;
  },

  wait: async (c: BuiltinContext) => {
    const jobs = c.run.background.splice(0);
    await Promise.all(jobs);
    return 0;
  },

  umask: (c: BuiltinContext) => {
    const { proc } = c.sp;
    const args = c.args.filter((a) => a !== '-S');
    if (!args.length) {
      if (c.args.includes('-S')) {
        const m = ~proc.umask & 0o777;
        const part = (s: number) => (m >> s & 4 ? 'r' : '') + (m >> s & 2 ? 'w' : '') + (m >> s & 1 ? 'x' : '');
        c.io.out.write(`u=${part(6)},g=${part(3)},o=${part(0)}\n`);
      } else c.io.out.write(proc.umask.toString(8).padStart(4, '0') + '\n');
      return 0;
    }
    if (!/^[0-7]{1,4}$/.test(args[0]!)) {
      err(c, `${args[0]}: octal number out of range`);
      return 1;
    }
    proc.umask = parseInt(args[0]!, 8) & 0o777;
    return 0;
  },

  let: (c: BuiltinContext) => {
    if (!c.args.length) {
      err(c, 'expression expected');
      return 1;
    }
    let v = 0n;
    try {
      for (const a of c.args) v = c.shell.arith(c.sp, a);
    } catch (e) {
      if (e instanceof ArithError) {
        err(c, e.message);
        return 1;
      }
      throw e;
    }
    return v === 0n ? 1 : 0;
  },

  alias: () => 0,
  unalias: () => 0,
  shopt: () => 0,
  ulimit: (c: BuiltinContext) => {
    c.io.out.write('unlimited\n');
    return 0;
  },

  builtin: async (c: BuiltinContext) => {
    const name = c.args[0];
    if (!name) return 0;
    const b = BUILTINS[name];
    if (!b) {
      err(c, `${name}: not a shell builtin`);
      return 1;
    }
    return b({ ...c, name, args: c.args.slice(1) });
  },

  printf: async (c: BuiltinContext) => {
    // printf -v var: the formatted text goes into a variable
    if (c.args[0] !== '-v') return runCommandByName(c, 'printf', c.args);
    const name = c.args[1];
    const element = name ? /^([A-Za-z_][A-Za-z0-9_]*)\[(.+)\]$/s.exec(name) : null;
    if (!name || (!NAME_RE.test(name) && !element)) {
      err(c, `\`${name ?? ''}': not a valid identifier`);
      return 1;
    }
    const out = new BufferSink(c.shell.limits.maxVariableBytes);
    const status = await runCommandByName({ ...c, io: { ...c.io, out } }, 'printf', c.args.slice(2));
    try {
      if (element) {
        // printf -v 'a[i]': one element of an array
        const arr = c.sp.arrays.get(element[1]!);
        c.shell.assignElement(c.sp, element[1]!, arr?.assoc ? element[2]! : c.shell.elementIndex(c.sp, element[1]!, element[2]!), out.text());
      } else c.shell.assign(c.sp, name, out.text());
    } catch (e) {
      if (!(e instanceof ExpansionError || e instanceof ArithError)) throw e;
      err(c, e.message);
      return 1;
    }
    return status;
  },

  echo: (c: BuiltinContext) => runCommandByName(c, 'echo', c.args),
  test: (c: BuiltinContext) => runCommandByName({ ...c, io: { ...c.io, err: { write: (d) => c.io.err.write(c.shell.errPrefix(c.sp) + d.toString()) } } }, 'test', c.args),
  '[': (c: BuiltinContext) => runCommandByName({ ...c, io: { ...c.io, err: { write: (d) => c.io.err.write(c.shell.errPrefix(c.sp) + d.toString()) } } }, '[', c.args),
  pwd: (c: BuiltinContext) => {
    c.io.out.write(c.sp.proc.cwd + '\n');
    return 0;
  },
});

async function runCommandByName(c: BuiltinContext, name: string, args: string[]): Promise<number> {
  const command = c.shell.commands[name];
  if (!command) return 127;
  return command({ name, args, proc: { ...c.sp.proc, env: c.sp.environment() }, io: c.io, sys: c.shell.sys, rt: c.shell.runtime(c.run, c.depth) });
}

/** command -v / -V and type. */
function describe(c: BuiltinContext, names: string[], mode: 'verbose' | 'type' | 'path'): number {
  let status = 0;
  for (const n of names) {
    const f = c.sp.functions.get(n);
    const keyword = ['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'function', '{', '}', '[[', ']]', '!', 'in', 'time'].includes(n);
    const isBuiltin = !!BUILTINS[n] || ['true', 'false', 'test', '[', 'kill'].includes(n);
    if (keyword && mode !== 'path') {
      c.io.out.write(mode === 'type' ? 'keyword\n' : mode === 'verbose' && c.name !== 'command' ? `${n} is a shell keyword\n` : c.name === 'command' ? `${n}\n` : '');
      if (c.name === 'command' && mode === 'verbose') c.io.out.write(`${n} is a shell keyword\n`);
      continue;
    }
    if (f && mode !== 'path') {
      if (mode === 'type') c.io.out.write('function\n');
      else if (c.name === 'command' && mode !== 'verbose') c.io.out.write(`${n}\n`);
      else c.io.out.write(`${n} is a function\n`);
      continue;
    }
    if (isBuiltin && mode !== 'path') {
      if (mode === 'type') c.io.out.write('builtin\n');
      else if (c.name === 'command' && mode !== 'verbose') c.io.out.write(`${n}\n`);
      else c.io.out.write(`${n} is a shell builtin\n`);
      continue;
    }
    const path = programPath(c, n);
    if (path) {
      if (mode === 'type') c.io.out.write('file\n');
      else if (mode === 'path' || (c.name === 'command' && mode !== 'verbose')) c.io.out.write(`${path}\n`);
      else c.io.out.write(`${n} is ${path}\n`);
      continue;
    }
    status = 1;
    if (mode === 'verbose') err(c, `${n}: not found`);
  }
  return status;
}

/** Where `name` would be found: an executable file on PATH, or /usr/bin for the guest's commands. */
function programPath(c: BuiltinContext, name: string): string | undefined {
  const vfs = c.shell.sys.vfs;
  const cred = c.sp.proc.cred;
  if (name.includes('/')) {
    const p = resolvePath(c.sp.proc.cwd, name);
    return vfs.exists(cred, p) && vfs.access(cred, p, X) ? name : undefined;
  }
  for (const dir of (c.sp.get('PATH') ?? '').split(':')) {
    if (!dir.startsWith('/')) continue;
    const p = `${dir.replace(/\/$/, '')}/${name}`;
    try {
      if (vfs.stat(cred, p).type === 'file' && vfs.access(cred, p, X)) return p;
    } catch {
      // not here
    }
  }
  if (SHELLS.has(name) || Object.prototype.hasOwnProperty.call(c.shell.commands, name)) return `/usr/bin/${name}`;
  return undefined;
}

