// Word expansion in bash's order: brace, tilde, parameter / command /
// arithmetic expansion, field splitting on IFS, pathname expansion, quote
// removal. The interpreter supplies what needs running (command
// substitution, arithmetic) through ExpandHost.
import { resolvePath } from '../fs/vfs.js';
import { type Word, type WordPart, wordText } from './ast.js';
import { ansiC, arithmeticWord } from './parser.js';
import { type BraceBudget, BraceExpansionTooLarge, chargeBraces, escapeGlob, expandBraces, hasGlobChars, matchPattern, removeAffix, replacePattern, unescapeGlob } from './pattern.js';
import { arrayKeys, arrayValues, type ShellProcess } from './process.js';
import { Killed } from './run.js';
import type { GuestSystem } from './types.js';

/** An expansion error bash reports and that aborts the command (`${v:?}`, nounset, bad substitution). */
export class ExpansionError extends Error {
  constructor(
    message: string,
    /** The status a non-interactive shell exits with (bash: 127 for ${v?} and unbound variables). */
    readonly status = 1,
    /** Whether bash's message carries "line N:". */
    readonly withLine = true,
  ) {
    super(message);
  }
}

export interface ExpandHost {
  sys: GuestSystem;
  substitute(sp: ShellProcess, source: string): Promise<string>;
  arithmetic(sp: ShellProcess, source: string): Promise<bigint>;
  /** $0 of the session and the values of dynamic variables. */
  special(sp: ShellProcess, name: string): string | undefined;
  assign(sp: ShellProcess, name: string, value: string): void;
  /** a[key]=value (the key already evaluated). */
  assignElement(sp: ShellProcess, name: string, key: string, value: string): void;
}

interface Field {
  text: string;
  /** The text as a pattern: quoted characters escaped. */
  pattern: string;
  glob: boolean;
  /** Whether the field exists even if empty (it had quotes or a non-empty part). */
  real: boolean;
}

const newField = (): Field => ({ text: '', pattern: '', glob: false, real: false });

export class Expander {
  constructor(private readonly host: ExpandHost) {}

  /** Words to argv: all expansions, splitting and globbing. */
  async fields(sp: ShellProcess, words: Word[]): Promise<string[]> {
    const out: string[] = [];
    const budget: BraceBudget = { left: MAX_BRACE_EXPANSION };
    for (const w0 of words) {
      let expanded: Word[];
      try {
        expanded = braceExpand(w0, budget);
      } catch (e) {
        // bash dies when malloc fails in brace expansion; so does this command line
        if (e instanceof BraceExpansionTooLarge) throw new Killed(2, `xmalloc: cannot allocate ${MAX_BRACE_EXPANSION + 1} bytes`);
        throw e;
      }
      for (const w of expanded) {
        for (const f of await this.split(sp, w)) {
          if (f.glob && !sp.options.noglob) {
            const matches = this.glob(sp, f.pattern);
            if (matches.length) {
              out.push(...matches);
              continue;
            }
            out.push(unescapeGlob(f.pattern));
            continue;
          }
          out.push(f.text);
        }
      }
    }
    return out;
  }

  /** One string, no splitting or globbing (assignments, redirection targets, here-documents, case subjects). */
  async string(sp: ShellProcess, w: Word, assignment = false): Promise<string> {
    let s = '';
    for (let i = 0; i < w.length; i++) {
      const p = w[i]!;
      if (p.kind === 'literal') s += i === 0 && !p.quoted ? this.tilde(sp, p.text, assignment) : p.text;
      else s += (await this.part(sp, p)).join(' ');
    }
    return s;
  }

  /** A pattern: quoted parts match literally. */
  async pattern(sp: ShellProcess, w: Word): Promise<string> {
    let s = '';
    for (let i = 0; i < w.length; i++) {
      const p = w[i]!;
      if (p.kind === 'literal') s += p.quoted ? escapeGlob(p.text) : i === 0 ? this.tilde(sp, p.text, false) : p.text;
      else {
        const v = (await this.part(sp, p)).join(' ');
        s += p.quoted ? escapeGlob(v) : v;
      }
    }
    return s;
  }

  private tilde(sp: ShellProcess, text: string, assignment: boolean): string {
    const expandOne = (t: string) => {
      const m = /^~([a-z_][a-z0-9_.-]*)?(?=\/|$)/i.exec(t);
      if (!m) return t;
      const home = m[1] ? this.host.sys.users.user(m[1])?.home : (sp.get('HOME') ?? sp.proc.user.home);
      return home === undefined ? t : home + t.slice(m[0].length);
    };
    if (!assignment) return expandOne(text);
    return text.split(':').map(expandOne).join(':');
  }

  private async split(sp: ShellProcess, w: Word): Promise<Field[]> {
    const fields: Field[] = [];
    let cur = newField();
    const ifs = sp.get('IFS') ?? ' \t\n';
    for (let i = 0; i < w.length; i++) {
      const p = w[i]!;
      if (p.kind === 'literal') {
        if (p.quoted) {
          cur.text += p.text;
          cur.pattern += escapeGlob(p.text);
          cur.real = true;
        } else {
          const t = i === 0 ? this.tilde(sp, p.text, false) : p.text;
          if (t === '') continue;
          cur.text += t;
          cur.pattern += t === p.text ? t : escapeGlob(t);
          if (hasGlobChars(t) && t === p.text) cur.glob = true;
          cur.real = true;
        }
        continue;
      }
      const values = await this.part(sp, p);
      if (p.quoted) {
        // "$@": one field per positional parameter
        values.forEach((v, k) => {
          if (k > 0) {
            fields.push(cur);
            cur = newField();
          }
          cur.text += v;
          cur.pattern += escapeGlob(v);
          cur.real = true;
        });
        continue;
      }
      for (let k = 0; k < values.length; k++) {
        if (k > 0 && cur.real) {
          fields.push(cur);
          cur = newField();
        }
        const pieces = splitIfs(values[k]!, ifs);
        pieces.forEach((piece, n) => {
          if (n > 0) {
            if (cur.real) fields.push(cur);
            cur = newField();
          }
          if (piece === '') return;
          cur.text += piece;
          cur.pattern += hasGlobChars(piece) ? piece : escapeGlob(piece);
          if (hasGlobChars(piece)) cur.glob = true;
          cur.real = true;
        });
      }
    }
    if (cur.real) fields.push(cur);
    return fields;
  }

  /** The value(s) of one expansion part: several only for $@ / $*. */
  private async part(sp: ShellProcess, p: WordPart): Promise<string[]> {
    switch (p.kind) {
      case 'literal':
        return [p.text];
      case 'command':
        return [await this.host.substitute(sp, p.source)];
      case 'arithmetic': {
        const src = await this.string(sp, arithmeticWord(p.source));
        return [String(await this.host.arithmetic(sp, src))];
      }
      case 'parameter':
        return this.parameter(sp, p);
    }
  }

  private raw(sp: ShellProcess, name: string): string | undefined {
    if (/^[0-9]+$/.test(name)) {
      const n = Number(name);
      return n === 0 ? sp.arg0 : sp.positional[n - 1];
    }
    switch (name) {
      case '#':
        return String(sp.positional.length);
      case '?':
        return String(sp.status);
      case '$':
        return String(sp.pid);
      case '!':
        return sp.lastBackgroundPid === undefined ? undefined : String(sp.lastBackgroundPid);
      case '-':
        return (sp.options.errexit ? 'e' : '') + (sp.options.nounset ? 'u' : '') + (sp.options.xtrace ? 'x' : '') + 'hB';
      case '*':
      case '@':
        return sp.positional.join(name === '*' ? ((sp.get('IFS') ?? ' ')[0] ?? '') : ' ');
    }
    return sp.get(name) ?? this.host.special(sp, name);
  }

  /** The element a subscript names: `@`/`*` (every element), or one key (associative) or index (arithmetic, negative from the end). */
  private async subscript(sp: ShellProcess, name: string, index: Word): Promise<{ all: '@' | '*' } | { key: string | undefined }> {
    const text = wordText(index);
    if (text === '@' || text === '*') return { all: text };
    const a = sp.arrays.get(name);
    const raw = await this.string(sp, index);
    if (a?.assoc) return { key: raw };
    let n = await this.host.arithmetic(sp, raw === '' ? '0' : raw);
    if (n < 0n) {
      const keys = a ? arrayKeys(a) : sp.get(name) !== undefined ? ['0'] : [];
      const last = keys.length ? BigInt(keys[keys.length - 1]!) : -1n;
      n = last + 1n + n;
      if (n < 0n) throw new ExpansionError(`${name}: bad array subscript`);
    }
    return { key: String(n) };
  }

  /** ${!v}: the name v holds (with its subscript, if any). */
  private indirectTarget(sp: ShellProcess, p: Extract<WordPart, { kind: 'parameter' }>): { name: string; index?: Word } {
    const target = this.raw(sp, p.name);
    if (target === undefined || target === '') throw new ExpansionError(`${p.name}: invalid indirect expansion`);
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(.*)\])?$/s.exec(target);
    if (m) return { name: m[1]!, ...(m[2] !== undefined ? { index: [{ kind: 'literal', text: m[2], quoted: false }] } : {}) };
    if (/^([0-9]+|[@*#?$!-])$/.test(target)) return { name: target };
    throw new ExpansionError(`${target}: invalid variable name`);
  }

  private async parameter(sp: ShellProcess, p: Extract<WordPart, { kind: 'parameter' }>): Promise<string[]> {
    let { name } = p;
    const { op } = p;
    let index = p.index;
    // list: the elements of $@, $*, ${a[@]}, ${a[*]}, ${!a[@]}; star: joined by IFS's first character when quoted
    let list: string[] | undefined;
    let star = false;
    let value: string | undefined;
    if (p.indirect && index && (wordText(index) === '@' || wordText(index) === '*')) {
      const a = sp.arrays.get(name);
      list = a ? arrayKeys(a) : sp.get(name) !== undefined ? ['0'] : [];
      star = wordText(index) === '*';
      index = undefined;
    } else if (p.indirect) {
      ({ name, index } = this.indirectTarget(sp, p));
    }
    if (!list && index) {
      const sub = await this.subscript(sp, name, index);
      const a = sp.arrays.get(name);
      if ('all' in sub) {
        list = a ? arrayValues(a) : sp.get(name) !== undefined ? [sp.get(name)!] : [];
        star = sub.all === '*';
      } else value = a ? a.items.get(sub.key!) : sub.key === '0' ? sp.get(name) : undefined;
    } else if (!list) {
      if (name === '@' || name === '*') {
        list = sp.positional;
        star = name === '*';
      } else value = this.raw(sp, name);
    }
    const ifs0 = (sp.get('IFS') ?? ' ')[0] ?? '';
    const finishList = (items: string[], join: boolean): string[] => (join ? [items.join(ifs0)] : items);
    const joined = () => (list ? list.join(star ? ifs0 : ' ') : (value ?? ''));
    const unset = list ? list.length === 0 : value === undefined;
    const empty = unset || joined() === '';
    const shown = index ? `${name}[${wordText(index) ?? ''}]` : name;
    const arg = async () => (p.arg ? await this.string(sp, p.arg) : '');
    switch (op) {
      case '-':
      case ':-':
        if (op === '-' ? unset : empty) return [await arg()];
        break;
      case '=':
      case ':=':
        if (op === '=' ? unset : empty) {
          if (list || /^[0-9]/.test(name) || !/^[A-Za-z_]/.test(name)) throw new ExpansionError(`$${name}: cannot assign in this way`);
          const v = await arg();
          if (index) {
            const sub = await this.subscript(sp, name, index);
            if ('key' in sub) this.host.assignElement(sp, name, sub.key!, v);
          } else this.host.assign(sp, name, v);
          return [v];
        }
        break;
      case '?':
      case ':?':
        if (op === '?' ? unset : empty) {
          const msg = p.arg && p.arg.length ? await arg() : 'parameter null or not set';
          throw new ExpansionError(`${shown}: ${msg}`, 127, false);
        }
        break;
      case '+':
      case ':+':
        return [(op === '+' ? unset : empty) ? '' : await arg()];
      default:
        if (unset && sp.options.nounset && !list) throw new ExpansionError(`${shown}: unbound variable`, 127);
    }
    if (op === 'length') return [String(list ? list.length : [...(value ?? '')].length)];
    if (op === '@') {
      const letter = wordText(p.arg ?? []) ?? '';
      if (letter === 'a') {
        const a = sp.arrays.get(name);
        const attrs = (a ? (a.assoc ? 'A' : 'a') : '') + (sp.readonly.has(name) ? 'r' : '') + (sp.exported.has(name) ? 'x' : '');
        return finishList(list ? list.map(() => attrs) : [attrs], p.quoted && star);
      }
      if (!list && value === undefined) return [''];
    }
    const finish = (items: string[]): string[] => finishList(items, p.quoted && star);
    if (list && op === 'substring') {
      const all = !index && !p.indirect && (name === '@' || name === '*') ? [sp.arg0, ...list] : list;
      let off = Number(await this.host.arithmetic(sp, p.arg ? await this.string(sp, p.arg) : '0'));
      const arr = index && !p.indirect ? sp.arrays.get(name) : undefined;
      if (arr && !arr.assoc) {
        // an indexed array slices by index: elements at or past the offset (negative: from the highest index + 1)
        const keys = arrayKeys(arr).map(Number);
        const start = off >= 0 ? off : (keys.length ? keys[keys.length - 1]! + 1 : 0) + off;
        if (start < 0) return finish([]);
        let picked = keys.filter((k) => k >= start).map((k) => arr.items.get(String(k))!);
        if (p.arg2) {
          const len = Number(await this.host.arithmetic(sp, await this.string(sp, p.arg2)));
          if (len < 0) throw new ExpansionError(`${len}: substring expression < 0`);
          picked = picked.slice(0, len);
        }
        return finish(picked);
      }
      // a negative offset counts from the end; one before the start gives nothing
      if (off < 0) off = all.length + off < 0 ? all.length : all.length + off;
      let end = all.length;
      if (p.arg2) {
        const len = Number(await this.host.arithmetic(sp, await this.string(sp, p.arg2)));
        if (len < 0) throw new ExpansionError(`${len}: substring expression < 0`);
        end = Math.min(all.length, off + len);
      }
      return finish(all.slice(off, end));
    }
    if (list) {
      if (op === '') return finish([...list]);
      const out: string[] = [];
      for (const v of list) out.push(await this.transform(sp, p, v));
      return finish(out);
    }
    return [await this.transform(sp, p, value ?? '')];
  }

  /** One value through ${v op arg}'s operator (applied to each element of a list). */
  private async transform(sp: ShellProcess, p: Extract<WordPart, { kind: 'parameter' }>, value: string): Promise<string> {
    switch (p.op) {
      case '%':
      case '%%':
      case '#':
      case '##':
        return removeAffix(value, p.arg ? await this.pattern(sp, p.arg) : '', p.op);
      case '/':
      case '//':
      case '/#':
      case '/%':
        return replacePattern(value, p.arg ? await this.pattern(sp, p.arg) : '', p.arg2 ? await this.string(sp, p.arg2) : '', p.op);
      case '^^':
        return value.toUpperCase();
      case ',,':
        return value.toLowerCase();
      case '^':
        return value.charAt(0).toUpperCase() + value.slice(1);
      case ',':
        return value.charAt(0).toLowerCase() + value.slice(1);
      case '@':
        switch (wordText(p.arg ?? [])) {
          case 'Q':
            return quoteForReuse(value);
          case 'E':
            return ansiC(value);
          case 'U':
            return value.toUpperCase();
          case 'L':
            return value.toLowerCase();
          case 'u':
            return value.charAt(0).toUpperCase() + value.slice(1);
          default:
            return value;
        }
      case 'substring': {
        const chars = [...value];
        let off = Number(await this.host.arithmetic(sp, p.arg ? await this.string(sp, p.arg) : '0'));
        if (off < 0) {
          // an offset before the start gives nothing, as in bash
          if (-off > chars.length) return '';
          off = chars.length + off;
        }
        let end = chars.length;
        if (p.arg2) {
          const len = Number(await this.host.arithmetic(sp, await this.string(sp, p.arg2)));
          if (len < 0) {
            end = chars.length + len;
            if (end < off) throw new ExpansionError(`${len}: substring expression < 0`);
          } else end = Math.min(chars.length, off + len);
        }
        return chars.slice(off, end).join('');
      }
      default:
        return value;
    }
  }

  /** Pathname expansion of one pattern (quoted characters escaped); sorted matches, or none. */
  glob(sp: ShellProcess, pattern: string): string[] {
    const vfs = this.host.sys.vfs;
    const cred = sp.proc.cred;
    const absolute = pattern.startsWith('/');
    const comps = pattern.split('/').filter((c) => c !== '');
    let bases: string[] = [absolute ? '/' : ''];
    for (const comp of comps) {
      const next: string[] = [];
      for (const base of bases) {
        const join = (n: string) => (base === '' ? n : base.endsWith('/') ? base + n : `${base}/${n}`);
        if (!hasGlobChars(comp)) {
          next.push(join(unescapeGlob(comp)));
          continue;
        }
        let names: string[];
        try {
          names = vfs.readdir(cred, resolvePath(sp.proc.cwd, base || '.'));
        } catch {
          continue;
        }
        const dotOk = comp.startsWith('.') || comp.startsWith('\\.');
        for (const n of names) if ((dotOk || !n.startsWith('.')) && matchPattern(comp, n, true)) next.push(join(n));
      }
      bases = next;
      if (bases.length > 100_000) break;
    }
    const trailingSlash = pattern.endsWith('/');
    return bases
      .filter((b) => {
        try {
          const st = vfs.stat(cred, resolvePath(sp.proc.cwd, b));
          return !trailingSlash || st.type === 'dir';
        } catch {
          return false;
        }
      })
      .map((b) => (trailingSlash ? b + '/' : b))
      .sort();
  }
}

/** ${v@Q}: the value quoted for reuse as shell input, as bash quotes it. */
function quoteForReuse(v: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(v)) {
    const esc = v.replace(/[\\'\x00-\x1f\x7f]/g, (c) => ({ '\\': '\\\\', "'": "\\'", '\n': '\\n', '\t': '\\t', '\r': '\\r', '\x1b': '\\E', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\v': '\\v' })[c] ?? `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
    return `$'${esc}'`;
  }
  return `'${v.replace(/'/g, "'\\''")}'`;
}

/** Split an unquoted expansion's value on IFS (whitespace runs collapse; other IFS characters each end a field). */
export function splitIfs(value: string, ifs: string): string[] {
  if (ifs === '') return [value];
  const ws = [...ifs].filter((c) => c === ' ' || c === '\t' || c === '\n').join('');
  const other = [...ifs].filter((c) => !ws.includes(c)).join('');
  const esc = (s: string) => s.replace(/[\]\\^-]/g, '\\$&');
  if (!other) return value.split(new RegExp(`[${esc(ws)}]+`));
  // leading/trailing IFS whitespace still separates from neighbouring text
  return value.split(new RegExp(`[${esc(ws)}]*[${esc(other)}][${esc(ws)}]*|[${esc(ws)}]+`));
}

/**
 * What the brace expansions of one command's words may produce, in characters plus 8 per word
 * (intermediate lists count too): past it the expansion fails as bash's does when its memory
 * runs out (`{1..100}{1..100}{1..100}{1..10}` would be 10 million words).
 */
export const MAX_BRACE_EXPANSION = 16 * 1024 * 1024;

/** Whether a literal may hold a brace expansion: a '{' followed later by ',' or '..' and then '}' (one pass). */
function mayHaveBraces(text: string): boolean {
  const open = text.indexOf('{');
  if (open < 0) return false;
  const close = text.lastIndexOf('}');
  if (close < open) return false;
  const inner = text.slice(open + 1, close);
  return inner.includes(',') || inner.includes('..');
}

/** Brace expansion on the unquoted literal parts of a word (each part on its own, which covers how scripts use it). */
function braceExpand(w: Word, budget: BraceBudget): Word[] {
  const idx = w.findIndex((p) => p.kind === 'literal' && !p.quoted && mayHaveBraces(p.text));
  if (idx < 0) return [w];
  const p = w[idx] as Extract<WordPart, { kind: 'literal' }>;
  const alts = expandBraces(p.text, budget);
  if (alts.length <= 1) return [w];
  const out: Word[] = [];
  const rests = braceExpand(w.slice(idx + 1), budget);
  for (const a of alts) {
    for (const rest of rests) {
      chargeBraces(budget, a);
      out.push([...w.slice(0, idx), { ...p, text: a }, ...rest]);
    }
  }
  return out;
}
