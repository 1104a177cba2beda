// Shell arithmetic ($((…)), ((…)), let, for ((;;))): 64-bit signed integers
// with C's operators and precedence, variables by name, assignments and ++/--.
// Errors read as bash's ("division by 0 (error token is "0")").

export interface ArithVars {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

export class ArithError extends Error {}

type Tok = { t: 'num'; v: bigint } | { t: 'name'; v: string } | { t: 'op'; v: string };

const OPS = ['<<=', '>>=', '**', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '+', '-', '*', '/', '%', '<', '>', '&', '|', '^', '!', '~', '?', ':', '=', '(', ')', ','];

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(0[xX][0-9a-fA-F]+|[0-9]+#[0-9a-zA-Z@_]+|[0-9]+)/.exec(src.slice(i));
    if (num) {
      out.push({ t: 'num', v: parseNumber(num[0]) });
      i += num[0].length;
      if (/[A-Za-z_]/.test(src[i] ?? '')) throw new ArithError(`${src.slice(i - num[0].length)}: value too great for base (error token is "${src.slice(i - num[0].length).trim()}")`);
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (name) {
      i += name[0].length;
      let v = name[0];
      if (src[i] === '[') {
        // a[expr]: the element's name keeps its subscript; the variables' owner resolves it
        let depth = 0;
        let j = i;
        for (; j < src.length; j++) {
          if (src[j] === '[') depth++;
          else if (src[j] === ']' && --depth === 0) break;
        }
        if (j >= src.length) throw new ArithError(`${src}: syntax error: invalid arithmetic operator (error token is "${src.slice(i)}")`);
        v += src.slice(i, j + 1);
        i = j + 1;
      }
      out.push({ t: 'name', v });
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ArithError(`${src}: syntax error: operand expected (error token is "${src.slice(i)}")`);
    out.push({ t: 'op', v: op });
    i += op.length;
  }
  return out;
}

function parseNumber(s: string): bigint {
  if (/^0[xX]/.test(s)) return BigInt(s);
  const hash = s.indexOf('#');
  if (hash > 0) {
    const base = Number(s.slice(0, hash));
    let v = 0n;
    for (const ch of s.slice(hash + 1)) {
      const d = /[0-9]/.test(ch) ? ch.charCodeAt(0) - 48 : /[a-z]/.test(ch) ? ch.charCodeAt(0) - 87 : /[A-Z]/.test(ch) ? (base <= 36 ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 29) : ch === '@' ? 62 : 63;
      if (d >= base) throw new ArithError(`${s}: value too great for base (error token is "${s}")`);
      v = v * BigInt(base) + BigInt(d);
    }
    return v;
  }
  if (s.length > 1 && s.startsWith('0')) {
    if (/[89]/.test(s)) throw new ArithError(`${s}: value too great for base (error token is "${s}")`);
    return BigInt('0o' + s.slice(1));
  }
  return BigInt(s);
}

const wrap = (v: bigint) => BigInt.asIntN(64, v);

/** Evaluate an arithmetic expression; an empty one is 0. */
export function evaluate(src: string, vars: ArithVars, depth = 0): bigint {
  if (depth > 32) throw new ArithError(`${src}: expression recursion level exceeded`);
  const toks = lex(src);
  if (!toks.length) return 0n;
  let k = 0;
  const peek = () => toks[k];
  const isOp = (v: string) => {
    const t = toks[k];
    return !!t && t.t === 'op' && t.v === v;
  };
  const errToken = () => toks.slice(k).map((t) => String(t.v)).join(' ');
  const fail = (): never => {
    throw new ArithError(`${src.trim()}: syntax error: ${k >= toks.length ? 'operand expected' : 'invalid arithmetic operator'} (error token is "${errToken()}")`);
  };
  // `skip` > 0 while evaluating a branch whose value is discarded (&&, ||, ?:): no side effects
  let skip = 0;
  const valueOf = (name: string): bigint => {
    const raw = vars.get(name);
    if (raw === undefined || raw.trim() === '') return 0n;
    if (/^\s*-?[0-9]+\s*$/.test(raw)) return wrap(BigInt(raw.trim()));
    return evaluate(raw, vars, depth + 1);
  };
  const assign = (name: string, v: bigint): bigint => {
    if (!skip) vars.set(name, String(wrap(v)));
    return wrap(v);
  };

  const binaryLevels: string[][] = [
    ['||'],
    ['&&'],
    ['|'],
    ['^'],
    ['&'],
    ['==', '!='],
    ['<', '>', '<=', '>='],
    ['<<', '>>'],
    ['+', '-'],
    ['*', '/', '%'],
  ];

  const apply = (op: string, a: bigint, b: bigint): bigint => {
    switch (op) {
      case '+': return wrap(a + b);
      case '-': return wrap(a - b);
      case '*': return wrap(a * b);
      case '/':
      case '%':
        if (b === 0n) {
          if (skip) return 0n;
          throw new ArithError(`${src.trim()}: division by 0 (error token is "${errToken() || String(b)}")`);
        }
        return wrap(op === '/' ? a / b : a % b);
      case '**':
        if (b < 0n) throw new ArithError(`${src.trim()}: exponent less than 0 (error token is "${errToken()}")`);
        return wrap(a ** b);
      case '<<': return wrap(a << (b & 63n));
      case '>>': return wrap(a >> (b & 63n));
      case '<': return a < b ? 1n : 0n;
      case '>': return a > b ? 1n : 0n;
      case '<=': return a <= b ? 1n : 0n;
      case '>=': return a >= b ? 1n : 0n;
      case '==': return a === b ? 1n : 0n;
      case '!=': return a !== b ? 1n : 0n;
      case '&': return a & b;
      case '|': return a | b;
      case '^': return a ^ b;
      default: return fail();
    }
  };

  const comma = (): bigint => {
    let v = assignment();
    while (isOp(',')) {
      k++;
      v = assignment();
    }
    return v;
  };
  const assignment = (): bigint => {
    const t = peek();
    const n = toks[k + 1];
    if (t?.t === 'name' && n?.t === 'op' && ['=', '+=', '-=', '*=', '/=', '%=', '<<=', '>>=', '&=', '|=', '^='].includes(n.v)) {
      k += 2;
      const rhs = assignment();
      const v = n.v === '=' ? rhs : apply(n.v.slice(0, -1), valueOf(t.v), rhs);
      return assign(t.v, v);
    }
    return ternary();
  };
  const ternary = (): bigint => {
    const c = binary(0);
    if (!isOp('?')) return c;
    k++;
    if (!c) skip++;
    const a = assignment();
    if (!c) skip--;
    if (!isOp(':')) fail();
    k++;
    if (c) skip++;
    const b = assignment();
    if (c) skip--;
    return c ? a : b;
  };
  const binary = (level: number): bigint => {
    if (level >= binaryLevels.length) return power();
    let a = binary(level + 1);
    for (;;) {
      const t = peek();
      if (!t || t.t !== 'op' || !binaryLevels[level]!.includes(t.v)) return a;
      k++;
      if (t.v === '&&' || t.v === '||') {
        const short = t.v === '&&' ? !a : !!a;
        if (short) skip++;
        const b = binary(level + 1);
        if (short) skip--;
        a = t.v === '&&' ? (a && b ? 1n : 0n) : a || b ? 1n : 0n;
      } else a = apply(t.v, a, binary(level + 1));
    }
  };
  const power = (): bigint => {
    const a = unary();
    if (isOp('**')) {
      k++;
      return apply('**', a, power());
    }
    return a;
  };
  const unary = (): bigint => {
    const t = peek();
    if (t?.t === 'op') {
      if (t.v === '++' || t.v === '--') {
        k++;
        const n = peek();
        if (n?.t !== 'name') fail();
        k++;
        const name = (n as { v: string }).v;
        return assign(name, valueOf(name) + (t.v === '++' ? 1n : -1n));
      }
      if (['-', '+', '!', '~'].includes(t.v)) {
        k++;
        const v = unary();
        return t.v === '-' ? wrap(-v) : t.v === '+' ? v : t.v === '!' ? (v ? 0n : 1n) : ~v;
      }
    }
    return postfix();
  };
  const postfix = (): bigint => {
    const t = peek();
    if (!t) return fail();
    if (t.t === 'num') {
      k++;
      return t.v;
    }
    if (t.t === 'name') {
      k++;
      if (isOp('++') || isOp('--')) {
        const op = (peek() as { v: string }).v;
        k++;
        const old = valueOf(t.v);
        assign(t.v, old + (op === '++' ? 1n : -1n));
        return old;
      }
      return valueOf(t.v);
    }
    if (t.v === '(') {
      k++;
      const v = comma();
      if (!isOp(')')) fail();
      k++;
      return v;
    }
    return fail();
  };
  const v = comma();
  if (k < toks.length) fail();
  return v;
}
