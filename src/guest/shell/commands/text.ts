// Text commands: echo printf grep sed head tail wc sort uniq cut basename dirname true false.
// grep and sed take POSIX basic regular expressions by default (-E for
// extended); both are translated to JavaScript RegExp.
import { LinearRegExp, RegexSyntaxError } from '../../../domain/regex/index.js';
import { isFsError } from '../../fs/errors.js';
import { resolvePath } from '../../fs/vfs.js';
import { POSIX_CLASSES } from '../pattern.js';
import type { Command } from '../types.js';
import { getopt, readInputs, report, withUsage } from './util.js';

export const trueCmd: Command = () => 0;
export const falseCmd: Command = () => 1;

function cEscapes(s: string): { text: string; stop: boolean } {
  let stop = false;
  const text = s.replace(/\\(0[0-7]{0,3}|x[0-9a-fA-F]{1,2}|[abefnrtv\\c])/g, (_m, c: string) => {
    if (stop) return '';
    switch (c[0]) {
      case 'a':
        return '\x07';
      case 'b':
        return '\b';
      case 'e':
        return '\x1b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'v':
        return '\v';
      case '\\':
        return '\\';
      case 'c':
        stop = true;
        return '';
      case 'x':
        return String.fromCharCode(parseInt(c.slice(1), 16));
      default:
        return String.fromCharCode(parseInt(c.slice(1) || '0', 8));
    }
  });
  return { text, stop };
}

export const echo: Command = (ctx) => {
  const args = [...ctx.args];
  let newline = true;
  let escapes = false;
  while (args.length && /^-[neE]+$/.test(args[0]!)) {
    for (const c of args.shift()!.slice(1)) {
      if (c === 'n') newline = false;
      else if (c === 'e') escapes = true;
      else escapes = false;
    }
  }
  let text = args.join(' ');
  if (escapes) {
    const r = cEscapes(text);
    text = r.text;
    if (r.stop) newline = false;
  }
  ctx.io.out.write(text + (newline ? '\n' : ''));
  return 0;
};

const MAX_FIELD_WIDTH = 1024 * 1024;

export const printf: Command = (ctx) => {
  const [fmt, ...args] = ctx.args;
  if (fmt === undefined) {
    ctx.io.err.write('printf: usage: printf [-v var] format [arguments]\n');
    return 2;
  }
  let out = '';
  let i = 0;
  let status = 0;
  let tooWide: string | undefined;
  do {
    const consumedBefore = i;
    let stop = false;
    out += fmt.replace(/%([-+ 0#]*)(\d+|\*)?(?:\.(\d+))?([sdiouxXcbf%])|\\(0[0-7]{0,3}|x[0-9a-fA-F]{1,2}|[abefnrtv\\c"])/g, (m, flags: string, width: string, prec: string, conv: string, esc: string) => {
      if (stop) return '';
      if (esc !== undefined) {
        if (esc === '"') return '"';
        const r = cEscapes('\\' + esc);
        if (r.stop) stop = true;
        return r.text;
      }
      if (conv === '%') return '%';
      let w = width === '*' ? Number(args[i++] ?? 0) : width ? Number(width) : 0;
      // a field wider than the guest's memory budget is refused, not allocated
      if (!Number.isFinite(w) || Math.abs(w) > MAX_FIELD_WIDTH) {
        tooWide = width === '*' ? String(w) : width;
        return '';
      }
      const a = args[i++] ?? '';
      let s: string;
      switch (conv) {
        case 's':
          s = prec !== undefined ? a.slice(0, Number(prec)) : a;
          break;
        case 'b': {
          const r = cEscapes(a);
          s = r.text;
          if (r.stop) stop = true;
          break;
        }
        case 'c':
          s = a.slice(0, 1);
          break;
        case 'f': {
          const n = Number(a || 0);
          s = n.toFixed(prec !== undefined ? Number(prec) : 6);
          break;
        }
        default: {
          let n = a === '' ? 0 : /^'./.test(a) ? a.charCodeAt(1) : Number(a);
          if (!Number.isFinite(n)) {
            ctx.io.err.write(`printf: ${a}: invalid number\n`);
            status = 1;
            n = 0;
          }
          n = Math.trunc(n);
          s = conv === 'x' ? n.toString(16) : conv === 'X' ? n.toString(16).toUpperCase() : conv === 'o' ? n.toString(8) : String(n);
          if (flags.includes('+') && n >= 0) s = '+' + s;
        }
      }
      if (flags.includes('-')) return s.padEnd(w);
      if (flags.includes('0') && conv !== 's') return s.padStart(w, '0');
      void m;
      return s.padStart(w);
    });
    if (stop || i === consumedBefore || tooWide !== undefined) break;
  } while (i < args.length);
  if (tooWide !== undefined) {
    ctx.io.err.write(`printf: ${tooWide}: invalid field width\n`);
    return 1;
  }
  ctx.io.out.write(out);
  return status;
};

// ---- regular expressions ------------------------------------------------------------


/** Translate a POSIX BRE (or ERE when `extended`) to a JavaScript RegExp source. */
export function posixToJs(p: string, extended: boolean): string {
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '[') {
      let j = i + 1;
      let cls = '';
      if (p[j] === '^') {
        cls += '^';
        j++;
      }
      if (p[j] === ']') {
        cls += '\\]';
        j++;
      }
      for (; j < p.length && p[j] !== ']'; j++) {
        const m = /^\[:([a-z]+):\]/.exec(p.slice(j));
        if (m) {
          cls += POSIX_CLASSES[m[1]!] ?? '';
          j += m[0].length - 1;
        } else if (p[j] === '\\') cls += '\\\\';
        else cls += p[j];
      }
      if (j >= p.length) {
        out += '\\[';
        continue;
      }
      out += `[${cls}]`;
      i = j;
      continue;
    }
    if (c === '\\') {
      const n = p[i + 1];
      i++;
      if (n === undefined) out += '\\\\';
      else if (!extended && '+?|(){}'.includes(n)) out += n;
      else if (n === '<' || n === '>') out += '\\b';
      else if (/[0-9wWsSbB]/.test(n)) out += '\\' + n;
      else out += '\\' + n;
      continue;
    }
    if (!extended && '+?|(){}'.includes(c)) {
      out += '\\' + c;
      continue;
    }
    if (c === '*' && (out === '' || out === '^')) {
      out += '\\*';
      continue;
    }
    if ('/'.includes(c)) {
      out += '\\/';
      continue;
    }
    out += c;
  }
  return out;
}

// ---- grep ----------------------------------------------------------------------------

export const grep: Command = (ctx) =>
  withUsage(
    ctx,
    async () => {
      const o = getopt(ctx.args, {
        bool: 'ivncqEFrRlLwxosHhP',
        value: 'emABC',
        long: { 'ignore-case': 'i', 'invert-match': 'v', count: 'c', quiet: 'q', silent: 'q', recursive: 'r', 'regexp=': 'e', 'fixed-strings': 'F', 'extended-regexp': 'E', 'line-number': 'n', 'files-with-matches': 'l', 'word-regexp': 'w', color: 'Z', 'color=': 'Z' },
      });
      const f = o.flags;
      const ops = [...o.operands];
      const patterns = o.multi.get('e') ?? (ops.length ? [ops.shift()!] : []);
      if (!patterns.length) {
        ctx.io.err.write(`Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n`);
        return 2;
      }
      const extended = f.has('E') || f.has('P');
      let sources = patterns.flatMap((p) => p.split('\n')).map((p) => (f.has('F') ? p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') : posixToJs(p, extended)));
      if (f.has('w')) sources = sources.map((s) => `(?<![A-Za-z0-9_])(?:${s})(?![A-Za-z0-9_])`);
      if (f.has('x')) sources = sources.map((s) => `^(?:${s})$`);
      let re: LinearRegExp;
      try {
        // leftmost-longest (L), as GNU grep reports matches (-o)
        re = new LinearRegExp(sources.map((s) => `(?:${s})`).join('|'), f.has('i') ? 'iL' : 'L');
      } catch (e) {
        ctx.io.err.write(e instanceof RegexSyntaxError && /too big|above/.test(e.message) ? 'grep: regular expression too big\n' : 'grep: Invalid regular expression\n');
        return 2;
      }
      const max = typeof f.get('m') === 'string' ? Number(f.get('m')) : Infinity;
      let status = 2;
      let any = false;
      let errors = false;
      const files: { name: string; data: Buffer }[] = [];
      const rec = f.has('r') || f.has('R');
      const addTree = (name: string) => {
        const p = resolvePath(ctx.proc.cwd, name);
        try {
          const st = ctx.sys.vfs.stat(ctx.proc.cred, p);
          if (st.type === 'dir') {
            if (!rec) {
              ctx.io.err.write(`grep: ${name}: Is a directory\n`);
              return;
            }
            for (const n of ctx.sys.vfs.readdir(ctx.proc.cred, p)) addTree(name.endsWith('/') ? name + n : `${name}/${n}`);
          } else files.push({ name, data: ctx.sys.vfs.readFile(ctx.proc.cred, p) });
        } catch (e) {
          if (!isFsError(e)) throw e;
          if (!f.has('s')) ctx.io.err.write(`grep: ${name}: ${e.text}\n`);
          errors = true;
        }
      };
      if (!ops.length && rec) ops.push('.');
      if (ops.length) for (const n of ops) n === '-' ? files.push({ name: '(standard input)', data: await ctx.io.input.readAll() }) : addTree(n);
      else files.push({ name: '(standard input)', data: await ctx.io.input.readAll() });
      const showNames = f.has('H') || ((ops.length > 1 || rec) && !f.has('h'));
      for (const file of files) {
        const lines = file.data.toString('utf8').split('\n');
        if (lines[lines.length - 1] === '') lines.pop();
        let count = 0;
        for (let i = 0; i < lines.length && count < max; i++) {
          // a big file is many steps: yield and charge the CPU budget between them
          if ((i & 1023) === 1023) await ctx.rt.tick();
          const line = lines[i]!;
          const hit = re.test(line) !== f.has('v');
          if (!hit) continue;
          count++;
          any = true;
          if (f.has('q')) return 0;
          if (f.has('l') || f.has('c') || f.has('L')) continue;
          const prefix = (showNames ? `${file.name}:` : '') + (f.has('n') ? `${i + 1}:` : '');
          if (f.has('o') && !f.has('v')) {
            for (const m of re.matchAll(line)) if (m[0]) ctx.io.out.write(prefix + m[0] + '\n');
          } else ctx.io.out.write(prefix + line + '\n');
        }
        if (f.has('c')) ctx.io.out.write((showNames ? `${file.name}:` : '') + count + '\n');
        if (f.has('l') && count) ctx.io.out.write(file.name + '\n');
        if (f.has('L') && !count) ctx.io.out.write(file.name + '\n');
      }
      status = any ? 0 : 1;
      return errors && !f.has('q') ? 2 : status;
    },
    2,
  );

// ---- sed ------------------------------------------------------------------------------

type Addr = { k: 'line'; n: number } | { k: 'last' } | { k: 're'; re: LinearRegExp };

interface SedCmd {
  a1?: Addr;
  a2?: Addr;
  negate: boolean;
  op: string;
  re?: LinearRegExp;
  repl?: string;
  global?: boolean;
  nth?: number;
  print?: boolean;
  text?: string;
  inRange?: boolean;
}

export class SedError extends Error {}

export function parseSed(script: string, extended: boolean): SedCmd[] {
  const cmds: SedCmd[] = [];
  let i = 0;
  const s = script;
  const ws = () => {
    while (i < s.length && /[ \t]/.test(s[i]!)) i++;
  };
  const delimited = (d: string): string => {
    let out = '';
    while (i < s.length && s[i] !== d) {
      if (s[i] === '\\' && i + 1 < s.length) {
        if (s[i + 1] === d) out += d === '/' ? '\\/' : d;
        else if (s[i + 1] === 'n') out += '\\n';
        else out += s[i]! + s[i + 1];
        i += 2;
        continue;
      }
      if (s[i] === '\n') throw new SedError('unterminated `s\' command');
      out += s[i++];
    }
    if (i >= s.length) throw new SedError('unterminated address regex');
    i++;
    return out;
  };
  const regex = (src: string, flags = ''): LinearRegExp => {
    try {
      return new LinearRegExp(posixToJs(src, extended), flags + 'L');
    } catch (e) {
      throw new SedError(e instanceof RegexSyntaxError && /too big|above/.test(e.message) ? 'Regular expression too big' : 'Invalid regular expression');
    }
  };
  const addr = (): Addr | undefined => {
    ws();
    const c = s[i];
    if (c === undefined) return undefined;
    if (/[0-9]/.test(c)) {
      const m = /^\d+/.exec(s.slice(i))!;
      i += m[0].length;
      return { k: 'line', n: Number(m[0]) };
    }
    if (c === '$') {
      i++;
      return { k: 'last' };
    }
    if (c === '/' || c === '\\') {
      let d = '/';
      if (c === '\\') {
        d = s[i + 1]!;
        i++;
      }
      i++;
      const src = delimited(d);
      let flags = '';
      if (s[i] === 'I') {
        flags = 'i';
        i++;
      }
      return { k: 're', re: regex(src, flags) };
    }
    return undefined;
  };
  while (i < s.length) {
    ws();
    while (i < s.length && /[;\n \t]/.test(s[i]!)) i++;
    if (i >= s.length) break;
    const cmd: SedCmd = { negate: false, op: '' };
    cmd.a1 = addr();
    if (cmd.a1 && s[i] === ',') {
      i++;
      cmd.a2 = addr();
      if (!cmd.a2) throw new SedError('unexpected `,\'');
    }
    ws();
    if (s[i] === '!') {
      cmd.negate = true;
      i++;
      ws();
    }
    const op = s[i++];
    if (op === undefined) throw new SedError('missing command');
    cmd.op = op;
    if (op === 's') {
      const d = s[i++];
      if (d === undefined || d === '\n' || d === '\\') throw new SedError('unterminated `s\' command');
      const pat = delimited(d);
      const repl = delimited(d);
      let flags = '';
      while (i < s.length && /[gpiI0-9]/.test(s[i]!)) {
        const ch = s[i++]!;
        if (ch === 'g') cmd.global = true;
        else if (ch === 'p') cmd.print = true;
        else if (ch === 'i' || ch === 'I') flags += 'i';
        else cmd.nth = Number(ch) + (cmd.nth ?? 0) * 10;
      }
      cmd.re = regex(pat, flags);
      cmd.repl = repl;
    } else if (op === 'a' || op === 'i' || op === 'c') {
      ws();
      if (s[i] === '\\') {
        i++;
        if (s[i] === '\n') i++;
      }
      let text = '';
      while (i < s.length && s[i] !== '\n') text += s[i++];
      cmd.text = text.replace(/\\(.)/g, '$1');
    } else if (!'dpqnN='.includes(op)) {
      throw new SedError(`unknown command: \`${op}'`);
    }
    ws();
    if (i < s.length && !/[;\n}]/.test(s[i]!)) throw new SedError(`extra characters after command`);
    cmds.push(cmd);
  }
  return cmds;
}

function expandReplacement(repl: string, m: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i]!;
    if (c === '\\' && i + 1 < repl.length) {
      const n = repl[++i]!;
      if (/[0-9]/.test(n)) out += m[Number(n)] ?? '';
      else if (n === 'n') out += '\n';
      else if (n === 't') out += '\t';
      else out += n;
    } else if (c === '&') out += m[0];
    else out += c;
  }
  return out;
}

export async function runSed(cmds: SedCmd[], input: string, quiet: boolean, tick: () => Promise<void> = async () => {}): Promise<string> {
  const lines = input.split('\n');
  const trailingNewline = lines[lines.length - 1] === '';
  if (trailingNewline) lines.pop();
  let out = '';
  const matches = (a: Addr, n: number, line: string, last: boolean) =>
    a.k === 'line' ? a.n === n : a.k === 'last' ? last : a.re.test(line);
  for (const c of cmds) c.inRange = false;
  for (let idx = 0; idx < lines.length; idx++) {
    if ((idx & 1023) === 1023) await tick(); // a big input is many steps, not one
    let ps = lines[idx]!;
    const n = idx + 1;
    const last = idx === lines.length - 1;
    let deleted = false;
    let quit = false;
    const append: string[] = [];
    for (const c of cmds) {
      let sel: boolean;
      if (!c.a1) sel = true;
      else if (!c.a2) sel = matches(c.a1, n, ps, last);
      else if (c.inRange) {
        sel = true;
        if (c.a2.k === 'line' ? n >= c.a2.n : matches(c.a2, n, ps, last)) c.inRange = false;
      } else if (matches(c.a1, n, ps, last)) {
        sel = true;
        c.inRange = !(c.a2.k === 'line' ? c.a2.n <= n : false);
      } else sel = false;
      if (c.negate) sel = !sel;
      if (!sel) continue;
      if (c.op === 'd') {
        deleted = true;
        break;
      }
      if (c.op === 'p') out += ps + '\n';
      else if (c.op === '=') out += n + '\n';
      else if (c.op === 'q') {
        quit = true;
        break;
      } else if (c.op === 'a') append.push(c.text ?? '');
      else if (c.op === 'i') out += (c.text ?? '') + '\n';
      else if (c.op === 'c') {
        out += (c.text ?? '') + '\n';
        deleted = true;
        break;
      } else if (c.op === 's') {
        if (!c.re!.test(ps)) continue; // the lazy DFA rules most lines out before the VM runs
        const re = new LinearRegExp(c.re!.source, c.re!.flags.replace('g', '') + 'g');
        let count = 0;
        let result = '';
        let lastIndex = 0;
        let did = false;
        let m: RegExpExecArray | null;
        while ((m = re.exec(ps)) !== null) {
          count++;
          const take = c.global ? count >= (c.nth ?? 1) : count === (c.nth ?? 1);
          if (take) {
            result += ps.slice(lastIndex, m.index) + expandReplacement(c.repl!, m);
            lastIndex = m.index + m[0].length;
            did = true;
          }
          if (m[0] === '') re.lastIndex++;
          if (!c.global && count >= (c.nth ?? 1)) break;
        }
        if (did) {
          ps = result + ps.slice(lastIndex);
          if (c.print) out += ps + '\n';
        }
      }
    }
    if (!deleted && !quiet) out += ps + (last && !trailingNewline ? '' : '\n');
    for (const a of append) out += a + '\n';
    if (quit) break;
  }
  return out;
}

export const sed: Command = (ctx) =>
  withUsage(ctx, async () => {
    // -i takes an optional attached suffix: handle it before getopt
    let inPlace: string | undefined;
    const args: string[] = [];
    for (const a of ctx.args) {
      const m = /^-([nEr]*)i(.*)$/.exec(a);
      if (m && !args.includes('--')) {
        inPlace = m[2] ?? '';
        if (m[1]) args.push('-' + m[1]);
      } else if (a === '--in-place' || a.startsWith('--in-place=')) inPlace = a.includes('=') ? a.slice(a.indexOf('=') + 1) : '';
      else args.push(a);
    }
    const o = getopt(args, { bool: 'nErsu', value: 'ef', long: { quiet: 'n', silent: 'n', 'regexp-extended': 'E', 'expression=': 'e' } });
    const ops = [...o.operands];
    const scripts = o.multi.get('e') ?? (ops.length ? [ops.shift()!] : []);
    if (!scripts.length) {
      ctx.io.err.write('Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n');
      return 1;
    }
    let cmds: SedCmd[];
    try {
      cmds = parseSed(scripts.join('\n'), o.flags.has('E') || o.flags.has('r'));
    } catch (e) {
      if (e instanceof SedError) {
        ctx.io.err.write(`sed: -e expression #1, char 0: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
    const quiet = o.flags.has('n');
    let status = 0;
    if (inPlace !== undefined) {
      if (!ops.length) {
        ctx.io.err.write('sed: no input files\n');
        return 1;
      }
      for (const f of ops) {
        const p = resolvePath(ctx.proc.cwd, f);
        try {
          const data = ctx.sys.vfs.readFile(ctx.proc.cred, p).toString('utf8');
          if (inPlace) ctx.sys.vfs.writeFile(ctx.proc.cred, p + inPlace, data);
          // GNU sed writes a temporary file in the same directory and renames it over the original;
          // the result keeps the original's mode and owner, so rewrite in place.
          ctx.sys.vfs.writeFile(ctx.proc.cred, p, await runSed(cmds, data, quiet, () => ctx.rt.tick()));
        } catch (e) {
          if (!isFsError(e)) throw e;
          ctx.io.err.write(`sed: can't read ${f}: ${e.text}\n`);
          status = 2;
        }
      }
      return status;
    }
    const inputs = await readInputs(ctx, ops, (f, e) => {
      if (!isFsError(e)) throw e;
      ctx.io.err.write(`sed: can't read ${f}: ${e.text}\n`);
      status = 2;
    });
    ctx.io.out.write(await runSed(cmds, Buffer.concat(inputs.map((x) => x.data)).toString('utf8'), quiet, () => ctx.rt.tick()));
    return status;
  });

// ---- head / tail / wc ------------------------------------------------------------------

function headTail(tail: boolean): Command {
  return (ctx) =>
    withUsage(ctx, async () => {
      const args = ctx.args.map((a) => (/^-\d+$/.test(a) ? `-n${a.slice(1)}` : a));
      const o = getopt(args, { bool: 'qvfF', value: 'nc', long: { 'lines=': 'n', 'bytes=': 'c', follow: 'f' } });
      let status = 0;
      const nLines = o.flags.get('n');
      const cBytes = o.flags.get('c');
      if (!tail && !o.operands.length && typeof cBytes === 'string' && /^\d+$/.test(cBytes)) {
        // head -c N of a stream reads N bytes and stops
        ctx.io.out.write(await ctx.io.input.readBytes(Number(cBytes)));
        return 0;
      }
      if (!tail && !o.operands.length && !o.flags.has('c') && (nLines === undefined || /^\+?\d+$/.test(String(nLines)))) {
        // head of a stream stops reading after its lines (`yes | head -3` ends)
        const want = Number(nLines ?? 10);
        for (let k = 0; k < want; k++) {
          const l = await ctx.io.input.readLine();
          if (!l) break;
          ctx.io.out.write(l.line + (l.complete ? '\n' : ''));
        }
        return 0;
      }
      const inputs = await readInputs(ctx, o.operands, (f, e) => {
        if (!isFsError(e)) throw e;
        ctx.io.err.write(`${ctx.name}: cannot open ${`'${f}'`} for reading: ${e.text}\n`);
        status = 1;
      });
      const nArg = o.flags.get('n');
      const cArg = o.flags.get('c');
      inputs.forEach((inp, k) => {
        if (inputs.length > 1 || o.operands.length > 1) ctx.io.out.write(`${k ? '\n' : ''}==> ${inp.name === '-' ? 'standard input' : inp.name} <==\n`);
        if (typeof cArg === 'string') {
          const n = Number(cArg.replace(/^[+-]/, ''));
          ctx.io.out.write(tail ? (cArg.startsWith('+') ? inp.data.subarray(n - 1) : inp.data.subarray(Math.max(0, inp.data.length - n))) : inp.data.subarray(0, n));
          return;
        }
        const spec = typeof nArg === 'string' ? nArg : '10';
        const text = inp.data.toString('utf8');
        const lines = text.split('\n');
        const endsNl = lines[lines.length - 1] === '';
        if (endsNl) lines.pop();
        let sel: string[];
        const n = Number(spec.replace(/^[+-]/, ''));
        if (!Number.isFinite(n)) {
          ctx.io.err.write(`${ctx.name}: invalid number of lines: '${spec}'\n`);
          status = 1;
          return;
        }
        if (tail) sel = spec.startsWith('+') ? lines.slice(Math.max(0, n - 1)) : n === 0 ? [] : lines.slice(-n);
        else sel = spec.startsWith('-') ? lines.slice(0, Math.max(0, lines.length - n)) : lines.slice(0, n);
        if (!sel.length) return;
        const lastIncluded = tail ? true : sel.length === lines.length;
        ctx.io.out.write(sel.join('\n') + (lastIncluded && !endsNl ? '' : '\n'));
      });
      return status;
    });
}

export const head = headTail(false);
export const tail = headTail(true);

export const wc: Command = (ctx) =>
  withUsage(ctx, async () => {
    const o = getopt(ctx.args, { bool: 'lwcmL', long: { lines: 'l', words: 'w', bytes: 'c', chars: 'm' } });
    let status = 0;
    const inputs = await readInputs(ctx, o.operands, (f, e) => {
      report(ctx, e, f);
      status = 1;
    });
    let want = ['l', 'w', 'c', 'm'].filter((k) => o.flags.has(k));
    if (!want.length) want = ['l', 'w', 'c'];
    const rows = inputs.map((inp) => {
      const t = inp.data.toString('utf8');
      const counts: Record<string, number> = {
        l: (t.match(/\n/g) ?? []).length,
        w: t.split(/\s+/).filter(Boolean).length,
        c: inp.data.length,
        m: [...t].length,
      };
      return { name: inp.name === '-' ? '' : inp.name, nums: want.map((k) => counts[k]!) };
    });
    if (rows.length > 1) rows.push({ name: 'total', nums: want.map((_, i) => rows.reduce((a, r) => a + r.nums[i]!, 0)) });
    const single = rows.length === 1 && want.length === 1;
    const width = single ? 0 : Math.max(inputs.some((i) => i.name === '-') ? 7 : 1, ...rows.flatMap((r) => r.nums.map((n) => String(n).length)));
    for (const r of rows) ctx.io.out.write(r.nums.map((n) => String(n).padStart(width)).join(' ') + (r.name ? ` ${r.name}` : '') + '\n');
    return status;
  });

export const sort: Command = (ctx) =>
  withUsage(ctx, async () => {
    const o = getopt(ctx.args, { bool: 'rnuf', value: 'tk' });
    const inputs = await readInputs(ctx, o.operands, (f, e) => report(ctx, e, f));
    let lines = Buffer.concat(inputs.map((i) => i.data)).toString('utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const n = o.flags.has('n');
    lines.sort((a, b) => (n ? parseFloat(a) - parseFloat(b) || (a < b ? -1 : a > b ? 1 : 0) : o.flags.has('f') ? a.toLowerCase().localeCompare(b.toLowerCase()) : a < b ? -1 : a > b ? 1 : 0));
    if (o.flags.has('r')) lines.reverse();
    if (o.flags.has('u')) lines = lines.filter((l, i) => i === 0 || l !== lines[i - 1]);
    if (lines.length) ctx.io.out.write(lines.join('\n') + '\n');
    return 0;
  });

export const uniq: Command = (ctx) =>
  withUsage(ctx, async () => {
    const o = getopt(ctx.args, { bool: 'cdu' });
    const inputs = await readInputs(ctx, o.operands.slice(0, 1), (f, e) => report(ctx, e, f));
    const lines = Buffer.concat(inputs.map((i) => i.data)).toString('utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const groups: { line: string; n: number }[] = [];
    for (const l of lines) {
      const g = groups[groups.length - 1];
      if (g && g.line === l) g.n++;
      else groups.push({ line: l, n: 1 });
    }
    for (const g of groups) {
      if (o.flags.has('d') && g.n < 2) continue;
      if (o.flags.has('u') && g.n > 1) continue;
      ctx.io.out.write((o.flags.has('c') ? `${String(g.n).padStart(7)} ` : '') + g.line + '\n');
    }
    return 0;
  });

export const cut: Command = (ctx) =>
  withUsage(ctx, async () => {
    const o = getopt(ctx.args, { bool: 's', value: 'dfc', long: { 'delimiter=': 'd', 'fields=': 'f' } });
    const d = typeof o.flags.get('d') === 'string' ? (o.flags.get('d') as string) : '\t';
    const spec = (o.flags.get('f') ?? o.flags.get('c')) as string | undefined;
    if (typeof spec !== 'string') {
      ctx.io.err.write('cut: you must specify a list of bytes, characters, or fields\n');
      return 1;
    }
    const pick = (i: number) =>
      spec.split(',').some((r) => {
        const [a, b] = r.includes('-') ? r.split('-') : [r, r];
        return i >= (a ? Number(a) : 1) && i <= (b ? Number(b) : Infinity);
      });
    const inputs = await readInputs(ctx, o.operands, (f, e) => report(ctx, e, f));
    const lines = Buffer.concat(inputs.map((i) => i.data)).toString('utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    for (const l of lines) {
      if (o.flags.has('c')) ctx.io.out.write([...l].filter((_, i) => pick(i + 1)).join('') + '\n');
      else if (!l.includes(d)) {
        if (!o.flags.has('s')) ctx.io.out.write(l + '\n');
      } else ctx.io.out.write(l.split(d).filter((_, i) => pick(i + 1)).join(d) + '\n');
    }
    return 0;
  });

export const basenameCmd: Command = (ctx) => {
  const [p, suffix] = ctx.args;
  if (p === undefined) {
    ctx.io.err.write("basename: missing operand\nTry 'basename --help' for more information.\n");
    return 1;
  }
  let b = p.replace(/\/+$/, '');
  b = b.slice(b.lastIndexOf('/') + 1) || (p.startsWith('/') ? '/' : '');
  if (suffix && b.endsWith(suffix) && b !== suffix) b = b.slice(0, -suffix.length);
  ctx.io.out.write(b + '\n');
  return 0;
};

export const dirnameCmd: Command = (ctx) => {
  const [p] = ctx.args;
  if (p === undefined) {
    ctx.io.err.write("dirname: missing operand\nTry 'dirname --help' for more information.\n");
    return 1;
  }
  const t = p.replace(/\/+$/, '');
  const i = t.lastIndexOf('/');
  ctx.io.out.write((i < 0 ? '.' : i === 0 ? '/' : t.slice(0, i)) + '\n');
  return 0;
};

export const TEXT_COMMANDS: Record<string, Command> = {
  true: trueCmd,
  false: falseCmd,
  echo,
  printf,
  grep,
  egrep: (ctx) => grep({ ...ctx, name: 'grep', args: ['-E', ...ctx.args] }),
  fgrep: (ctx) => grep({ ...ctx, name: 'grep', args: ['-F', ...ctx.args] }),
  sed,
  head,
  tail,
  wc,
  sort,
  uniq,
  cut,
  basename: basenameCmd,
  dirname: dirnameCmd,
};
