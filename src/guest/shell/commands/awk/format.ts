// printf-style formatting for awk (printf, sprintf, CONVFMT/OFMT): the C
// conversions %c %d %i %o %u %x %X %e %E %f %F %g %G %s with flags, width,
// precision and `*`.

/** A conversion with no argument left (gawk stops with a fatal error). */
export class FormatArgsMissing extends Error {}

/** %e / %f / %g of one number, as C prints it. */
export function formatNumber(conv: string, n: number, prec: number | undefined, alt = false): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? (n < 0 ? '-nan' : 'nan') : n < 0 ? '-inf' : 'inf';
  const p = prec ?? 6;
  const lower = conv.toLowerCase();
  let s: string;
  if (lower === 'f') s = n.toFixed(Math.min(p, 100));
  else if (lower === 'e') s = expForm(n, p);
  else {
    // %g: %e when the exponent is < -4 or >= the precision, trailing zeros dropped
    const P = p === 0 ? 1 : p;
    const x = n === 0 ? 0 : Math.floor(Math.log10(Math.abs(Number(n.toExponential(P - 1)))));
    if (x < -4 || x >= P) {
      s = expForm(n, P - 1);
      if (!alt) s = s.replace(/\.?0+e/, 'e');
    } else {
      s = n.toFixed(Math.max(0, P - 1 - x));
      if (!alt && s.includes('.')) s = s.replace(/\.?0+$/, '');
    }
  }
  return conv === conv.toUpperCase() ? s.toUpperCase() : s;
}

function expForm(n: number, p: number): string {
  const s = n.toExponential(Math.min(p, 100));
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** A number as awk shows it: integers whole, others through CONVFMT/OFMT. */
export function numberToString(n: number, fmt: string): string {
  // gawk shows infinities with a sign and NaN (as log(-1) makes it) as -nan
  if (!Number.isFinite(n)) return Number.isNaN(n) ? '-nan' : n > 0 ? '+inf' : '-inf';
  if (Number.isInteger(n)) return Math.abs(n) < 1e16 ? String(n) : formatNumber('g', n, 16).replace(/^(-?\d+)$/, '$1');
  if (fmt === '%.6g') return formatNumber('g', n, 6);
  return sprintf(fmt, [n], (v) => Number(v), (v) => String(v));
}

/** sprintf(fmt, args…) with awk's values (toNum / toStr convert them). */
export function sprintf<V>(fmt: string, args: V[], toNum: (v: V) => number, toStr: (v: V) => string): string {
  let out = '';
  let ai = 0;
  const next = (): V | undefined => args[ai++];
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    const m = /^%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?([cdiouxXeEfFgGs%])/.exec(fmt.slice(i));
    if (!m) {
      out += c;
      continue;
    }
    i += m[0].length - 1;
    const flags = m[1]!;
    const conv = m[4]!;
    if (conv === '%') {
      out += '%';
      continue;
    }
    let width = m[2] === '*' ? Math.trunc(toNum(next() as V)) : m[2] ? Number(m[2]) : 0;
    let left = flags.includes('-');
    if (width < 0) {
      left = true;
      width = -width;
    }
    width = Math.min(width, 1 << 16);
    let prec = m[3] === undefined ? undefined : m[3] === '*' ? Math.trunc(toNum(next() as V)) : Number(m[3] || 0);
    if (prec !== undefined && prec < 0) prec = undefined;
    if (prec !== undefined) prec = Math.min(prec, 1 << 12);
    if (ai >= args.length) throw new FormatArgsMissing();
    const arg = next();
    let body: string;
    switch (conv) {
      case 'c': {
        if (arg !== undefined && typeof arg === 'number') body = String.fromCodePoint(Math.max(0, Math.trunc(arg)) % 0x110000);
        else body = [...(arg === undefined ? '' : toStr(arg))][0] ?? '';
        break;
      }
      case 's': {
        body = arg === undefined ? '' : toStr(arg);
        if (prec !== undefined) body = [...body].slice(0, prec).join('');
        break;
      }
      case 'd':
      case 'i':
      case 'o':
      case 'u':
      case 'x':
      case 'X': {
        const n = arg === undefined ? 0 : toNum(arg);
        if (!Number.isFinite(n)) {
          body = formatNumber('f', n, 0);
          break;
        }
        let v = BigInt(Math.trunc(n));
        if (conv !== 'd' && conv !== 'i' && v < 0n) v += 1n << 64n;
        const neg = v < 0n;
        if (neg) v = -v;
        let digits = conv === 'o' ? v.toString(8) : conv === 'x' ? v.toString(16) : conv === 'X' ? v.toString(16).toUpperCase() : v.toString();
        if (prec !== undefined) digits = prec === 0 && v === 0n ? '' : digits.padStart(prec, '0');
        if (flags.includes('#') && v !== 0n) digits = (conv === 'o' ? '0' : conv === 'x' ? '0x' : conv === 'X' ? '0X' : '') + digits;
        const sign = neg ? '-' : flags.includes('+') && (conv === 'd' || conv === 'i') ? '+' : flags.includes(' ') && (conv === 'd' || conv === 'i') ? ' ' : '';
        if (flags.includes('0') && !left && prec === undefined) digits = digits.padStart(width - sign.length, '0');
        body = sign + digits;
        break;
      }
      default: {
        const n = arg === undefined ? 0 : toNum(arg);
        let s = formatNumber(conv, Math.abs(n), prec, flags.includes('#'));
        const neg = n < 0 || Object.is(n, -0);
        const sign = neg ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
        if (flags.includes('0') && !left && Number.isFinite(n)) s = s.padStart(width - sign.length, '0');
        body = sign + s;
      }
    }
    out += left ? body.padEnd(width) : body.padStart(width);
  }
  return out;
}
