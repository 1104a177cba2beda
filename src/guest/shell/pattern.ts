// Shell patterns (globs) as regular expressions: for pathname expansion
// (where * and ? never match '/' or a leading '.'), case, [[ == ]] and the
// ${v#pat} family (where they match anything). In a pattern string a
// backslash quotes the next character: quoted text reaches here escaped.
// Matching simulates the pattern's NFA (glob-nfa.ts: a tenant's `*a*a*a*b` against a long value
// must not backtrack), and the affix operators find every candidate length in one pass.
import { GlobNfa } from './glob-nfa.js';

export const hasGlobChars = (s: string) => /(^|[^\\])(\\\\)*[*?[]/.test(s);
export const escapeGlob = (s: string) => s.replace(/[*?[\]\\]/g, '\\$&');
export const unescapeGlob = (s: string) => s.replace(/\\(.)/gs, '$1');

/** POSIX bracket classes (`[:alpha:]` …) as JavaScript character-class ranges; globs, grep/sed and awk share them. */
export const POSIX_CLASSES: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: 'A-Za-z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  print: ' -~',
  graph: '!-~',
  cntrl: '\\x00-\\x1f\\x7f',
};

const cache = new Map<string, GlobNfa>();

function compiled(key: string, make: () => GlobNfa): GlobNfa {
  let nfa = cache.get(key);
  if (!nfa) {
    nfa = make();
    if (cache.size > 500) cache.clear();
    cache.set(key, nfa);
  }
  return nfa;
}

/** Whether the whole of `text` matches the pattern. */
export function matchPattern(pat: string, text: string, pathname = false): boolean {
  return compiled((pathname ? 'p' : 'a') + pat, () => new GlobNfa(pat, pathname)).matches(text);
}

/** The pattern, and its reverse (for suffixes, matched against the reversed value). */
const forward = (pat: string) => compiled('a' + pat, () => new GlobNfa(pat));
const backward = (pat: string) => compiled('r' + pat, () => new GlobNfa(pat).reversed());
const reverse = (s: string) => s.split('').reverse().join('');

/** Lengths of the value's prefixes (or suffixes) the pattern matches whole: shortest or longest. */
function affixLength(value: string, pat: string, suffix: boolean, longest: boolean): number {
  const ends = suffix ? backward(pat).ends(reverse(value)) : forward(pat).ends(value);
  if (longest) {
    for (let i = value.length; i >= 0; i--) if (ends[i]) return i;
  } else {
    for (let i = 0; i <= value.length; i++) if (ends[i]) return i;
  }
  return -1;
}

/** ${v#p} ${v##p} ${v%p} ${v%%p}. */
export function removeAffix(value: string, pat: string, op: '#' | '##' | '%' | '%%'): string {
  const suffix = op[0] === '%';
  const n = affixLength(value, pat, suffix, op.length === 2);
  if (n < 0) return value;
  return suffix ? value.slice(0, value.length - n) : value.slice(n);
}

/** ${v/p/r} ${v//p/r} ${v/#p/r} ${v/%p/r}: the longest match at the leftmost position. */
export function replacePattern(value: string, pat: string, replacement: string, op: '/' | '//' | '/#' | '/%'): string {
  if (pat === '') return value;
  if (op === '/#' || op === '/%') {
    const n = affixLength(value, pat, op === '/%', true);
    if (n < 0) return value;
    return op === '/#' ? replacement + value.slice(n) : value.slice(0, value.length - n) + replacement;
  }
  const nfa = forward(pat);
  const lit = nfa.literal();
  if (lit !== undefined && lit.length < 65_536) {
    // no wildcard: a plain substring replace
    if (op === '//') return value.split(lit).join(replacement);
    const at = value.indexOf(lit);
    return at < 0 ? value : value.slice(0, at) + replacement + value.slice(at + lit.length);
  }
  let out = '';
  let pos = 0;
  while (pos <= value.length) {
    const m = nfa.search(value, pos);
    if (!m) break;
    const [start, end] = m;
    if (end === start) {
      // an empty match replaces nothing; go on after the next character
      out += value.slice(pos, start + 1);
      pos = start + 1;
      if (op === '/') break;
      continue;
    }
    out += value.slice(pos, start) + replacement;
    pos = end;
    if (op === '/') break;
  }
  return out + value.slice(pos);
}

/** Brace expansion would produce more than its budget allows (bash: xmalloc fails). */
export class BraceExpansionTooLarge extends Error {
  constructor() {
    super('xmalloc: cannot allocate memory');
  }
}

/** What a brace expansion may still produce, in characters (each word costs 8 more). */
export interface BraceBudget {
  left: number;
}

export function chargeBraces(budget: BraceBudget, word: string): void {
  budget.left -= word.length + 8;
  if (budget.left < 0) throw new BraceExpansionTooLarge();
}

/** Brace expansion of one unquoted literal: a{b,c}d → abd acd; {1..3} → 1 2 3. */
export function expandBraces(text: string, budget: BraceBudget = { left: Infinity }): string[] {
  // Counted before anything is made: an expansion past the budget fails at once, instead of
  // after a second of generating the words it will not keep.
  const size = braceSize(text);
  if (size.words * 8 + size.chars > budget.left) throw new BraceExpansionTooLarge();
  // a safety net for the count's approximations (intermediate lists are charged too)
  return expandWithin(text, { left: Math.min(budget.left, Number.MAX_SAFE_INTEGER / 8) * 8 });
}

/** The first top-level brace group of a word: the text around it and what it expands to. */
function firstGroup(text: string): { pre: string; post: string; whole: string; items?: string[]; seq?: RegExpExecArray } | undefined {
  let depth = 0;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' && depth > 0) {
      depth--;
      if (depth === 0) {
        const inner = text.slice(start + 1, i);
        const group = { pre: text.slice(0, start), post: text.slice(i + 1), whole: text.slice(0, i + 1) };
        const alternatives = splitTopLevel(inner);
        if (alternatives.length > 1) return { ...group, items: alternatives };
        const seq = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(inner) ?? /^([a-zA-Z])\.\.([a-zA-Z])(?:\.\.(-?\d+))?$/.exec(inner);
        return seq ? { ...group, seq } : group;
      }
    }
  }
  return undefined;
}

/** How many words, and characters in all, a brace expansion makes (an upper bound), without making them. */
export function braceSize(text: string): { words: number; chars: number } {
  const g = firstGroup(text);
  if (!g) return { words: 1, chars: text.length };
  const post = braceSize(g.post);
  if (!g.items && !g.seq) return { words: post.words, chars: post.chars + post.words * g.whole.length };
  let words = 0;
  let chars = 0;
  if (g.seq) {
    const [, a, b, stepText] = g.seq as unknown as [string, string, string, string | undefined];
    const numeric = /^-?\d+$/.test(a);
    const from = numeric ? Number(a) : a.charCodeAt(0);
    const to = numeric ? Number(b) : b.charCodeAt(0);
    const n = Math.floor(Math.abs(to - from) / (Math.abs(Number(stepText ?? 1)) || 1)) + 1;
    const len = numeric ? Math.max(a.length, b.length, String(from).length, String(to).length) : 1;
    words = n * post.words;
    chars = n * (post.chars + post.words * (len + g.pre.length));
    return { words, chars };
  }
  for (const it of g.items!) {
    const s = it.includes('{') ? braceSize(it + g.post) : { words: post.words, chars: post.chars + post.words * it.length };
    words += s.words;
    chars += s.chars + s.words * g.pre.length;
  }
  return { words, chars };
}

function expandWithin(text: string, budget: BraceBudget): string[] {
  const g = firstGroup(text);
  if (!g) return [text];
  const items = g.items ?? (g.seq ? sequence(g.seq[1]!, g.seq[2]!, g.seq[3], budget) : undefined);
  if (!items) return expandWithin(g.post, budget).map((r) => g.whole + r);
  const out: string[] = [];
  for (const it of items) {
    for (const tail of expandWithin(it + g.post, budget)) {
      const word = g.pre + tail;
      chargeBraces(budget, word);
      out.push(word);
    }
  }
  return out;
}

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      cur += c + (s[++i] ?? '');
      continue;
    }
    if (c === '{') depth++;
    if (c === '}') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function sequence(a: string, b: string, stepText: string | undefined, budget: BraceBudget): string[] {
  const out: string[] = [];
  const numeric = /^-?\d+$/.test(a);
  const from = numeric ? Number(a) : a.charCodeAt(0);
  const to = numeric ? Number(b) : b.charCodeAt(0);
  const step = Math.abs(Number(stepText ?? 1)) || 1;
  const width = numeric && (/^-?0\d/.test(a) || /^-?0\d/.test(b)) ? Math.max(a.length, b.length) : 0;
  for (let v = from; from <= to ? v <= to : v >= to; v += from <= to ? step : -step) {
    const word = numeric ? String(v).padStart(width, '0') : String.fromCharCode(v);
    chargeBraces(budget, word);
    out.push(word);
  }
  return out;
}
