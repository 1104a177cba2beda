// Shell patterns (globs) as regular expressions: for pathname expansion
// (where * and ? never match '/' or a leading '.'), case, [[ == ]] and the
// ${v#pat} family (where they match anything). In a pattern string a
// backslash quotes the next character: quoted text reaches here escaped.

export const hasGlobChars = (s: string) => /(^|[^\\])(\\\\)*[*?[]/.test(s);
export const escapeGlob = (s: string) => s.replace(/[*?[\]\\]/g, '\\$&');
export const unescapeGlob = (s: string) => s.replace(/\\(.)/gs, '$1');

const reEscape = (c: string) => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** The regex source of a pattern; `pathname` keeps * and ? from matching '/'. */
export function globSource(pat: string, pathname = false): string {
  let re = '';
  const any = pathname ? '[^/]' : '[\\s\\S]';
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i]!;
    if (c === '\\') re += reEscape(pat[++i] ?? '\\');
    else if (c === '*') re += any + '*';
    else if (c === '?') re += any;
    else if (c === '[') {
      let j = i + 1;
      if (pat[j] === '!' || pat[j] === '^') j++;
      if (pat[j] === ']') j++;
      while (j < pat.length && pat[j] !== ']') j++;
      if (j >= pat.length) {
        re += '\\[';
        continue;
      }
      let body = pat.slice(i + 1, j);
      let negate = false;
      if (body[0] === '!' || body[0] === '^') {
        negate = true;
        body = body.slice(1);
      }
      let cls = '';
      for (let k = 0; k < body.length; k++) {
        const named = /^\[:(alpha|digit|alnum|upper|lower|space|blank|punct|xdigit|print|graph|cntrl):\]/.exec(body.slice(k));
        if (named) {
          cls += POSIX_CLASSES[named[1]!];
          k += named[0].length - 1;
          continue;
        }
        const ch = body[k]!;
        if (ch === '\\') cls += reEscape(body[++k] ?? '\\');
        else if (ch === '-' && k > 0 && k < body.length - 1) cls += '-';
        else cls += reEscape(ch);
      }
      re += `[${negate ? '^' : ''}${cls}]`;
      i = j;
    } else re += reEscape(c);
  }
  return re;
}

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

const cache = new Map<string, RegExp>();

/** Whether the whole of `text` matches the pattern. */
export function matchPattern(pat: string, text: string, pathname = false): boolean {
  const key = (pathname ? 'p' : 'a') + pat;
  let re = cache.get(key);
  if (!re) {
    re = new RegExp(`^${globSource(pat, pathname)}$`);
    if (cache.size > 500) cache.clear();
    cache.set(key, re);
  }
  return re.test(text);
}

/** ${v#p} ${v##p} ${v%p} ${v%%p}. */
export function removeAffix(value: string, pat: string, op: '#' | '##' | '%' | '%%'): string {
  const n = value.length;
  if (op === '#') {
    for (let i = 0; i <= n; i++) if (matchPattern(pat, value.slice(0, i))) return value.slice(i);
  } else if (op === '##') {
    for (let i = n; i >= 0; i--) if (matchPattern(pat, value.slice(0, i))) return value.slice(i);
  } else if (op === '%') {
    for (let i = n; i >= 0; i--) if (matchPattern(pat, value.slice(i))) return value.slice(0, i);
  } else {
    for (let i = 0; i <= n; i++) if (matchPattern(pat, value.slice(i))) return value.slice(0, i);
  }
  return value;
}

/** ${v/p/r} ${v//p/r} ${v/#p/r} ${v/%p/r}: the longest match at the leftmost position. */
export function replacePattern(value: string, pat: string, replacement: string, op: '/' | '//' | '/#' | '/%'): string {
  if (pat === '') return value;
  const src = globSource(pat);
  if (op === '/#') {
    const m = new RegExp(`^(?:${src})`).exec(value);
    return m ? replacement + value.slice(m[0].length) : value;
  }
  if (op === '/%') {
    for (let i = 0; i <= value.length; i++) if (new RegExp(`^(?:${src})$`).test(value.slice(i))) return value.slice(0, i) + replacement;
    return value;
  }
  const re = new RegExp(src, op === '//' ? 'g' : '');
  return value.replace(re, (m) => (m === '' ? m : replacement));
}

/** Brace expansion of one unquoted literal: a{b,c}d → abd acd; {1..3} → 1 2 3. */
export function expandBraces(text: string): string[] {
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
        const pre = text.slice(0, start);
        const post = text.slice(i + 1);
        const alternatives = splitTopLevel(inner);
        let items: string[] | undefined;
        if (alternatives.length > 1) items = alternatives;
        else {
          const seq = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(inner) ?? /^([a-zA-Z])\.\.([a-zA-Z])(?:\.\.(-?\d+))?$/.exec(inner);
          if (seq) items = sequence(seq[1]!, seq[2]!, seq[3]);
        }
        if (!items) {
          const rest = expandBraces(post);
          return rest.map((r) => text.slice(0, i + 1) + r);
        }
        const out: string[] = [];
        for (const it of items) for (const tail of expandBraces(it + post)) out.push(pre + tail);
        return out;
      }
    }
  }
  return [text];
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

function sequence(a: string, b: string, stepText?: string): string[] {
  const out: string[] = [];
  const numeric = /^-?\d+$/.test(a);
  const from = numeric ? Number(a) : a.charCodeAt(0);
  const to = numeric ? Number(b) : b.charCodeAt(0);
  const step = Math.abs(Number(stepText ?? 1)) || 1;
  const width = numeric && (/^-?0\d/.test(a) || /^-?0\d/.test(b)) ? Math.max(a.length, b.length) : 0;
  for (let v = from; from <= to ? v <= to : v >= to; v += from <= to ? step : -step) {
    if (out.length > 100_000) break;
    out.push(numeric ? String(v).padStart(width, '0') : String.fromCharCode(v));
  }
  return out;
}
