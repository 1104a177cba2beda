// Runs a parsed awk program: records and fields, variables and associative
// arrays, user functions, the built-in functions, output redirection to
// files, `cmd | getline` and system() through the guest's own shell. Every
// loop iteration, record and function call passes Runtime.tick(), so a
// runaway program is bounded by the command line's CPU budget like any other.
import { LinearRegExp } from '../../../../domain/regex/index.js';
import { trimEndOf, trimOf } from '../../../../domain/trim.js';
import { resolvePath } from '../../../fs/vfs.js';
import { BufferSink, Input } from '../../streams.js';
import type { CommandContext } from '../../types.js';
import { POSIX_CLASSES } from '../../pattern.js';
import { FormatArgsMissing, numberToString, sprintf } from './format.js';
import type { AwkFunction, AwkProgram, Expr, LValue, Stmt } from './parse.js';

/** A string from input (fields, getline, -v, split) that looks like a number: compares as one. */
export class StrNum {
  constructor(
    readonly s: string,
    readonly n: number,
  ) {}
}

export type Val = number | string | StrNum;
type AwkArray = Map<string, Val>;
type Cell = Val | AwkArray;

/** The value of a variable never assigned: "" and 0 at once. */
const UNINIT = new StrNum('', 0);

export class AwkFatal extends Error {}

class NextSignal {}
class NextFileSignal {}
class BreakSignal {}
class ContinueSignal {}
class ReturnSignal {
  constructor(readonly v: Val) {}
}
export class ExitSignal {
  constructor(readonly code: number) {}
}
const NEXT = new NextSignal();
const NEXTFILE = new NextFileSignal();
const BREAK = new BreakSignal();
const CONTINUE = new ContinueSignal();

// `\d+(?:\.\d*)?`, not `\d+\.?\d*`: the latter splits a digit run two ways and, anchored at both ends,
// backtracked quadratically on a long digit field followed by anything else (issue 19).
const NUMERIC = /^[ \t\n\r\f\v]*[-+]?(?:\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|0[xX][0-9a-fA-F]+)[ \t\n\r\f\v]*$/;
const LEADING_NUMBER = /^[ \t\n\r\f\v]*[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)/;

/** Input text as a value: a number-looking string compares numerically. */
export function strnum(s: string): Val {
  if (NUMERIC.test(s) && !/0[xX]/.test(s)) return new StrNum(s, Number(s.trim()));
  return s;
}

/** awk's regex dialect to JavaScript's: POSIX bracket classes, `{` literal unless an interval. */
export function awkRegex(src: string): string {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      out += c + (src[i + 1] ?? '\\');
      i++;
    } else if (c === '[') {
      let j = i + 1;
      let cls = '[';
      if (src[j] === '^') {
        cls += '^';
        j++;
      }
      if (src[j] === ']') {
        cls += '\\]';
        j++;
      }
      for (; j < src.length && src[j] !== ']'; j++) {
        const m = /^\[:([a-z]+):\]/.exec(src.slice(j, j + 12));
        if (m) {
          cls += POSIX_CLASSES[m[1]!] ?? '';
          j += m[0].length - 1;
        } else if (src[j] === '\\') {
          cls += '\\' + (src[j + 1] ?? '\\');
          j++;
        } else if (src[j] === '[') cls += '\\[';
        else cls += src[j];
      }
      if (j >= src.length) throw new AwkFatal(`unterminated [ in regex: /${src}/`);
      out += cls + ']';
      i = j;
    } else if (c === '{' && !/^\{\d+(,\d*)?\}/.test(src.slice(i, i + 24))) out += '\\{';
    else if (c === '}' && !/\{\d+(,\d*)?$/.test(out)) out += '\\}';
    else if (c === '/') out += '\\/';
    else out += c;
  }
  return out;
}

const MAX_STRING = 8 * 1024 * 1024;
const MAX_CELLS = 1_000_000;
const MAX_CALL_DEPTH = 5000;
/** What one awk may hold in strings and arrays: beyond it, a fatal error rather than the server's memory. */
const MAX_HELD = 64 * 1024 * 1024;

const size = (v: Val): number => (typeof v === 'string' ? v.length : v instanceof StrNum ? v.s.length + 8 : 8);

interface OutputFile {
  kind: 'file' | 'pipe';
  chunks: string[];
  size: number;
}

interface Reader {
  /** The next record, or null at the end. */
  next(): Promise<string | null>;
}

/** A step of evaluation: yields promises to wait on, returns the value (see `drive`). */
type Step<T> = Generator<Promise<unknown>, T, unknown>;

export class AwkMachine {
  private globals = new Map<string, Cell>();
  private frames: Map<string, Cell>[] = [];
  private fields: Val[] = [''];
  private nf = 0;
  private record = '';
  private regexCache = new Map<string, LinearRegExp>();
  private rangeActive: boolean[] = [];
  private outputs = new Map<string, OutputFile>();
  private readers = new Map<string, Reader>();
  private mainReader: Reader | undefined;
  private cells = 0;
  /** Bytes held in arrays (kept as elements change) and big strings made since the last count. */
  private arrayBytes = 0;
  private bigBytes = 0;
  private seed = 0;
  private prevSeed = 0;
  private rand: () => number = mulberry(0);
  /** The exit status of `exit n`; END still runs after an exit outside it. */
  exitCode = 0;

  constructor(
    private readonly prog: AwkProgram,
    private readonly ctx: CommandContext,
  ) {
    const g = this.globals;
    for (const [k, v] of Object.entries({ FS: ' ', OFS: ' ', ORS: '\n', RS: '\n', SUBSEP: '\x1c', CONVFMT: '%.6g', OFMT: '%.6g', NR: 0, FNR: 0, RSTART: 0, RLENGTH: -1, FILENAME: '' })) g.set(k, v);
    const env: AwkArray = new Map();
    for (const [k, v] of ctx.proc.env) env.set(k, strnum(v));
    g.set('ENVIRON', env);
  }

  setVar(name: string, value: string): void {
    this.globals.set(name, strnum(value));
  }

  setArgv(argv: string[]): void {
    const a: AwkArray = new Map(argv.map((v, k) => [String(k), strnum(v)]));
    this.globals.set('ARGV', a);
    this.globals.set('ARGC', argv.length);
  }

  // ---- conversions ----------------------------------------------------------------------

  num(v: Val): number {
    if (typeof v === 'number') return v;
    if (v instanceof StrNum) return v.n;
    const m = LEADING_NUMBER.exec(v);
    return m ? Number(m[0].trim()) : 0;
  }

  str(v: Val): string {
    if (typeof v === 'string') return v;
    if (v instanceof StrNum) return v.s;
    return numberToString(v, this.scalarString('CONVFMT'));
  }

  private outStr(v: Val): string {
    if (typeof v === 'number') return numberToString(v, this.scalarString('OFMT'));
    return this.str(v);
  }

  private truthy(v: Val): boolean {
    if (typeof v === 'number') return v !== 0;
    if (v instanceof StrNum) return v === UNINIT ? false : v.n !== 0;
    return v !== '';
  }

  scalarString(name: string): string {
    const v = this.globals.get(name);
    return v === undefined || v instanceof Map ? '' : this.str(v);
  }

  private regex(src: string): LinearRegExp {
    let r = this.regexCache.get(src);
    if (!r) {
      try {
        r = new LinearRegExp(awkRegex(src), 'L'); // POSIX leftmost-longest, as gawk matches
      } catch {
        throw new AwkFatal(`invalid regex: /${src}/`);
      }
      if (this.regexCache.size > 500) this.regexCache.clear();
      this.regexCache.set(src, r);
    }
    return r;
  }

  private *regexOf(e: Expr): Step<LinearRegExp> {
    return this.regex(e.k === 're' ? e.v : this.str(yield* this.ev(e)));
  }

  private format(vals: Val[]): string {
    try {
      return sprintf(this.str(vals[0]!), vals.slice(1), (v) => this.num(v), (v) => this.str(v));
    } catch (e) {
      if (e instanceof FormatArgsMissing) throw new AwkFatal('not enough arguments to satisfy format string');
      throw e;
    }
  }

  // ---- variables ------------------------------------------------------------------------

  private scope(name: string): Map<string, Cell> {
    // (an empty stack is the common case; frames[-1] would be a slow property lookup)
    const depth = this.frames.length;
    if (depth === 0) return this.globals;
    const f = this.frames[depth - 1]!;
    return f.has(name) ? f : this.globals;
  }

  private getVar(name: string): Val {
    if (name === 'NF') return this.nf;
    const v = this.scope(name).get(name);
    if (v instanceof Map) throw new AwkFatal(`attempt to use array \`${name}' in a scalar context`);
    return v ?? UNINIT;
  }

  private setVarValue(name: string, v: Val): void {
    if (name === 'NF') return this.setNF(Math.trunc(this.num(v)));
    const s = this.scope(name);
    if (s.get(name) instanceof Map) throw new AwkFatal(`attempt to use array \`${name}' in a scalar context`);
    s.set(name, v);
  }

  array(name: string): AwkArray {
    const s = this.scope(name);
    const v = s.get(name);
    if (v instanceof Map) return v;
    if (v !== undefined && v !== UNINIT) throw new AwkFatal(`attempt to use scalar \`${name}' as an array`);
    const a: AwkArray = new Map();
    s.set(name, a);
    return a;
  }

  private *subscript(subs: Expr[]): Step<string> {
    if (subs.length === 1) return this.str(yield* this.ev(subs[0]!));
    const parts: string[] = [];
    for (const e of subs) parts.push(this.str(yield* this.ev(e)));
    return parts.join(this.scalarString('SUBSEP'));
  }

  private setElement(a: AwkArray, key: string, v: Val): void {
    const old = a.get(key);
    if (old === undefined) {
      if (++this.cells > MAX_CELLS) throw new AwkFatal('out of memory: too many array elements');
      this.arrayBytes += key.length + 48;
    } else this.arrayBytes -= size(old);
    this.arrayBytes += size(v);
    if (this.arrayBytes > MAX_HELD) throw new AwkFatal('out of memory: arrays too large');
    a.set(key, v);
  }

  private deleteElement(a: AwkArray, key: string): void {
    const old = a.get(key);
    if (old === undefined) return;
    a.delete(key);
    this.cells--;
    this.arrayBytes -= size(old) + key.length + 48;
  }

  private clearArray(a: AwkArray): void {
    for (const k of [...a.keys()]) this.deleteElement(a, k);
  }

  /** A big string was made: past every 32 MiB of them, count what the program holds (scalars, locals, arrays, the record). */
  private noteString(str: string): string {
    if (str.length < 65536) return str;
    if (str.length > MAX_STRING) throw new AwkFatal('string too long');
    this.bigBytes += str.length;
    if (this.bigBytes < 32 * 1024 * 1024) return str;
    this.bigBytes = 0;
    let total = this.arrayBytes + this.record.length * 2;
    const seen = new Set<AwkArray>();
    for (const scope of [this.globals, ...this.frames]) {
      for (const c of scope.values()) {
        if (c instanceof Map) {
          if (seen.has(c)) continue;
          seen.add(c);
        } else total += size(c);
      }
    }
    if (total > MAX_HELD) throw new AwkFatal('out of memory');
    return str;
  }

  // ---- records and fields ---------------------------------------------------------------

  setRecord(text: string): void {
    this.record = text;
    this.splitRecord();
  }

  private splitRecord(): void {
    const parts = this.splitFields(this.record, this.scalarString('FS'));
    this.fields = [strnum(this.record), ...parts.map(strnum)];
    this.nf = parts.length;
  }

  /** Field splitting: " " (blanks, trimmed), one other character (literally), else a regex. */
  splitFields(text: string, fs: string): string[] {
    if (text === '') return [];
    if (fs === ' ') {
      const t = trimOf(text, ' \t\n');
      return t === '' ? [] : t.split(/[ \t\n]+/);
    }
    if (fs.length === 1 && fs !== '\\') {
      const parts = text.split(fs === '\t' ? '\t' : fs);
      if (this.scalarString('RS') === '') return parts.flatMap((p) => p.split('\n'));
      return parts;
    }
    if (fs === '') return [...text];
    const re = this.regex(fs);
    return splitRegex(text, re);
  }

  private getField(i: number): Val {
    if (i < 0) throw new AwkFatal(`attempt to access field ${i}`);
    if (i === 0) return this.fields[0] ?? '';
    return i <= this.nf ? (this.fields[i] ?? UNINIT) : UNINIT;
  }

  private setField(i: number, v: Val): void {
    if (i < 0) throw new AwkFatal(`attempt to access field ${i}`);
    if (i > 100_000) throw new AwkFatal(`field index ${i} too large`);
    if (i === 0) return this.setRecord(this.str(v));
    while (this.nf < i) this.fields[++this.nf] = UNINIT;
    this.fields[i] = v;
    this.rebuild();
  }

  private setNF(n: number): void {
    if (n < 0) throw new AwkFatal(`NF set to negative value`);
    if (n > 100_000) throw new AwkFatal(`NF ${n} too large`);
    while (this.nf < n) this.fields[++this.nf] = UNINIT;
    this.nf = n;
    this.fields.length = n + 1;
    this.rebuild();
  }

  private rebuild(): void {
    const ofs = this.scalarString('OFS');
    const parts: string[] = [];
    for (let k = 1; k <= this.nf; k++) parts.push(this.outStr(this.fields[k] ?? UNINIT));
    this.record = parts.join(ofs);
    if (this.record.length > MAX_STRING) throw new AwkFatal('record too long');
    this.fields[0] = this.record;
  }

  // ---- running --------------------------------------------------------------------------

  private sources: string[] = [];
  private sourceIndex = 0;
  private openSource: (name: string) => Reader | string = () => 'not opened';
  private stdinReader: () => Reader = () => ({ next: async () => null });

  /** The next record of the main input (the operands in turn, `var=value` ones assigned on the way), or null. */
  private async nextMainRecord(): Promise<string | null> {
    for (;;) {
      if (!this.mainReader) {
        const src = this.sources[this.sourceIndex++];
        if (src === undefined) return null;
        const assign = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(src);
        if (assign) {
          this.setVarValue(assign[1]!, strnum(assign[2]!));
          continue;
        }
        if (src === '-' || src === '/dev/stdin') this.mainReader = this.stdinReader();
        else {
          const r = this.openSource(src);
          if (typeof r === 'string') throw new AwkFatal(`cannot open file \`${src}' for reading: ${r}`);
          this.mainReader = r;
        }
        this.globals.set('FILENAME', src === '-' ? '' : src);
        this.globals.set('FNR', 0);
      }
      const rec = await this.mainReader.next();
      if (rec !== null) return rec;
      this.mainReader = undefined;
    }
  }

  async run(operands: string[], readStdin: () => Reader, openFile: (name: string) => Reader | string): Promise<void> {
    const { rules } = this.prog;
    this.sources = operands.some((a) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(a)) ? operands : [...operands, '-'];
    this.openSource = openFile;
    this.stdinReader = readStdin;
    try {
      for (const r of rules) if (r.kind === 'BEGIN') await this.execBlock(r.action!);
      const main = rules.filter((r) => r.kind === 'main');
      const hasEnd = rules.some((r) => r.kind === 'END');
      if (main.length || hasEnd) {
        this.rangeActive = main.map(() => false);
        for (;;) {
          const rec = await this.nextMainRecord();
          if (rec === null) break;
          const due = this.tickIfDue();
          if (due) await due;
          this.globals.set('NR', this.num(this.getVar('NR')) + 1);
          this.globals.set('FNR', this.num(this.getVar('FNR')) + 1);
          this.setRecord(rec);
          try {
            await this.runMain(main);
          } catch (e) {
            if (e === NEXT) continue;
            if (e === NEXTFILE) {
              this.mainReader = undefined;
              continue;
            }
            throw e;
          }
        }
      }
    } catch (e) {
      if (!(e instanceof ExitSignal)) throw e;
      this.exitCode = e.code;
    }
    try {
      for (const r of rules) if (r.kind === 'END') await this.execBlock(r.action!);
    } catch (e) {
      if (!(e instanceof ExitSignal)) throw e;
      this.exitCode = e.code;
    }
    await this.closeAll();
  }


  // ---- which trees may wait: function calls, getline, system(), close() and loops (they tick)

  private asyncCache = new WeakMap<object, boolean>();
  private nextTickAt = 0;

  /** A pending yield when this slice of work is over (output drained, budget checked), else nothing to await. */
  private tickIfDue(): Promise<void> | undefined {
    const now = performance.now();
    if (now < this.nextTickAt) return undefined;
    return (async () => {
      await this.ctx.io.out.drain?.();
      await this.ctx.rt.tick();
      this.nextTickAt = performance.now() + 0.5;
    })();
  }

  private isAsyncExpr(e: Expr): boolean {
    let v: boolean | undefined = this.asyncCache.get(e);
    if (v !== undefined) return v;
    if (e.k === 'call' || e.k === 'getline' || (e.k === 'builtin' && (e.name === 'system' || e.name === 'close'))) v = true;
    else v = children(e).some((c) => this.isAsyncExpr(c));
    this.asyncCache.set(e, v);
    return v;
  }

  /** Whether a function's body may wait (a call, a loop, getline…): then its calls get their own driver. */
  private bodyMayWait(f: AwkFunction): boolean {
    let v: boolean | undefined = this.asyncCache.get(f);
    if (v === undefined) this.asyncCache.set(f, (v = f.body.some((st) => this.isAsyncStmt(st))));
    return v;
  }

  private isAsyncStmt(st: Stmt): boolean {
    let v: boolean | undefined = this.asyncCache.get(st);
    if (v !== undefined) return v;
    switch (st.k) {
      case 'while':
      case 'do':
      case 'for':
      case 'forin':
        v = true;
        break;
      case 'print':
      case 'printf':
        v = !!st.redir || st.args.some((a) => this.isAsyncExpr(a));
        break;
      case 'expr':
        v = this.isAsyncExpr(st.e);
        break;
      case 'if':
        v = this.isAsyncExpr(st.c) || this.isAsyncStmt(st.a) || (!!st.b && this.isAsyncStmt(st.b));
        break;
      case 'block':
        v = st.body.some((x) => this.isAsyncStmt(x));
        break;
      case 'exit':
      case 'return':
        v = !!st.e && this.isAsyncExpr(st.e);
        break;
      case 'delete':
        v = !!st.subs && st.subs.some((x) => this.isAsyncExpr(x));
        break;
      default:
        v = false;
    }
    this.asyncCache.set(st, v);
    return v;
  }


  // ---- one evaluator, run two ways ------------------------------------------------------
  // Statements and expressions are evaluated by generators (`ex`, `ev`) that yield a promise
  // where they must wait (a function call's or a loop's tick, getline, system(), close()). A tree
  // the classification above calls synchronous never yields, so it runs to the end in one
  // `next()` with no promise per node (`runSync`); any other runs under `drive`, which awaits
  // each yielded promise and resumes the generator with its value.

  private runSync<T>(g: Step<T>): T {
    const r = g.next();
    if (!r.done) throw new AwkFatal('internal: a synchronous tree waited');
    return r.value;
  }

  private async drive<T>(g: Step<T>): Promise<T> {
    let r = g.next();
    while (!r.done) {
      let value: unknown;
      try {
        value = await r.value;
      } catch (e) {
        r = g.throw(e);
        continue;
      }
      r = g.next(value);
    }
    return r.value;
  }

  /** An expression's value: synchronously (patterns, builtins' arguments) when its tree allows. */
  evalSync(e: Expr): Val {
    return this.runSync(this.ev(e));
  }

  async eval(e: Expr): Promise<Val> {
    return this.isAsyncExpr(e) ? this.drive(this.ev(e)) : this.runSync(this.ev(e));
  }

  private async execBlock(body: Stmt[]): Promise<void> {
    for (const s of body) {
      if (this.isAsyncStmt(s)) await this.drive(this.ex(s));
      else this.runSync(this.ex(s));
    }
  }

  private async runMain(main: AwkProgram['rules']): Promise<void> {
    for (let k = 0; k < main.length; k++) {
      const r = main[k]!;
      let hit: boolean;
      if (!r.pattern) hit = true;
      else if (r.pattern2) {
        if (this.rangeActive[k]) {
          hit = true;
          if (this.truthy(await this.eval(r.pattern2))) this.rangeActive[k] = false;
        } else if (this.truthy(await this.eval(r.pattern))) {
          hit = true;
          this.rangeActive[k] = !this.truthy(await this.eval(r.pattern2));
        } else hit = false;
      } else hit = this.truthy(this.isAsyncExpr(r.pattern) ? await this.eval(r.pattern) : this.evalSync(r.pattern));
      if (!hit) continue;
      if (r.action) await this.execBlock(r.action);
      else this.ctx.io.out.write(this.str(this.getField(0)) + this.scalarString('ORS'));
    }
  }

  /** Yields a pending tick when this slice of work is over (loops and calls). */
  private *tick(): Step<void> {
    const due = this.tickIfDue();
    if (due) yield due;
  }

  private *ex(s: Stmt): Step<void> {
    switch (s.k) {
      case 'expr':
        if (this.leaf(s.e) === undefined) yield* this.ev(s.e);
        return;
      case 'print':
      case 'printf': {
        let text: string;
        if (s.k === 'print') {
          const vals: string[] = [];
          if (!s.args.length) vals.push(this.str(this.getField(0)));
          for (const a of s.args) vals.push(this.outStr(yield* this.ev(a)));
          text = vals.join(this.scalarString('OFS')) + this.scalarString('ORS');
        } else {
          const vals: Val[] = [];
          for (const a of s.args) vals.push(yield* this.ev(a));
          text = this.format(vals);
        }
        if (!s.redir) this.ctx.io.out.write(text);
        else {
          const name = this.str(yield* this.ev(s.redir.e));
          yield this.redirect(s.redir.op, name, text);
        }
        return;
      }
      case 'if':
        if (this.truthy(yield* this.ev(s.c))) yield* this.ex(s.a);
        else if (s.b) yield* this.ex(s.b);
        return;
      case 'while':
        for (;;) {
          if (!this.truthy(this.leaf(s.c) ?? (yield* this.ev(s.c)))) break;
          const due = this.tickIfDue();
          if (due) yield due;
          if (!this.quickBody(s.body) && (yield* this.loopBody(s.body))) break;
        }
        return;
      case 'do':
        do {
          const due = this.tickIfDue();
          if (due) yield due;
          if (yield* this.loopBody(s.body)) break;
        } while (this.truthy(yield* this.ev(s.c)));
        return;
      case 'for':
        if (s.init && this.leaf(s.init) === undefined) yield* this.ev(s.init);
        for (;;) {
          if (s.c && !this.truthy(this.leaf(s.c) ?? (yield* this.ev(s.c)))) break;
          const due = this.tickIfDue();
          if (due) yield due;
          if (!this.quickBody(s.body) && (yield* this.loopBody(s.body))) break;
          if (s.step && this.leaf(s.step) === undefined) yield* this.ev(s.step);
        }
        return;
      case 'forin': {
        const a = this.array(s.arr);
        for (const key of [...a.keys()]) {
          const due = this.tickIfDue();
          if (due) yield due;
          if (!a.has(key)) continue;
          yield* this.assign(s.v, strnum(key));
          if (yield* this.loopBody(s.body)) break;
        }
        return;
      }
      case 'block':
        for (const x of s.body) yield* this.ex(x);
        return;
      case 'next':
        throw NEXT;
      case 'nextfile':
        throw NEXTFILE;
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
      case 'exit':
        throw new ExitSignal(s.e ? Math.trunc(this.num(yield* this.ev(s.e))) & 255 : this.exitCode);
      case 'return':
        throw new ReturnSignal(s.e ? yield* this.ev(s.e) : UNINIT);
      case 'delete': {
        const a = this.array(s.name);
        if (!s.subs) {
          this.clearArray(a);
        } else this.deleteElement(a, yield* this.subscript(s.subs));
        return;
      }
    }
  }

  /** Runs a loop body; true when it broke out. */
  private *loopBody(body: Stmt): Step<boolean> {
    try {
      yield* this.ex(body);
    } catch (e) {
      if (e === BREAK) return true;
      if (e === CONTINUE) return false;
      throw e;
    }
    return false;
  }

  private *assign(lv: LValue, v: Val): Step<Val> {
    if (lv.k === 'var') return this.storeVar(lv.name, v);
    if (typeof v === 'string') this.noteString(v);
    switch (lv.k) {
      case 'idx':
        this.setElement(this.array(lv.name), yield* this.subscript(lv.subs), v);
        return v;
      case 'field':
        this.setField(Math.trunc(this.num(yield* this.ev(lv.e))), v);
        return v;
    }
  }

  private *lvalueGet(lv: LValue): Step<Val> {
    switch (lv.k) {
      case 'var':
        return this.getVar(lv.name);
      case 'idx': {
        const a = this.array(lv.name);
        const key = yield* this.subscript(lv.subs);
        const v = a.get(key);
        if (v === undefined) {
          // referencing an element creates it, as in awk
          this.setElement(a, key, UNINIT);
          return UNINIT;
        }
        return v;
      }
      case 'field':
        return this.getField(Math.trunc(this.num(yield* this.ev(lv.e))));
    }
  }

  /** A leaf's value without a generator (most operands are leaves: the hot paths stay cheap), else undefined. */
  /** A constant's or a variable's value; undefined for anything else (no side effect then). */
  private plain(e: Expr): Val | undefined {
    if (e.k === 'num' || e.k === 'str') return e.v;
    if (e.k === 'var') return this.getVar(e.name);
    return undefined;
  }

  /**
   * The value of an expression evaluated without a generator — a constant, a variable, or one
   * comparison, arithmetic, assignment or ++/-- over those (the body of tight loops: a generator
   * per node made them allocation-bound) — as `ev` computes it; undefined, with no side effect,
   * for any other expression.
   */
  private leaf(e: Expr): Val | undefined {
    switch (e.k) {
      case 'num':
      case 'str':
        return e.v;
      case 'var':
        return this.getVar(e.name);
      case 'cmp': {
        const l = this.plain(e.l);
        const r = l === undefined ? undefined : this.plain(e.r);
        return r === undefined ? undefined : compare(e.op, l!, r, this) ? 1 : 0;
      }
      case 'bin': {
        const l = this.plain(e.l);
        const r = l === undefined ? undefined : this.plain(e.r);
        return r === undefined ? undefined : arith(e.op, this.num(l!), this.num(r));
      }
      case 'assign': {
        if (e.lhs.k !== 'var') return undefined;
        const rhs = this.plain(e.rhs);
        if (rhs === undefined) return undefined;
        if (e.op === '=') return this.storeVar(e.lhs.name, copy(rhs));
        return this.storeVar(e.lhs.name, arith(e.op.slice(0, -1), this.num(this.getVar(e.lhs.name)), this.num(rhs)));
      }
      case 'incdec': {
        if (e.lv.k !== 'var') return undefined;
        const old = this.num(this.getVar(e.lv.name));
        const nv = e.op === '++' ? old + 1 : old - 1;
        this.storeVar(e.lv.name, nv);
        return e.pre ? nv : old;
      }
      default:
        return undefined;
    }
  }

  /** A loop body that is one such expression runs without a generator (true: it ran). */
  private quickBody(body: Stmt): boolean {
    return body.k === 'expr' && this.leaf(body.e) !== undefined;
  }

  private storeVar(name: string, v: Val): Val {
    if (typeof v === 'string') this.noteString(v);
    this.setVarValue(name, v);
    return v;
  }

  private *ev(e: Expr): Step<Val> {
    switch (e.k) {
      case 'num':
      case 'str':
        return e.v;
      case 're':
        return this.regex(e.v).test(this.str(this.getField(0))) ? 1 : 0;
      case 'var':
        return this.getVar(e.name);
      case 'idx':
      case 'field':
        return yield* this.lvalueGet(e);
      case 'group':
        return yield* this.ev(e.e);
      case 'assign': {
        const lhs = e.lhs;
        if (e.op === '=') {
          const v = copy(this.leaf(e.rhs) ?? (yield* this.ev(e.rhs)));
          return lhs.k === 'var' ? this.storeVar(lhs.name, v) : yield* this.assign(lhs, v);
        }
        const r = this.num(this.leaf(e.rhs) ?? (yield* this.ev(e.rhs)));
        const l = this.num(lhs.k === 'var' ? this.getVar(lhs.name) : yield* this.lvalueGet(lhs));
        const v = arith(e.op.slice(0, -1), l, r);
        return lhs.k === 'var' ? this.storeVar(lhs.name, v) : yield* this.assign(lhs, v);
      }
      case 'cond':
        return this.truthy(this.leaf(e.c) ?? (yield* this.ev(e.c))) ? (this.leaf(e.a) ?? (yield* this.ev(e.a))) : (this.leaf(e.b) ?? (yield* this.ev(e.b)));
      case 'and':
        return this.truthy(this.leaf(e.l) ?? (yield* this.ev(e.l))) && this.truthy(this.leaf(e.r) ?? (yield* this.ev(e.r))) ? 1 : 0;
      case 'or':
        return this.truthy(this.leaf(e.l) ?? (yield* this.ev(e.l))) || this.truthy(this.leaf(e.r) ?? (yield* this.ev(e.r))) ? 1 : 0;
      case 'in':
        return this.array(e.name).has(yield* this.subscript(e.subs)) ? 1 : 0;
      case 'match': {
        const s = this.str(this.leaf(e.l) ?? (yield* this.ev(e.l)));
        const hit = (yield* this.regexOf(e.r)).test(s);
        return hit !== e.neg ? 1 : 0;
      }
      case 'cmp': {
        const l = this.leaf(e.l) ?? (yield* this.ev(e.l));
        const r = this.leaf(e.r) ?? (yield* this.ev(e.r));
        return compare(e.op, l, r, this) ? 1 : 0;
      }
      case 'cat': {
        const l = this.str(this.leaf(e.l) ?? (yield* this.ev(e.l)));
        const s = l + this.str(this.leaf(e.r) ?? (yield* this.ev(e.r)));
        if (s.length > MAX_STRING) throw new AwkFatal('string too long');
        return s;
      }
      case 'bin': {
        const l = this.num(this.leaf(e.l) ?? (yield* this.ev(e.l)));
        return arith(e.op, l, this.num(this.leaf(e.r) ?? (yield* this.ev(e.r))));
      }
      case 'unary': {
        const v = this.leaf(e.e) ?? (yield* this.ev(e.e));
        if (e.op === '!') return this.truthy(v) ? 0 : 1;
        return e.op === '-' ? -this.num(v) : this.num(v);
      }
      case 'incdec': {
        const lv = e.lv;
        const old = this.num(lv.k === 'var' ? this.getVar(lv.name) : yield* this.lvalueGet(lv));
        const nv = e.op === '++' ? old + 1 : old - 1;
        if (lv.k === 'var') this.storeVar(lv.name, nv);
        else yield* this.assign(lv, nv);
        return e.pre ? nv : old;
      }
      case 'call': {
        // A function whose body calls nothing and has no loop cannot recurse: it runs inside this
        // generator (no promise per call, the cost of tight loops calling small functions).
        const f = this.prog.functions.get(e.name);
        if (f && !this.bodyMayWait(f)) return yield* this.callStep(e.name, e.args);
        // Any other call runs under its own driver: resuming after a tick re-enters one call's
        // generators, not every caller's (deep recursion would otherwise overflow the stack).
        return (yield this.drive(this.callStep(e.name, e.args))) as Val;
      }
      case 'builtin':
        return yield* this.builtin(e.name, e.args);
      case 'getline':
        return (yield this.getline(e)) as Val;
    }
  }

  // ---- functions ------------------------------------------------------------------------

  private arrayParams = new Map<AwkFunction, Set<string>>();

  /** The parameters a function uses as arrays (a bare variable passed for one is passed by reference). */
  private arrayParamsOf(f: AwkFunction): Set<string> {
    let s = this.arrayParams.get(f);
    if (s) return s;
    s = new Set();
    const found = s;
    const visitE = (e: Expr | undefined): void => {
      if (!e) return;
      if (e.k === 'idx' || e.k === 'in') found.add(e.name);
      if (e.k === 'builtin' && e.name === 'split' && e.args[1]?.k === 'var') found.add(e.args[1].name);
      if (e.k === 'builtin' && e.name === 'match' && e.args[2]?.k === 'var') found.add(e.args[2].name);
      if (e.k === 'call') {
        const g = this.prog.functions.get(e.name);
        e.args.forEach((a, k) => {
          if (a.k === 'var' && g && g !== f && this.arrayParamsOf(g).has(g.params[k] ?? '')) found.add(a.name);
        });
      }
      for (const v of Object.values(e)) {
        if (Array.isArray(v)) v.forEach((x) => typeof x === 'object' && x && 'k' in x && visitE(x as Expr));
        else if (typeof v === 'object' && v && 'k' in v) visitE(v as Expr);
      }
    };
    const visitS = (st: Stmt): void => {
      if (st.k === 'forin' || st.k === 'delete') found.add(st.k === 'forin' ? st.arr : st.name);
      for (const v of Object.values(st)) {
        if (Array.isArray(v)) v.forEach((x) => (typeof x === 'object' && x && 'k' in x ? (isStmt(x) ? visitS(x) : visitE(x as Expr)) : undefined));
        else if (typeof v === 'object' && v && 'k' in v) isStmt(v) ? visitS(v) : visitE(v as Expr);
      }
    };
    this.arrayParams.set(f, s);
    f.body.forEach(visitS);
    return s;
  }

  private *callStep(name: string, args: Expr[]): Step<Val> {
    const f = this.prog.functions.get(name);
    if (!f) throw new AwkFatal(`function \`${name}' not defined`);
    if (args.length > f.params.length) throw new AwkFatal(`function \`${name}' called with more arguments than declared`);
    if (this.frames.length >= MAX_CALL_DEPTH) throw new AwkFatal('function call nesting too deep');
    yield* this.tick();
    const arrays = this.arrayParamsOf(f);
    const frame = new Map<string, Cell>();
    for (let k = 0; k < f.params.length; k++) {
      const p = f.params[k]!;
      const a = args[k];
      if (!a) {
        frame.set(p, UNINIT);
        continue;
      }
      if (a.k === 'var') {
        const cur = this.scope(a.name).get(a.name);
        if (cur instanceof Map) {
          frame.set(p, cur);
          continue;
        }
        if (arrays.has(p) && (cur === undefined || cur === UNINIT)) {
          frame.set(p, this.array(a.name));
          continue;
        }
      }
      const v = copy(yield* this.ev(a));
      if (typeof v === 'string') this.noteString(v);
      frame.set(p, v);
    }
    this.frames.push(frame);
    try {
      for (const s of f.body) yield* this.ex(s);
      return UNINIT;
    } catch (e) {
      if (e instanceof ReturnSignal) return e.v;
      throw e;
    } finally {
      this.frames.pop();
    }
  }


  private *arg(args: Expr[], k: number): Step<Val> {
    return args[k] ? yield* this.ev(args[k]!) : UNINIT;
  }

  private *argStr(args: Expr[], k: number): Step<string> {
    return this.str(yield* this.arg(args, k));
  }

  private *argNum(args: Expr[], k: number): Step<number> {
    return this.num(yield* this.arg(args, k));
  }

  private *builtin(name: string, args: Expr[]): Step<Val> {
    const s = (k: number) => this.argStr(args, k);
    const n = (k: number) => this.argNum(args, k);
    switch (name) {
      case 'length': {
        if (!args.length) return [...this.str(this.getField(0))].length;
        const a = args[0]!;
        if (a.k === 'var') {
          const cur = this.scope(a.name).get(a.name);
          if (cur instanceof Map) return cur.size;
        }
        return [...(yield* s(0))].length;
      }
      case 'substr': {
        const chars = [...(yield* s(0))];
        // as gawk: a start below 1 counts as 1 (the length stays), fractions truncate
        const from = Math.max(1, Math.trunc(yield* n(1)));
        const end = args.length > 2 ? from + Math.trunc(yield* n(2)) : Infinity;
        const to = Math.min(chars.length + 1, end);
        return to > from ? chars.slice(from - 1, to - 1).join('') : '';
      }
      case 'index': {
        const hay = yield* s(0);
        const needle = yield* s(1);
        const i = hay.indexOf(needle);
        return i < 0 ? 0 : [...hay.slice(0, i)].length + 1;
      }
      case 'split': {
        const text = yield* s(0);
        const target = args[1];
        if (!target || target.k !== 'var') throw new AwkFatal('split: second argument is not an array');
        let parts: string[];
        if (args[2]) {
          if (args[2].k === 're') parts = text === '' ? [] : splitRegex(text, this.regex(args[2].v));
          else parts = this.splitFields(text, yield* s(2));
        } else parts = this.splitFields(text, this.scalarString('FS'));
        const a = this.array(target.name);
        this.clearArray(a);
        parts.forEach((p, k) => this.setElement(a, String(k + 1), strnum(p)));
        return parts.length;
      }
      case 'sub':
      case 'gsub': {
        const re = yield* this.regexOf(args[0]!);
        const repl = yield* s(1);
        const target: LValue = args[2] && (args[2].k === 'var' || args[2].k === 'idx' || args[2].k === 'field') ? args[2] : { k: 'field', e: { k: 'num', v: 0 } };
        const text = this.str(yield* this.lvalueGet(target));
        const { out, count } = substitute(text, re, repl, name === 'gsub');
        if (count) yield* this.assign(target, out);
        return count;
      }
      case 'match': {
        const text = yield* s(0);
        const re = yield* this.regexOf(args[1]!);
        const m = re.exec(text);
        const start = m ? [...text.slice(0, m.index)].length + 1 : 0;
        const len = m ? [...m[0]].length : -1;
        this.globals.set('RSTART', start);
        this.globals.set('RLENGTH', len);
        if (args[2] && args[2].k === 'var') {
          const a = this.array(args[2].name);
          this.clearArray(a);
          if (m) m.forEach((g, k) => g !== undefined && this.setElement(a, String(k), strnum(g)));
        }
        return start;
      }
      case 'sprintf': {
        if (!args.length) throw new AwkFatal('sprintf: no arguments');
        const vals: Val[] = [];
        for (const a of args) vals.push(yield* this.ev(a));
        const out = this.format(vals);
        if (out.length > MAX_STRING) throw new AwkFatal('string too long');
        return out;
      }
      case 'sin':
        return Math.sin(yield* n(0));
      case 'cos':
        return Math.cos(yield* n(0));
      case 'atan2': {
        const y = yield* n(0);
        return Math.atan2(y, yield* n(1));
      }
      case 'exp':
        return Math.exp(yield* n(0));
      case 'log':
        return Math.log(yield* n(0));
      case 'sqrt':
        return Math.sqrt(yield* n(0));
      case 'int':
        return Math.trunc(yield* n(0));
      case 'rand':
        return this.rand();
      case 'srand': {
        const prev = this.prevSeed;
        this.seed = args.length ? Math.trunc(yield* n(0)) : Math.floor(this.ctx.sys.now() / 1000);
        this.prevSeed = this.seed;
        this.rand = mulberry(this.seed);
        return prev;
      }
      case 'tolower':
        return (yield* s(0)).toLowerCase();
      case 'toupper':
        return (yield* s(0)).toUpperCase();
      case 'system': {
        const cmd = yield* s(0);
        return (yield this.system(cmd)) as number;
      }
      case 'close': {
        const key = yield* s(0);
        const had = this.outputs.has(key) || this.readers.has(key);
        this.readers.delete(key);
        const status = (yield this.flushOutput(key)) as number;
        return had ? status : -1;
      }
      case 'fflush':
        return 0;
    }
    throw new AwkFatal(`function ${name} not supported`);
  }

  private async system(cmd: string): Promise<number> {
    await this.ctx.io.out.drain?.();
    return this.ctx.rt.runScript(this.ctx.proc, cmd, { ...this.ctx.io, input: Input.empty() });
  }

  // ---- input and output -----------------------------------------------------------------

  /** Turns text into records by RS: one character, "" (paragraphs) or a regex. */
  recordSplitter(): (text: string, final: boolean) => { records: string[]; rest: string } {
    return (text, final) => {
      const rs = this.scalarString('RS');
      let records: string[];
      let rest = '';
      if (rs === '') {
        const t = text.replace(/^\n+/, '');
        records = t.split(/\n\n+/);
        if (!final) rest = records.pop() ?? '';
        else if (records[records.length - 1] !== undefined) records[records.length - 1] = trimEndOf(records[records.length - 1]!, '\n');
        if (final && records.length && records[records.length - 1] === '') records.pop();
      } else {
        records = rs.length === 1 ? text.split(rs) : splitRegex(text, this.regex(rs));
        rest = records.pop() ?? '';
        if (final) {
          if (rest !== '') records.push(rest);
          rest = '';
        }
      }
      return { records, rest };
    };
  }

  /** A reader over text that is all there (a file). */
  textReader(text: string): Reader {
    let queue: string[] | undefined;
    return {
      next: async () => {
        queue ??= this.recordSplitter()(text, true).records;
        return queue.shift() ?? null;
      },
    };
  }

  private async getline(e: Extract<Expr, { k: 'getline' }>): Promise<Val> {
    let reader: Reader | undefined;
    if (e.from === 'stdin') reader = { next: () => this.nextMainRecord() };
    else {
      const key = this.str(await this.eval(e.src!));
      reader = this.readers.get(key);
      if (!reader) {
        if (e.from === 'file') {
          const r = this.openForRead(key);
          if (!r) return -1;
          reader = r;
        } else {
          await this.ctx.io.out.drain?.();
          const out = new BufferSink();
          await this.ctx.rt.runScript(this.ctx.proc, key, { ...this.ctx.io, input: Input.empty(), out });
          reader = this.textReader(out.text());
        }
        this.readers.set(key, reader);
      }
    }
    if (!reader) return 0;
    const rec = await reader.next();
    if (rec === null) return 0;
    // NR counts records read from the main input or into $0 by cmd | getline; not `getline var < file`
    if (e.from === 'stdin') {
      this.globals.set('NR', this.num(this.getVar('NR')) + 1);
      this.globals.set('FNR', this.num(this.getVar('FNR')) + 1);
    } else if (e.from === 'cmd' || !e.lv) this.globals.set('NR', this.num(this.getVar('NR')) + 1);
    if (e.lv) await this.drive(this.assign(e.lv, strnum(rec)));
    else this.setRecord(rec);
    return 1;
  }

  private openForRead(name: string): Reader | undefined {
    if (name === '-' || name === '/dev/stdin') return this.mainReader;
    try {
      const data = this.ctx.sys.vfs.readFile(this.ctx.proc.cred, resolvePath(this.ctx.proc.cwd, name));
      return this.textReader(data.toString('utf8'));
    } catch {
      return undefined;
    }
  }

  private async redirect(op: '>' | '>>' | '|', name: string, text: string): Promise<void> {
    if (op !== '|' && (name === '/dev/stdout' || name === '-')) return void this.ctx.io.out.write(text);
    if (op !== '|' && name === '/dev/stderr') return void this.ctx.io.err.write(text);
    let o = this.outputs.get(name);
    if (!o) {
      o = { kind: op === '|' ? 'pipe' : 'file', chunks: [], size: 0 };
      this.outputs.set(name, o);
      if (op === '>') this.writeFile(name, '', false);
    }
    o.chunks.push(text);
    o.size += text.length;
    if (o.kind === 'file' && o.size > 64 * 1024) await this.flushOutput(name, true);
    else if (o.size > MAX_STRING) throw new AwkFatal(`output to "${name}" too large`);
  }

  private writeFile(name: string, data: string, append: boolean): void {
    try {
      this.ctx.sys.vfs.writeFile(this.ctx.proc.cred, resolvePath(this.ctx.proc.cwd, name), data, { append });
    } catch (e) {
      const text = (e as { text?: string }).text ?? (e as Error).message;
      throw new AwkFatal(`can't redirect to \`${name}' (${text})`);
    }
  }

  /** Writes what a file or pipe collected; `keep`: the file stays open. */
  private async flushOutput(name: string, keep = false): Promise<number> {
    const o = this.outputs.get(name);
    if (!o) return 0;
    const data = o.chunks.join('');
    o.chunks = [];
    o.size = 0;
    if (!keep) this.outputs.delete(name);
    if (o.kind === 'file') {
      if (data) this.writeFile(name, data, true);
      return 0;
    }
    await this.ctx.io.out.drain?.();
    return this.ctx.rt.runScript(this.ctx.proc, name, { ...this.ctx.io, input: Input.of(data) });
  }

  private async closeAll(): Promise<void> {
    for (const name of [...this.outputs.keys()]) await this.flushOutput(name);
  }
}

/** The expressions directly inside an expression. */
function children(e: Expr): Expr[] {
  switch (e.k) {
    case 'num':
    case 'str':
    case 're':
    case 'var':
      return [];
    case 'idx':
    case 'in':
      return e.subs;
    case 'field':
    case 'group':
    case 'unary':
      return [e.e];
    case 'assign':
      return [e.lhs, e.rhs];
    case 'cond':
      return [e.c, e.a, e.b];
    case 'and':
    case 'or':
    case 'match':
    case 'cmp':
    case 'cat':
    case 'bin':
      return [e.l, e.r];
    case 'incdec':
      return [e.lv];
    case 'call':
    case 'builtin':
      return e.args;
    case 'getline':
      return [...(e.lv ? [e.lv] : []), ...(e.src ? [e.src] : [])];
  }
}

function isStmt(x: object): x is Stmt {
  const k = (x as { k: string }).k;
  return ['print', 'printf', 'expr', 'if', 'while', 'do', 'for', 'forin', 'block', 'next', 'nextfile', 'break', 'continue', 'exit', 'return', 'delete'].includes(k);
}

/** Values are immutable except the UNINIT marker's identity: an assigned copy of an unset variable is a plain strnum. */
function copy(v: Val): Val {
  return v === UNINIT ? new StrNum('', 0) : v;
}

function arith(op: string, l: number, r: number): number {
  switch (op) {
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      if (r === 0) throw new AwkFatal('division by zero attempted');
      return l / r;
    case '%':
      if (r === 0) throw new AwkFatal('division by zero attempted in `%\'');
      return l % r;
    case '^':
      return Math.pow(l, r);
  }
  throw new AwkFatal(`unknown operator ${op}`);
}

function compare(op: string, l: Val, r: Val, m: AwkMachine): boolean {
  const numeric = (v: Val) => typeof v === 'number' || v instanceof StrNum;
  let c: number;
  if (numeric(l) && numeric(r)) {
    const a = m.num(l);
    const b = m.num(r);
    c = a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
  } else {
    const a = m.str(l);
    const b = m.str(r);
    c = a < b ? -1 : a > b ? 1 : 0;
  }
  switch (op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    case '==':
      return c === 0;
    default:
      return c !== 0;
  }
}

/** Split on a regex (empty matches do not split). */
function splitRegex(text: string, re: LinearRegExp): string[] {
  const g = new LinearRegExp(re.source, re.flags + 'g');
  const out: string[] = [];
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = g.exec(text))) {
    if (m[0] === '') {
      g.lastIndex++;
      continue;
    }
    out.push(text.slice(last, m.index));
    last = m.index + m[0].length;
  }
  out.push(text.slice(last));
  return out;
}

/** sub/gsub: `&` is the match, `\&` a literal ampersand, `\\` a backslash. */
function substitute(text: string, re: LinearRegExp, repl: string, global: boolean): { out: string; count: number } {
  const expand = (match: string) => {
    let s = '';
    for (let i = 0; i < repl.length; i++) {
      const c = repl[i]!;
      if (c === '\\' && (repl[i + 1] === '&' || repl[i + 1] === '\\')) {
        s += repl[++i];
      } else if (c === '&') s += match;
      else s += c;
    }
    return s;
  };
  if (!re.test(text)) return { out: text, count: 0 }; // the lazy DFA first: most texts do not match
  const g = new LinearRegExp(re.source, re.flags + 'g');
  let out = '';
  let count = 0;
  let pos = 0;
  let lastMatchEnd = -1;
  while (pos <= text.length) {
    g.lastIndex = pos;
    const m = g.exec(text);
    if (!m) break;
    if (m[0] === '' && m.index === lastMatchEnd) {
      // no empty match right after a previous match
      if (m.index >= text.length) break;
      out += text.slice(pos, m.index + 1);
      pos = m.index + 1;
      continue;
    }
    out += text.slice(pos, m.index) + expand(m[0]);
    count++;
    if (out.length > MAX_STRING) throw new AwkFatal('string too long');
    if (m[0] === '') {
      if (m.index < text.length) out += text[m.index];
      pos = m.index + 1;
    } else pos = m.index + m[0].length;
    lastMatchEnd = m.index + m[0].length;
    if (!global) break;
  }
  if (pos <= text.length) out += text.slice(pos);
  return { out, count };
}

/** A small seeded generator: awk's rand() is deterministic for a seed, as scripts expect. */
function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
