// System commands: hostname uname env printenv date sleep clear which test/[.
// (Disks and filesystems are in disks.ts.)
import type { Command, CommandContext } from '../types.js';
import { test } from '../conditions.js';

const KERNEL = (ctx: CommandContext) => (ctx.sys.prompt === 'debian' ? '6.8.0-1021-aws' : '6.1.119-129.201.amzn2023.x86_64');

export const hostname: Command = (ctx) => {
  const full = ctx.sys.hostname();
  const a = ctx.args[0];
  if (a === '-s' || a === '--short') ctx.io.out.write(full.split('.')[0] + '\n');
  else if (a === '-I' || a === '-i') ctx.io.out.write(`${ctx.sys.imds.handle({ method: 'GET', path: '/latest/meta-data/local-ipv4', headers: {} }).body} \n`);
  else if (a && !a.startsWith('-')) {
    ctx.io.err.write('hostname: you must be root to change the host name\n');
    return 1;
  } else ctx.io.out.write(full + '\n');
  return 0;
};

export const uname: Command = (ctx) => {
  const f = new Set(ctx.args.join('').replace(/-/g, ''));
  const parts: string[] = [];
  const all = f.has('a');
  if (all || f.has('s') || f.size === 0) parts.push('Linux');
  if (all || f.has('n')) parts.push(ctx.sys.hostname());
  if (all || f.has('r')) parts.push(KERNEL(ctx));
  if (all || f.has('v')) parts.push('#1 SMP PREEMPT_DYNAMIC Wed Jan 15 00:00:00 UTC 2025');
  if (all || f.has('m')) parts.push('x86_64');
  if (all || f.has('p')) parts.push('x86_64');
  if (all || f.has('i')) parts.push('x86_64');
  if (all || f.has('o')) parts.push('GNU/Linux');
  ctx.io.out.write(parts.join(' ') + '\n');
  return 0;
};

export const env: Command = async (ctx) => {
  const args = [...ctx.args];
  const proc = { ...ctx.proc, env: new Map(ctx.proc.env) };
  if (args[0] === '-i') {
    args.shift();
    proc.env.clear();
  }
  while (args.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[0]!)) {
    const a = args.shift()!;
    const i = a.indexOf('=');
    proc.env.set(a.slice(0, i), a.slice(i + 1));
  }
  if (args.length) {
    if (!ctx.rt.hasCommand(args[0]!)) {
      ctx.io.err.write(`env: '${args[0]}': No such file or directory\n`);
      return 127;
    }
    return ctx.rt.runArgv(proc, args, ctx.io);
  }
  for (const [k, v] of proc.env) ctx.io.out.write(`${k}=${v}\n`);
  return 0;
};

export const printenv: Command = (ctx) => {
  if (!ctx.args.length) {
    for (const [k, v] of ctx.proc.env) ctx.io.out.write(`${k}=${v}\n`);
    return 0;
  }
  let status = 0;
  for (const k of ctx.args) {
    const v = ctx.proc.env.get(k);
    if (v === undefined) status = 1;
    else ctx.io.out.write(v + '\n');
  }
  return status;
};

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export const date: Command = (ctx) => {
  const d = new Date(ctx.sys.now());
  const p2 = (n: number) => String(n).padStart(2, '0');
  const fmt = ctx.args.find((a) => a.startsWith('+'));
  if (fmt) {
    ctx.io.out.write(
      fmt.slice(1).replace(/%([YmdHMSsaAbBeFTz%])/g, (_m, c: string) => {
        switch (c) {
          case 'Y':
            return String(d.getUTCFullYear());
          case 'm':
            return p2(d.getUTCMonth() + 1);
          case 'd':
            return p2(d.getUTCDate());
          case 'e':
            return String(d.getUTCDate()).padStart(2, ' ');
          case 'H':
            return p2(d.getUTCHours());
          case 'M':
            return p2(d.getUTCMinutes());
          case 'S':
            return p2(d.getUTCSeconds());
          case 's':
            return String(Math.floor(d.getTime() / 1000));
          case 'a':
            return DAYS[d.getUTCDay()]!;
          case 'b':
            return MONTHS[d.getUTCMonth()]!;
          case 'F':
            return d.toISOString().slice(0, 10);
          case 'T':
            return d.toISOString().slice(11, 19);
          case 'z':
            return '+0000';
          case '%':
            return '%';
          default:
            return '';
        }
      }) + '\n',
    );
    return 0;
  }
  ctx.io.out.write(`${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)} UTC ${d.getUTCFullYear()}\n`);
  return 0;
};

export const sleep: Command = async (ctx) => {
  const secs = Number((ctx.args[0] ?? '').replace(/s$/, ''));
  if (!Number.isFinite(secs) || secs < 0) {
    ctx.io.err.write(`sleep: invalid time interval '${ctx.args[0] ?? ''}'\n`);
    return 1;
  }
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(t);
      ctx.rt.signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, secs * 1000);
    ctx.rt.signal.addEventListener('abort', done);
  });
  ctx.rt.resumed();
  return 0;
};

export const clear: Command = (ctx) => {
  ctx.io.out.write('\x1b[H\x1b[2J\x1b[3J');
  return 0;
};

export const which: Command = (ctx) => {
  let status = 0;
  for (const name of ctx.args) {
    if (ctx.rt.hasCommand(name)) ctx.io.out.write(`/usr/bin/${name}\n`);
    else {
      ctx.io.err.write(`/usr/bin/which: no ${name} in (${ctx.proc.env.get('PATH') ?? ''})\n`);
      status = 1;
    }
  }
  return status;
};

export const SYSTEM_COMMANDS: Record<string, Command> = {
  hostname,
  uname,
  env,
  printenv,
  date,
  sleep,
  clear,
  which,
  test,
  '[': test,
};
