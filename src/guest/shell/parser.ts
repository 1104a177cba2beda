// A parser for the subset of POSIX sh the guest supports: simple commands,
// pipes, && || ; and newlines, ! negation, redirections (> >> < 2> 2>&1 &> <<
// here-documents), single/double quotes, backslashes, $VAR ${VAR} $? and
// $(…) / `…` substitution, comments. Control structures (if/for/while,
// functions, subshells) are rejected with a syntax error rather than
// misinterpreted.

export type WordPart =
  | { t: 'lit'; v: string; q: boolean }
  | { t: 'var'; name: string; q: boolean }
  | { t: 'cmd'; src: string; q: boolean };

export type Word = WordPart[];

export interface Redir {
  /** 0, 1, 2, or -1 for &> (stdout and stderr). */
  fd: number;
  op: '>' | '>>' | '<' | '>&' | '<<';
  target: Word;
}

export interface SimpleCommand {
  assigns: { name: string; value: Word }[];
  words: Word[];
  redirs: Redir[];
}

export interface Pipeline {
  negate: boolean;
  cmds: SimpleCommand[];
}

export interface AndOr {
  first: Pipeline;
  rest: { op: '&&' | '||'; p: Pipeline }[];
}

export type Script = AndOr[];

export class ParseError extends Error {}

type Token =
  | { k: 'word'; w: Word }
  | { k: 'op'; v: '|' | '||' | '&&' | ';' | '&' | '\n' | '(' | ')' }
  | { k: 'redir'; fd: number; op: Redir['op'] }
  | { k: 'heredoc'; body: Word };

const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'function', '{', '}']);
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function wordText(w: Word): string | undefined {
  // the literal text of a word made only of literal parts (for keywords, heredoc delimiters)
  let s = '';
  for (const p of w) {
    if (p.t !== 'lit') return undefined;
    s += p.v;
  }
  return s;
}

class Lexer {
  private i = 0;
  private readonly tokens: Token[] = [];
  private readonly pendingHeredocs: { delim: string; quoted: boolean; strip: boolean; tokenIndex: number }[] = [];
  /** A here-document ran to the end of input without its delimiter line. */
  unterminatedHeredoc = false;

  constructor(private readonly s: string) {}

  run(): Token[] {
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (c === ' ' || c === '\t') {
        this.i++;
        continue;
      }
      if (c === '\\' && s[this.i + 1] === '\n') {
        this.i += 2;
        continue;
      }
      if (c === '#') {
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
        continue;
      }
      if (c === '\n') {
        this.i++;
        this.tokens.push({ k: 'op', v: '\n' });
        this.readHeredocBodies();
        continue;
      }
      if (c === ';') {
        this.i++;
        if (s[this.i] === ';') throw new ParseError("syntax error near unexpected token `;;'");
        this.tokens.push({ k: 'op', v: ';' });
        continue;
      }
      if (c === '|') {
        this.i++;
        if (s[this.i] === '|') {
          this.i++;
          this.tokens.push({ k: 'op', v: '||' });
        } else this.tokens.push({ k: 'op', v: '|' });
        continue;
      }
      if (c === '&') {
        if (s[this.i + 1] === '&') {
          this.i += 2;
          this.tokens.push({ k: 'op', v: '&&' });
        } else if (s[this.i + 1] === '>') {
          this.i += 2;
          if (s[this.i] === '>') this.i++;
          this.tokens.push({ k: 'redir', fd: -1, op: '>' });
        } else {
          this.i++;
          this.tokens.push({ k: 'op', v: '&' });
        }
        continue;
      }
      if (c === '(' || c === ')') {
        this.i++;
        this.tokens.push({ k: 'op', v: c });
        continue;
      }
      const m = /^(\d?)(>>|>&|>\||>|<<-|<<|<&|<)/.exec(s.slice(this.i, this.i + 4));
      if (m && (m[1] !== '' || c === '<' || c === '>')) {
        this.i += m[0].length;
        const op = m[2]!;
        const fd = m[1] !== '' ? Number(m[1]) : op.startsWith('<') ? 0 : 1;
        if (op === '<<' || op === '<<-') {
          this.skipBlanks();
          const w = this.word();
          if (!w.length) throw new ParseError('syntax error near unexpected token `newline\'');
          const delim = w.map((p) => (p.t === 'lit' ? p.v : '')).join('');
          this.tokens.push({ k: 'heredoc', body: [] });
          this.pendingHeredocs.push({ delim, quoted: w.some((p) => p.q), strip: op === '<<-', tokenIndex: this.tokens.length - 1 });
          continue;
        }
        const norm: Redir['op'] = op === '>|' ? '>' : op === '<&' ? '>&' : (op as Redir['op']);
        this.tokens.push({ k: 'redir', fd, op: norm });
        continue;
      }
      this.tokens.push({ k: 'word', w: this.word() });
    }
    if (this.pendingHeredocs.length) this.readHeredocBodies();
    return this.tokens;
  }

  private skipBlanks(): void {
    while (this.s[this.i] === ' ' || this.s[this.i] === '\t') this.i++;
  }

  private readHeredocBodies(): void {
    const s = this.s;
    for (const h of this.pendingHeredocs.splice(0)) {
      const lines: string[] = [];
      for (;;) {
        if (this.i >= s.length) {
          this.unterminatedHeredoc = true;
          break;
        }
        let end = s.indexOf('\n', this.i);
        if (end < 0) end = s.length;
        let line = s.slice(this.i, end);
        this.i = Math.min(end + 1, s.length);
        if (h.strip) line = line.replace(/^\t+/, '');
        if (line === h.delim) break;
        lines.push(line);
      }
      const text = lines.length ? lines.join('\n') + '\n' : '';
      const body: Word = h.quoted ? [{ t: 'lit', v: text, q: true }] : new Lexer(text).heredocWord();
      this.tokens[h.tokenIndex] = { k: 'heredoc', body };
    }
  }

  /** Parse the whole input as the inside of an unquoted here-document: only $ and \ are special. */
  heredocWord(): Word {
    const parts: Word = [];
    const s = this.s;
    let lit = '';
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (c === '\\' && '$`\\\n'.includes(s[this.i + 1] ?? '')) {
        if (s[this.i + 1] !== '\n') lit += s[this.i + 1];
        this.i += 2;
      } else if (c === '$' || c === '`') {
        const e = this.expansion(true);
        if (e) {
          if (lit) parts.push({ t: 'lit', v: lit, q: true });
          lit = '';
          parts.push(e);
        } else {
          lit += c;
          this.i++;
        }
      } else {
        lit += c;
        this.i++;
      }
    }
    if (lit) parts.push({ t: 'lit', v: lit, q: true });
    return parts;
  }

  /** At `$` or a backtick: read an expansion, or return undefined (a lone `$`). */
  private expansion(q: boolean): WordPart | undefined {
    const s = this.s;
    if (s[this.i] === '`') {
      const end = s.indexOf('`', this.i + 1);
      if (end < 0) throw new ParseError('unexpected EOF while looking for matching ``\'');
      const src = s.slice(this.i + 1, end);
      this.i = end + 1;
      return { t: 'cmd', src, q };
    }
    const n = s[this.i + 1];
    if (n === '{') {
      const end = s.indexOf('}', this.i + 2);
      if (end < 0) throw new ParseError("unexpected EOF while looking for matching `}'");
      const name = s.slice(this.i + 2, end);
      if (!NAME_RE.test(name) && !/^[?$#0-9@*]$/.test(name)) throw new ParseError(`\${${name}}: bad substitution`);
      this.i = end + 1;
      return { t: 'var', name, q };
    }
    if (n === '(') {
      if (s[this.i + 2] === '(') throw new ParseError('arithmetic expansion is not supported');
      let depth = 0;
      let j = this.i + 1;
      let quote: string | undefined;
      for (; j < s.length; j++) {
        const ch = s[j];
        if (quote) {
          if (ch === quote) quote = undefined;
          else if (ch === '\\' && quote === '"') j++;
          continue;
        }
        if (ch === "'" || ch === '"') quote = ch;
        else if (ch === '\\') j++;
        else if (ch === '(') depth++;
        else if (ch === ')') {
          depth--;
          if (depth === 0) break;
        }
      }
      if (j >= s.length) throw new ParseError("unexpected EOF while looking for matching `)'");
      const src = s.slice(this.i + 2, j);
      this.i = j + 1;
      return { t: 'cmd', src, q };
    }
    if (n !== undefined && /[?$#0-9@*]/.test(n)) {
      this.i += 2;
      return { t: 'var', name: n, q };
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(this.i + 1));
    if (m) {
      this.i += 1 + m[0].length;
      return { t: 'var', name: m[0], q };
    }
    return undefined;
  }

  private word(): Word {
    const s = this.s;
    const parts: Word = [];
    let lit = '';
    let litQ = false;
    const push = (v: string, q: boolean) => {
      if (lit && litQ !== q) {
        parts.push({ t: 'lit', v: lit, q: litQ });
        lit = '';
      }
      lit += v;
      litQ = q;
    };
    const flush = () => {
      if (lit) parts.push({ t: 'lit', v: lit, q: litQ });
      lit = '';
    };
    let sawQuote = false;
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (' \t\n;|&<>()'.includes(c)) break;
      if (c === '\\') {
        const n = s[this.i + 1];
        this.i += 2;
        if (n === undefined) break;
        if (n !== '\n') push(n, true);
        continue;
      }
      if (c === "'") {
        const end = s.indexOf("'", this.i + 1);
        if (end < 0) throw new ParseError("unexpected EOF while looking for matching `''");
        sawQuote = true;
        push(s.slice(this.i + 1, end), true);
        if (end === this.i + 1) push('', true);
        this.i = end + 1;
        continue;
      }
      if (c === '"') {
        sawQuote = true;
        this.i++;
        let closed = false;
        push('', true);
        while (this.i < s.length) {
          const d = s[this.i]!;
          if (d === '"') {
            this.i++;
            closed = true;
            break;
          }
          if (d === '\\' && '$`"\\\n'.includes(s[this.i + 1] ?? '')) {
            if (s[this.i + 1] !== '\n') push(s[this.i + 1]!, true);
            this.i += 2;
            continue;
          }
          if (d === '$' || d === '`') {
            const e = this.expansion(true);
            if (e) {
              flush();
              parts.push(e);
              continue;
            }
          }
          push(d, true);
          this.i++;
        }
        if (!closed) throw new ParseError('unexpected EOF while looking for matching `"\'');
        continue;
      }
      if (c === '$' || c === '`') {
        const e = this.expansion(false);
        if (e) {
          flush();
          parts.push(e);
          continue;
        }
      }
      push(c, false);
      this.i++;
    }
    flush();
    if (!parts.length && sawQuote) parts.push({ t: 'lit', v: '', q: true });
    return parts;
  }
}

export function parse(src: string): Script {
  const tokens = new Lexer(src).run();
  let i = 0;
  const peek = () => tokens[i];
  const unexpected = (t: Token | undefined): never => {
    const text = !t ? 'newline' : t.k === 'op' ? (t.v === '\n' ? 'newline' : t.v) : t.k === 'redir' ? '>' : 'word';
    throw new ParseError(`syntax error near unexpected token \`${text}'`);
  };

  const simple = (): SimpleCommand => {
    const cmd: SimpleCommand = { assigns: [], words: [], redirs: [] };
    for (;;) {
      const t = peek();
      if (!t) break;
      if (t.k === 'word') {
        i++;
        const first = t.w[0];
        if (!cmd.words.length && first && first.t === 'lit' && !first.q) {
          const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.v);
          if (m) {
            const value: Word = [{ ...first, v: first.v.slice(m[0].length) }, ...t.w.slice(1)].filter((p) => p.t !== 'lit' || p.v !== '' || p.q);
            cmd.assigns.push({ name: m[1]!, value });
            continue;
          }
          if (RESERVED.has(first.v) && t.w.length === 1) {
            throw new ParseError(`\`${first.v}': shell control structures are not supported in this guest`);
          }
        }
        cmd.words.push(t.w);
      } else if (t.k === 'redir') {
        i++;
        const target = peek();
        if (!target || target.k !== 'word') unexpected(target);
        i++;
        cmd.redirs.push({ fd: t.fd, op: t.op, target: (target as { w: Word }).w });
      } else if (t.k === 'heredoc') {
        i++;
        cmd.redirs.push({ fd: 0, op: '<<', target: t.body });
      } else break;
    }
    if (!cmd.words.length && !cmd.assigns.length && !cmd.redirs.length) unexpected(peek());
    return cmd;
  };

  const pipeline = (): Pipeline => {
    let negate = false;
    const t = peek();
    if (t && t.k === 'word' && wordText(t.w) === '!' ) {
      negate = true;
      i++;
    }
    const cmds = [simple()];
    for (;;) {
      const n = peek();
      if (n && n.k === 'op' && n.v === '|') {
        i++;
        while (peek()?.k === 'op' && (peek() as { v: string }).v === '\n') i++;
        cmds.push(simple());
      } else break;
    }
    return { negate, cmds };
  };

  const script: Script = [];
  for (;;) {
    while (peek()?.k === 'op' && [';', '\n'].includes((peek() as { v: string }).v)) {
      if ((peek() as { v: string }).v === ';' && script.length === 0) unexpected(peek());
      i++;
    }
    const t = peek();
    if (!t) break;
    if (t.k === 'op' && (t.v === '(' || t.v === ')')) throw new ParseError(`syntax error near unexpected token \`${t.v}'`);
    const ao: AndOr = { first: pipeline(), rest: [] };
    for (;;) {
      const n = peek();
      if (n && n.k === 'op' && (n.v === '&&' || n.v === '||')) {
        i++;
        while (peek()?.k === 'op' && (peek() as { v: string }).v === '\n') i++;
        ao.rest.push({ op: n.v, p: pipeline() });
      } else break;
    }
    script.push(ao);
    const n = peek();
    if (!n) break;
    if (n.k === 'op' && (n.v === ';' || n.v === '\n' || n.v === '&')) {
      i++;
      continue;
    }
    unexpected(n);
  }
  return script;
}

/**
 * Whether an interactive line needs more input before it can run (an open
 * quote, a trailing backslash or operator, a here-document without its
 * delimiter yet): the shell then prints the "> " continuation prompt.
 */
export function needsMoreInput(src: string): boolean {
  if (/(^|[^\\])(\\\\)*\\$/.test(src)) return true;
  if (/(\|\||&&|\|)\s*$/.test(src)) return true;
  const lx = new Lexer(src);
  try {
    lx.run();
  } catch (e) {
    return e instanceof ParseError && e.message.startsWith('unexpected EOF');
  }
  return lx.unterminatedHeredoc;
}
