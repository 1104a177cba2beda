// System commands: lsblk mount umount df hostname uname env printenv date sleep clear which test/[.
// Block devices follow Amazon Linux on Xen: AttachVolume's /dev/sdf shows
// up as /dev/xvdf, and an image's root volume carries one partition (xvdf1).
import { isFsError } from '../../fs/errors.js';
import { resolvePath } from '../../fs/vfs.js';
import type { BlockDevice, Command, CommandContext } from '../types.js';
import { test } from '../conditions.js';
import { getopt, withUsage } from './util.js';

/** /dev/sdf → xvdf, /dev/xvda → xvda, /dev/sda1 → xvda (the kernel name of the disk). */
export function kernelDiskName(apiDevice: string): string {
  const base = apiDevice.replace(/^\/dev\//, '').replace(/\d+$/, '');
  return base.startsWith('sd') ? 'xvd' + base.slice(2) : base;
}

interface DevRef {
  dev: BlockDevice;
  partition: boolean;
  canonical: string;
}

/** Find the device a guest path such as /dev/xvdf1 or /dev/sdf names. */
export function findDevice(devs: BlockDevice[], path: string): DevRef | undefined {
  const m = /^\/dev\/((?:xv|s)d[a-z]+)(\d*)$/.exec(path);
  if (!m) return undefined;
  const disk = m[1]!.startsWith('sd') ? 'xvd' + m[1]!.slice(2) : m[1]!;
  const dev = devs.find((d) => d.kernelName === disk);
  if (!dev) return undefined;
  if (m[2] && m[2] !== '1') return undefined;
  if (m[2] && !dev.volume.partitioned) return undefined;
  return { dev, partition: !!m[2], canonical: `/dev/${disk}${m[2] ?? ''}` };
}

function majMin(d: BlockDevice, part: boolean): string {
  const idx = d.kernelName.charCodeAt(3) - 97;
  return `202:${idx * 16 + (part ? 1 : 0)}`;
}

export const lsblk: Command = (ctx) =>
  withUsage(ctx, () => {
    const o = getopt(ctx.args, { bool: 'falpdnJ', value: 'o' });
    const mounts = ctx.sys.vfs.mountTable();
    const mountOf = (d: BlockDevice) => mounts.find((m) => m.volume === d.volume)?.target ?? '';
    const rows: string[][] = [];
    const devs = [...ctx.sys.devices()].sort((a, b) => a.kernelName.localeCompare(b.kernelName));
    for (const d of devs) {
      const size = `${d.sizeGiB}G`;
      const fs = o.flags.has('f');
      rows.push([d.kernelName, majMin(d, false), '0', size, '0', 'disk', d.volume.partitioned ? '' : mountOf(d), fs && !d.volume.partitioned ? 'xfs' : '']);
      if (d.volume.partitioned && !o.flags.has('d')) rows.push([`└─${d.kernelName}1`, majMin(d, true), '0', size, '0', 'part', mountOf(d), fs ? 'xfs' : '']);
    }
    if (o.flags.has('f')) {
      const w = Math.max(4, ...rows.map((r) => r[0]!.length));
      ctx.io.out.write(`${'NAME'.padEnd(w)} FSTYPE FSVER LABEL UUID FSAVAIL FSUSE% MOUNTPOINTS\n`);
      for (const r of rows) ctx.io.out.write(`${r[0]!.padEnd(w)} ${r[7]!.padEnd(6)} ${''.padEnd(5)} ${''.padEnd(5)} ${''.padEnd(4)} ${''.padEnd(7)} ${''.padEnd(6)} ${r[6]}`.trimEnd() + '\n');
      return 0;
    }
    const w = Math.max(4, ...rows.map((r) => r[0]!.length));
    const sw = Math.max(4, ...rows.map((r) => r[3]!.length));
    ctx.io.out.write(`${'NAME'.padEnd(w)} MAJ:MIN RM ${'SIZE'.padStart(sw)} RO TYPE MOUNTPOINTS\n`);
    for (const r of rows) ctx.io.out.write(`${r[0]!.padEnd(w)} ${r[1]!.padEnd(7)} ${r[2]!.padStart(2)} ${r[3]!.padStart(sw)} ${r[4]!.padStart(2)} ${r[5]!.padEnd(4)} ${r[6]}\n`);
    return 0;
  });

export const mount: Command = (ctx) =>
  withUsage(ctx, () => {
    const o = getopt(ctx.args, { bool: 'arvwfn', value: 'to', long: { 'types=': 't', 'options=': 'o' } });
    const vfs = ctx.sys.vfs;
    if (!o.operands.length) {
      for (const m of vfs.mountTable()) ctx.io.out.write(`${m.source} on ${m.target} type xfs (rw,noatime,seclabel,attr2,inode64,logbufs=8,logbsize=32k,noquota)\n`);
      return 0;
    }
    if (o.operands.length < 2) {
      ctx.io.err.write(`mount: ${o.operands[0]}: can't find in /etc/fstab.\n`);
      return 1;
    }
    const [source, target] = o.operands as [string, string];
    const t = resolvePath(ctx.proc.cwd, target);
    if (ctx.proc.cred.uid !== 0) {
      ctx.io.err.write(`mount: ${t}: must be superuser to use mount.\n`);
      return 32;
    }
    const src = resolvePath(ctx.proc.cwd, source);
    const ref = findDevice(ctx.sys.devices(), src);
    if (!ref) {
      ctx.io.err.write(`mount: ${t}: special device ${source} does not exist.\n`);
      return 32;
    }
    if (ref.dev.volume.partitioned && !ref.partition) {
      ctx.io.err.write(`mount: ${t}: wrong fs type, bad option, bad superblock on ${src}, missing codepage or helper program, or other error.\n`);
      return 32;
    }
    const already = vfs.mountOf(ref.dev.volume);
    if (already) {
      ctx.io.err.write(`mount: ${t}: ${ref.canonical} already mounted on ${already.target}.\n`);
      return 32;
    }
    let st;
    try {
      st = vfs.stat(ctx.proc.cred, t);
    } catch (e) {
      if (!isFsError(e)) throw e;
      ctx.io.err.write(`mount: ${t}: mount point does not exist.\n`);
      return 32;
    }
    if (st.type !== 'dir') {
      ctx.io.err.write(`mount: ${t}: mount point is not a directory.\n`);
      return 32;
    }
    if (vfs.isMountPoint(t)) {
      ctx.io.err.write(`mount: ${t}: ${ref.canonical} already mounted or mount point busy.\n`);
      return 32;
    }
    vfs.mount(ref.canonical, ref.dev.volume, t);
    return 0;
  });

export const umount: Command = (ctx) =>
  withUsage(ctx, () => {
    const o = getopt(ctx.args, { bool: 'flnrvdR', long: { lazy: 'l', force: 'f' } });
    const vfs = ctx.sys.vfs;
    let status = 0;
    if (!o.operands.length) {
      ctx.io.err.write("Usage:\n umount [-hV]\n umount -a [options]\n umount [options] <source> | <directory>\n");
      return 1;
    }
    for (const arg of o.operands) {
      const p = resolvePath(ctx.proc.cwd, arg);
      const m = vfs.mountTable().find((e) => e.target === p || e.source === p || (findDevice(ctx.sys.devices(), p)?.canonical === e.source && e.target !== '/'));
      if (ctx.proc.cred.uid !== 0) {
        ctx.io.err.write(`umount: ${p}: must be superuser to unmount.\n`);
        status = 32;
        continue;
      }
      if (!m || m.target === '/') {
        ctx.io.err.write(m ? `umount: /: target is busy.\n` : `umount: ${p}: not mounted.\n`);
        status = 32;
        continue;
      }
      const busy = ctx.sys.busyPaths().some((b) => b === m.target || b.startsWith(m.target + '/'));
      if (busy && !o.flags.has('l')) {
        ctx.io.err.write(`umount: ${m.target}: target is busy.\n`);
        status = 32;
        continue;
      }
      vfs.umount(m.target);
    }
    return status;
  });

export const df: Command = (ctx) => {
  const h = ctx.args.some((a) => /^-\w*h/.test(a));
  ctx.io.out.write(`Filesystem     ${h ? ' Size  Used Avail' : '1K-blocks    Used Available'} Use% Mounted on\n`);
  for (const m of ctx.sys.vfs.mountTable()) {
    const dev = ctx.sys.devices().find((d) => d.volume === m.volume);
    const size = (dev?.sizeGiB ?? 8) * 1024 * 1024;
    const used = Math.ceil(m.volume.usedBytes / 1024);
    const pct = `${Math.max(1, Math.ceil((used / size) * 100))}%`;
    const fmt = (k: number) => (h ? (k >= 1024 * 1024 ? `${(k / 1024 / 1024).toFixed(1)}G` : `${Math.ceil(k / 1024)}M`) : String(k));
    ctx.io.out.write(`${m.source.padEnd(14)} ${fmt(size).padStart(h ? 5 : 9)} ${fmt(used).padStart(h ? 5 : 7)} ${fmt(size - used).padStart(h ? 5 : 9)} ${pct.padStart(4)} ${m.target}\n`);
  }
  return 0;
};

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
  lsblk,
  mount,
  umount,
  df,
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
