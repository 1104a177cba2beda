// The parser of the linear-time regex engine. It reads the JavaScript regex syntax the guest's
// POSIX translators (grep/sed BRE/ERE, awk, bash =~, expr, globs, API filter wildcards) produce,
// minus what no linear-time engine can offer: lookaround is accepted only around one character
// (grep -w's `(?<![A-Za-z0-9_])`), and back-references are parsed but only run by the bounded
// backtracker (see vm.ts).

/** One set of UTF-16 code units: sorted [lo, hi] ranges, maybe negated. */
export interface CharSet {
  ranges: [number, number][];
  negate: boolean;
}

export type Node =
  | { k: 'empty' }
  | { k: 'set'; set: CharSet }
  | { k: 'cat'; items: Node[] }
  | { k: 'alt'; items: Node[] }
  | { k: 'group'; index: number | null; body: Node }
  | { k: 'repeat'; body: Node; min: number; max: number; lazy: boolean }
  | { k: 'bol' }
  | { k: 'eol' }
  | { k: 'word'; negate: boolean }
  | { k: 'look'; behind: boolean; negate: boolean; set: CharSet }
  | { k: 'backref'; index: number };

/** Thrown for a pattern this engine refuses; the message says why. */
export class RegexSyntaxError extends Error {}

/** Bounded repeats above this count are refused, as RE2 refuses them (GNU allows 32767). */
export const MAX_REPEAT = 1000;

const DIGIT: [number, number][] = [[0x30, 0x39]];
const WORD: [number, number][] = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
const SPACE: [number, number][] = [
  [0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a],
  [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff],
];
export const WORD_SET: CharSet = { ranges: WORD, negate: false };

/** Sorted, merged ranges. */
export function normalise(ranges: [number, number][]): [number, number][] {
  const r = ranges.map(([a, b]) => [a, b] as [number, number]).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const x of r) {
    const last = out[out.length - 1];
    if (last && x[0] <= last[1] + 1) last[1] = Math.max(last[1], x[1]);
    else out.push(x);
  }
  return out;
}

function complement(ranges: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let next = 0;
  for (const [a, b] of normalise(ranges)) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= 0xffff) out.push([next, 0xffff]);
  return out;
}

export interface Parsed {
  node: Node;
  groups: number;
  hasBackrefs: boolean;
}

export function parseRegex(src: string, dotAll: boolean): Parsed {
  let i = 0;
  let groups = 0;
  let hasBackrefs = false;
  let depth = 0;
  const fail = (msg: string): never => {
    throw new RegexSyntaxError(`Invalid regular expression: /${src.length > 60 ? src.slice(0, 60) + '…' : src}/: ${msg}`);
  };

  const escapeChar = (c: string): number | null => {
    switch (c) {
      case 'n': return 10;
      case 'r': return 13;
      case 't': return 9;
      case 'f': return 12;
      case 'v': return 11;
      case '0': return 0;
      case 'x': {
        const h = /^[0-9a-fA-F]{2}/.exec(src.slice(i, i + 2));
        if (!h) return 'x'.charCodeAt(0);
        i += 2;
        return parseInt(h[0], 16);
      }
      case 'u': {
        const h = /^[0-9a-fA-F]{4}/.exec(src.slice(i, i + 4));
        if (!h) return 'u'.charCodeAt(0);
        i += 4;
        return parseInt(h[0], 16);
      }
      case 'c': {
        const l = src[i];
        if (l && /[A-Za-z]/.test(l)) {
          i++;
          return l.charCodeAt(0) % 32;
        }
        return '\\'.charCodeAt(0);
      }
      default: return null;
    }
  };

  const classEscape = (c: string): [number, number][] | null => {
    switch (c) {
      case 'd': return DIGIT;
      case 'D': return complement(DIGIT);
      case 'w': return WORD;
      case 'W': return complement(WORD);
      case 's': return SPACE;
      case 'S': return complement(SPACE);
      default: return null;
    }
  };

  const parseClass = (): CharSet => {
    // at the character after '['
    let negate = false;
    if (src[i] === '^') {
      negate = true;
      i++;
    }
    const ranges: [number, number][] = [];
    const atom = (): { code: number } | { ranges: [number, number][] } => {
      const c = src[i++]!;
      if (c !== '\\') return { code: c.charCodeAt(0) };
      const e = src[i++];
      if (e === undefined) return fail('\\ at end of pattern');
      const cls = classEscape(e);
      if (cls) return { ranges: cls };
      if (e === 'b') return { code: 8 };
      const code = escapeChar(e);
      return { code: code ?? e.charCodeAt(0) };
    };
    while (true) {
      if (i >= src.length) fail('Unterminated character class');
      if (src[i] === ']') {
        i++;
        break;
      }
      const a = atom();
      if ('ranges' in a) {
        ranges.push(...a.ranges);
        continue;
      }
      if (src[i] === '-' && src[i + 1] !== undefined && src[i + 1] !== ']') {
        i++;
        const b = atom();
        if ('ranges' in b) {
          ranges.push([a.code, a.code], [45, 45], ...b.ranges);
          continue;
        }
        if (b.code < a.code) fail('Range out of order in character class');
        ranges.push([a.code, b.code]);
      } else ranges.push([a.code, a.code]);
    }
    return { ranges: normalise(ranges), negate };
  };

  const single = (code: number): Node => ({ k: 'set', set: { ranges: [[code, code]], negate: false } });

  const parseAtom = (): Node | null => {
    const c = src[i]!;
    switch (c) {
      case '(': {
        i++;
        if (++depth > 500) fail('nested too deeply');
        let index: number | null = null;
        let look: { behind: boolean; negate: boolean } | null = null;
        if (src[i] === '?') {
          const m = /^\?(:|=|!|<=|<!|<[A-Za-z_][A-Za-z0-9_]*>)/.exec(src.slice(i, i + 40));
          if (!m) fail('Invalid group');
          i += m![0].length;
          const kind = m![1]!;
          if (kind === '=' || kind === '!') look = { behind: false, negate: kind === '!' };
          else if (kind === '<=' || kind === '<!') look = { behind: true, negate: kind === '<!' };
          else if (kind !== ':') index = ++groups;
        } else index = ++groups;
        const body = parseAlt();
        if (src[i] !== ')') fail('Unterminated group');
        i++;
        depth--;
        if (look) {
          if (body.k !== 'set') fail('lookaround is supported only around one character');
          return { k: 'look', behind: look.behind, negate: look.negate, set: (body as { set: CharSet }).set };
        }
        return { k: 'group', index, body };
      }
      case '[':
        i++;
        return { k: 'set', set: parseClass() };
      case '.':
        i++;
        return { k: 'set', set: dotAll ? { ranges: [[0, 0xffff]], negate: false } : { ranges: [[10, 10], [13, 13], [0x2028, 0x2029]], negate: true } };
      case '^':
        i++;
        return { k: 'bol' };
      case '$':
        i++;
        return { k: 'eol' };
      case '\\': {
        i++;
        const e = src[i++];
        if (e === undefined) return fail('\\ at end of pattern');
        if (e === 'b' || e === 'B') return { k: 'word', negate: e === 'B' };
        const cls = classEscape(e);
        if (cls) return { k: 'set', set: { ranges: normalise(cls), negate: false } };
        if (/[1-9]/.test(e)) {
          hasBackrefs = true;
          return { k: 'backref', index: Number(e) };
        }
        const code = escapeChar(e);
        return single(code ?? e.charCodeAt(0));
      }
      case '*':
      case '+':
      case '?':
        return fail('Nothing to repeat');
      default:
        i++;
        return single(c.charCodeAt(0));
    }
  };

  const parseQuantified = (): Node | null => {
    let atom = parseAtom();
    if (!atom) return null;
    while (i < src.length) {
      const c = src[i]!;
      let min: number;
      let max: number;
      if (c === '*') [min, max] = [0, Infinity];
      else if (c === '+') [min, max] = [1, Infinity];
      else if (c === '?') [min, max] = [0, 1];
      else if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i, i + 24));
        if (!m) break; // a literal '{' (JavaScript's Annex B reading)
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) fail(`repeat count above ${MAX_REPEAT}`);
        if (max < min) fail('numbers out of order in {} quantifier');
        i += m[0].length - 1;
      } else break;
      i++;
      let lazy = false;
      if (src[i] === '?') {
        lazy = true;
        i++;
      }
      if (atom.k === 'bol' || atom.k === 'eol' || atom.k === 'word' || atom.k === 'look') fail('Nothing to repeat');
      atom = { k: 'repeat', body: atom, min, max, lazy };
    }
    return atom;
  };

  const parseCat = (): Node => {
    const items: Node[] = [];
    while (i < src.length && src[i] !== '|' && src[i] !== ')') {
      if (src[i] === '{' && !/^\{\d+(,\d*)?\}/.test(src.slice(i, i + 24))) {
        i++;
        items.push(single(123));
        continue;
      }
      const q = parseQuantified();
      if (q) items.push(q);
    }
    if (items.length === 0) return { k: 'empty' };
    return items.length === 1 ? items[0]! : { k: 'cat', items };
  };

  const parseAlt = (): Node => {
    const items = [parseCat()];
    while (src[i] === '|') {
      i++;
      items.push(parseCat());
    }
    return items.length === 1 ? items[0]! : { k: 'alt', items };
  };

  const node = parseAlt();
  if (i < src.length) fail(src[i] === ')' ? 'Unmatched \')\'' : 'Unexpected character');
  return { node, groups, hasBackrefs };
}
