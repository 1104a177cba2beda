// Coreutils that scripts assume, at the level scripts use them: yes seq tr
// xargs mktemp base64 sha256sum/sha1sum/md5sum ln install timeout ps kill
// find nproc realpath readlink tac nohup tty expr (stty is in terminal.ts).
import { createHash, randomBytes } from 'node:crypto';
import { LinearRegExp } from '../../../domain/regex/index.js';
import { isFsError } from '../../fs/errors.js';
import { resolvePath } from '../../fs/vfs.js';
import { matchPattern } from '../pattern.js';
import type { Command, CommandContext } from '../types.js';
import { getopt, readInputs, report, withUsage } from './util.js';
import { awk } from './awk/index.js';
import { posixToJs } from './text.js';

const abs = (ctx: CommandContext, p: string) => resolvePath(ctx.proc.cwd, p);

export const yes: Command = async (ctx) => {
  const line = (ctx.args.length ? ctx.args.join(' ') : 'y') + '\n';
  const chunk = line.repeat(Math.max(1, Math.floor(8192 / line.length)));
  for (;;) {
    ctx.io.out.write(chunk);
    if (ctx.rt.signal.aborted) await ctx.rt.tick();
    await ctx.io.out.drain?.();
    await ctx.rt.tick();
  }
};

export const seq: Command = (ctx) =>
  withUsage(ctx, async () => {
    const args = [...ctx.args];
    let sep = '\n';
    let width = false;
    while (args.length && /^-[sw]/.test(args[0]!) && !/^-\d/.test(args[0]!)) {
      const a = args.shift()!;
      if (a === '-w') width = true;
      else sep = a.length > 2 ? a.slice(2) : (args.shift() ?? '\n');
    }
    const nums = args.map(Number);
    if (!nums.length || nums.length > 3 || nums.some((n) => !Number.isFinite(n))) {
      const bad = args.find((a) => !Number.isFinite(Number(a)));
      ctx.io.err.write(bad !== undefined ? `seq: invalid floating point argument: '${bad}'\n` : 'seq: missing operand\n');
      ctx.io.err.write("Try 'seq --help' for more information.\n");
      return 1;
    }
    const [first, inc, last] = nums.length === 1 ? [1, 1, nums[0]!] : nums.length === 2 ? [nums[0]!, 1, nums[1]!] : [nums[0]!, nums[1]!, nums[2]!];
    if (inc === 0) {
      ctx.io.err.write("seq: invalid Zero increment value: '0'\n");
      return 1;
    }
    const w = width ? String(Math.max(Math.abs(first), Math.abs(last))).length : 0;
    let buf: string[] = [];
    for (let v = first; inc > 0 ? v <= last : v >= last; v += inc) {
      buf.push(String(v).padStart(w, '0'));
      if (buf.length >= 1000) {
        ctx.io.out.write(buf.join(sep) + sep);
        buf = [];
        await ctx.io.out.drain?.();
        await ctx.rt.tick();
      }
    }
    if (buf.length) ctx.io.out.write(buf.join(sep) + (sep === '\n' ? '\n' : '\n'));
    return 0;
  });

/** tr's SET syntax: ranges, [:class:], backslash escapes. */
function trSet(spec: string): string[] {
  const classes: Record<string, string> = {
    upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
    lower: 'abcdefghijklmnopqrstuvwxyz',
    digit: '0123456789',
    space: ' \t\n\r\f\v',
    blank: ' \t',
    alpha: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
    alnum: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
    punct: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  };
  const out: string[] = [];
  const s = spec.replace(/\\(n|t|r|\\|[0-7]{1,3})/g, (_m, e: string) => ({ n: '\n', t: '\t', r: '\r', '\\': '\\' })[e] ?? String.fromCharCode(parseInt(e, 8)));
  for (let i = 0; i < s.length; i++) {
    const cls = /^\[:([a-z]+):\]/.exec(s.slice(i));
    if (cls && classes[cls[1]!]) {
      out.push(...classes[cls[1]!]!);
      i += cls[0].length - 1;
    } else if (s[i + 1] === '-' && i + 2 < s.length) {
      for (let c = s.charCodeAt(i); c <= s.charCodeAt(i + 2); c++) out.push(String.fromCharCode(c));
      i += 2;
    } else out.push(s[i]!);
  }
  return out;
}

export const tr: Command = (ctx) =>
  withUsage(ctx, async () => {
    const o = getopt(ctx.args, { bool: 'dscC' });
    const [a, b] = o.operands;
    if (a === undefined || (b === undefined && !o.flags.has('d') && !o.flags.has('s'))) {
      ctx.io.err.write(a === undefined ? 'tr: missing operand\n' : `tr: missing operand after '${a}'\n`);
      ctx.io.err.write("Try 'tr --help' for more information.\n");
      return 1;
    }
    const set1 = new Set(trSet(a));
    const complement = o.flags.has('c') || o.flags.has('C');
    const in1 = (c: string) => set1.has(c) !== complement;
    const list1 = trSet(a);
    const list2 = b !== undefined ? trSet(b) : [];
    const squeeze = o.flags.has('s') ? new Set(o.flags.has('d') ? list2 : b !== undefined ? list2 : list1) : undefined;
    let last = '';
    // tr streams its input (tr -dc A-Za-z0-9 < /dev/urandom | head -c 16 ends)
    for (;;) {
      const chunk = await ctx.io.input.read();
      if (!chunk) return 0;
      let out = '';
      for (const c of chunk.toString('latin1')) {
        let r: string | undefined = c;
        if (o.flags.has('d')) {
          if (in1(c)) r = undefined;
        } else if (b !== undefined && in1(c)) {
          const idx = complement ? list2.length - 1 : list1.lastIndexOf(c);
          r = list2[Math.min(idx, list2.length - 1)] ?? c;
        }
        if (r === undefined) continue;
        if (squeeze && squeeze.has(r) && r === last) continue;
        out += r;
        last = r;
      }
      if (out) ctx.io.out.write(Buffer.from(out, 'latin1'));
      await ctx.io.out.drain?.();
      await ctx.rt.tick();
    }
  });

export const xargs: Command = (ctx) =>
  withUsage(ctx, async () => {
    const o = getopt(ctx.args, { bool: '0rt', value: 'nIdL', long: { null: '0', 'no-run-if-empty': 'r' }, stopAtOperand: true });
    const cmd = o.operands.length ? o.operands : ['echo'];
    const text = (await ctx.io.input.readAll()).toString('utf8');
    const replace = o.flags.get('I');
    let items: string[];
    if (o.flags.has('0')) items = text.split('\0').filter((s) => s !== '');
    else if (typeof replace === 'string' || o.flags.has('L')) items = text.split('\n').filter((s) => s.trim() !== '');
    else items = [...text.matchAll(/"([^"]*)"|'([^']*)'|((?:\\.|[^\s"'])+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!.replace(/\\(.)/g, '$1'));
    if (!items.length) {
      if (o.flags.has('r') || typeof replace === 'string') return 0;
      return ctx.rt.runArgv(ctx.proc, cmd, ctx.io);
    }
    const per = typeof replace === 'string' ? 1 : Number(o.flags.get('n') ?? o.flags.get('L') ?? items.length) || items.length;
    let status = 0;
    for (let i = 0; i < items.length; i += per) {
      const group = items.slice(i, i + per);
      const argv = typeof replace === 'string' ? cmd.map((c) => c.split(replace).join(group[0]!)) : [...cmd, ...group];
      if (o.flags.has('t')) ctx.io.err.write(argv.join(' ') + '\n');
      if (!ctx.rt.hasCommand(argv[0]!, ctx.proc)) {
        ctx.io.err.write(`xargs: ${argv[0]}: No such file or directory\n`);
        return 127;
      }
      const s = await ctx.rt.runArgv(ctx.proc, argv, ctx.io);
      if (s === 255) return 124;
      if (s !== 0) status = 123;
      await ctx.rt.tick();
    }
    return status;
  });

export const mktemp: Command = (ctx) =>
  withUsage(ctx, async () => {
    const o = getopt(ctx.args, { bool: 'dqut', value: 'p', long: { directory: 'd', quiet: 'q', 'tmpdir=': 'p', 'suffix=': 'suffix' } });
    let template = o.operands[0] ?? 'tmp.XXXXXXXXXX';
    const m = /X{3,}(?=[^X]*$)/.exec(template);
    if (!m) {
      ctx.io.err.write(`mktemp: too few X's in template '${template}'\n`);
      return 1;
    }
    const dir = o.flags.has('p') ? String(o.flags.get('p')) : o.operands[0]?.includes('/') ? '' : (ctx.proc.env.get('TMPDIR') ?? '/tmp');
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    const rnd = [...randomBytes(m[0].length)].map((b) => alphabet[b % alphabet.length]).join('');
    template = template.slice(0, m.index) + rnd + template.slice(m.index + m[0].length) + (typeof o.flags.get('suffix') === 'string' ? String(o.flags.get('suffix')) : '');
    const path = dir ? `${dir.replace(/\/$/, '')}/${template}` : template;
    try {
      if (o.flags.has('d')) ctx.sys.vfs.mkdir(ctx.proc.cred, abs(ctx, path), 0o700);
      else ctx.sys.vfs.writeFile(ctx.proc.cred, abs(ctx, path), Buffer.alloc(0), { mode: 0o600 });
    } catch (e) {
      if (isFsError(e)) {
        ctx.io.err.write(`mktemp: failed to create ${o.flags.has('d') ? 'directory' : 'file'} via template '${path.replace(rnd, 'X'.repeat(rnd.length))}': ${e.text}\n`);
        return 1;
      }
      throw e;
    }
    ctx.io.out.write(path + '\n');
    return 0;
  });

export const base64: Command = (ctx) =>
  withUsage(ctx, async () => {
    const o = getopt(ctx.args, { bool: 'di', value: 'w', long: { decode: 'd', 'ignore-garbage': 'i', 'wrap=': 'w' } });
    let status = 0;
    const [input] = await readInputs(ctx, o.operands.slice(0, 1), (f, e) => {
      report(ctx, e, f);
      status = 1;
    });
    if (!input) return status;
    if (o.flags.has('d')) {
      const text = input.data.toString('latin1').replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
        ctx.io.out.write(Buffer.from(text.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
        ctx.io.err.write('base64: invalid input\n');
        return 1;
      }
      ctx.io.out.write(Buffer.from(text, 'base64'));
      return 0;
    }
    const wrap = Number(o.flags.get('w') ?? 76);
    const enc = input.data.toString('base64');
    const lines = wrap > 0 ? (enc.match(new RegExp(`.{1,${wrap}}`, 'g')) ?? []) : [enc];
    // GNU base64 ends wrapped output with a newline; with -w 0 it writes none
    ctx.io.out.write(lines.join('\n') + (enc.length && wrap > 0 ? '\n' : ''));
    return 0;
  });

const digest =
  (algorithm: 'sha256' | 'sha1' | 'md5' | 'sha512'): Command =>
  (ctx) =>
    withUsage(ctx, async () => {
      const o = getopt(ctx.args, { bool: 'bctwz', long: { check: 'c', binary: 'b', text: 't', quiet: 'quiet', status: 'status' } });
      let status = 0;
      if (o.flags.has('c')) {
        const [list] = await readInputs(ctx, o.operands.slice(0, 1), (f, e) => {
          report(ctx, e, f);
          status = 1;
        });
        if (!list) return 1;
        let bad = 0;
        for (const line of list.data.toString('utf8').split('\n')) {
          const m = /^([0-9a-f]+) [ *](.+)$/.exec(line.trim());
          if (!m) continue;
          let ok = false;
          try {
            ok = createHash(algorithm).update(ctx.sys.vfs.readFile(ctx.proc.cred, abs(ctx, m[2]!))).digest('hex') === m[1];
          } catch {
            ok = false;
          }
          if (!ok) bad++;
          if (!o.flags.has('status')) ctx.io.out.write(`${m[2]}: ${ok ? 'OK' : 'FAILED'}\n`);
        }
        if (bad && !o.flags.has('status')) ctx.io.err.write(`${ctx.name}: WARNING: ${bad} computed checksum${bad > 1 ? 's' : ''} did NOT match\n`);
        return bad ? 1 : 0;
      }
      const inputs = await readInputs(ctx, o.operands, (f, e) => {
        report(ctx, e, f);
        status = 1;
      });
      for (const { name, data } of inputs) ctx.io.out.write(`${createHash(algorithm).update(data).digest('hex')}  ${name}\n`);
      return status;
    });

/** ln: the guest filesystem has no links, so a link is a copy of the file (documented). */
export const ln: Command = (ctx) =>
  withUsage(ctx, async () => {
    const o = getopt(ctx.args, { bool: 'sfnrvT', long: { symbolic: 's', force: 'f', 'no-dereference': 'n' } });
    const [target, link0] = o.operands;
    if (target === undefined) {
      ctx.io.err.write("ln: missing file operand\nTry 'ln --help' for more information.\n");
      return 1;
    }
    const vfs = ctx.sys.vfs;
    let link = link0 ?? target.slice(target.lastIndexOf('/') + 1);
    try {
      if (vfs.exists(ctx.proc.cred, abs(ctx, link)) && vfs.stat(ctx.proc.cred, abs(ctx, link)).type === 'dir') link = `${link}/${target.slice(target.lastIndexOf('/') + 1)}`;
      const src = o.flags.has('s') && !target.startsWith('/') ? resolvePath(resolvePath(ctx.proc.cwd, link + '/..'), target) : abs(ctx, target);
      if (vfs.exists(ctx.proc.cred, abs(ctx, link))) {
        if (!o.flags.has('f')) {
          ctx.io.err.write(`ln: failed to create ${o.flags.has('s') ? 'symbolic ' : 'hard '}link '${link}': File exists\n`);
          return 1;
        }
        vfs.unlink(ctx.proc.cred, abs(ctx, link));
      }
      const st = vfs.stat(ctx.proc.cred, src);
      if (st.type === 'dir') {
        ctx.io.err.write(`ln: failed to create ${o.flags.has('s') ? 'symbolic ' : 'hard '}link '${link}' -> '${target}': Operation not supported\n`);
        return 1;
      }
      vfs.writeFile(ctx.proc.cred, abs(ctx, link), vfs.readFile(ctx.proc.cred, src), { mode: st.mode & 0o7777 });
      vfs.chmod(ctx.proc.cred, abs(ctx, link), st.mode & 0o7777);
    } catch (e) {
      if (isFsError(e)) {
        ctx.io.err.write(`ln: failed to access '${target}': ${e.text}\n`);
        return 1;
      }
      throw e;
    }
    return 0;
  });

export const install: Command = (ctx) =>
  withUsage(ctx, async () => {
    const o = getopt(ctx.args, { bool: 'dDvCcsp', value: 'mogt', long: { 'mode=': 'm', 'owner=': 'o', 'group=': 'g', directory: 'd', 'target-directory=': 't' } });
    const vfs = ctx.sys.vfs;
    const mode = o.flags.has('m') ? parseInt(String(o.flags.get('m')), 8) : 0o755;
    const ownerName = o.flags.get('o');
    const groupName = o.flags.get('g');
    const finish = (p: string) => {
      vfs.chmod(ctx.proc.cred, p, mode);
      if (typeof ownerName === 'string' || typeof groupName === 'string') {
        const st = vfs.stat(ctx.proc.cred, p);
        const uid = typeof ownerName === 'string' ? (ctx.sys.users.user(ownerName)?.uid ?? Number(ownerName)) : st.uid;
        const gid = typeof groupName === 'string' ? (ctx.sys.users.group(groupName)?.gid ?? Number(groupName)) : st.gid;
        vfs.chown(ctx.proc.cred, p, uid, gid);
      }
    };
    try {
      if (o.flags.has('d')) {
        for (const d of o.operands) {
          const parts = abs(ctx, d).split('/').filter(Boolean);
          let cur = '';
          for (const part of parts) {
            cur += '/' + part;
            if (!vfs.exists(ctx.proc.cred, cur)) vfs.mkdir(ctx.proc.cred, cur, 0o755);
          }
          finish(abs(ctx, d));
        }
        return 0;
      }
      const targetDir = o.flags.get('t');
      const sources = typeof targetDir === 'string' ? o.operands : o.operands.slice(0, -1);
      let dest = typeof targetDir === 'string' ? targetDir : o.operands[o.operands.length - 1];
      if (!sources.length || dest === undefined) {
        ctx.io.err.write("install: missing file operand\nTry 'install --help' for more information.\n");
        return 1;
      }
      for (const src of sources) {
        let d = abs(ctx, dest);
        if (vfs.exists(ctx.proc.cred, d) && vfs.stat(ctx.proc.cred, d).type === 'dir') d = `${d}/${src.slice(src.lastIndexOf('/') + 1)}`;
        else if (o.flags.has('D')) {
          let cur = '';
          for (const part of d.split('/').filter(Boolean).slice(0, -1)) {
            cur += '/' + part;
            if (!vfs.exists(ctx.proc.cred, cur)) vfs.mkdir(ctx.proc.cred, cur, 0o755);
          }
        }
        vfs.writeFile(ctx.proc.cred, d, vfs.readFile(ctx.proc.cred, abs(ctx, src)), { mode });
        finish(d);
      }
      dest = undefined;
    } catch (e) {
      if (isFsError(e)) {
        ctx.io.err.write(`install: ${e.path}: ${e.text}\n`);
        return 1;
      }
      throw e;
    }
    return 0;
  });

function parseDuration(s: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(s);
  if (!m) return undefined;
  return Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]!]! * 1000;
}

/** timeout: the command's status, or 124 when the duration passes first (the command is killed). */
export const timeout: Command = async (ctx) => {
  const args = [...ctx.args];
  while (args[0]?.startsWith('-')) {
    const a = args.shift()!;
    if ((a === '-s' || a === '-k') && args.length) args.shift();
  }
  const ms = parseDuration(args.shift() ?? '');
  if (ms === undefined || !args.length) {
    ctx.io.err.write("timeout: invalid time interval\nTry 'timeout --help' for more information.\n");
    return 125;
  }
  if (!ctx.rt.hasCommand(args[0]!, ctx.proc)) {
    ctx.io.err.write(`timeout: failed to run command '${args[0]}': No such file or directory\n`);
    return 127;
  }
  return ctx.rt.runArgv(ctx.proc, args, ctx.io, { timeoutMs: ms });
};

export const ps: Command = (ctx) => {
  const full = ctx.args.some((a) => /^-?[a-zA-Z]*[efxa]/.test(a));
  const user = ctx.proc.user.name;
  if (full) {
    ctx.io.out.write('UID          PID    PPID  C STIME TTY          TIME CMD\n');
    ctx.io.out.write('root           1       0  0 00:00 ?        00:00:01 /usr/lib/systemd/systemd\n');
    ctx.io.out.write('root         812       1  0 00:00 ?        00:00:00 sshd: /usr/sbin/sshd -D\n');
    ctx.io.out.write(`${user.padEnd(8)}    1999     812  0 00:00 pts/0    00:00:00 -bash\n`);
    ctx.io.out.write(`${user.padEnd(8)}    2000    1999  0 00:00 pts/0    00:00:00 ps ${ctx.args.join(' ')}\n`);
  } else {
    ctx.io.out.write('    PID TTY          TIME CMD\n   1999 pts/0    00:00:00 bash\n   2000 pts/0    00:00:00 ps\n');
  }
  return 0;
};

export const kill: Command = (ctx) => {
  const args = ctx.args.filter((a) => !/^-([A-Z]+|\d+|s)$/.test(a));
  if (ctx.args[0] === '-l') {
    ctx.io.out.write(' 1) SIGHUP\t 2) SIGINT\t 3) SIGQUIT\t 4) SIGILL\t 5) SIGTRAP\n 6) SIGABRT\t 7) SIGBUS\t 8) SIGFPE\t 9) SIGKILL\t10) SIGUSR1\n11) SIGSEGV\t12) SIGUSR2\t13) SIGPIPE\t14) SIGALRM\t15) SIGTERM\n');
    return 0;
  }
  if (!args.length) {
    ctx.io.err.write('kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n');
    return 2;
  }
  for (const a of args) ctx.io.err.write(/^\d+$/.test(a) ? `kill: (${a}) - No such process\n` : `kill: ${a}: arguments must be process or job IDs\n`);
  return 1;
};

export const find: Command = async (ctx) => {
  const args = [...ctx.args];
  const roots: string[] = [];
  while (args.length && !args[0]!.startsWith('-') && args[0] !== '(' && args[0] !== '!') roots.push(args.shift()!);
  if (!roots.length) roots.push('.');
  type Test = (path: string, name: string, type: 'file' | 'dir', depth: number, size: number, mode: number) => boolean;
  const tests: Test[] = [];
  let maxDepth = Infinity;
  let minDepth = 0;
  let action: 'print' | 'delete' | { exec: string[] } = 'print';
  let negate = false;
  const add = (t: Test) => {
    const n = negate;
    negate = false;
    tests.push(n ? (...a) => !t(...a) : t);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const v = () => {
      const x = args[++i];
      if (x === undefined) throw new Error(`find: missing argument to \`${a}'`);
      return x;
    };
    try {
      switch (a) {
        case '!':
        case '-not':
          negate = true;
          break;
        case '-name': {
          const p = v();
          add((_p, name) => matchPattern(p, name));
          break;
        }
        case '-iname': {
          const p = v().toLowerCase();
          add((_p, name) => matchPattern(p, name.toLowerCase()));
          break;
        }
        case '-path':
        case '-wholename': {
          const p = v();
          add((path) => matchPattern(p, path));
          break;
        }
        case '-type': {
          const t = v();
          add((_p, _n, type) => (t === 'd' ? type === 'dir' : t === 'f' ? type === 'file' : false));
          break;
        }
        case '-maxdepth':
          maxDepth = Number(v());
          break;
        case '-mindepth':
          minDepth = Number(v());
          break;
        case '-empty':
          add((_p, _n, _t, _d, size) => size === 0);
          break;
        case '-perm': {
          const p = parseInt(v().replace(/^[-/]/, ''), 8);
          add((_p, _n, _t, _d, _s, mode) => (mode & p) === p);
          break;
        }
        case '-print':
        case '-a':
        case '-and':
          break;
        case '-delete':
          action = 'delete';
          break;
        case '-exec': {
          const cmd: string[] = [];
          while (i + 1 < args.length && args[i + 1] !== ';' && args[i + 1] !== '+') cmd.push(args[++i]!);
          i++;
          action = { exec: cmd };
          break;
        }
        default:
          ctx.io.err.write(`find: unknown predicate \`${a}'\n`);
          return 1;
      }
    } catch (e) {
      ctx.io.err.write(`${(e as Error).message}\n`);
      return 1;
    }
  }
  const vfs = ctx.sys.vfs;
  let status = 0;
  const hits: string[] = [];
  // An entry that cannot be read is reported and skipped: find goes on, exiting 1 at the end.
  const orSkip = <T>(shown: string, read: () => T): T | undefined => {
    try {
      return read();
    } catch (e) {
      if (!isFsError(e)) throw e;
      ctx.io.err.write(`find: '${shown}': ${e.text}\n`);
      status = 1;
      return undefined;
    }
  };
  const walk = (shown: string, depth: number) => {
    const st = orSkip(shown, () => vfs.stat(ctx.proc.cred, abs(ctx, shown)));
    if (!st) return;
    const name = shown === '/' ? '/' : shown.replace(/\/+$/, '').slice(shown.replace(/\/+$/, '').lastIndexOf('/') + 1);
    if (depth >= minDepth && tests.every((t) => t(shown, name, st.type, depth, st.size, st.mode))) hits.push(shown);
    if (st.type !== 'dir' || depth >= maxDepth) return;
    const names = orSkip(shown, () => vfs.readdir(ctx.proc.cred, abs(ctx, shown)));
    if (!names) return;
    for (const n of names.sort()) walk(shown.endsWith('/') ? shown + n : `${shown}/${n}`, depth + 1);
  };
  for (const r of roots) walk(r, 0);
  if (action === 'print') for (const h of hits) ctx.io.out.write(h + '\n');
  else if (action === 'delete') {
    for (const h of hits.reverse()) {
      try {
        const p = abs(ctx, h);
        if (vfs.stat(ctx.proc.cred, p).type === 'dir') vfs.rmdir(ctx.proc.cred, p);
        else vfs.unlink(ctx.proc.cred, p);
      } catch (e) {
        report(ctx, e, h);
        status = 1;
      }
    }
  } else {
    for (const h of hits) {
      const argv = action.exec.map((x) => x.split('{}').join(h));
      if ((await ctx.rt.runArgv(ctx.proc, argv, ctx.io)) !== 0) status = 1;
      await ctx.rt.tick();
    }
  }
  return status;
};

/** fold -w N: lines cut at N characters, streamed. */
export const fold: Command = async (ctx) => {
  let width = 80;
  for (let k = 0; k < ctx.args.length; k++) {
    const a = ctx.args[k]!;
    const m = /^-w(\d+)$/.exec(a) ?? /^-(\d+)$/.exec(a);
    if (m) width = Number(m[1]);
    else if (a === '-w') width = Number(ctx.args[++k]);
  }
  if (!Number.isInteger(width) || width < 1) {
    ctx.io.err.write(`fold: invalid number of columns\n`);
    return 1;
  }
  let col = 0;
  for (;;) {
    const chunk = await ctx.io.input.read();
    if (!chunk) return 0;
    let out = '';
    for (const c of chunk.toString('utf8')) {
      if (c === '\n') col = 0;
      else if (col === width) {
        out += '\n';
        col = 1;
      } else col++;
      out += c;
    }
    ctx.io.out.write(out);
    await ctx.io.out.drain?.();
    await ctx.rt.tick();
  }
};

export const nproc: Command = (ctx) => {
  ctx.io.out.write('2\n');
  return 0;
};

export const realpath: Command = (ctx) => {
  let status = 0;
  for (const a of ctx.args.filter((x) => !x.startsWith('-'))) {
    const p = abs(ctx, a);
    if (!ctx.args.includes('-m') && !ctx.sys.vfs.exists(ctx.proc.cred, p)) {
      ctx.io.err.write(`${ctx.name}: ${a}: No such file or directory\n`);
      status = 1;
      continue;
    }
    ctx.io.out.write(p + '\n');
  }
  return status;
};

export const readlink: Command = (ctx) => {
  if (!ctx.args.some((a) => /^-[a-z]*[fem]/.test(a))) return 1;
  return realpath({ ...ctx, args: ctx.args.filter((a) => !a.startsWith('-')).concat(ctx.args.includes('-m') ? ['-m'] : []) });
};

export const tac: Command = (ctx) =>
  withUsage(ctx, async () => {
    let status = 0;
    const inputs = await readInputs(ctx, ctx.args, (f, e) => {
      report(ctx, e, f);
      status = 1;
    });
    for (const { data } of inputs) {
      const lines = data.toString('utf8').split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      ctx.io.out.write(lines.reverse().map((l) => l + '\n').join(''));
    }
    return status;
  });

export const nohup: Command = async (ctx) => {
  if (!ctx.args.length) {
    ctx.io.err.write("nohup: missing operand\nTry 'nohup --help' for more information.\n");
    return 125;
  }
  return ctx.rt.runArgv(ctx.proc, ctx.args, ctx.io);
};

export const tty: Command = (ctx) => {
  ctx.io.out.write(ctx.io.tty ? '/dev/pts/0\n' : 'not a tty\n');
  return ctx.io.tty ? 0 : 1;
};

export const sync: Command = () => 0;

export const expr: Command = (ctx) => {
  const a = ctx.args;
  let r: string;
  if (a.length === 3) {
    const [x, op, y] = a as [string, string, string];
    const nx = Number(x);
    const ny = Number(y);
    const num = /^-?\d+$/.test(x) && /^-?\d+$/.test(y);
    switch (op) {
      case '+': r = String(nx + ny); break;
      case '-': r = String(nx - ny); break;
      case '*': r = String(nx * ny); break;
      case '/':
        if (ny === 0) {
          ctx.io.err.write('expr: division by zero\n');
          return 2;
        }
        r = String(Math.trunc(nx / ny));
        break;
      case '%': r = String(nx % ny); break;
      case '=': r = (num ? nx === ny : x === y) ? '1' : '0'; break;
      case '!=': r = (num ? nx !== ny : x !== y) ? '1' : '0'; break;
      case '<': r = (num ? nx < ny : x < y) ? '1' : '0'; break;
      case '>': r = (num ? nx > ny : x > y) ? '1' : '0'; break;
      case ':': {
        const m = new LinearRegExp('^(?:' + posixToJs(y, false) + ')', 'L').exec(x);
        r = m ? (m[1] ?? String(m[0].length)) : y.includes('\\(') ? '' : '0';
        break;
      }
      default:
        ctx.io.err.write('expr: syntax error: unexpected argument\n');
        return 2;
    }
    if (['+', '-', '*', '/', '%'].includes(op) && !num) {
      ctx.io.err.write('expr: non-integer argument\n');
      return 2;
    }
  } else if (a.length === 1) r = a[0]!;
  else if (a[0] === 'length' && a.length === 2) r = String(a[1]!.length);
  else {
    ctx.io.err.write('expr: syntax error\n');
    return 2;
  }
  ctx.io.out.write(r + '\n');
  return r === '0' || r === '' ? 1 : 0;
};

export const CORE_COMMANDS: Record<string, Command> = {
  yes,
  seq,
  tr,
  xargs,
  mktemp,
  base64,
  sha256sum: digest('sha256'),
  sha1sum: digest('sha1'),
  sha512sum: digest('sha512'),
  md5sum: digest('md5'),
  ln,
  install,
  timeout,
  ps,
  kill,
  find,
  awk,
  gawk: awk,
  nproc,
  fold,
  realpath,
  readlink,
  tac,
  nohup,
  tty,
  sync,
  expr,
};
