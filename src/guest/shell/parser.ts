// The guest shell's parser: POSIX sh grammar plus the bash extensions scripts
// use ([[ ]], (( )), function, here-strings, ${v/a/b}, &>). Two stages: a
// lexer turns the text into words and operators (here-document bodies are
// read at the newline that follows their operator), and a recursive-descent
// parser recognises reserved words only where a command starts, as sh does.
import {
  type AndOr,
  type Case,
  type Command,
  type CondExpr,
  type List,
  type ListItem,
  type ParamOp,
  type Pipeline,
  type Redirect,
  type SimpleCommand,
  type Word,
  type WordPart,
  isBareWord,
  wordText,
  type Assignment,
} from './ast.js';

export * from './ast.js';

export class ParseError extends Error {
  constructor(
    message: string,
    /** The input ended inside a construct (an interactive shell asks for more). */
    readonly incomplete = false,
    readonly line = 1,
  ) {
    super(message);
  }
}

type Token =
  /** `array`: the elements of `name=(…)` (the word is then `name=` or `name+=`). */
  | { type: 'word'; word: Word; line: number; array?: Word[] }
  | { type: 'op'; op: string; line: number }
  | { type: 'redirect'; fd: number; op: Redirect['op']; body?: Word; line: number }
  | { type: 'arith'; source: string; line: number };

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SPECIAL_PARAMS = '@*#?$!-0123456789';
const METACHARS = ' \t\n;|&<>()';

interface PendingHeredoc {
  delimiter: string;
  quoted: boolean;
  stripTabs: boolean;
  token: Extract<Token, { type: 'redirect' }>;
}

class Lexer {
  private pos = 0;
  private line = 1;
  private readonly tokens: Token[] = [];
  private readonly pendingHeredocs: PendingHeredoc[] = [];
  /** A here-document ran to the end of input without its delimiter line. */
  unterminatedHeredoc = false;

  constructor(private readonly src: string) {}

  private eof(what: string): never {
    throw new ParseError(`unexpected EOF while looking for matching \`${what}'`, true, this.line);
  }

  run(): Token[] {
    const s = this.src;
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (c === ' ' || c === '\t' || c === '\r') {
        this.pos++;
        continue;
      }
      if (c === '\\' && s[this.pos + 1] === '\n') {
        this.pos += 2;
        this.line++;
        continue;
      }
      if (c === '#') {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
        continue;
      }
      if (c === '\n') {
        this.pos++;
        this.tokens.push({ type: 'op', op: '\n', line: this.line });
        this.line++;
        this.readHeredocBodies();
        continue;
      }
      const prev = this.tokens[this.tokens.length - 1];
      if (prev?.type === 'word' && isBareWord(prev.word, '=~') && !'\n;&'.includes(c)) {
        // the regex of [[ x =~ re ]]: parentheses and | are part of it
        this.tokens.push({ type: 'word', word: this.word('', false, true), line: this.line });
        continue;
      }
      const op = this.operator();
      if (op) continue;
      const line = this.line;
      const word = this.word();
      const head = word.length === 1 && word[0]!.kind === 'literal' && !word[0]!.quoted ? word[0]!.text : undefined;
      if (head !== undefined && s[this.pos] === '(' && /^[A-Za-z_][A-Za-z0-9_]*\+?=$/.test(head)) {
        this.tokens.push({ type: 'word', word, line, array: this.arrayElements() });
        continue;
      }
      this.tokens.push({ type: 'word', word, line });
    }
    if (this.pendingHeredocs.length) this.readHeredocBodies();
    return this.tokens;
  }

  /** The words of `name=( … )`, at its `(`: blanks, newlines and comments separate them. */
  private arrayElements(): Word[] {
    const s = this.src;
    const out: Word[] = [];
    this.pos++;
    for (;;) {
      if (this.pos >= s.length) this.eof(')');
      const c = s[this.pos]!;
      if (c === ' ' || c === '\t' || c === '\r') this.pos++;
      else if (c === '\n') {
        this.pos++;
        this.line++;
      } else if (c === '#') while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      else if (c === ')') {
        this.pos++;
        return out;
      } else if (c === '\\' && s[this.pos + 1] === '\n') {
        this.pos += 2;
        this.line++;
      } else if (c === '[' && /^\[[^\]\n]*\]\+?=/.test(s.slice(this.pos, this.pos + 1024))) {
        // [key]=value: the key may hold blanks ([a b]=1)
        this.pos++;
        const key = this.word(']', true);
        const append = s[this.pos + 1] === '+';
        this.pos += append ? 3 : 2;
        const value = this.word();
        out.push([{ kind: 'literal', text: '[', quoted: false }, ...key.map((p) => (p.kind === 'literal' ? { ...p, quoted: true } : p)), { kind: 'literal', text: append ? ']+=' : ']=', quoted: false }, ...value]);
      } else {
        const w = this.word();
        if (!w.length && METACHARS.includes(s[this.pos]!)) throw new ParseError(`syntax error near unexpected token \`${s[this.pos]}'`, false, this.line);
        out.push(w);
      }
    }
  }

  /** Operators and redirections at the current position; false if there is none. */
  private operator(): boolean {
    const s = this.src;
    const rest = s.slice(this.pos, this.pos + 4);
    const line = this.line;
    // (( … )) arithmetic command, where a command or `for` may start it
    if (rest.startsWith('((')) {
      const prev = this.tokens[this.tokens.length - 1];
      // also after a reserved word that a command follows (do, then, else, { …): `do (( n++ ))`
      if (!prev || prev.type === 'op' || (prev.type === 'word' && ['for', 'do', 'then', 'else', 'elif', 'if', 'while', 'until', '{', '!', 'time'].some((k) => isBareWord(prev.word, k)))) {
        const end = this.matchArith(this.pos + 2);
        this.tokens.push({ type: 'arith', source: s.slice(this.pos + 2, end), line });
        this.pos = end + 2;
        return true;
      }
    }
    const redir = /^(\d*)(&>>|&>|>>|>&|>\||<<<|<<-|<<|<&|<>|>|<)/.exec(s.slice(this.pos, this.pos + 8));
    if (redir && (redir[1] === '' || /^\d+$/.test(redir[1]!))) {
      this.pos += redir[0].length;
      const text = redir[2]!;
      const fdGiven = redir[1] !== '' ? Number(redir[1]) : undefined;
      if (text === '&>' || text === '&>>') {
        this.tokens.push({ type: 'redirect', fd: -1, op: text === '&>' ? '>' : '>>', line });
        return true;
      }
      if (text === '<<' || text === '<<-') {
        while (s[this.pos] === ' ' || s[this.pos] === '\t') this.pos++;
        if (this.pos >= s.length || METACHARS.includes(s[this.pos]!)) throw new ParseError("syntax error near unexpected token `newline'", false, line);
        const w = this.word();
        const token: Extract<Token, { type: 'redirect' }> = { type: 'redirect', fd: fdGiven ?? 0, op: '<<', body: [], line };
        this.tokens.push(token);
        this.pendingHeredocs.push({
          delimiter: w.map((p) => (p.kind === 'literal' ? p.text : '')).join(''),
          quoted: w.some((p) => p.quoted),
          stripTabs: text === '<<-',
          token,
        });
        return true;
      }
      const op: Redirect['op'] = text === '>|' ? '>' : (text as Redirect['op']);
      const fd = fdGiven ?? (op.startsWith('<') ? 0 : 1);
      this.tokens.push({ type: 'redirect', fd, op, line });
      return true;
    }
    for (const o of [';;&', ';;', ';&', '&&', '||', '|&', '|', ';', '&', '(', ')']) {
      if (s.startsWith(o, this.pos)) {
        this.pos += o.length;
        this.tokens.push({ type: 'op', op: o, line });
        return true;
      }
    }
    return false;
  }

  /** Index of the `))` closing an arithmetic expression that starts at `from`. */
  private matchArith(from: number): number {
    const s = this.src;
    let depth = 0;
    for (let j = from; j < s.length; j++) {
      const c = s[j];
      if (c === '(') depth++;
      else if (c === ')') {
        if (depth === 0 && s[j + 1] === ')') return j;
        depth--;
      } else if (c === '\n') this.line++;
    }
    return this.eof('))');
  }

  private readHeredocBodies(): void {
    const s = this.src;
    for (const h of this.pendingHeredocs.splice(0)) {
      const lines: string[] = [];
      let found = false;
      while (this.pos < s.length) {
        let end = s.indexOf('\n', this.pos);
        if (end < 0) end = s.length;
        let text = s.slice(this.pos, end);
        this.pos = Math.min(end + 1, s.length);
        this.line++;
        if (h.stripTabs) text = text.replace(/^\t+/, '');
        if (text === h.delimiter || text === h.delimiter + '\r') {
          found = true;
          break;
        }
        lines.push(text);
      }
      if (!found) this.unterminatedHeredoc = true;
      const text = lines.length ? lines.join('\n') + '\n' : '';
      h.token.body = h.quoted ? [{ kind: 'literal', text, quoted: true }] : new Lexer(text).heredocBody();
    }
  }

  /** The whole input as the inside of an unquoted here-document: only $, ` and \ are special. */
  heredocBody(): Word {
    const parts: Word = [];
    const s = this.src;
    let lit = '';
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (c === '\\' && '$`\\\n'.includes(s[this.pos + 1] ?? '')) {
        if (s[this.pos + 1] !== '\n') lit += s[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (c === '$' || c === '`') {
        const e = this.expansion(true);
        if (e) {
          if (lit) parts.push({ kind: 'literal', text: lit, quoted: true });
          lit = '';
          parts.push(e);
          continue;
        }
      }
      lit += c;
      this.pos++;
    }
    if (lit) parts.push({ kind: 'literal', text: lit, quoted: true });
    return parts;
  }

  /** At `$` or a backtick: read one expansion, or undefined for a lone `$`. */
  private expansion(quoted: boolean): WordPart | undefined {
    const s = this.src;
    if (s[this.pos] === '`') {
      let j = this.pos + 1;
      let source = '';
      for (; j < s.length && s[j] !== '`'; j++) {
        if (s[j] === '\\' && '$`\\'.includes(s[j + 1] ?? '')) source += s[++j];
        else if (s[j] === '\\' && quoted && s[j + 1] === '"') source += s[++j];
        else source += s[j];
      }
      if (j >= s.length) this.eof('`');
      this.pos = j + 1;
      return { kind: 'command', source, quoted };
    }
    const next = s[this.pos + 1];
    if (next === '(') {
      if (s[this.pos + 2] === '(') {
        const end = this.matchArithOrSubshell(this.pos + 3);
        if (end !== undefined) {
          const source = s.slice(this.pos + 3, end);
          this.pos = end + 2;
          return { kind: 'arithmetic', source, quoted };
        }
      }
      const end = this.matchParen(this.pos + 2);
      const source = s.slice(this.pos + 2, end);
      this.pos = end + 1;
      return { kind: 'command', source, quoted };
    }
    if (next === '{') return this.braceParameter(quoted);
    if (next !== undefined && SPECIAL_PARAMS.includes(next)) {
      this.pos += 2;
      return { kind: 'parameter', name: next, op: '', quoted };
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(this.pos + 1, this.pos + 257));
    if (m) {
      this.pos += 1 + m[0].length;
      return { kind: 'parameter', name: m[0], op: '', quoted };
    }
    if (next === "'" && !quoted) {
      // $'…' (ANSI-C quoting)
      const end = s.indexOf("'", this.pos + 2);
      if (end < 0) this.eof("'");
      const text = ansiC(s.slice(this.pos + 2, end));
      this.pos = end + 1;
      return { kind: 'literal', text, quoted: true };
    }
    return undefined;
  }

  /** `$((` may also open a command substitution of a subshell; undefined when it is not arithmetic. */
  private matchArithOrSubshell(from: number): number | undefined {
    const s = this.src;
    let depth = 0;
    for (let j = from; j < s.length; j++) {
      const c = s[j];
      if (c === '(') depth++;
      else if (c === ')') {
        if (depth === 0) return s[j + 1] === ')' ? j : undefined;
        depth--;
      }
    }
    return this.eof('))');
  }

  /** Index of the `)` that closes a `$(` whose inside starts at `from` (quotes, nesting, case patterns aside). */
  private matchParen(from: number): number {
    const s = this.src;
    let depth = 0;
    for (let j = from; j < s.length; j++) {
      const c = s[j];
      if (c === '\\') j++;
      else if (c === "'") {
        j = s.indexOf("'", j + 1);
        if (j < 0) break;
      } else if (c === '"') {
        for (j++; j < s.length && s[j] !== '"'; j++) if (s[j] === '\\') j++;
      } else if (c === '`') {
        j = s.indexOf('`', j + 1);
        if (j < 0) break;
      } else if (c === '(') depth++;
      else if (c === ')') {
        if (depth === 0) return j;
        depth--;
      }
    }
    return this.eof(')');
  }

  private braceParameter(quoted: boolean): WordPart {
    const s = this.src;
    this.pos += 2;
    let lengthOf = false;
    if (s[this.pos] === '#' && s[this.pos + 1] !== '}' && !':-=?+'.includes(s[this.pos + 1] ?? '}')) {
      lengthOf = true;
      this.pos++;
    }
    let indirect = false;
    if (!lengthOf && s[this.pos] === '!' && /[A-Za-z_0-9@*#]/.test(s[this.pos + 1] ?? '')) {
      indirect = true;
      this.pos++;
    }
    let name: string;
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!\-])/.exec(s.slice(this.pos, this.pos + 257));
    if (!m) {
      const end = s.indexOf('}', this.pos);
      if (end < 0) this.eof('}');
      throw new ParseError(`\${${s.slice(this.pos - (lengthOf ? 1 : 0), end)}}: bad substitution`, false, this.line);
    }
    name = m[0];
    this.pos += name.length;
    let index: Word | undefined;
    if (s[this.pos] === '[' && NAME_RE.test(name)) {
      this.pos++;
      index = this.paramWord(']');
      this.pos++;
    }
    const extra = { ...(index ? { index } : {}), ...(indirect ? { indirect } : {}) };
    if (lengthOf) {
      if (s[this.pos] !== '}') this.badSubstitution();
      this.pos++;
      return { kind: 'parameter', name, op: 'length', quoted, ...extra };
    }
    if (s[this.pos] === '}') {
      this.pos++;
      return { kind: 'parameter', name, op: '', quoted, ...extra };
    }
    const ops: ParamOp[] = [':-', ':=', ':?', ':+', '-', '=', '?', '+', '%%', '%', '##', '#', '//', '/#', '/%', '/', '^^', '^', ',,', ',', '@'];
    const op = ops.find((o) => s.startsWith(o, this.pos));
    if (!op) {
      if (s[this.pos] === ':') {
        this.pos++;
        const offset = this.paramWord('}:');
        let length: Word | undefined;
        if (s[this.pos] === ':') {
          this.pos++;
          length = this.paramWord('}');
        }
        this.pos++;
        return { kind: 'parameter', name, op: 'substring', arg: offset, arg2: length, quoted, ...extra };
      }
      return this.badSubstitution();
    }
    this.pos += op.length;
    if (op === '@') {
      // ${v@Q}: one transformation letter, then the closing brace
      const letter = s[this.pos];
      if (!letter || !'QEPAaULuK'.includes(letter) || s[this.pos + 1] !== '}') return this.badSubstitution();
      this.pos += 2;
      return { kind: 'parameter', name, op, arg: [{ kind: 'literal', text: letter, quoted: true }], quoted, ...extra };
    }
    if (op.startsWith('/')) {
      const pattern = this.paramWord('/}');
      let replacement: Word = [];
      if (s[this.pos] === '/') {
        this.pos++;
        replacement = this.paramWord('}');
      }
      this.pos++;
      return { kind: 'parameter', name, op, arg: pattern, arg2: replacement, quoted, ...extra };
    }
    const arg = this.paramWord('}');
    this.pos++;
    return { kind: 'parameter', name, op, arg, quoted, ...extra };
  }

  private badSubstitution(): never {
    const s = this.src;
    const start = s.lastIndexOf('${', this.pos);
    const end = s.indexOf('}', this.pos);
    throw new ParseError(`${s.slice(start, end < 0 ? s.length : end + 1)}: bad substitution`, false, this.line);
  }

  /** A word inside ${…}, up to (not including) one of `stops`; spaces are ordinary characters there. */
  private paramWord(stops: string): Word {
    const w = this.word(stops, true);
    if (this.pos >= this.src.length) this.eof('}');
    return w;
  }

  /**
   * One word up to an unquoted metacharacter (or, inside ${…}, one of `stops`).
   * Quoted characters become quoted literal parts: they are not split or globbed.
   */
  private word(stops = '', inBraces = false, regex = false): Word {
    const s = this.src;
    const parts: Word = [];
    let lit = '';
    let litQuoted = false;
    const push = (text: string, quoted: boolean) => {
      if (lit && litQuoted !== quoted) {
        parts.push({ kind: 'literal', text: lit, quoted: litQuoted });
        lit = '';
      }
      lit += text;
      litQuoted = quoted;
    };
    const flush = () => {
      if (lit) parts.push({ kind: 'literal', text: lit, quoted: litQuoted });
      lit = '';
    };
    let sawQuote = false;
    let braceDepth = 0;
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (inBraces) {
        if (c === '{') braceDepth++;
        if (stops.includes(c) && !(c === '}' && braceDepth > 0)) break;
        if (c === '}') braceDepth--;
      } else if (regex) {
        if (c === '(') braceDepth++;
        else if (c === ')' && braceDepth > 0) braceDepth--;
        else if (braceDepth === 0 && METACHARS.includes(c) && c !== '|') break;
      } else if (METACHARS.includes(c)) break;
      if (c === '\\') {
        const n = s[this.pos + 1];
        this.pos += 2;
        if (n === undefined) {
          push('\\', false);
          break;
        }
        if (n === '\n') this.line++;
        else push(n, true);
        continue;
      }
      if (c === "'") {
        const end = s.indexOf("'", this.pos + 1);
        if (end < 0) this.eof("'");
        sawQuote = true;
        const text = s.slice(this.pos + 1, end);
        this.line += text.split('\n').length - 1;
        push(text, true);
        this.pos = end + 1;
        continue;
      }
      if (c === '"') {
        sawQuote = true;
        this.pos++;
        let closed = false;
        push('', true);
        while (this.pos < s.length) {
          const d = s[this.pos]!;
          if (d === '"') {
            this.pos++;
            closed = true;
            break;
          }
          if (d === '\\' && '$`"\\\n'.includes(s[this.pos + 1] ?? '')) {
            if (s[this.pos + 1] !== '\n') push(s[this.pos + 1]!, true);
            else this.line++;
            this.pos += 2;
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
          if (d === '\n') this.line++;
          push(d, true);
          this.pos++;
        }
        if (!closed) this.eof('"');
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
      this.pos++;
    }
    flush();
    if (!parts.length && sawQuote) parts.push({ kind: 'literal', text: '', quoted: true });
    return parts;
  }
}

export function ansiC(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_m, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return ({ n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"' } as Record<string, string>)[e] ?? '\\' + e;
  });
}

// ---- grammar -----------------------------------------------------------------------------

/** Reserved words that end a list (the parser stops there and the caller checks which one). */
const LIST_ENDS = new Set(['then', 'else', 'elif', 'fi', 'do', 'done', 'esac', '}']);

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private isOp(op: string, t = this.peek()): boolean {
    return !!t && t.type === 'op' && t.op === op;
  }

  /** The reserved word at the current token, if it is one (only meaningful where a command starts). */
  private keyword(t = this.peek()): string | undefined {
    if (!t || t.type !== 'word') return undefined;
    const w = t.word;
    if (w.length !== 1 || w[0]!.kind !== 'literal' || w[0]!.quoted) return undefined;
    return w[0]!.text;
  }

  private unexpected(t = this.peek()): never {
    if (!t) throw new ParseError('syntax error: unexpected end of file', true, this.tokens[this.tokens.length - 1]?.line ?? 1);
    const text =
      t.type === 'op' ? (t.op === '\n' ? 'newline' : t.op) : t.type === 'redirect' ? redirText(t) : t.type === 'arith' ? '((' : (wordText(t.word) ?? 'word');
    throw new ParseError(`syntax error near unexpected token \`${text}'`, false, t.line);
  }

  private expectWord(text: string): void {
    if (this.keyword() !== text) this.unexpected();
    this.i++;
  }

  private skipNewlines(): void {
    while (this.isOp('\n')) this.i++;
  }

  private line(): number {
    return this.peek()?.line ?? this.tokens[this.tokens.length - 1]?.line ?? 1;
  }

  /** A whole program: complete commands separated by newlines; `onCommand` sees each as it is parsed. */
  program(onCommand: (c: ListItem) => void): void {
    for (;;) {
      this.skipNewlines();
      if (!this.peek()) return;
      const kw = this.keyword();
      if (kw && LIST_ENDS.has(kw)) this.unexpected();
      if (this.isOp(')') || this.isOp(';;') || this.isOp(';') || this.isOp('&')) this.unexpected();
      for (const item of this.listLine()) onCommand(item);
    }
  }

  /** and-or lists on one line (up to a newline or the end), as bash reads a line before running it. */
  private listLine(): ListItem[] {
    const items: ListItem[] = [];
    for (;;) {
      const command = this.andOr();
      const item: ListItem = { command, background: false };
      items.push(item);
      if (this.isOp(';') || this.isOp('&')) {
        item.background = this.isOp('&');
        this.i++;
        const t = this.peek();
        if (!t || this.isOp('\n', t)) break;
        continue;
      }
      if (!this.peek() || this.isOp('\n')) break;
      this.unexpected();
    }
    return items;
  }

  /** A compound list: commands until a reserved word of LIST_ENDS, `)` or `;;` (not consumed). */
  private compoundList(): List {
    const items: ListItem[] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (!t) break;
      const kw = this.keyword();
      if (kw && LIST_ENDS.has(kw)) break;
      if (this.isOp(')') || this.isOp(';;') || this.isOp(';&') || this.isOp(';;&')) break;
      const command = this.andOr();
      const item: ListItem = { command, background: false };
      items.push(item);
      if (this.isOp(';') || this.isOp('&')) {
        item.background = this.isOp('&');
        this.i++;
      } else if (this.isOp('\n')) this.i++;
      else {
        const n = this.peek();
        const nk = this.keyword(n);
        if (n && !(nk && LIST_ENDS.has(nk)) && !this.isOp(')') && !this.isOp(';;') && !this.isOp(';&') && !this.isOp(';;&')) this.unexpected();
      }
    }
    if (!items.length) this.unexpected();
    return { type: 'list', items };
  }

  private andOr(): AndOr {
    const node: AndOr = { type: 'andor', first: this.pipeline(), rest: [] };
    while (this.isOp('&&') || this.isOp('||')) {
      const op = (this.peek() as { op: '&&' | '||' }).op;
      this.i++;
      this.skipNewlines();
      node.rest.push({ op, pipeline: this.pipeline() });
    }
    return node;
  }

  private pipeline(): Pipeline {
    const line = this.line();
    let negate = false;
    while (this.keyword() === '!') {
      negate = !negate;
      this.i++;
    }
    const commands = [this.command()];
    while (this.isOp('|') || this.isOp('|&')) {
      const both = this.isOp('|&');
      this.i++;
      this.skipNewlines();
      if (both) {
        const prev = commands[commands.length - 1]!;
        if ('redirects' in prev) prev.redirects.push({ fd: 2, op: '>&', target: [{ kind: 'literal', text: '1', quoted: false }] });
      }
      commands.push(this.command());
    }
    return { type: 'pipeline', negate, commands, line };
  }

  private command(): Command {
    const t = this.peek();
    if (!t) this.unexpected();
    const line = t.line;
    if (t.type === 'arith') {
      this.i++;
      return { type: 'arith', source: t.source, redirects: this.redirects(), line };
    }
    if (this.isOp('(')) {
      this.i++;
      const body = this.compoundList();
      if (!this.isOp(')')) this.unexpected();
      this.i++;
      return { type: 'subshell', body, redirects: this.redirects(), line };
    }
    const kw = this.keyword();
    switch (kw) {
      case '{': {
        this.i++;
        const body = this.compoundList();
        this.expectWord('}');
        return { type: 'group', body, redirects: this.redirects(), line };
      }
      case 'if':
        return this.ifCommand();
      case 'for':
        return this.forCommand();
      case 'while':
      case 'until': {
        this.i++;
        const condition = this.compoundList();
        this.expectWord('do');
        const body = this.compoundList();
        this.expectWord('done');
        return { type: kw, condition, body, redirects: this.redirects(), line };
      }
      case 'case':
        return this.caseCommand();
      case 'function': {
        this.i++;
        const nameTok = this.peek();
        const name = nameTok?.type === 'word' ? wordText(nameTok.word) : undefined;
        if (!name) this.unexpected();
        this.i++;
        if (this.isOp('(')) {
          this.i++;
          if (!this.isOp(')')) this.unexpected();
          this.i++;
        }
        this.skipNewlines();
        return { type: 'function', name, body: this.functionBody(), line };
      }
      case '[[':
        return this.conditional();
      default:
        break;
    }
    if (kw && (LIST_ENDS.has(kw) || kw === 'in')) {
      if (kw !== 'in') this.unexpected();
    }
    // NAME ( ) compound-command
    const next = this.tokens[this.i + 1];
    if (t.type === 'word' && this.isOp('(', next) && this.isOp(')', this.tokens[this.i + 2])) {
      const name = wordText(t.word);
      if (!name || !/^[^\s$`'"\\|&;<>()]+$/.test(name)) this.unexpected(next);
      this.i += 3;
      this.skipNewlines();
      return { type: 'function', name, body: this.functionBody(), line };
    }
    return this.simple();
  }

  /** A function body is a compound command ({ }, ( ), if, for, while, until, case, [[ ]], (( ))). */
  private functionBody(): Command {
    const t = this.peek();
    const kw = this.keyword();
    const compound = (t && t.type === 'arith') || this.isOp('(') || (kw !== undefined && ['{', 'if', 'for', 'while', 'until', 'case', '[['].includes(kw));
    if (!compound) this.unexpected();
    return this.command();
  }

  private redirects(): Redirect[] {
    const out: Redirect[] = [];
    for (;;) {
      const t = this.peek();
      if (!t || t.type !== 'redirect') return out;
      out.push(this.redirect(t));
    }
  }

  private redirect(t: Extract<Token, { type: 'redirect' }>): Redirect {
    this.i++;
    if (t.op === '<<') return { fd: t.fd, op: '<<', target: t.body ?? [] };
    const target = this.peek();
    if (!target || target.type !== 'word') this.unexpected(target);
    this.i++;
    return { fd: t.fd, op: t.op, target: target.word };
  }

  private simple(): SimpleCommand {
    const cmd: SimpleCommand = { type: 'simple', assignments: [], words: [], redirects: [], line: this.line() };
    for (;;) {
      const t = this.peek();
      if (!t) break;
      if (t.type === 'word') {
        const first = t.word[0];
        if (!cmd.words.length && first && first.kind === 'literal' && !first.quoted) {
          const m = /^([A-Za-z_][A-Za-z0-9_]*)(\+?)=/.exec(first.text);
          if (m) {
            this.i++;
            const rest = first.text.slice(m[0].length);
            const value: Word = [...(rest ? [{ ...first, text: rest }] : []), ...t.word.slice(1)];
            cmd.assignments.push({ name: m[1]!, append: m[2] === '+', value, ...(t.array ? { array: t.array } : {}) });
            continue;
          }
          const sub = subscriptAssignment(t.word);
          if (sub) {
            this.i++;
            cmd.assignments.push(sub);
            continue;
          }
        }
        if (t.array) {
          const head = cmd.words[0] && wordText(cmd.words[0]);
          if (!head || !['declare', 'typeset', 'local', 'export', 'readonly'].includes(head)) throw new ParseError("syntax error near unexpected token `('", false, t.line);
          (cmd.wordArrays ??= {})[cmd.words.length] = t.array;
        }
        this.i++;
        cmd.words.push(t.word);
      } else if (t.type === 'redirect') cmd.redirects.push(this.redirect(t));
      else if (t.type === 'op' && t.op === '(' && cmd.words.length) this.unexpected();
      else break;
    }
    if (!cmd.words.length && !cmd.assignments.length && !cmd.redirects.length) this.unexpected();
    return cmd;
  }

  private ifCommand(): Command {
    const line = this.line();
    this.i++;
    const clauses: { condition: List; body: List }[] = [];
    let elseBody: List | undefined;
    const condition = this.compoundList();
    this.expectWord('then');
    clauses.push({ condition, body: this.compoundList() });
    for (;;) {
      const kw = this.keyword();
      if (kw === 'elif') {
        this.i++;
        const c = this.compoundList();
        this.expectWord('then');
        clauses.push({ condition: c, body: this.compoundList() });
        continue;
      }
      if (kw === 'else') {
        this.i++;
        elseBody = this.compoundList();
      }
      this.expectWord('fi');
      break;
    }
    return { type: 'if', clauses, elseBody, redirects: this.redirects(), line };
  }

  private forCommand(): Command {
    const line = this.line();
    this.i++;
    const t = this.peek();
    if (t?.type === 'arith') {
      this.i++;
      const [init = '', test = '', step = ''] = t.source.split(';');
      if (this.isOp(';')) this.i++;
      this.skipNewlines();
      const body = this.doGroup();
      return { type: 'arith-for', init, test, step, body, redirects: this.redirects(), line };
    }
    const name = t?.type === 'word' ? wordText(t.word) : undefined;
    if (!name || !NAME_RE.test(name)) {
      if (t?.type === 'word') throw new ParseError(`\`${wordText(t.word) ?? ''}': not a valid identifier`, false, t.line);
      this.unexpected();
    }
    this.i++;
    let items: Word[] | undefined;
    this.skipNewlines();
    if (this.keyword() === 'in') {
      this.i++;
      items = [];
      for (;;) {
        const w = this.peek();
        if (!w || w.type !== 'word') break;
        items.push(w.word);
        this.i++;
      }
      if (!this.isOp(';') && !this.isOp('\n')) this.unexpected();
      this.i++;
    } else if (this.isOp(';')) this.i++;
    this.skipNewlines();
    const body = this.doGroup();
    return { type: 'for', variable: name, items, body, redirects: this.redirects(), line };
  }

  private doGroup(): List {
    if (this.keyword() === '{') {
      this.i++;
      const body = this.compoundList();
      this.expectWord('}');
      return body;
    }
    this.expectWord('do');
    const body = this.compoundList();
    this.expectWord('done');
    return body;
  }

  private caseCommand(): Case {
    const line = this.line();
    this.i++;
    const subject = this.peek();
    if (!subject || subject.type !== 'word') this.unexpected();
    this.i++;
    this.skipNewlines();
    this.expectWord('in');
    const node: Case = { type: 'case', subject: subject.word, branches: [], redirects: [], line };
    for (;;) {
      this.skipNewlines();
      if (this.keyword() === 'esac') {
        this.i++;
        break;
      }
      if (this.isOp('(')) this.i++;
      const patterns: Word[] = [];
      for (;;) {
        const p = this.peek();
        if (!p || p.type !== 'word') this.unexpected();
        patterns.push(p.word);
        this.i++;
        if (this.isOp('|')) {
          this.i++;
          continue;
        }
        if (this.isOp(')')) {
          this.i++;
          break;
        }
        this.unexpected();
      }
      this.skipNewlines();
      let body: List = { type: 'list', items: [] };
      if (!this.isOp(';;') && !this.isOp(';&') && !this.isOp(';;&') && this.keyword() !== 'esac') body = this.compoundList();
      let fallThrough = false;
      if (this.isOp(';;') || this.isOp(';&') || this.isOp(';;&')) {
        fallThrough = this.isOp(';&');
        this.i++;
      } else if (this.keyword() !== 'esac') this.unexpected();
      node.branches.push({ patterns, body, fallThrough });
    }
    node.redirects = this.redirects();
    return node;
  }

  /** [[ … ]]: operators arrive as words and as the lexer's operator tokens (&&, ||, <, >, parentheses). */
  private conditional(): Command {
    const line = this.line();
    this.i++;
    const items: (string | Word)[] = [];
    for (;;) {
      const t = this.peek();
      if (!t) this.unexpected();
      this.i++;
      if (t.type === 'word') {
        if (isBareWord(t.word, ']]')) break;
        const text = wordText(t.word);
        items.push(text !== undefined && !t.word.some((p) => p.kind === 'literal' && p.quoted) && ['!', '==', '=', '!=', '=~', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot'].includes(text) ? text : t.word);
        if (/^-[a-zA-Z]$/.test(text ?? '') && !t.word.some((p) => p.kind === 'literal' && p.quoted)) items[items.length - 1] = text!;
      } else if (t.type === 'op' && ['&&', '||', '(', ')'].includes(t.op)) items.push(t.op);
      else if (t.type === 'redirect' && (t.op === '<' || t.op === '>')) items.push(t.op);
      else if (t.type === 'op' && t.op === '\n') continue;
      else this.unexpected(t);
    }
    let k = 0;
    const isStr = (x: string | Word | undefined, s: string) => x === s;
    const primary = (): CondExpr => {
      const x = items[k];
      if (x === undefined) throw new ParseError("unexpected argument `]]' to conditional unary operator", false, line);
      if (isStr(x, '!')) {
        k++;
        return { op: 'not', operand: primary() };
      }
      if (isStr(x, '(')) {
        k++;
        const e = orExpr();
        if (!isStr(items[k], ')')) throw new ParseError("syntax error in conditional expression", false, line);
        k++;
        return e;
      }
      if (typeof x === 'string' && /^-[a-zA-Z]$/.test(x) && items[k + 1] !== undefined && !isBinary(items[k + 1])) {
        k += 2;
        return { op: 'unary', test: x, operand: asWord(items[k - 1]!) };
      }
      const left = asWord(x);
      k++;
      const op = items[k];
      if (isBinary(op)) {
        k++;
        const right = items[k];
        if (right === undefined) throw new ParseError(`unexpected argument \`]]' to conditional binary operator`, false, line);
        k++;
        // the right side of =~ is a regex: join everything up to && || ) as written
        return { op: 'binary', test: op as string, left, right: asWord(right) };
      }
      return { op: 'word', operand: left };
    };
    const andExpr = (): CondExpr => {
      let e = primary();
      while (isStr(items[k], '&&')) {
        k++;
        e = { op: 'and', left: e, right: primary() };
      }
      return e;
    };
    const orExpr = (): CondExpr => {
      let e = andExpr();
      while (isStr(items[k], '||')) {
        k++;
        e = { op: 'or', left: e, right: andExpr() };
      }
      return e;
    };
    const expr = orExpr();
    if (k < items.length) throw new ParseError('syntax error in conditional expression', false, line);
    return { type: 'cond', expr, redirects: this.redirects(), line };
  }
}

const BINARY = new Set(['==', '=', '!=', '=~', '<', '>', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef']);
const isBinary = (x: string | Word | undefined) => typeof x === 'string' && BINARY.has(x);
const asWord = (x: string | Word): Word => (typeof x === 'string' ? [{ kind: 'literal', text: x, quoted: false }] : x);

/** `name[sub]=value` (the subscript may hold expansions: a[$i]=x); undefined for other words. */
export function subscriptAssignment(w: Word): Assignment | undefined {
  const first = w[0];
  if (!first || first.kind !== 'literal' || first.quoted) return undefined;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\[/.exec(first.text);
  if (!m) return undefined;
  const parts: Word = [{ ...first, text: first.text.slice(m[0].length) }, ...w.slice(1)];
  const index: Word = [];
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k]!;
    if (p.kind === 'literal' && !p.quoted) {
      const close = /\](\+?)=/.exec(p.text);
      if (close) {
        if (close.index) index.push({ ...p, text: p.text.slice(0, close.index) });
        const rest = p.text.slice(close.index + close[0].length);
        const value: Word = [...(rest ? [{ ...p, text: rest }] : []), ...parts.slice(k + 1)];
        return { name: m[1]!, append: close[1] === '+', value, index };
      }
    }
    if (p.kind !== 'literal' || p.text) index.push(p);
  }
  return undefined;
}

function redirText(t: Extract<Token, { type: 'redirect' }>): string {
  if (t.fd === -1) return t.op === '>>' ? '&>>' : '&>';
  return t.op;
}

/** The inside of $((…)) / ((…)): expanded like a double-quoted string ($x, $(…), `…`) before it is evaluated. */
export function arithmeticWord(source: string): Word {
  try {
    return new Lexer(source).heredocBody();
  } catch {
    return [{ kind: 'literal', text: source, quoted: true }];
  }
}

/** The result of parsing a script: the complete commands before any syntax error, then the error. */
export interface ParsedScript {
  commands: ListItem[];
  error?: ParseError;
}

/** Parse a whole script. A syntax error stops parsing; the commands before it are still returned (bash runs them). */
export function parseScript(src: string): ParsedScript {
  const commands: ListItem[] = [];
  try {
    const tokens = new Lexer(src).run();
    new Parser(tokens).program((c) => commands.push(c));
    return { commands };
  } catch (e) {
    if (e instanceof ParseError) return { commands, error: e };
    throw e;
  }
}

/** Parse a script that must be valid as a whole (throws ParseError). */
export function parse(src: string): List {
  const r = parseScript(src);
  if (r.error) throw r.error;
  return { type: 'list', items: r.commands };
}

/**
 * Whether an interactive line needs more input before it can run (an open
 * quote, a trailing backslash or operator, an unfinished if/for/while/case or
 * group, a here-document without its delimiter yet): the shell then prints
 * the "> " continuation prompt.
 */
export function needsMoreInput(src: string): boolean {
  if (/(^|[^\\])(\\\\)*\\$/.test(src)) return true;
  if (/(\|\||&&|\|)\s*$/.test(src)) return true;
  const lexer = new Lexer(src);
  let tokens: Token[];
  try {
    tokens = lexer.run();
  } catch (e) {
    return e instanceof ParseError && e.incomplete;
  }
  if (lexer.unterminatedHeredoc) return true;
  try {
    new Parser(tokens).program(() => {});
  } catch (e) {
    return e instanceof ParseError && e.incomplete;
  }
  return false;
}
