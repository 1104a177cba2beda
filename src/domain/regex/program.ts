// Compiles a parsed regex to a small instruction program (Thompson's construction). Bounded
// repeats are unrolled, so the program's size is capped: a pattern past the cap is refused, as
// GNU and RE2 refuse "regular expression too big".
import { type CharSet, type Node, RegexSyntaxError, WORD_SET } from './parse.js';

export const enum Op {
  Set,
  Split, // x preferred over y
  Jmp,
  Save,
  Bol,
  Eol,
  Word,
  NotWord,
  Look,
  Backref,
  Progress, // fails when the position equals slot x (an empty loop iteration)
  Match,
}

export interface Inst {
  op: Op;
  x: number;
  y: number;
  /** For Set and Look: the set, with an ASCII table for speed. */
  set?: CompiledSet;
  /** For Look: behind (the previous character) or ahead (the next); negate. */
  behind?: boolean;
  negate?: boolean;
}

export interface CompiledSet {
  ascii: Uint8Array; // 1 where an ASCII code unit is in the set (negation applied)
  ranges: [number, number][];
  negate: boolean;
  icase: boolean;
}

/** Instructions past this refuse the pattern ("regular expression too big"). */
export const MAX_PROGRAM = 20_000;

function inRanges(ranges: [number, number][], c: number): boolean {
  for (const [a, b] of ranges) {
    if (c < a) return false;
    if (c <= b) return true;
  }
  return false;
}

export function compileSet(set: CharSet, icase: boolean): CompiledSet {
  const test = (c: number): boolean => {
    let hit = inRanges(set.ranges, c);
    if (!hit && icase) {
      const ch = String.fromCharCode(c);
      const lo = ch.toLowerCase();
      const up = ch.toUpperCase();
      hit = (lo.length === 1 && inRanges(set.ranges, lo.charCodeAt(0))) || (up.length === 1 && inRanges(set.ranges, up.charCodeAt(0)));
    }
    return hit !== set.negate;
  };
  const ascii = new Uint8Array(128);
  for (let c = 0; c < 128; c++) ascii[c] = test(c) ? 1 : 0;
  return { ascii, ranges: set.ranges, negate: set.negate, icase };
}

export function setHas(s: CompiledSet, c: number): boolean {
  if (c < 128) return s.ascii[c] === 1;
  let hit = inRanges(s.ranges, c);
  if (!hit && s.icase) {
    const ch = String.fromCharCode(c);
    const lo = ch.toLowerCase();
    const up = ch.toUpperCase();
    hit = (lo.length === 1 && inRanges(s.ranges, lo.charCodeAt(0))) || (up.length === 1 && inRanges(s.ranges, up.charCodeAt(0)));
  }
  return hit !== s.negate;
}

export const isWordChar = (s: string, i: number): boolean => {
  if (i < 0 || i >= s.length) return false;
  const c = s.charCodeAt(i);
  return WORD_SET.ranges.some(([a, b]) => c >= a && c <= b);
};

/** Whether the node can match the empty string. */
function nullable(n: Node): boolean {
  switch (n.k) {
    case 'set':
    case 'backref':
      return false;
    case 'cat':
      return n.items.every(nullable);
    case 'alt':
      return n.items.some(nullable);
    case 'group':
      return nullable(n.body);
    case 'repeat':
      return n.min === 0 || nullable(n.body);
    default:
      return true;
  }
}

/**
 * The program and how many capture slots it needs: 2 per group, then one per loop whose body
 * can match empty. ECMAScript refuses an optional iteration that matched the empty string; the
 * slot records where the iteration began so a Progress instruction can do the same.
 */
export function compile(node: Node, icase: boolean, groups: number): { prog: Inst[]; slots: number } {
  const prog: Inst[] = [];
  let slots = (groups + 1) * 2;
  const iteration = (body: Node) => {
    if (!nullable(body)) return gen(body);
    const slot = slots++;
    emit({ op: Op.Save, x: slot, y: 0 });
    gen(body);
    emit({ op: Op.Progress, x: slot, y: 0 });
  };
  const emit = (inst: Inst): number => {
    if (prog.length >= MAX_PROGRAM) throw new RegexSyntaxError('Invalid regular expression: regular expression too big');
    prog.push(inst);
    return prog.length - 1;
  };
  const gen = (n: Node): void => {
    switch (n.k) {
      case 'empty':
        return;
      case 'set':
        emit({ op: Op.Set, x: 0, y: 0, set: compileSet(n.set, icase) });
        return;
      case 'cat':
        for (const item of n.items) gen(item);
        return;
      case 'alt': {
        // split L1, next; L1: a; jmp end; next: split L2, ... ; last
        const jumps: number[] = [];
        for (let k = 0; k < n.items.length; k++) {
          if (k < n.items.length - 1) {
            const split = emit({ op: Op.Split, x: 0, y: 0 });
            prog[split]!.x = prog.length;
            gen(n.items[k]!);
            jumps.push(emit({ op: Op.Jmp, x: 0, y: 0 }));
            prog[split]!.y = prog.length;
          } else gen(n.items[k]!);
        }
        for (const j of jumps) prog[j]!.x = prog.length;
        return;
      }
      case 'group':
        if (n.index === null) return gen(n.body);
        emit({ op: Op.Save, x: n.index * 2, y: 0 });
        gen(n.body);
        emit({ op: Op.Save, x: n.index * 2 + 1, y: 0 });
        return;
      case 'repeat': {
        for (let k = 0; k < n.min; k++) gen(n.body);
        if (n.max === Infinity) {
          // L: split body, out; body; jmp L
          const split = emit({ op: Op.Split, x: 0, y: 0 });
          iteration(n.body);
          emit({ op: Op.Jmp, x: split, y: 0 });
          const body = split + 1;
          const out = prog.length;
          prog[split]!.x = n.lazy ? out : body;
          prog[split]!.y = n.lazy ? body : out;
        } else {
          const splits: number[] = [];
          for (let k = n.min; k < n.max; k++) {
            const split = emit({ op: Op.Split, x: 0, y: 0 });
            splits.push(split);
            iteration(n.body);
          }
          const out = prog.length;
          for (const s of splits) {
            prog[s]!.x = n.lazy ? out : s + 1;
            prog[s]!.y = n.lazy ? s + 1 : out;
          }
        }
        return;
      }
      case 'bol':
        emit({ op: Op.Bol, x: 0, y: 0 });
        return;
      case 'eol':
        emit({ op: Op.Eol, x: 0, y: 0 });
        return;
      case 'word':
        emit({ op: n.negate ? Op.NotWord : Op.Word, x: 0, y: 0 });
        return;
      case 'look':
        emit({ op: Op.Look, x: 0, y: 0, set: compileSet(n.set, icase), behind: n.behind, negate: n.negate });
        return;
      case 'backref':
        emit({ op: Op.Backref, x: n.index, y: 0 });
        return;
    }
  };
  gen(node);
  emit({ op: Op.Match, x: 0, y: 0 });
  return { prog, slots };
}
