// A RegExp look-alike backed by the linear-time engine, so the places that matched tenant input
// with JavaScript's backtracking RegExp can switch with few changes: source/flags, lastIndex,
// exec/test, and the String protocol hooks (replace, split, match, search).
//
// Flags: i, g, m, s, y as in JavaScript; `L` (ours) asks for POSIX leftmost-longest overall
// matches, what grep, sed, awk and expr report.
import { type Node, parseRegex } from './parse.js';
import { type Inst, Op, compile, setHas } from './program.js';
import { backtrackSearch, pikeSearch, VM_STEP_BUDGET, VM_STEPS_PER_CHARACTER, type StepBudget, type VmOptions } from './vm.js';
import { LazyDfa } from './dfa.js';

interface Compiled {
  prog: Inst[];
  ncap: number; // capture slots reported: 2 per group, the whole match first
  slots: number; // all slots a thread carries
  backrefs: boolean;
  literal: string | null;
  firstSet: ((c: number) => boolean) | null;
  /** For match / no match (test()), when the program has nothing a DFA cannot follow. */
  dfa: LazyDfa | undefined;
}

const cache = new Map<string, Compiled>();

/** A pattern with no operators at all matches by indexOf. */
function literalOf(node: Node): string | null {
  const one = (n: Node): string | null => {
    if (n.k !== 'set' || n.set.negate || n.set.ranges.length !== 1) return null;
    const [a, b] = n.set.ranges[0]!;
    return a === b ? String.fromCharCode(a) : null;
  };
  while (node.k === 'group' && node.index === null) node = node.body; // (?:…) around it
  if (node.k === 'set') return one(node);
  if (node.k !== 'cat') return null;
  let s = '';
  for (const item of node.items) {
    const c = one(item);
    if (c === null) return null;
    s += c;
  }
  return s;
}

/** The characters that can begin a match when the program must start with one (else null). */
function firstSetOf(prog: Inst[]): ((c: number) => boolean) | null {
  const sets: Inst[] = [];
  const seen = new Set<number>();
  const stack = [0];
  while (stack.length) {
    const pc = stack.pop()!;
    if (seen.has(pc)) continue;
    seen.add(pc);
    const inst = prog[pc]!;
    if (inst.op === Op.Set) sets.push(inst);
    else if (inst.op === Op.Jmp) stack.push(inst.x);
    else if (inst.op === Op.Split) stack.push(inst.x, inst.y);
    else if (inst.op === Op.Save || inst.op === Op.Progress) stack.push(pc + 1);
    else return null; // an assertion, back-reference or an empty match: no skipping
  }
  return (c) => sets.some((s) => setHas(s.set!, c));
}

function compiled(source: string, flags: string): Compiled {
  const key = flags.replace(/[gyL]/g, '') + '/' + source;
  let c = cache.get(key);
  if (c) return c;
  const icase = flags.includes('i');
  const parsed = parseRegex(source, flags.includes('s'));
  const lit = icase ? null : literalOf(parsed.node);
  // a literal is found by indexOf: no program (whose size is capped) is needed, however long it is
  const { prog, slots } = lit !== null ? { prog: [{ op: Op.Match, x: 0, y: 0 }], slots: 2 } : compile(parsed.node, icase, parsed.groups);
  c = { prog, ncap: (parsed.groups + 1) * 2, slots, backrefs: parsed.hasBackrefs, literal: lit, firstSet: firstSetOf(prog), dfa: parsed.hasBackrefs ? undefined : LazyDfa.for(prog) };
  if (cache.size > 1000) cache.clear();
  cache.set(key, c);
  return c;
}

export type LinearExecArray = RegExpExecArray;

export class LinearRegExp {
  readonly source: string;
  readonly flags: string;
  lastIndex = 0;
  private readonly c: Compiled;
  /** Thread steps left for all searches of this object (RegexBudgetError past it). */
  readonly budget: StepBudget = { left: VM_STEP_BUDGET };

  constructor(source: string | LinearRegExp, flags?: string) {
    this.source = typeof source === 'string' ? source : source.source;
    this.flags = flags ?? (typeof source === 'string' ? '' : source.flags);
    this.c = compiled(this.source, this.flags);
  }

  /** This expression's searches spend `budget` (copies made for one replace or split share it). */
  sharing(budget: StepBudget): this {
    (this as { budget: StepBudget }).budget = budget;
    return this;
  }

  get global(): boolean {
    return this.flags.includes('g');
  }
  get sticky(): boolean {
    return this.flags.includes('y');
  }
  get ignoreCase(): boolean {
    return this.flags.includes('i');
  }
  get multiline(): boolean {
    return this.flags.includes('m');
  }
  /** How many capture groups the pattern has. */
  get groupCount(): number {
    return this.c.ncap / 2 - 1;
  }

  /** Capture positions of the first match at or after `start` (or exactly there when sticky). */
  private search(s: string, start: number): Int32Array | null {
    const o: VmOptions = { multiline: this.multiline, sticky: this.sticky, longest: this.flags.includes('L') };
    const lit = this.c.literal;
    if (lit !== null) {
      const at = o.sticky ? (s.startsWith(lit, start) ? start : -1) : s.indexOf(lit, start);
      return at < 0 ? null : Int32Array.of(at, at + lit.length);
    }
    if (this.c.backrefs) return backtrackSearch(this.c.prog, this.c.slots, s, start, o);
    return pikeSearch(this.c.prog, this.c.slots, s, start, o, this.c.firstSet, this.budget);
  }

  exec(input: string): RegExpExecArray | null {
    const s = String(input);
    const advancing = this.global || this.sticky;
    const start = advancing ? this.lastIndex : 0;
    if (start > s.length) {
      this.lastIndex = 0;
      return null;
    }
    // a new subject gets a whole budget; the searches of one pass over a subject (g/y, lastIndex
    // moving on) share it, which bounds a global replace that would be quadratic
    if (!advancing || start === 0) this.budget.left = VM_STEP_BUDGET + VM_STEPS_PER_CHARACTER * s.length;
    const caps = this.search(s, start);
    if (!caps) {
      if (advancing) this.lastIndex = 0;
      return null;
    }
    if (advancing) this.lastIndex = caps[1]!;
    const out: string[] = [];
    for (let g = 0; g < this.c.ncap / 2; g++) {
      const a = caps[g * 2] ?? -1;
      const b = caps[g * 2 + 1] ?? -1;
      out.push(a >= 0 && b >= 0 ? s.slice(a, b) : (undefined as unknown as string));
    }
    const arr = out as RegExpExecArray;
    arr.index = caps[0]!;
    arr.input = s;
    return arr;
  }

  test(s: string): boolean {
    // whether it matches, without where: the lazy DFA (one table lookup a character)
    if (!this.global && !this.sticky && !this.multiline && this.c.literal === null && this.c.dfa) return this.c.dfa.test(String(s));
    return this.exec(s) !== null;
  }

  /** Every match, as String.prototype.matchAll gives them (empty matches step one on). */
  *matchAll(s: string): Generator<RegExpExecArray> {
    const re = new LinearRegExp(this.source, this.flags.replace(/[gy]/g, '') + 'g').sharing(this.budget);
    let m: RegExpExecArray | null;
    while ((m = re.exec(s)) !== null) {
      if (m[0] === '') re.lastIndex++;
      yield m;
    }
  }

  [Symbol.replace](s: string, replacement: string | ((substring: string, ...args: any[]) => string)): string {
    const global = this.global;
    const re = new LinearRegExp(this.source, this.flags.replace(/[gy]/g, '') + (global ? 'g' : 'y')).sharing(this.budget);
    if (!global && !this.sticky) return this.replaceFirst(s, replacement);
    let out = '';
    let last = 0;
    re.lastIndex = global ? 0 : this.lastIndex;
    for (;;) {
      const m = re.exec(s);
      if (!m) break;
      out += s.slice(last, m.index) + this.expand(m, s, replacement);
      last = m.index + m[0].length;
      if (!global) break;
      if (m[0] === '') re.lastIndex++;
    }
    return out + s.slice(last);
  }

  private replaceFirst(s: string, replacement: string | ((substring: string, ...args: any[]) => string)): string {
    const m = new LinearRegExp(this.source, this.flags.replace(/[gy]/g, '')).exec(s);
    if (!m) return s;
    return s.slice(0, m.index) + this.expand(m, s, replacement) + s.slice(m.index + m[0].length);
  }

  private expand(m: RegExpExecArray, s: string, replacement: string | ((substring: string, ...args: any[]) => string)): string {
    if (typeof replacement === 'function') return replacement(m[0], ...m.slice(1), m.index, s);
    return replacement.replace(/\$(\$|&|`|'|\d{1,2})/g, (all, t: string) => {
      if (t === '$') return '$';
      if (t === '&') return m[0];
      if (t === '`') return s.slice(0, m.index);
      if (t === "'") return s.slice(m.index + m[0].length);
      const n = Number(t);
      if (n >= 1 && n < m.length) return m[n] ?? '';
      return all;
    });
  }

  [Symbol.split](s: string, limit?: number): string[] {
    // ECMAScript's algorithm, with one unanchored search in place of a sticky try per position.
    const max = limit === undefined ? Infinity : limit >>> 0;
    const out: string[] = [];
    if (max === 0) return out;
    const re = new LinearRegExp(this.source, this.flags.replace(/[gy]/g, '') + 'g').sharing(this.budget);
    if (s === '') return re.exec('') ? [] : [s];
    let p = 0;
    let q = 0;
    while (q < s.length) {
      re.lastIndex = q;
      const m = re.exec(s);
      if (!m || m.index >= s.length) break;
      const e = m.index + m[0].length;
      if (e === p) {
        q = m.index + 1;
        continue;
      }
      out.push(s.slice(p, m.index));
      if (out.length >= max) return out;
      for (let g = 1; g < m.length; g++) {
        out.push(m[g] as string);
        if (out.length >= max) return out;
      }
      p = e;
      q = p;
    }
    out.push(s.slice(p));
    return out;
  }

  [Symbol.match](s: string): RegExpMatchArray | null {
    if (!this.global) return this.exec(s);
    const all = [...this.matchAll(s)].map((m) => m[0]);
    return all.length ? (all as RegExpMatchArray) : null;
  }

  [Symbol.search](s: string): number {
    const m = new LinearRegExp(this.source, this.flags.replace(/[gy]/g, '')).exec(s);
    return m ? m.index : -1;
  }

  toString(): string {
    return `/${this.source}/${this.flags}`;
  }
}
