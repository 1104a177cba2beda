// The matcher: a Pike VM (Thompson NFA simulation with submatch tracking). Every input position
// is visited once and each carries at most one thread per instruction, so a search costs
// O(text × program) whatever the pattern — no backtracking, no catastrophic cases.
// Back-references cannot be run that way (RE2 refuses them); patterns with them go to a
// backtracker that gives up after a fixed number of steps (RegexBudgetError).
import { type Inst, Op, isWordChar, setHas } from './program.js';

export interface VmOptions {
  multiline: boolean;
  /** Only a match starting exactly at `start`. */
  sticky: boolean;
  /** POSIX leftmost-longest overall match instead of leftmost-first (Perl/JavaScript). */
  longest: boolean;
}

/**
 * Thrown when a search needs more steps than its budget: a back-reference pattern's backtracking,
 * or the VM's threads over one expression's searches (a global replace whose every short match
 * made threads scan to the end of a long line is quadratic in the line, as in RE2).
 */
export class RegexBudgetError extends Error {
  constructor() {
    super('regular expression too complex for this input');
  }
}

/**
 * Thread steps the searches of one pass over one subject may spend: a base (about half a second of
 * CPU) and 8 a character, so one linear search over a long line with a few threads alive fits,
 * and a global replace that rescans the rest of the line for every short match does not.
 */
export const VM_STEP_BUDGET = 5_000_000;
export const VM_STEPS_PER_CHARACTER = 8;

/** What a search may still spend (shared by the searches of one expression object). */
export interface StepBudget {
  left: number;
}

/** Steps a back-reference search may take before it is abandoned. */
export const BACKREF_STEP_BUDGET = 1_000_000;

function assertAt(inst: Inst, s: string, pos: number, multiline: boolean): boolean {
  switch (inst.op) {
    case Op.Bol:
      return pos === 0 || (multiline && isLineBreak(s.charCodeAt(pos - 1)));
    case Op.Eol:
      return pos === s.length || (multiline && isLineBreak(s.charCodeAt(pos)));
    case Op.Word:
      return isWordChar(s, pos - 1) !== isWordChar(s, pos);
    case Op.NotWord:
      return isWordChar(s, pos - 1) === isWordChar(s, pos);
    case Op.Look: {
      const at = inst.behind ? pos - 1 : pos;
      const hit = at >= 0 && at < s.length && setHas(inst.set!, s.charCodeAt(at));
      return hit !== inst.negate;
    }
    default:
      return true;
  }
}

const isLineBreak = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

/** A list of threads with at most one per instruction, in priority order. */
class ThreadList {
  pcs: Int32Array;
  caps: (Int32Array | null)[];
  size = 0;
  private mark: Uint32Array;
  private gen = 1;
  constructor(n: number) {
    this.pcs = new Int32Array(n);
    this.caps = new Array(n).fill(null);
    this.mark = new Uint32Array(n);
  }
  clear(): void {
    this.size = 0;
    this.gen++;
  }
  has(pc: number): boolean {
    return this.mark[pc] === this.gen;
  }
  visit(pc: number): void {
    this.mark[pc] = this.gen;
  }
  push(pc: number, caps: Int32Array): void {
    this.pcs[this.size] = pc;
    this.caps[this.size++] = caps;
  }
}

/**
 * Searches `s` from `start`. Returns the capture positions ([start, end, g1start, g1end, …],
 * -1 where unset) or null.
 */
export function pikeSearch(
  prog: Inst[],
  ncap: number,
  s: string,
  start: number,
  o: VmOptions,
  firstSet: ((c: number) => boolean) | null,
  budget: StepBudget = { left: VM_STEP_BUDGET },
): Int32Array | null {
  const n = prog.length;
  let clist = new ThreadList(n);
  let nlist = new ThreadList(n);
  const stack: { pc: number; caps: Int32Array }[] = [];
  let matched: Int32Array | null = null;

  // Follows the empty transitions from pc at pos, adding the threads that wait on a character
  // (or the match) to `list` in priority order.
  const add = (list: ThreadList, pc0: number, caps0: Int32Array, pos: number) => {
    stack.push({ pc: pc0, caps: caps0 });
    while (stack.length) {
      let { pc, caps } = stack.pop()!;
      for (;;) {
        if (list.has(pc)) break;
        list.visit(pc);
        const inst = prog[pc]!;
        if (inst.op === Op.Jmp) {
          pc = inst.x;
          continue;
        }
        if (inst.op === Op.Split) {
          stack.push({ pc: inst.y, caps });
          pc = inst.x;
          continue;
        }
        if (inst.op === Op.Save) {
          caps = caps.slice() as Int32Array;
          caps[inst.x] = pos;
          pc++;
          continue;
        }
        if (inst.op === Op.Set || inst.op === Op.Match) {
          list.push(pc, caps);
          break;
        }
        if (inst.op === Op.Backref) break; // never reached: such programs use the backtracker
        if (inst.op === Op.Progress) {
          if (caps[inst.x] === pos) break;
          pc++;
          continue;
        }
        if (!assertAt(inst, s, pos, o.multiline)) break;
        pc++;
      }
    }
  };

  const fresh = (pos: number) => {
    const caps = new Int32Array(ncap).fill(-1);
    caps[0] = pos;
    return caps;
  };

  for (let pos = start; pos <= s.length; pos++) {
    if (matched === null && (pos === start || !o.sticky)) {
      if (clist.size === 0 && firstSet && pos < s.length && !firstSet(s.charCodeAt(pos))) {
        // nothing running and this character cannot start a match: skip ahead
        continue;
      }
      add(clist, 0, fresh(pos), pos);
    }
    if (clist.size === 0) {
      if (matched !== null || o.sticky) break;
      clist.clear(); // forget the instructions a failed start visited
      continue;
    }
    nlist.clear();
    budget.left -= clist.size;
    if (budget.left < 0) throw new RegexBudgetError();
    const c = pos < s.length ? s.charCodeAt(pos) : -1;
    for (let t = 0; t < clist.size; t++) {
      const pc = clist.pcs[t]!;
      const caps = clist.caps[t]!;
      const inst = prog[pc]!;
      if (inst.op === Op.Match) {
        if (o.longest) {
          if (matched === null || caps[0]! < matched[0]! || (caps[0] === matched[0] && pos > matched[1]!)) {
            matched = caps.slice() as Int32Array;
            matched[1] = pos;
          }
          continue;
        }
        matched = caps.slice() as Int32Array;
        matched[1] = pos;
        break; // lower-priority threads are cut
      }
      if (o.longest && matched !== null && caps[0]! > matched[0]!) continue;
      if (c >= 0 && setHas(inst.set!, c)) add(nlist, pc + 1, caps, pos + 1);
    }
    const tmp = clist;
    clist = nlist;
    nlist = tmp;
    if (pos === s.length) {
      // threads waiting on a character cannot progress; only matches remain to be seen
      break;
    }
  }
  // threads added at the end position may include a match not yet examined
  if (clist.size && s.length >= start) {
    for (let t = 0; t < clist.size; t++) {
      const inst = prog[clist.pcs[t]!]!;
      const caps = clist.caps[t]!;
      if (inst.op !== Op.Match) continue;
      if (o.longest && matched !== null && caps[0]! > matched[0]!) continue;
      if (!o.longest || matched === null || caps[0]! < matched[0]! || (caps[0] === matched[0] && s.length > matched[1]!)) {
        matched = caps.slice() as Int32Array;
        matched[1] = s.length;
      }
      if (!o.longest) break;
    }
  }
  return matched;
}

/**
 * A backtracking search for programs with back-references, abandoned after BACKREF_STEP_BUDGET
 * steps. Leftmost-first.
 */
export function backtrackSearch(prog: Inst[], ncap: number, s: string, start: number, o: VmOptions): Int32Array | null {
  let steps = 0;
  const last = o.sticky ? start : s.length;
  for (let from = start; from <= last; from++) {
    const caps = new Int32Array(ncap).fill(-1);
    caps[0] = from;
    // explicit stack of choice points: [pc, pos, saved slot, saved value]
    const stack: number[] = [];
    let pc = 0;
    let pos = from;
    let ok = false;
    for (;;) {
      if (++steps > BACKREF_STEP_BUDGET) throw new RegexBudgetError();
      const inst = prog[pc]!;
      let fail = false;
      switch (inst.op) {
        case Op.Match:
          caps[1] = pos;
          ok = true;
          break;
        case Op.Set:
          if (pos < s.length && setHas(inst.set!, s.charCodeAt(pos))) {
            pos++;
            pc++;
          } else fail = true;
          break;
        case Op.Jmp:
          pc = inst.x;
          break;
        case Op.Split:
          stack.push(inst.y, pos, -1, 0);
          pc = inst.x;
          break;
        case Op.Save:
          stack.push(-1, 0, inst.x, caps[inst.x]!);
          caps[inst.x] = pos;
          pc++;
          break;
        case Op.Backref: {
          const a = caps[inst.x * 2]!;
          const b = caps[inst.x * 2 + 1]!;
          if (a < 0 || b < 0) {
            pc++;
            break;
          }
          const sub = s.slice(a, b);
          const here = s.slice(pos, pos + sub.length);
          const icase = prog.some((p) => p.set?.icase);
          if (here === sub || (icase && here.toLowerCase() === sub.toLowerCase())) {
            pos += sub.length;
            pc++;
          } else fail = true;
          break;
        }
        case Op.Progress:
          if (caps[inst.x] === pos) fail = true;
          else pc++;
          break;
        default:
          if (assertAt(inst, s, pos, o.multiline)) pc++;
          else fail = true;
      }
      if (ok) break;
      if (fail) {
        let resumed = false;
        while (stack.length) {
          const val = stack.pop()!;
          const slot = stack.pop()!;
          const p = stack.pop()!;
          const target = stack.pop()!;
          if (target === -1) {
            caps[slot] = val;
            continue;
          }
          pc = target;
          pos = p;
          resumed = true;
          break;
        }
        if (!resumed) break;
      }
    }
    if (ok) return caps;
  }
  return null;
}
