// Shell patterns (globs) matched by simulating their NFA over the pattern's own tokens: the set of
// pattern positions reachable so far, one step a character. Time is text × pattern whatever the
// pattern (`*a*a*a*a*a*b` against 3,000 characters backtracked for minutes as a RegExp), memory is
// the pattern's size (no program to build or cap: a pattern of 100,000 brackets works).

type Token =
  | { k: 'lit'; c: number }
  | { k: 'any' }
  | { k: 'star' }
  | { k: 'set'; negate: boolean; ranges: [number, number][] };

const NAMED: Record<string, [number, number][]> = {
  alpha: [[65, 90], [97, 122]],
  digit: [[48, 57]],
  alnum: [[48, 57], [65, 90], [97, 122]],
  upper: [[65, 90]],
  lower: [[97, 122]],
  space: [[9, 13], [32, 32]],
  blank: [[9, 9], [32, 32]],
  punct: [[33, 47], [58, 64], [91, 96], [123, 126]],
  xdigit: [[48, 57], [65, 70], [97, 102]],
  print: [[32, 126]],
  graph: [[33, 126]],
  cntrl: [[0, 31], [127, 127]],
};

/** A pattern's tokens; in a pattern string a backslash quotes the next character. */
export function globTokens(pat: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i]!;
    if (c === '\\') {
      out.push({ k: 'lit', c: (pat[++i] ?? '\\').charCodeAt(0) });
      continue;
    }
    if (c === '*') {
      if (out[out.length - 1]?.k !== 'star') out.push({ k: 'star' }); // ** is *
      continue;
    }
    if (c === '?') {
      out.push({ k: 'any' });
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      if (pat[j] === '!' || pat[j] === '^') j++;
      if (pat[j] === ']') j++;
      while (j < pat.length && pat[j] !== ']') j++;
      if (j >= pat.length) {
        out.push({ k: 'lit', c: 91 }); // an unterminated [ is itself
        continue;
      }
      let body = pat.slice(i + 1, j);
      let negate = false;
      if (body[0] === '!' || body[0] === '^') {
        negate = true;
        body = body.slice(1);
      }
      const ranges: [number, number][] = [];
      for (let k = 0; k < body.length; k++) {
        const named = /^\[:([a-z]+):\]/.exec(body.slice(k, k + 10));
        if (named && NAMED[named[1]!]) {
          ranges.push(...NAMED[named[1]!]!);
          k += named[0].length - 1;
          continue;
        }
        let lo = body[k]!;
        if (lo === '\\') lo = body[++k] ?? '\\';
        if (body[k + 1] === '-' && k + 2 < body.length) {
          let hi = body[k + 2]!;
          k += 2;
          if (hi === '\\') hi = body[++k] ?? '\\';
          ranges.push([lo.charCodeAt(0), hi.charCodeAt(0)]);
        } else ranges.push([lo.charCodeAt(0), lo.charCodeAt(0)]);
      }
      out.push({ k: 'set', negate, ranges });
      i = j;
      continue;
    }
    out.push({ k: 'lit', c: c.charCodeAt(0) });
  }
  return out;
}

const SLASH = 47;

function accepts(t: Token, c: number, pathname: boolean): boolean {
  switch (t.k) {
    case 'lit':
      return t.c === c;
    case 'any':
    case 'star':
      return !(pathname && c === SLASH);
    case 'set': {
      if (pathname && c === SLASH) return false;
      let hit = false;
      for (const [a, b] of t.ranges) if (c >= a && c <= b) hit = true;
      return hit !== t.negate;
    }
  }
}

/** The compiled pattern: tokens, and its reverse (for suffixes). */
export class GlobNfa {
  private readonly toks: Token[];
  constructor(
    pat: string | Token[],
    private readonly pathname = false,
  ) {
    this.toks = typeof pat === 'string' ? globTokens(pat) : pat;
  }

  /** The text the pattern matches when it has no wildcard at all (found by indexOf), else undefined. */
  literal(): string | undefined {
    if (!this.toks.every((t) => t.k === 'lit')) return undefined;
    return String.fromCharCode(...this.toks.map((t) => (t as { c: number }).c));
  }

  reversed(): GlobNfa {
    return new GlobNfa([...this.toks].reverse(), this.pathname);
  }

  /** Adds state i and, through stars (which match nothing too), the states after it. */
  private enter(set: Uint8Array, i: number): void {
    const m = this.toks.length;
    for (; i <= m && !set[i]; i++) {
      set[i] = 1;
      if (i === m || this.toks[i]!.k !== 'star') break;
    }
  }

  /** 1 at each position e where the pattern matches text[start, e) whole. */
  ends(text: string, start = 0): Uint8Array {
    const m = this.toks.length;
    const out = new Uint8Array(text.length + 1);
    let cur = new Uint8Array(m + 1);
    let next = new Uint8Array(m + 1);
    this.enter(cur, 0);
    for (let p = start; ; p++) {
      if (cur[m]) out[p] = 1;
      if (p >= text.length) break;
      const c = text.charCodeAt(p);
      next.fill(0);
      let alive = false;
      for (let i = 0; i < m; i++) {
        if (!cur[i]) continue;
        const t = this.toks[i]!;
        if (!accepts(t, c, this.pathname)) continue;
        this.enter(next, t.k === 'star' ? i : i + 1);
        alive = true;
      }
      if (!alive) break;
      [cur, next] = [next, cur];
    }
    return out;
  }

  /** Whether the whole text matches. */
  matches(text: string): boolean {
    return this.ends(text)[text.length] === 1;
  }

  /**
   * The leftmost match at or after `from`, the longest there (bash's ${v/p/r}): [start, end] or
   * undefined. Each state remembers the earliest start that reached it.
   */
  search(text: string, from = 0): [number, number] | undefined {
    const m = this.toks.length;
    let cur = new Int32Array(m + 1).fill(-1);
    let next = new Int32Array(m + 1).fill(-1);
    const enter = (set: Int32Array, i0: number, start: number) => {
      for (let i = i0; i <= m; i++) {
        if (set[i] !== -1 && set[i]! <= start) break;
        set[i] = start;
        if (i === m || this.toks[i]!.k !== 'star') break;
      }
    };
    let best: [number, number] | undefined;
    for (let p = from; ; p++) {
      if (!best) enter(cur, 0, p); // a match may start here (later starts are worse once one is found)
      if (cur[m] !== -1) {
        const s = cur[m]!;
        if (!best || s < best[0] || (s === best[0] && p > best[1])) best = [s, p];
      }
      if (p >= text.length) break;
      const c = text.charCodeAt(p);
      next.fill(-1);
      let alive = false;
      for (let i = 0; i < m; i++) {
        const s = cur[i]!;
        if (s === -1 || (best && s > best[0])) continue;
        const t = this.toks[i]!;
        if (!accepts(t, c, this.pathname)) continue;
        enter(next, t.k === 'star' ? i : i + 1, s);
        alive = true;
      }
      if (!alive && best) break;
      [cur, next] = [next, cur];
    }
    return best;
  }
}
