// awk's language: lexer and recursive-descent parser into a small syntax
// tree (interp.ts runs it). The grammar is POSIX awk's with the gawk habits
// scripts rely on; a regex literal is told from division by what precedes it.

export class AwkSyntaxError extends Error {}

type Tok =
  | { t: 'num'; v: number; line: number }
  | { t: 'str' | 're' | 'name' | 'funcname' | 'builtin' | 'kw' | 'op'; v: string; line: number }
  | { t: 'nl' | 'eof'; v: string; line: number };

const KEYWORDS = new Set(['BEGIN', 'END', 'function', 'func', 'if', 'else', 'while', 'for', 'do', 'break', 'continue', 'next', 'nextfile', 'exit', 'return', 'delete', 'in', 'getline', 'print', 'printf']);
export const BUILTINS = new Set(['length', 'substr', 'index', 'split', 'sub', 'gsub', 'match', 'sprintf', 'sin', 'cos', 'atan2', 'exp', 'log', 'sqrt', 'int', 'rand', 'srand', 'tolower', 'toupper', 'system', 'close', 'fflush']);
const OPS = ['**=', '+=', '-=', '*=', '/=', '%=', '^=', '**', '==', '<=', '>=', '!=', '++', '--', '&&', '||', '>>', '!~', '{', '}', '(', ')', '[', ']', ';', ',', '+', '-', '*', '/', '%', '^', '!', '>', '<', '|', '?', ':', '~', '$', '='];

/** A string literal's escapes (also used for -v assignments). */
export function unescape(s: string): string {
  return s.replace(/\\([0-7]{1,3}|.)/gs, (_m, c: string) => {
    if (/^[0-7]/.test(c)) return String.fromCharCode(parseInt(c, 8));
    return ({ n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', '/': '/', a: '\x07', b: '\b', f: '\f', v: '\v' } as Record<string, string>)[c] ?? c;
  });
}

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let line = 1;
  const divisionAfter = (p: Tok | undefined) => !!p && (p.t === 'num' || p.t === 'str' || p.t === 'name' || p.t === 'builtin' || (p.t === 'op' && [')', ']', '++', '--', '$'].includes(p.v)));
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      line++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\r' && src[i + 2] === '\n') {
      i += 3;
      line++;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '\n') {
      out.push({ t: 'nl', v: '\n', line });
      line++;
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let s = '';
      for (; j < src.length && src[j] !== '"'; j++) {
        if (src[j] === '\n') throw new AwkSyntaxError(`newline in string`);
        if (src[j] === '\\') {
          if (src[j + 1] === '\n') {
            j++;
            continue;
          }
          s += src[j]! + (src[j + 1] ?? '');
          j++;
        } else s += src[j];
      }
      if (j >= src.length) throw new AwkSyntaxError('unterminated string');
      out.push({ t: 'str', v: unescape(s), line });
      i = j + 1;
      continue;
    }
    if (c === '/' && !divisionAfter(out[out.length - 1])) {
      let j = i + 1;
      let s = '';
      let inClass = false;
      for (; j < src.length; j++) {
        const d = src[j]!;
        if (d === '\n') throw new AwkSyntaxError('newline in regex');
        if (d === '\\') {
          s += src[j + 1] === '/' ? '/' : d + (src[j + 1] ?? '');
          j++;
          continue;
        }
        if (d === '[' && !inClass) inClass = true;
        else if (d === ']' && inClass && s[s.length - 1] !== '[' && !/\[\^$/.test(s)) inClass = false;
        else if (d === '/' && !inClass) break;
        s += d;
      }
      if (j >= src.length) throw new AwkSyntaxError('unterminated regexp');
      out.push({ t: 're', v: s, line });
      i = j + 1;
      continue;
    }
    const num = /^(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)/.exec(src.slice(i, i + 64));
    if (num) {
      out.push({ t: 'num', v: Number(num[0]), line });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i, i + 256));
    if (name) {
      const w = name[0];
      i += w.length;
      if (KEYWORDS.has(w)) out.push({ t: 'kw', v: w === 'func' ? 'function' : w, line });
      else if (BUILTINS.has(w)) out.push({ t: 'builtin', v: w, line });
      else out.push({ t: src[i] === '(' ? 'funcname' : 'name', v: w, line });
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new AwkSyntaxError(`invalid char '${c}' in expression`);
    out.push({ t: 'op', v: op === '**' ? '^' : op === '**=' ? '^=' : op, line });
    i += op.length;
  }
  out.push({ t: 'eof', v: '', line });
  return out;
}

export type Expr =
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 're'; v: string }
  | { k: 'var'; name: string }
  | { k: 'idx'; name: string; subs: Expr[] }
  | { k: 'field'; e: Expr }
  | { k: 'assign'; op: string; lhs: LValue; rhs: Expr }
  | { k: 'cond'; c: Expr; a: Expr; b: Expr }
  | { k: 'and' | 'or'; l: Expr; r: Expr }
  | { k: 'in'; subs: Expr[]; name: string }
  | { k: 'match'; neg: boolean; l: Expr; r: Expr }
  | { k: 'cmp'; op: string; l: Expr; r: Expr }
  | { k: 'cat'; l: Expr; r: Expr }
  | { k: 'bin'; op: string; l: Expr; r: Expr }
  | { k: 'unary'; op: string; e: Expr }
  | { k: 'incdec'; op: '++' | '--'; pre: boolean; lv: LValue }
  | { k: 'call'; name: string; args: Expr[] }
  | { k: 'builtin'; name: string; args: Expr[] }
  | { k: 'getline'; from: 'stdin' | 'file' | 'cmd'; lv?: LValue; src?: Expr }
  | { k: 'group'; e: Expr };

export type LValue = Extract<Expr, { k: 'var' | 'idx' | 'field' }>;

export interface Redir {
  op: '>' | '>>' | '|';
  e: Expr;
}

export type Stmt =
  | { k: 'print' | 'printf'; args: Expr[]; redir?: Redir }
  | { k: 'expr'; e: Expr }
  | { k: 'if'; c: Expr; a: Stmt; b?: Stmt }
  | { k: 'while'; c: Expr; body: Stmt }
  | { k: 'do'; body: Stmt; c: Expr }
  | { k: 'for'; init?: Expr; c?: Expr; step?: Expr; body: Stmt }
  | { k: 'forin'; v: LValue; arr: string; body: Stmt }
  | { k: 'block'; body: Stmt[] }
  | { k: 'next' | 'nextfile' | 'break' | 'continue' }
  | { k: 'exit' | 'return'; e?: Expr }
  | { k: 'delete'; name: string; subs?: Expr[] };

export interface Rule {
  kind: 'BEGIN' | 'END' | 'main';
  pattern?: Expr;
  /** pattern1, pattern2: a range. */
  pattern2?: Expr;
  /** Omitted: print $0. */
  action?: Stmt[];
}

export interface AwkFunction {
  name: string;
  params: string[];
  body: Stmt[];
}

export interface AwkProgram {
  rules: Rule[];
  functions: Map<string, AwkFunction>;
}

const ASSIGN_OPS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '^=']);

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  private get tok(): Tok {
    return this.toks[this.i]!;
  }

  private peekAt(n: number): Tok {
    return this.toks[Math.min(this.i + n, this.toks.length - 1)]!;
  }

  private is(t: Tok['t'], v?: string): boolean {
    return this.tok.t === t && (v === undefined || this.tok.v === v);
  }

  private isOp(v: string): boolean {
    return this.is('op', v);
  }

  private fail(): never {
    const t = this.tok;
    throw new AwkSyntaxError(t.t === 'eof' ? 'unexpected end of program' : `syntax error at source line ${t.line}, near \`${t.t === 'nl' ? 'newline' : t.v}'`);
  }

  private expectOp(v: string): void {
    if (!this.isOp(v)) this.fail();
    this.i++;
  }

  private nls(): void {
    while (this.tok.t === 'nl') this.i++;
  }

  /** Newlines and semicolons between items or statements. */
  private terminators(): void {
    while (this.tok.t === 'nl' || this.isOp(';')) this.i++;
  }

  program(): AwkProgram {
    const rules: Rule[] = [];
    const functions = new Map<string, AwkFunction>();
    this.terminators();
    while (this.tok.t !== 'eof') {
      if (this.is('kw', 'function')) {
        this.i++;
        const nameTok = this.tok;
        if (nameTok.t !== 'name' && nameTok.t !== 'funcname') this.fail();
        this.i++;
        this.expectOp('(');
        const params: string[] = [];
        while (!this.isOp(')')) {
          if (this.tok.t !== 'name') this.fail();
          params.push(this.tok.v as string);
          this.i++;
          if (this.isOp(',')) {
            this.i++;
            this.nls();
          } else if (!this.isOp(')')) this.fail();
        }
        this.i++;
        this.nls();
        functions.set(nameTok.v as string, { name: nameTok.v as string, params, body: this.block() });
      } else if (this.is('kw', 'BEGIN') || this.is('kw', 'END')) {
        const kind = this.tok.v as 'BEGIN' | 'END';
        this.i++;
        this.nls();
        if (!this.isOp('{')) this.fail();
        rules.push({ kind, action: this.block() });
      } else {
        const rule: Rule = { kind: 'main' };
        if (!this.isOp('{')) {
          rule.pattern = this.expr();
          if (this.isOp(',')) {
            this.i++;
            this.nls();
            rule.pattern2 = this.expr();
          }
        }
        if (this.isOp('{')) rule.action = this.block();
        rules.push(rule);
      }
      this.terminators();
    }
    return { rules, functions };
  }

  private block(): Stmt[] {
    this.expectOp('{');
    const body: Stmt[] = [];
    this.terminators();
    while (!this.isOp('}')) {
      body.push(this.statement());
      this.terminators();
    }
    this.i++;
    return body;
  }

  /** The end of a simple statement: `;`, a newline, or before `}`/EOF. */
  private endSimple(): void {
    if (this.isOp(';') || this.tok.t === 'nl') {
      this.i++;
      return;
    }
    if (this.isOp('}') || this.tok.t === 'eof') return;
    this.fail();
  }

  private bodyStatement(): Stmt {
    this.nls();
    if (this.isOp(';')) {
      this.i++;
      return { k: 'block', body: [] };
    }
    return this.statement();
  }

  private statement(): Stmt {
    const t = this.tok;
    if (t.t === 'op' && t.v === '{') return { k: 'block', body: this.block() };
    if (t.t === 'kw') {
      switch (t.v) {
        case 'if': {
          this.i++;
          this.expectOp('(');
          const c = this.expr();
          this.expectOp(')');
          const a = this.bodyStatement();
          // `else` may follow newlines or a `;`
          const save = this.i;
          this.terminators();
          if (this.is('kw', 'else')) {
            this.i++;
            return { k: 'if', c, a, b: this.bodyStatement() };
          }
          this.i = save;
          return { k: 'if', c, a };
        }
        case 'while': {
          this.i++;
          this.expectOp('(');
          const c = this.expr();
          this.expectOp(')');
          if (this.isOp(';')) {
            this.i++;
            return { k: 'while', c, body: { k: 'block', body: [] } };
          }
          return { k: 'while', c, body: this.bodyStatement() };
        }
        case 'do': {
          this.i++;
          const body = this.bodyStatement();
          this.terminators();
          if (!this.is('kw', 'while')) this.fail();
          this.i++;
          this.expectOp('(');
          const c = this.expr();
          this.expectOp(')');
          this.endSimple();
          return { k: 'do', body, c };
        }
        case 'for': {
          this.i++;
          this.expectOp('(');
          // for (k in arr)
          if (this.tok.t === 'name' && this.peekAt(1).t === 'kw' && this.peekAt(1).v === 'in' && this.peekAt(2).t === 'name' && this.peekAt(3).t === 'op' && this.peekAt(3).v === ')') {
            const v: LValue = { k: 'var', name: this.tok.v as string };
            const arr = this.peekAt(2).v as string;
            this.i += 4;
            return { k: 'forin', v, arr, body: this.bodyStatement() };
          }
          const init = this.isOp(';') ? undefined : this.expr();
          this.expectOp(';');
          this.nls();
          const c = this.isOp(';') ? undefined : this.expr();
          this.expectOp(';');
          this.nls();
          const step = this.isOp(')') ? undefined : this.expr();
          this.expectOp(')');
          if (this.isOp(';')) {
            this.i++;
            return { k: 'for', init, c, step, body: { k: 'block', body: [] } };
          }
          return { k: 'for', init, c, step, body: this.bodyStatement() };
        }
        case 'next':
        case 'nextfile':
        case 'break':
        case 'continue':
          this.i++;
          this.endSimple();
          return { k: t.v };
        case 'exit':
        case 'return': {
          this.i++;
          const e = this.isOp(';') || this.isOp('}') || this.tok.t === 'nl' || this.tok.t === 'eof' ? undefined : this.expr();
          this.endSimple();
          return { k: t.v, e };
        }
        case 'delete': {
          this.i++;
          if (this.tok.t !== 'name') this.fail();
          const name = this.tok.v as string;
          this.i++;
          let subs: Expr[] | undefined;
          if (this.isOp('[')) {
            this.i++;
            subs = this.exprList(']');
          }
          this.endSimple();
          return { k: 'delete', name, subs };
        }
        case 'print':
        case 'printf': {
          this.i++;
          const s = this.printStatement(t.v);
          this.endSimple();
          return s;
        }
      }
    }
    if (t.t === 'op' && t.v === ';') {
      this.i++;
      return { k: 'block', body: [] };
    }
    const e = this.expr();
    this.endSimple();
    return { k: 'expr', e };
  }

  private printStatement(kind: 'print' | 'printf'): Stmt {
    let args: Expr[] = [];
    const atEnd = () => this.isOp(';') || this.isOp('}') || this.tok.t === 'nl' || this.tok.t === 'eof' || this.isOp('>') || this.isOp('>>') || this.isOp('|');
    if (!atEnd()) {
      let done = false;
      if (this.isOp('(')) {
        // print (a, b) > "f": a parenthesised list is the argument list
        const save = this.i;
        try {
          this.i++;
          const list = this.exprList(')');
          if (atEnd()) {
            args = list;
            done = true;
          } else this.i = save;
        } catch (e) {
          if (!(e instanceof AwkSyntaxError)) throw e;
          this.i = save;
        }
      }
      if (!done) {
        args.push(this.expr(true));
        while (this.isOp(',')) {
          this.i++;
          this.nls();
          args.push(this.expr(true));
        }
      }
    }
    let redir: Redir | undefined;
    if (this.isOp('>') || this.isOp('>>') || this.isOp('|')) {
      const op = this.tok.v as Redir['op'];
      this.i++;
      redir = { op, e: this.concat() };
    }
    if (kind === 'printf' && !args.length) this.fail();
    return { k: kind, args, redir };
  }

  private exprList(close: string): Expr[] {
    const out: Expr[] = [];
    this.nls();
    while (!this.isOp(close)) {
      out.push(this.expr());
      this.nls();
      if (this.isOp(',')) {
        this.i++;
        this.nls();
      } else if (!this.isOp(close)) this.fail();
    }
    this.i++;
    return out;
  }

  /** `noGt`: inside print's arguments, where `>` redirects. */
  expr(noGt = false): Expr {
    return this.ternary(noGt);
  }

  private ternary(noGt: boolean): Expr {
    const c = this.or(noGt);
    if (this.isOp('?')) {
      this.i++;
      this.nls();
      const a = this.ternary(noGt);
      this.nls();
      this.expectOp(':');
      this.nls();
      const b = this.ternary(noGt);
      return { k: 'cond', c, a, b };
    }
    if (this.tok.t === 'op' && ASSIGN_OPS.has(this.tok.v as string) && isLValue(c)) {
      const op = this.tok.v as string;
      this.i++;
      this.nls();
      return { k: 'assign', op, lhs: c, rhs: this.ternary(noGt) };
    }
    return c;
  }

  private or(noGt: boolean): Expr {
    let l = this.and(noGt);
    while (this.isOp('||')) {
      this.i++;
      this.nls();
      l = { k: 'or', l, r: this.and(noGt) };
    }
    return l;
  }

  private and(noGt: boolean): Expr {
    let l = this.inExpr(noGt);
    while (this.isOp('&&')) {
      this.i++;
      this.nls();
      l = { k: 'and', l, r: this.inExpr(noGt) };
    }
    return l;
  }

  private inExpr(noGt: boolean): Expr {
    let l = this.matchExpr(noGt);
    while (this.is('kw', 'in')) {
      this.i++;
      if (this.tok.t !== 'name') this.fail();
      l = { k: 'in', subs: [l.k === 'group' ? l.e : l], name: this.tok.v as string };
      this.i++;
    }
    return l;
  }

  private matchExpr(noGt: boolean): Expr {
    let l = this.comparison(noGt);
    while (this.isOp('~') || this.isOp('!~')) {
      const neg = this.tok.v === '!~';
      this.i++;
      l = { k: 'match', neg, l, r: this.comparison(noGt) };
    }
    return l;
  }

  private comparison(noGt: boolean): Expr {
    let l = this.pipeGetline();
    const t = this.tok;
    if (t.t === 'op' && ['<', '<=', '!=', '==', '>=', '>'].includes(t.v as string) && !(noGt && t.v === '>')) {
      this.i++;
      l = { k: 'cmp', op: t.v as string, l, r: this.pipeGetline() };
    }
    return l;
  }

  /** "cmd" | getline [var] */
  private pipeGetline(): Expr {
    let l = this.concat();
    while (this.isOp('|') && this.peekAt(1).t === 'kw' && this.peekAt(1).v === 'getline') {
      this.i += 2;
      const lv = this.optLValue();
      l = { k: 'getline', from: 'cmd', src: l, lv };
    }
    return l;
  }

  private startsConcat(): boolean {
    const t = this.tok;
    if (t.t === 'num' || t.t === 'str' || t.t === 'name' || t.t === 'funcname' || t.t === 'builtin') return true;
    if (t.t === 'kw') return t.v === 'getline';
    return t.t === 'op' && ['$', '(', '++', '--'].includes(t.v as string);
  }

  concat(): Expr {
    let l = this.additive();
    while (this.startsConcat() && !this.is('kw', 'in')) l = { k: 'cat', l, r: this.additive() };
    return l;
  }

  private additive(): Expr {
    let l = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.tok.v as string;
      this.i++;
      l = { k: 'bin', op, l, r: this.multiplicative() };
    }
    return l;
  }

  private multiplicative(): Expr {
    let l = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = this.tok.v as string;
      this.i++;
      l = { k: 'bin', op, l, r: this.unary() };
    }
    return l;
  }

  private unary(): Expr {
    if (this.isOp('!') || this.isOp('-') || this.isOp('+')) {
      const op = this.tok.v as string;
      this.i++;
      return { k: 'unary', op, e: this.unary() };
    }
    return this.power();
  }

  private power(): Expr {
    const base = this.postfix();
    if (this.isOp('^')) {
      this.i++;
      // right associative, and binds tighter than unary minus on its left: -2^2 = -4
      const exp = this.isOp('-') || this.isOp('+') || this.isOp('!') ? this.unary() : this.power();
      return { k: 'bin', op: '^', l: base, r: exp };
    }
    return base;
  }

  private postfix(): Expr {
    if (this.isOp('++') || this.isOp('--')) {
      const op = this.tok.v as '++' | '--';
      this.i++;
      const lv = this.primary();
      if (!isLValue(lv)) this.fail();
      return { k: 'incdec', op, pre: true, lv };
    }
    const e = this.primary();
    if (isLValue(e) && (this.isOp('++') || this.isOp('--'))) {
      const op = this.tok.v as '++' | '--';
      this.i++;
      return { k: 'incdec', op, pre: false, lv: e };
    }
    return e;
  }

  private optLValue(): LValue | undefined {
    if (this.tok.t === 'name' || this.isOp('$')) {
      const e = this.primary();
      if (isLValue(e)) return e;
      this.fail();
    }
    return undefined;
  }

  private primary(): Expr {
    const t = this.tok;
    switch (t.t) {
      case 'num':
        this.i++;
        return { k: 'num', v: t.v };
      case 'str':
        this.i++;
        return { k: 'str', v: t.v };
      case 're':
        this.i++;
        return { k: 're', v: t.v };
      case 'name': {
        this.i++;
        if (this.isOp('[')) {
          this.i++;
          return { k: 'idx', name: t.v, subs: this.exprList(']') };
        }
        return { k: 'var', name: t.v };
      }
      case 'funcname': {
        this.i++;
        this.expectOp('(');
        return { k: 'call', name: t.v, args: this.exprList(')') };
      }
      case 'builtin': {
        this.i++;
        if (this.isOp('(')) {
          this.i++;
          return { k: 'builtin', name: t.v, args: this.exprList(')') };
        }
        if (t.v === 'length') return { k: 'builtin', name: 'length', args: [] };
        this.fail();
        break;
      }
      case 'kw':
        if (t.v === 'getline') {
          this.i++;
          const lv = this.optLValue();
          if (this.isOp('<')) {
            this.i++;
            return { k: 'getline', from: 'file', lv, src: this.postfix() };
          }
          return { k: 'getline', from: 'stdin', lv };
        }
        break;
      case 'op':
        if (t.v === '$') {
          this.i++;
          // $NF, $(i+1), $i++ is ($i)++
          const e = this.isOp('++') || this.isOp('--') ? this.postfix() : this.isOp('-') ? this.unary() : this.primary();
          return { k: 'field', e };
        }
        if (t.v === '(') {
          this.i++;
          const list = this.exprList(')');
          if (list.length === 1) return { k: 'group', e: list[0]! };
          // (a, b) in arr
          if (!this.is('kw', 'in')) this.fail();
          this.i++;
          if (this.tok.t !== 'name') this.fail();
          const name = this.tok.v as string;
          this.i++;
          return { k: 'in', subs: list, name };
        }
        if (t.v === '-' || t.v === '+' || t.v === '!') return this.unary();
        break;
    }
    return this.fail();
  }
}

function isLValue(e: Expr): e is LValue {
  return e.k === 'var' || e.k === 'idx' || e.k === 'field';
}

export function parseAwk(src: string): AwkProgram {
  return new Parser(lex(src)).program();
}
