// File commands: cat ls chmod chown chgrp mkdir cp mv rm rmdir touch stat tee pwd.
// Messages follow GNU coreutils, since that is what both images ship.
import { FsError, isFsError } from '../../fs/errors.js';
import { R, type StatInfo, basename, dirname, resolvePath } from '../../fs/vfs.js';
import { Input } from '../streams.js';
import type { Command, CommandContext } from '../types.js';
import { getopt, lsDate, modeString, q, readInputs, report, statDate, withUsage } from './util.js';

const abs = (ctx: CommandContext, p: string) => resolvePath(ctx.proc.cwd, p);

function tryStat(ctx: CommandContext, path: string): StatInfo | undefined {
  try {
    return ctx.sys.vfs.stat(ctx.proc.cred, path);
  } catch {
    return undefined;
  }
}

export const cat: Command = (ctx) =>
  withUsage(ctx, async () => {
    const o = getopt(ctx.args, { bool: 'nAEvs', long: { number: 'n' } });
    let status = 0;
    const device = o.operands.length === 1 && /^\/dev\/(zero|u?random)$/.test(abs(ctx, o.operands[0]!)) ? Input.device(abs(ctx, o.operands[0]!)) : undefined;
    if (!o.flags.size && (device || !o.operands.length || (o.operands.length === 1 && o.operands[0] === '-'))) {
      // plain cat of stdin (or of an endless device) streams: yes | cat | head -1 ends
      const input = device ?? ctx.io.input;
      for (;;) {
        const chunk = await input.read();
        if (!chunk) return 0;
        ctx.io.out.write(chunk);
        await ctx.io.out.drain?.();
        await ctx.rt.tick();
      }
    }
    const inputs = await readInputs(ctx, o.operands, (f, e) => {
      report(ctx, e, f);
      status = 1;
    });
    let line = 1;
    for (const { data } of inputs) {
      if (o.flags.has('n')) {
        const text = data.toString('utf8');
        const lines = text.split('\n');
        if (lines[lines.length - 1] === '') lines.pop();
        for (const l of lines) ctx.io.out.write(`${String(line++).padStart(6, ' ')}\t${l}\n`);
      } else ctx.io.out.write(data);
    }
    return status;
  });

export const pwd: Command = (ctx) => {
  ctx.io.out.write(ctx.proc.cwd + '\n');
  return 0;
};

export const tee: Command = (ctx) =>
  withUsage(ctx, async () => {
    const o = getopt(ctx.args, { bool: 'ai', long: { append: 'a' } });
    const data = await ctx.io.input.readAll();
    let status = 0;
    for (const f of o.operands) {
      try {
        const p = abs(ctx, f);
        if (p === '/dev/null') continue;
        if (o.flags.has('a')) ctx.sys.vfs.writeFile(ctx.proc.cred, p, data, { append: true, mode: 0o666 & ~ctx.proc.umask });
        else ctx.sys.vfs.writeFile(ctx.proc.cred, p, data, { mode: 0o666 & ~ctx.proc.umask });
      } catch (e) {
        report(ctx, e, f);
        status = 1;
      }
    }
    ctx.io.out.write(data);
    return status;
  });

// ---- ls ------------------------------------------------------------------------

interface LsEntry {
  name: string;
  st: StatInfo;
}

export const ls: Command = (ctx) =>
  withUsage(
    ctx,
    () => {
      const o = getopt(ctx.args, { bool: 'laAdh1nrtFR', long: { all: 'a', 'almost-all': 'A', directory: 'd', 'human-readable': 'h' } });
      const f = o.flags;
      const long = f.has('l') || f.has('n');
      const vfs = ctx.sys.vfs;
      const now = ctx.sys.now();
      let status = 0;
      const operands = o.operands.length ? o.operands : ['.'];
      const files: LsEntry[] = [];
      const dirs: string[] = [];
      for (const op of operands) {
        const p = abs(ctx, op);
        let st: StatInfo;
        try {
          st = vfs.stat(ctx.proc.cred, p);
        } catch (e) {
          if (!isFsError(e)) throw e;
          ctx.io.err.write(`ls: cannot access ${q(op)}: ${e.text}\n`);
          status = 2;
          continue;
        }
        if (st.type === 'dir' && !f.has('d')) dirs.push(op);
        else files.push({ name: op, st });
      }
      const size = (n: number) => {
        if (!f.has('h') || n < 1024) return String(n);
        const units = ['K', 'M', 'G', 'T'];
        let v = n;
        let u = -1;
        while (v >= 1024 && u < units.length - 1) {
          v /= 1024;
          u++;
        }
        return (v < 10 ? (Math.ceil(v * 10) / 10).toFixed(1) : String(Math.ceil(v))) + units[u];
      };
      const sortEntries = (es: LsEntry[]) => {
        es.sort((a, b) => (f.has('t') ? b.st.mtime - a.st.mtime || cmpName(a.name, b.name) : cmpName(a.name, b.name)));
        if (f.has('r')) es.reverse();
        return es;
      };
      const suffix = (e: LsEntry) => (f.has('F') ? (e.st.type === 'dir' ? '/' : e.st.mode & 0o111 ? '*' : '') : '');
      const print = (es: LsEntry[], withTotal: boolean) => {
        if (long) {
          const rows = es.map((e) => [
            modeString(e.st.type, e.st.mode),
            String(e.st.nlink),
            f.has('n') ? String(e.st.uid) : ctx.sys.users.userName(e.st.uid),
            f.has('n') ? String(e.st.gid) : ctx.sys.users.groupName(e.st.gid),
            size(e.st.size),
            lsDate(e.st.mtime, now),
            e.name + suffix(e),
          ]);
          const w = [0, 1, 2, 3, 4].map((i) => Math.max(0, ...rows.map((r) => r[i]!.length)));
          if (withTotal) {
            const blocks = es.reduce((t, e) => t + (e.st.type === 'dir' ? 4 : Math.ceil(e.st.size / 4096) * 4), 0);
            ctx.io.out.write(`total ${blocks}\n`);
          }
          for (const r of rows) {
            ctx.io.out.write(
              `${r[0]}${ctx.sys.prompt === 'rhel' ? '.' : ''} ${r[1]!.padStart(w[1]!)} ${r[2]!.padEnd(w[2]!)} ${r[3]!.padEnd(w[3]!)} ${r[4]!.padStart(w[4]!)} ${r[5]} ${r[6]}\n`,
            );
          }
        } else if (ctx.io.tty && !f.has('1')) {
          if (es.length) ctx.io.out.write(es.map((e) => e.name + suffix(e)).join('  ') + '\n');
        } else for (const e of es) ctx.io.out.write(e.name + suffix(e) + '\n');
      };
      if (files.length) print(sortEntries(files), false);
      const listDir = (op: string, header: boolean, first: boolean) => {
        const p = abs(ctx, op);
        let names: string[];
        try {
          names = vfs.readdir(ctx.proc.cred, p);
        } catch (e) {
          if (!isFsError(e)) throw e;
          ctx.io.err.write(`ls: cannot open directory ${q(op)}: ${e.text}\n`);
          status = 2;
          return;
        }
        const entries: LsEntry[] = [];
        if (f.has('a')) {
          entries.push({ name: '.', st: vfs.stat(ctx.proc.cred, p) });
          entries.push({ name: '..', st: tryStat(ctx, dirname(p)) ?? vfs.stat(ctx.proc.cred, p) });
        }
        for (const n of names) {
          if (n.startsWith('.') && !f.has('a') && !f.has('A')) continue;
          const st = tryStat(ctx, p === '/' ? `/${n}` : `${p}/${n}`);
          if (st) entries.push({ name: n, st });
        }
        if (header) ctx.io.out.write(`${first ? '' : '\n'}${op}:\n`);
        print(sortEntries(entries), long);
        if (f.has('R')) {
          for (const e of entries) {
            if (e.st.type === 'dir' && e.name !== '.' && e.name !== '..') listDir(op.endsWith('/') ? op + e.name : `${op}/${e.name}`, true, false);
          }
        }
      };
      dirs.sort(cmpName);
      dirs.forEach((d, i) => listDir(d, operands.length > 1 || f.has('R'), i === 0 && files.length === 0));
      return status;
    },
    2,
  );

function cmpName(a: string, b: string): number {
  const na = a.replace(/^\.+/, '').toLowerCase();
  const nb = b.replace(/^\.+/, '').toLowerCase();
  if (a === '.' || a === '..' || b === '.' || b === '..') return a.length - b.length || (a < b ? -1 : 1);
  return na < nb ? -1 : na > nb ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

// ---- chmod / chown ----------------------------------------------------------------

/** Apply an octal or symbolic mode (u+x, go-w, a=r, 700, u=rwx,g=,o=) to `cur`. */
export function applyMode(spec: string, cur: number, isDir: boolean, umask = 0): number | undefined {
  if (/^[0-7]{1,4}$/.test(spec)) {
    const m = parseInt(spec, 8);
    // like GNU chmod, a short octal mode keeps a directory's setuid/setgid bits
    return isDir && spec.length < 4 ? (m & 0o777) | (cur & 0o6000) | (m & 0o1000) : m;
  }
  let mode = cur;
  for (const clause of spec.split(',')) {
    const m = /^([ugoa]*)((?:[-+=][rwxXst]*|[-+=][ugo])+)$/.exec(clause);
    if (!m) return undefined;
    const who = m[1] || '';
    const mask = who === '' ? 0o7777 & ~umask : [...who].reduce((a, c) => a | { u: 0o4700, g: 0o2070, o: 0o1007, a: 0o7777 }[c]!, 0);
    const ops = m[2]!.match(/[-+=][rwxXstugo]*/g) ?? [];
    for (const op of ops) {
      const kind = op[0]!;
      let bits = 0;
      for (const c of op.slice(1)) {
        if (c === 'r') bits |= 0o444;
        else if (c === 'w') bits |= 0o222;
        else if (c === 'x') bits |= 0o111;
        else if (c === 'X') bits |= isDir || mode & 0o111 ? 0o111 : 0;
        else if (c === 's') bits |= 0o6000;
        else if (c === 't') bits |= 0o1000;
        else {
          const shift = c === 'u' ? 6 : c === 'g' ? 3 : 0;
          const b = (mode >> shift) & 7;
          bits |= (b << 6) | (b << 3) | b;
        }
      }
      bits &= who === '' ? mask : mask;
      if (kind === '+') mode |= bits;
      else if (kind === '-') mode &= ~bits;
      else {
        const clearMask = who === '' ? 0o7777 : [...who].reduce((a, c) => a | { u: 0o4700, g: 0o2070, o: 0o1007, a: 0o7777 }[c]!, 0);
        mode = (mode & ~(clearMask & ~(isDir ? 0o6000 : 0))) | bits;
      }
    }
  }
  return mode & 0o7777;
}

function walk(ctx: CommandContext, path: string, recursive: boolean, fn: (p: string, st: StatInfo) => void): void {
  const st = ctx.sys.vfs.stat(ctx.proc.cred, path);
  fn(path, st);
  if (recursive && st.type === 'dir') {
    for (const n of ctx.sys.vfs.readdir(ctx.proc.cred, path)) walk(ctx, path === '/' ? `/${n}` : `${path}/${n}`, true, fn);
  }
}

export const chmod: Command = (ctx) =>
  withUsage(ctx, () => {
    // a mode such as -w looks like an option: take it as the mode when it parses as one
    const args = [...ctx.args];
    let modeArg: string | undefined;
    const idx = args.findIndex((a) => /^[-+=][rwxXst]+$/.test(a));
    if (idx >= 0) modeArg = args.splice(idx, 1)[0];
    const o = getopt(args, { bool: 'Rfvc', long: { recursive: 'R' } });
    const ops = [...o.operands];
    const spec = modeArg ?? ops.shift();
    if (spec === undefined || !ops.length) {
      ctx.io.err.write(`chmod: missing operand${spec === undefined ? '' : ` after ${q(spec)}`}\nTry 'chmod --help' for more information.\n`);
      return 1;
    }
    if (applyMode(spec, 0, false) === undefined) {
      ctx.io.err.write(`chmod: invalid mode: ${q(spec)}\nTry 'chmod --help' for more information.\n`);
      return 1;
    }
    let status = 0;
    for (const f of ops) {
      try {
        walk(ctx, abs(ctx, f), o.flags.has('R'), (p, st) => {
          try {
            ctx.sys.vfs.chmod(ctx.proc.cred, p, applyMode(spec, st.mode, st.type === 'dir', ctx.proc.umask)!);
          } catch (e) {
            if (isFsError(e) && e.code === 'EPERM') {
              ctx.io.err.write(`chmod: changing permissions of ${q(p === abs(ctx, f) ? f : p)}: Operation not permitted\n`);
              status = 1;
            } else throw e;
          }
        });
      } catch (e) {
        if (!isFsError(e)) throw e;
        ctx.io.err.write(`chmod: cannot access ${q(f)}: ${e.text}\n`);
        status = 1;
      }
    }
    return status;
  });

function chownLike(group: boolean): Command {
  return (ctx) =>
    withUsage(ctx, () => {
      const o = getopt(ctx.args, { bool: 'RfvchH', long: { recursive: 'R' } });
      const ops = [...o.operands];
      const spec = ops.shift();
      if (spec === undefined || !ops.length) {
        ctx.io.err.write(`${ctx.name}: missing operand\nTry '${ctx.name} --help' for more information.\n`);
        return 1;
      }
      const users = ctx.sys.users;
      let uid: number | undefined;
      let gid: number | undefined;
      const lookupGroup = (g: string) => (/^\d+$/.test(g) ? Number(g) : users.group(g)?.gid);
      if (group) {
        gid = lookupGroup(spec);
        if (gid === undefined) {
          ctx.io.err.write(`chgrp: invalid group: ${q(spec)}\n`);
          return 1;
        }
      } else {
        const m = /^([^:.]*)(?:[:.](.*))?$/.exec(spec)!;
        const u = m[1]!;
        const g = m[2];
        if (u) {
          const ent = /^\d+$/.test(u) ? { uid: Number(u), gid: users.userByUid(Number(u))?.gid } : users.user(u);
          if (!ent) {
            ctx.io.err.write(`chown: invalid user: ${q(spec)}\n`);
            return 1;
          }
          uid = ent.uid;
          if (g === '') gid = ent.gid;
        }
        if (g) {
          gid = lookupGroup(g);
          if (gid === undefined) {
            ctx.io.err.write(`chown: invalid group: ${q(spec)}\n`);
            return 1;
          }
        }
      }
      let status = 0;
      for (const f of ops) {
        try {
          walk(ctx, abs(ctx, f), o.flags.has('R'), (p) => {
            try {
              ctx.sys.vfs.chown(ctx.proc.cred, p, uid, gid);
            } catch (e) {
              if (isFsError(e) && e.code === 'EPERM') {
                ctx.io.err.write(`${ctx.name}: changing ${group || uid === undefined ? 'group' : 'ownership'} of ${q(p === abs(ctx, f) ? f : p)}: Operation not permitted\n`);
                status = 1;
              } else throw e;
            }
          });
        } catch (e) {
          if (!isFsError(e)) throw e;
          ctx.io.err.write(`${ctx.name}: cannot access ${q(f)}: ${e.text}\n`);
          status = 1;
        }
      }
      return status;
    });
}

export const chown = chownLike(false);
export const chgrp = chownLike(true);

// ---- mkdir / rmdir / touch / rm ---------------------------------------------------------

export const mkdir: Command = (ctx) =>
  withUsage(ctx, () => {
    const o = getopt(ctx.args, { bool: 'pv', value: 'm', long: { parents: 'p', 'mode=': 'm', verbose: 'v' } });
    if (!o.operands.length) {
      ctx.io.err.write(`mkdir: missing operand\nTry 'mkdir --help' for more information.\n`);
      return 1;
    }
    const vfs = ctx.sys.vfs;
    const base = 0o777 & ~ctx.proc.umask;
    const mArg = o.flags.get('m');
    const mode = typeof mArg === 'string' ? applyMode(mArg, 0o777, true) : base;
    if (mode === undefined) {
      ctx.io.err.write(`mkdir: invalid mode ${q(String(mArg))}\n`);
      return 1;
    }
    let status = 0;
    for (const d of o.operands) {
      const p = abs(ctx, d);
      try {
        if (o.flags.has('p')) {
          const parts = p.split('/').filter(Boolean);
          let cur = '';
          for (let i = 0; i < parts.length; i++) {
            cur += '/' + parts[i];
            const st = tryStat(ctx, cur);
            if (st) {
              if (st.type !== 'dir') throw new FsError('EEXIST', cur);
              continue;
            }
            // intermediate directories get u+wx so that the rest can be created, as GNU mkdir does
            vfs.mkdir(ctx.proc.cred, cur, i === parts.length - 1 ? mode : base | 0o300);
            if (i === parts.length - 1 && typeof mArg === 'string') vfs.chmod(ctx.proc.cred, cur, mode);
            if (o.flags.has('v')) ctx.io.out.write(`mkdir: created directory ${q(cur)}\n`);
          }
        } else {
          vfs.mkdir(ctx.proc.cred, p, mode);
          if (typeof mArg === 'string') vfs.chmod(ctx.proc.cred, p, mode);
          if (o.flags.has('v')) ctx.io.out.write(`mkdir: created directory ${q(d)}\n`);
        }
      } catch (e) {
        if (!isFsError(e)) throw e;
        ctx.io.err.write(`mkdir: cannot create directory ${q(d)}: ${e.text}\n`);
        status = 1;
      }
    }
    return status;
  });

export const rmdir: Command = (ctx) =>
  withUsage(ctx, () => {
    const o = getopt(ctx.args, { bool: 'pv', long: { parents: 'p' } });
    let status = 0;
    for (const d of o.operands) {
      try {
        ctx.sys.vfs.rmdir(ctx.proc.cred, abs(ctx, d));
      } catch (e) {
        if (!isFsError(e)) throw e;
        ctx.io.err.write(`rmdir: failed to remove ${q(d)}: ${e.text}\n`);
        status = 1;
      }
    }
    return status;
  });

export const touch: Command = (ctx) =>
  withUsage(ctx, () => {
    const o = getopt(ctx.args, { bool: 'acm', value: 'dtr' });
    let status = 0;
    for (const f of o.operands) {
      const p = abs(ctx, f);
      try {
        if (tryStat(ctx, p)) ctx.sys.vfs.utimes(ctx.proc.cred, p, ctx.sys.now());
        else if (!o.flags.has('c')) ctx.sys.vfs.writeFile(ctx.proc.cred, p, Buffer.alloc(0), { mode: 0o666 & ~ctx.proc.umask });
      } catch (e) {
        if (!isFsError(e)) throw e;
        ctx.io.err.write(`touch: cannot touch ${q(f)}: ${e.text}\n`);
        status = 1;
      }
    }
    return status;
  });

function removeTree(ctx: CommandContext, p: string): void {
  const vfs = ctx.sys.vfs;
  const st = vfs.stat(ctx.proc.cred, p);
  if (st.type === 'dir') {
    for (const n of vfs.readdir(ctx.proc.cred, p)) removeTree(ctx, p === '/' ? `/${n}` : `${p}/${n}`);
    vfs.rmdir(ctx.proc.cred, p);
  } else vfs.unlink(ctx.proc.cred, p);
}

export const rm: Command = (ctx) =>
  withUsage(ctx, () => {
    const o = getopt(ctx.args, { bool: 'rRfidv', long: { recursive: 'r', force: 'f', 'no-preserve-root': 'P' } });
    const force = o.flags.has('f');
    const rec = o.flags.has('r') || o.flags.has('R');
    if (!o.operands.length && !force) {
      ctx.io.err.write(`rm: missing operand\nTry 'rm --help' for more information.\n`);
      return 1;
    }
    let status = 0;
    for (const f of o.operands) {
      const p = abs(ctx, f);
      if (p === '/' && rec && !o.flags.has('P')) {
        ctx.io.err.write(`rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n`);
        status = 1;
        continue;
      }
      try {
        const st = ctx.sys.vfs.stat(ctx.proc.cred, p);
        if (st.type === 'dir' && !rec) {
          if (o.flags.has('d')) ctx.sys.vfs.rmdir(ctx.proc.cred, p);
          else throw new FsError('EISDIR', p);
        } else if (rec) removeTree(ctx, p);
        else ctx.sys.vfs.unlink(ctx.proc.cred, p);
        if (o.flags.has('v')) ctx.io.out.write(`removed ${q(f)}\n`);
      } catch (e) {
        if (!isFsError(e)) throw e;
        if (force && e.code === 'ENOENT') continue;
        ctx.io.err.write(`rm: cannot remove ${q(f)}: ${e.text}\n`);
        status = 1;
      }
    }
    return status;
  });

// ---- cp / mv ---------------------------------------------------------------------

function copyTree(ctx: CommandContext, src: string, dst: string, opts: { rec: boolean; preserve: boolean; srcName: string }): void {
  const vfs = ctx.sys.vfs;
  const cred = ctx.proc.cred;
  const st = vfs.stat(cred, src);
  if (st.type === 'dir') {
    if (!opts.rec) {
      ctx.io.err.write(`cp: -r not specified; omitting directory ${q(opts.srcName)}\n`);
      throw new FsError('EISDIR', src);
    }
    if ((dst + '/').startsWith(src + '/')) {
      ctx.io.err.write(`cp: cannot copy a directory, ${q(opts.srcName)}, into itself, ${q(dst)}\n`);
      throw new FsError('EINVAL', dst);
    }
    const existing = tryStat(ctx, dst);
    if (!existing) vfs.mkdir(cred, dst, opts.preserve ? st.mode : st.mode & ~ctx.proc.umask);
    for (const n of vfs.readdir(cred, src)) copyTree(ctx, `${src === '/' ? '' : src}/${n}`, `${dst}/${n}`, { ...opts, srcName: `${opts.srcName}/${n}` });
  } else {
    let data: Buffer;
    try {
      data = vfs.readFile(cred, src);
    } catch (e) {
      if (isFsError(e)) ctx.io.err.write(`cp: cannot open ${q(opts.srcName)} for reading: ${e.text}\n`);
      throw e;
    }
    try {
      vfs.writeFile(cred, dst, data, { mode: opts.preserve ? st.mode : st.mode & ~ctx.proc.umask & 0o777 });
    } catch (e) {
      if (isFsError(e)) ctx.io.err.write(`cp: cannot create regular file ${q(dst)}: ${e.text}\n`);
      throw e;
    }
  }
  if (opts.preserve) {
    try {
      vfs.chmod(cred, dst, st.mode);
      vfs.utimes(cred, dst, st.mtime);
      if (cred.uid === 0) vfs.chown(cred, dst, st.uid, st.gid);
    } catch {
      // preserving attributes is best effort, as cp -p is for non-root users
    }
  }
}

function targets(ctx: CommandContext, ops: string[]): { sources: string[]; dest: string; destIsDir: boolean } | undefined {
  if (ops.length < 2) {
    ctx.io.err.write(
      ops.length === 0
        ? `${ctx.name}: missing file operand\nTry '${ctx.name} --help' for more information.\n`
        : `${ctx.name}: missing destination file operand after ${q(ops[0]!)}\nTry '${ctx.name} --help' for more information.\n`,
    );
    return undefined;
  }
  const dest = ops[ops.length - 1]!;
  const st = tryStat(ctx, abs(ctx, dest));
  const destIsDir = st?.type === 'dir';
  if (ops.length > 2 && !destIsDir) {
    ctx.io.err.write(`${ctx.name}: target ${q(dest)} is not a directory\n`);
    return undefined;
  }
  return { sources: ops.slice(0, -1), dest, destIsDir };
}

export const cp: Command = (ctx) =>
  withUsage(ctx, () => {
    const o = getopt(ctx.args, { bool: 'rRapfivnuTL', long: { recursive: 'r', archive: 'a', preserve: 'p', force: 'f' } });
    const t = targets(ctx, o.operands);
    if (!t) return 1;
    const rec = o.flags.has('r') || o.flags.has('R') || o.flags.has('a');
    const preserve = o.flags.has('p') || o.flags.has('a');
    let status = 0;
    for (const s of t.sources) {
      const src = abs(ctx, s);
      const dst = t.destIsDir ? `${abs(ctx, t.dest)}/${basename(src)}` : abs(ctx, t.dest);
      if (!tryStat(ctx, src)) {
        let text = 'No such file or directory';
        try {
          ctx.sys.vfs.stat(ctx.proc.cred, src);
        } catch (e) {
          if (isFsError(e)) text = e.text;
        }
        ctx.io.err.write(`cp: cannot stat ${q(s)}: ${text}\n`);
        status = 1;
        continue;
      }
      if (src === dst) {
        ctx.io.err.write(`cp: ${q(s)} and ${q(t.dest)} are the same file\n`);
        status = 1;
        continue;
      }
      try {
        copyTree(ctx, src, dst, { rec, preserve, srcName: s });
      } catch (e) {
        if (!isFsError(e)) throw e;
        status = 1;
      }
    }
    return status;
  });

export const mv: Command = (ctx) =>
  withUsage(ctx, () => {
    const o = getopt(ctx.args, { bool: 'finvuT', long: { force: 'f' } });
    const t = targets(ctx, o.operands);
    if (!t) return 1;
    let status = 0;
    for (const s of t.sources) {
      const src = abs(ctx, s);
      const dst = t.destIsDir ? `${abs(ctx, t.dest)}/${basename(src)}` : abs(ctx, t.dest);
      try {
        ctx.sys.vfs.stat(ctx.proc.cred, src);
      } catch (e) {
        if (!isFsError(e)) throw e;
        ctx.io.err.write(`mv: cannot stat ${q(s)}: ${e.text}\n`);
        status = 1;
        continue;
      }
      try {
        ctx.sys.vfs.rename(ctx.proc.cred, src, dst);
      } catch (e) {
        if (!isFsError(e)) throw e;
        if (e.code === 'EXDEV') {
          // across filesystems mv copies then removes, as coreutils does
          try {
            copyTree(ctx, src, dst, { rec: true, preserve: true, srcName: s });
            removeTree(ctx, src);
          } catch (e2) {
            if (!isFsError(e2)) throw e2;
            status = 1;
          }
          continue;
        }
        ctx.io.err.write(`mv: cannot move ${q(s)} to ${q(t.destIsDir ? `${t.dest}/${basename(src)}` : t.dest)}: ${e.text}\n`);
        status = 1;
      }
    }
    return status;
  });

// ---- stat ------------------------------------------------------------------------

function fileType(st: StatInfo): string {
  return st.type === 'dir' ? 'directory' : st.size === 0 ? 'regular empty file' : 'regular file';
}

export function statFormat(ctx: CommandContext, fmt: string, name: string, st: StatInfo): string {
  const users = ctx.sys.users;
  return fmt.replace(/%([%aAFgGhinNsuUyYxXzZbBo])/g, (_m, c: string) => {
    switch (c) {
      case '%':
        return '%';
      case 'a':
        return st.mode.toString(8);
      case 'A':
        return modeString(st.type, st.mode);
      case 'F':
        return fileType(st);
      case 'g':
        return String(st.gid);
      case 'G':
        return users.groupName(st.gid);
      case 'h':
        return String(st.nlink);
      case 'i':
        return String(st.ino);
      case 'n':
        return name;
      case 'N':
        return q(name);
      case 's':
        return String(st.size);
      case 'u':
        return String(st.uid);
      case 'U':
        return users.userName(st.uid);
      case 'x':
      case 'y':
      case 'z':
        return statDate(st.mtime);
      case 'X':
      case 'Y':
      case 'Z':
        return String(Math.floor(st.mtime / 1000));
      case 'b':
        return String(Math.ceil(st.size / 512));
      case 'B':
        return '512';
      case 'o':
        return '4096';
      default:
        return '';
    }
  });
}

const unescapeC = (s: string) =>
  s.replace(/\\([ntr\\"']|0[0-7]{0,3})/g, (_m, c: string) => ({ n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'" })[c] ?? String.fromCharCode(parseInt(c, 8)));

export const stat: Command = (ctx) =>
  withUsage(ctx, () => {
    const o = getopt(ctx.args, { bool: 'Lft', value: 'c', long: { 'format=': 'c', 'printf=': 'P', dereference: 'L' } });
    if (!o.operands.length) {
      ctx.io.err.write(`stat: missing operand\nTry 'stat --help' for more information.\n`);
      return 1;
    }
    let status = 0;
    for (const f of o.operands) {
      let st: StatInfo;
      try {
        st = ctx.sys.vfs.stat(ctx.proc.cred, abs(ctx, f));
      } catch (e) {
        if (!isFsError(e)) throw e;
        ctx.io.err.write(`stat: cannot statx ${q(f)}: ${e.text}\n`);
        status = 1;
        continue;
      }
      const c = o.flags.get('c');
      const p = o.flags.get('P');
      if (typeof c === 'string') ctx.io.out.write(statFormat(ctx, c, f, st) + '\n');
      else if (typeof p === 'string') ctx.io.out.write(statFormat(ctx, unescapeC(p), f, st));
      else {
        const users = ctx.sys.users;
        const perm = `(${st.mode.toString(8).padStart(4, '0')}/${modeString(st.type, st.mode)})`;
        ctx.io.out.write(
          `  File: ${f}\n` +
            `  Size: ${String(st.size).padEnd(15)}\tBlocks: ${String(Math.ceil(st.size / 4096) * 8).padEnd(10)} IO Block: 4096   ${fileType(st)}\n` +
            `Device: ${st.device}\tInode: ${st.ino}${' '.repeat(8)}Links: ${st.nlink}\n` +
            `Access: ${perm}  Uid: (${String(st.uid).padStart(5)}/${users.userName(st.uid).padStart(8)})   Gid: (${String(st.gid).padStart(5)}/${users.groupName(st.gid).padStart(8)})\n` +
            `Access: ${statDate(st.mtime)}\nModify: ${statDate(st.mtime)}\nChange: ${statDate(st.ctime)}\n Birth: -\n`,
        );
      }
    }
    return status;
  });

export const FILE_COMMANDS: Record<string, Command> = {
  cat,
  pwd,
  tee,
  ls,
  chmod,
  chown,
  chgrp,
  mkdir,
  rmdir,
  touch,
  rm,
  cp,
  mv,
  stat,
};

export { R };
