// A lazy DFA for "is there a match?" (RE2's approach for the common case): the states are sets of
// program positions, built the first time an input needs them and then followed by a table lookup
// per character. grep without -o, sed addresses and awk's `~` only ask whether a line matches:
// the DFA answers in one pass at a few nanoseconds a character, where the Pike VM carries threads.
// Programs with word-boundary or lookaround assertions, or back-references, are not handled
// (dfaFor answers undefined) and go to the Pike VM; so does multiline mode.
import { type Inst, Op, setHas } from './program.js';

interface State {
  /** Set / Eol instruction positions waiting in this state, sorted. */
  pcs: number[];
  /** A match is reachable here (before any more input). */
  matched: boolean;
  /** Next states for ASCII code units (undefined: not built yet). */
  ascii: (State | undefined)[];
  /** Next states for other code units. */
  other: Map<number, State>;
}

/** States a DFA may build before its cache is thrown away and rebuilt (RE2 does the same). */
const MAX_STATES = 2000;

export class LazyDfa {
  private states = new Map<string, State>();
  private readonly prog: Inst[];
  private startAt0: State | undefined;
  private startLater: State | undefined;

  private constructor(prog: Inst[]) {
    this.prog = prog;
  }

  /** A DFA for the program, or undefined when it uses what a DFA cannot follow. */
  static for(prog: Inst[]): LazyDfa | undefined {
    for (const i of prog) if (i.op === Op.Word || i.op === Op.NotWord || i.op === Op.Look || i.op === Op.Backref) return undefined;
    return new LazyDfa(prog);
  }

  /** The closure of `from` (instruction positions) at a position that is / is not the start. */
  private closure(from: number[], atStart: boolean, atEnd: boolean): { pcs: number[]; matched: boolean } {
    const seen = new Set<number>();
    const out: number[] = [];
    let matched = false;
    const stack = [...from].reverse();
    while (stack.length) {
      const pc = stack.pop()!;
      if (seen.has(pc)) continue;
      seen.add(pc);
      const inst = this.prog[pc]!;
      switch (inst.op) {
        case Op.Jmp:
          stack.push(inst.x);
          break;
        case Op.Split:
          stack.push(inst.y, inst.x);
          break;
        case Op.Save:
        case Op.Progress:
          stack.push(pc + 1);
          break;
        case Op.Bol:
          if (atStart) stack.push(pc + 1);
          break;
        case Op.Eol:
          if (atEnd) stack.push(pc + 1);
          else out.push(pc); // decided when the input ends
          break;
        case Op.Match:
          matched = true;
          break;
        default:
          out.push(pc);
      }
    }
    out.sort((a, b) => a - b);
    return { pcs: out, matched };
  }

  private state(pcs: number[], matched: boolean): State {
    const key = (matched ? 'M' : '') + pcs.join(',');
    let s = this.states.get(key);
    if (!s) {
      if (this.states.size >= MAX_STATES) {
        // start over rather than grow without bound; states in use stay valid objects
        this.states.clear();
        this.startAt0 = this.startLater = undefined;
      }
      s = { pcs, matched, ascii: new Array(128), other: new Map() };
      this.states.set(key, s);
    }
    return s;
  }

  private start(atStart: boolean): State {
    if (atStart) return (this.startAt0 ??= ((c) => this.state(c.pcs, c.matched))(this.closure([0], true, false)));
    return (this.startLater ??= ((c) => this.state(c.pcs, c.matched))(this.closure([0], false, false)));
  }

  private step(s: State, c: number, unanchored: boolean): State {
    const next: number[] = [];
    for (const pc of s.pcs) {
      const inst = this.prog[pc]!;
      if (inst.op === Op.Set && setHas(inst.set!, c)) next.push(pc + 1);
    }
    // unanchored search: a match may also begin after this character
    if (unanchored) next.push(0);
    const closed = this.closure(next, false, false);
    return this.state(closed.pcs, closed.matched);
  }

  /** Whether the state, at the end of the input, reaches a match through its pending `$`. */
  private matchesAtEnd(s: State, atStart: boolean): boolean {
    if (s.matched) return true;
    const eols = s.pcs.filter((pc) => this.prog[pc]!.op === Op.Eol).map((pc) => pc + 1);
    return eols.length > 0 && this.closure(eols, atStart, true).matched;
  }

  /** Whether the program matches somewhere in `text` from `from` on (only there when `sticky`). */
  test(text: string, from = 0, sticky = false): boolean {
    const unanchored = !sticky;
    let s = this.start(from === 0);
    if (s.matched) return true;
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let n = c < 128 ? s.ascii[c] : s.other.get(c);
      if (!n) {
        n = this.step(s, c, unanchored);
        if (c < 128) s.ascii[c] = n;
        else if (s.other.size < 256) s.other.set(c, n);
      }
      s = n;
      if (s.matched) return true;
      if (!unanchored && s.pcs.length === 0) return false;
    }
    return this.matchesAtEnd(s, text.length === 0 && from === 0);
  }
}
