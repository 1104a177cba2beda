// Runs parsed command lines over the simulated system. Pipelines run stage
// by stage with buffered streams (every command is in-memory and finite, so
// nothing can block on a full pipe); each command line has an output budget
// and a wall-clock limit, so a guest cannot exhaust the server.
import { FsError, isFsError } from '../fs/errors.js';
import { R, W, X, resolvePath } from '../fs/vfs.js';
import type { PasswdEntry } from '../users.js';
import { COMMANDS } from './commands/index.js';
import { ParseError, parse, type Redir, type SimpleCommand, type Word } from './parser.js';
import {
  type Command,
  type CommandContext,
  ExitSignal,
  type GuestSystem,
  type IO,
  LimitError,
  type Proc,
  type Runtime,
  type Sink,
} from './types.js';

export interface ShellLimits {
  /** Bytes one command line may write in total (all streams and pipes). */
  maxOutputBytes: number;
  /** Wall-clock limit of one command line. */
  maxCommandMs: number;
  /** Nesting of sudo/su/$(…). */
  maxDepth: number;
}

export const DEFAULT_SHELL_LIMITS: ShellLimits = {
  maxOutputBytes: 16 * 1024 * 1024,
  maxCommandMs: 30_000,
  maxDepth: 10,
};

export interface ShellOptions {
  sys: GuestSystem;
  proc: Proc;
  io: IO;
  interactive: boolean;
  limits?: Partial<ShellLimits>;
  commands?: Record<string, Command>;
}

interface Exec {
  signal: AbortSignal;
  budget: { left: number };
  depth: number;
}

const EMPTY_STDIN = async () => Buffer.alloc(0);

export function defaultPath(uid: number): string {
  return uid === 0 ? '/root/.local/bin:/root/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin' : '/usr/local/bin:/usr/bin:/usr/local/sbin:/usr/sbin';
}

/** A fresh process state for a user, as a login (or sudo/su) would set it up. */
export function newProc(sys: GuestSystem, user: PasswdEntry, opts: { login: boolean; cwd?: string; from?: Proc; tty?: boolean }): Proc {
  const env = new Map<string, string>(opts.login || !opts.from ? [] : opts.from.env);
  env.set('HOME', user.home);
  env.set('USER', user.name);
  env.set('LOGNAME', user.name);
  env.set('SHELL', user.shell || '/bin/bash');
  env.set('PATH', defaultPath(user.uid));
  env.set('HOSTNAME', sys.hostname());
  if (!env.has('LANG')) env.set('LANG', 'C.UTF-8');
  if (opts.tty && !env.has('TERM')) env.set('TERM', 'xterm-256color');
  const cwd = opts.cwd ?? (opts.login ? user.home : (opts.from?.cwd ?? user.home));
  env.set('PWD', cwd);
  return { user, cred: sys.users.credOf(user), cwd, env, umask: 0o022, login: opts.login };
}

class BufferSink implements Sink {
  chunks: Buffer[] = [];
  write(d: string | Buffer): void {
    this.chunks.push(typeof d === 'string' ? Buffer.from(d) : d);
  }
  get data(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

const NULL_SINK: Sink = { write() {} };

function globRegex(pat: string): RegExp {
  let re = '^';
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i]!;
    if (c === '\\') {
      re += (pat[++i] ?? '').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pat.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let cls = pat.slice(i + 1, end);
        if (cls.startsWith('!')) cls = '^' + cls.slice(1);
        re += '[' + cls.replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(re + '$');
}

const hasMeta = (s: string) => /(^|[^\\])[*?[]/.test(s);
const escapeGlob = (s: string) => s.replace(/[*?[\\]/g, '\\$&');
const unescapeGlob = (s: string) => s.replace(/\\(.)/g, '$1');

export class Shell {
  readonly frames: Proc[];
  status = 0;
  ended = false;
  private readonly sys: GuestSystem;
  private readonly io: IO;
  readonly interactive: boolean;
  private readonly limits: ShellLimits;
  private readonly commands: Record<string, Command>;

  constructor(o: ShellOptions) {
    this.sys = o.sys;
    this.io = o.io;
    this.interactive = o.interactive;
    this.frames = [o.proc];
    this.limits = { ...DEFAULT_SHELL_LIMITS, ...o.limits };
    this.commands = o.commands ?? COMMANDS;
  }

  get proc(): Proc {
    return this.frames[this.frames.length - 1]!;
  }

  prompt(): string {
    const p = this.proc;
    const host = this.sys.hostname().split('.')[0];
    const sigil = p.cred.uid === 0 ? '#' : '$';
    if (this.sys.prompt === 'debian') {
      const home = p.user.home;
      const where = p.cwd === home ? '~' : p.cwd.startsWith(home + '/') ? '~' + p.cwd.slice(home.length) : p.cwd;
      return `${p.user.name}@${host}:${where}${sigil} `;
    }
    const where = p.cwd === p.user.home ? '~' : p.cwd === '/' ? '/' : p.cwd.slice(p.cwd.lastIndexOf('/') + 1);
    return `[${p.user.name}@${host} ${where}]${sigil} `;
  }

  private errPrefix(): string {
    return this.interactive ? '-bash: ' : 'bash: line 1: ';
  }

  /** Run one command line (interactive) or script (exec). Returns its exit status. */
  async run(src: string): Promise<number> {
    const ac = new AbortController();
    const exec: Exec = { signal: ac.signal, budget: { left: this.limits.maxOutputBytes }, depth: 0 };
    const io = this.guardIO(this.io, exec);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => {
        ac.abort();
        resolve('timeout');
      }, this.limits.maxCommandMs);
    });
    try {
      const r = await Promise.race([this.runIn(this.proc, src, io, exec, true), timeout]);
      if (r === 'timeout') {
        this.io.err.write(`${this.errPrefix()}command exceeded the guest time limit\n`);
        this.status = 124;
      } else this.status = r;
    } catch (e) {
      if (e instanceof LimitError) {
        ac.abort();
        this.io.err.write(`\n${this.errPrefix()}${e.message}\n`);
        this.status = 1;
      } else throw e;
    } finally {
      clearTimeout(timer);
    }
    return this.status;
  }

  private guardIO(io: IO, exec: Exec): IO {
    const guard = (s: Sink): Sink => ({
      write: (d) => {
        if (exec.signal.aborted) return;
        exec.budget.left -= typeof d === 'string' ? Buffer.byteLength(d) : d.length;
        if (exec.budget.left < 0) throw new LimitError('output limit exceeded');
        s.write(d);
      },
    });
    return { stdin: io.stdin, out: guard(io.out), err: guard(io.err), tty: io.tty };
  }

  /** Parse and run `src` as `proc`; `top` marks the session's own command line (exit ends the session). */
  private async runIn(proc: Proc, src: string, io: IO, exec: Exec, top: boolean): Promise<number> {
    let script;
    try {
      script = parse(src);
    } catch (e) {
      if (e instanceof ParseError) {
        io.err.write(`${this.errPrefix()}${e.message}\n`);
        return 2;
      }
      throw e;
    }
    let status = this.status;
    try {
      for (const ao of script) {
        status = await this.pipeline(proc, ao.first, io, exec, status);
        for (const r of ao.rest) {
          if ((r.op === '&&') === (status === 0)) status = await this.pipeline(proc, r.p, io, exec, status);
        }
        if (top) this.status = status;
      }
    } catch (e) {
      if (e instanceof ExitSignal) {
        if (!top) throw e;
        if (this.interactive && this.frames.length > 1) {
          const f = this.frames.pop()!;
          if (f.login) io.out.write('logout\n');
        } else {
          if (this.interactive && this.proc.login) io.out.write('logout\n');
          this.ended = true;
        }
        return e.code;
      }
      throw e;
    }
    return status;
  }

  private async pipeline(proc: Proc, p: { negate: boolean; cmds: SimpleCommand[] }, io: IO, exec: Exec, last: number): Promise<number> {
    let stdin = io.stdin;
    let status = last;
    for (let i = 0; i < p.cmds.length; i++) {
      const isLast = i === p.cmds.length - 1;
      const out = isLast ? io.out : new BufferSink();
      const guarded: Sink = isLast
        ? out
        : {
            write: (d) => {
              exec.budget.left -= typeof d === 'string' ? Buffer.byteLength(d) : d.length;
              if (exec.budget.left < 0) throw new LimitError('output limit exceeded');
              out.write(d);
            },
          };
      status = await this.simple(proc, p.cmds[i]!, { stdin, out: guarded, err: io.err, tty: isLast && io.tty }, exec, status);
      if (!isLast) {
        const data = (out as BufferSink).data;
        stdin = async () => data;
      }
    }
    return p.negate ? (status === 0 ? 1 : 0) : status;
  }

  // ---- expansion ------------------------------------------------------------

  private async expandParts(proc: Proc, w: Word, exec: Exec, last: number, split: boolean): Promise<{ text: string; pat: string; glob: boolean }[]> {
    const fields: { text: string; pat: string; glob: boolean }[] = [];
    let cur = { text: '', pat: '', glob: false };
    let started = false;
    const parts = [...w];
    const first = parts[0];
    if (first && first.t === 'lit' && !first.q && first.v.startsWith('~')) {
      const m = /^~([a-z_][a-z0-9_-]*)?(?=\/|$)/i.exec(first.v);
      if (m) {
        const home = m[1] ? this.sys.users.user(m[1])?.home : proc.env.get('HOME');
        if (home !== undefined) parts[0] = { t: 'lit', v: home + first.v.slice(m[0].length), q: false };
        // the home part is not subject to globbing
        if (home !== undefined) {
          cur.text += home;
          cur.pat += escapeGlob(home);
          started = true;
          parts[0] = { t: 'lit', v: first.v.slice(m[0].length), q: false };
        }
      }
    }
    for (const part of parts) {
      if (part.t === 'lit') {
        if (part.v === '' && !part.q) continue;
        cur.text += part.v;
        cur.pat += part.q ? escapeGlob(part.v) : part.v;
        if (!part.q && hasMeta(part.v)) cur.glob = true;
        started = true;
        continue;
      }
      const value = part.t === 'var' ? this.variable(proc, part.name, last) : await this.substitute(proc, part.src, exec);
      if (part.q || !split) {
        cur.text += value;
        cur.pat += escapeGlob(value);
        started = true;
        continue;
      }
      const pieces = value.split(/[ \t\n]+/);
      for (let k = 0; k < pieces.length; k++) {
        const piece = pieces[k]!;
        if (k > 0) {
          if (started) fields.push(cur);
          cur = { text: '', pat: '', glob: false };
          started = false;
        }
        if (piece) {
          cur.text += piece;
          cur.pat += escapeGlob(piece);
          started = true;
        }
      }
    }
    if (started) fields.push(cur);
    return fields;
  }

  private async expandWords(proc: Proc, words: Word[], exec: Exec, last: number): Promise<string[]> {
    const out: string[] = [];
    for (const w of words) {
      for (const f of await this.expandParts(proc, w, exec, last, true)) {
        if (f.glob) {
          const matches = this.glob(proc, f.pat);
          if (matches.length) {
            out.push(...matches);
            continue;
          }
        }
        out.push(f.text);
      }
    }
    return out;
  }

  private async expandString(proc: Proc, w: Word, exec: Exec, last: number): Promise<string> {
    return (await this.expandParts(proc, w, exec, last, false)).map((f) => f.text).join('');
  }

  private variable(proc: Proc, name: string, last: number): string {
    switch (name) {
      case '?':
        return String(last);
      case '$':
        return '4242';
      case '#':
        return '0';
      case '0':
        return proc.login && this.interactive ? '-bash' : 'bash';
      case '@':
      case '*':
        return '';
      default:
        if (name === 'PWD') return proc.cwd;
        if (name === 'UID') return String(proc.cred.uid);
        if (name === 'EUID') return String(proc.cred.uid);
        return proc.env.get(name) ?? '';
    }
  }

  private async substitute(proc: Proc, src: string, exec: Exec): Promise<string> {
    if (exec.depth >= this.limits.maxDepth) throw new LimitError('maximum nesting depth exceeded');
    const out = new BufferSink();
    const sub: Proc = { ...proc, env: new Map(proc.env) };
    try {
      await this.runIn(sub, src, { stdin: EMPTY_STDIN, out, err: this.guardIO(this.io, exec).err, tty: false }, { ...exec, depth: exec.depth + 1 }, false);
    } catch (e) {
      if (!(e instanceof ExitSignal)) throw e;
    }
    return out.data.toString('utf8').replace(/\n+$/, '');
  }

  private glob(proc: Proc, pat: string): string[] {
    const abs = pat.startsWith('/');
    const comps = pat.split('/').filter((c) => c !== '');
    let bases: string[] = [abs ? '/' : ''];
    for (const comp of comps) {
      const next: string[] = [];
      for (const base of bases) {
        const join = (name: string) => (base === '' ? name : base.endsWith('/') ? base + name : `${base}/${name}`);
        if (!hasMeta(comp)) {
          next.push(join(unescapeGlob(comp)));
          continue;
        }
        const re = globRegex(comp);
        let names: string[];
        try {
          names = this.sys.vfs.readdir(proc.cred, resolvePath(proc.cwd, base || '.'));
        } catch {
          continue;
        }
        for (const n of names) if ((!n.startsWith('.') || comp.startsWith('.')) && re.test(n)) next.push(join(n));
      }
      bases = next;
    }
    return bases.filter((b) => this.sys.vfs.exists(proc.cred, resolvePath(proc.cwd, b))).sort();
  }

  // ---- simple commands --------------------------------------------------------

  private async simple(proc: Proc, cmd: SimpleCommand, io: IO, exec: Exec, last: number): Promise<number> {
    if (exec.signal.aborted) return 124;
    const argv = await this.expandWords(proc, cmd.words, exec, last);
    const assigns: [string, string][] = [];
    for (const a of cmd.assigns) assigns.push([a.name, await this.expandString(proc, a.value, exec, last)]);

    // redirections are opened by the shell, with the shell user's rights (so `sudo echo x > /root/f` fails)
    const flushes: (() => void)[] = [];
    let cio: IO = { ...io };
    for (const r of cmd.redirs) {
      const ok = await this.redirect(proc, r, cio, exec, last, flushes);
      if (!ok) return 1;
      cio = ok;
    }
    const flush = () => {
      for (const f of flushes) {
        try {
          f();
        } catch (e) {
          if (isFsError(e)) io.err.write(`${this.errPrefix()}${e.path}: ${e.text}\n`);
          else throw e;
        }
      }
    };

    if (!argv.length) {
      for (const [k, v] of assigns) proc.env.set(k, v);
      flush();
      return 0;
    }
    let runProc = proc;
    if (assigns.length) {
      runProc = { ...proc, env: new Map(proc.env) };
      for (const [k, v] of assigns) runProc.env.set(k, v);
    }
    try {
      return await this.invoke(runProc, argv, cio, exec);
    } finally {
      flush();
    }
  }

  private async redirect(proc: Proc, r: Redir, io: IO, exec: Exec, last: number, flushes: (() => void)[]): Promise<IO | undefined> {
    const vfs = this.sys.vfs;
    if (r.op === '<<') {
      const body = await this.expandString(proc, r.target, exec, last);
      return { ...io, stdin: async () => Buffer.from(body) };
    }
    const target = await this.expandString(proc, r.target, exec, last);
    if (r.op === '>&') {
      if (target === '1' || target === '2') {
        const sink = target === '1' ? io.out : io.err;
        return r.fd === 2 ? { ...io, err: sink } : { ...io, out: sink };
      }
      if (target === '-') return r.fd === 2 ? { ...io, err: NULL_SINK } : { ...io, out: NULL_SINK };
      io.err.write(`${this.errPrefix()}${target}: ambiguous redirect\n`);
      return undefined;
    }
    if (target === '') {
      io.err.write(`${this.errPrefix()}: No such file or directory\n`);
      return undefined;
    }
    const path = resolvePath(proc.cwd, target);
    try {
      if (r.op === '<') {
        if (path === '/dev/null') return { ...io, stdin: EMPTY_STDIN };
        const data = vfs.readFile(proc.cred, path);
        return { ...io, stdin: async () => data };
      }
      if (path === '/dev/null') return r.fd === 2 ? { ...io, err: NULL_SINK } : r.fd === -1 ? { ...io, out: NULL_SINK, err: NULL_SINK } : { ...io, out: NULL_SINK };
      if (path === '/dev/stderr') return r.fd === 2 ? io : { ...io, out: io.err };
      if (path === '/dev/stdout') return r.fd === 1 ? io : { ...io, err: io.out };
      const exists = vfs.exists(proc.cred, path);
      if (!exists || r.op === '>') vfs.writeFile(proc.cred, path, Buffer.alloc(0), { mode: 0o666 & ~proc.umask });
      else {
        if (vfs.stat(proc.cred, path).type === 'dir') throw new FsError('EISDIR', path);
        if (!vfs.access(proc.cred, path, W)) throw new FsError('EACCES', path);
      }
      const sink = new BufferSink();
      flushes.push(() => {
        if (sink.chunks.length) vfs.writeFile(proc.cred, path, sink.data, { append: true });
      });
      if (r.fd === 2) return { ...io, err: sink };
      if (r.fd === -1) return { ...io, out: sink, err: sink };
      if (r.fd === 0) return io;
      return { ...io, out: sink };
    } catch (e) {
      if (isFsError(e)) {
        io.err.write(`${this.errPrefix()}${target}: ${e.text}\n`);
        return undefined;
      }
      throw e;
    }
  }

  private runtime(exec: Exec): Runtime {
    const depthExec = (): Exec => {
      if (exec.depth >= this.limits.maxDepth) throw new LimitError('maximum nesting depth exceeded');
      return { ...exec, depth: exec.depth + 1 };
    };
    return {
      signal: exec.signal,
      interactive: this.interactive,
      hasCommand: (name) => Object.prototype.hasOwnProperty.call(this.commands, name),
      runArgv: (proc, argv, io) => this.invoke(proc, argv, io, depthExec()),
      runScript: async (proc, script, io) => {
        try {
          return await this.runIn(proc, script, io, depthExec(), false);
        } catch (e) {
          if (e instanceof ExitSignal) return e.code;
          throw e;
        }
      },
      enterShell: async (proc, io) => {
        if (this.interactive && exec.depth <= 1) {
          this.frames.push(proc);
          return 0;
        }
        const script = (await io.stdin()).toString('utf8');
        try {
          return await this.runIn(proc, script, { ...io, stdin: EMPTY_STDIN }, depthExec(), false);
        } catch (e) {
          if (e instanceof ExitSignal) return e.code;
          throw e;
        }
      },
      procFor: (user, from, login) => newProc(this.sys, user, { login, from, tty: this.io.tty }),
    };
  }

  private async invoke(proc: Proc, argv: string[], io: IO, exec: Exec): Promise<number> {
    const [name0, ...args] = argv;
    const name = name0!;
    const builtin = this.builtin(name);
    if (builtin) return builtin(proc, args, io);
    const cmdName = name.includes('/') ? name.slice(name.lastIndexOf('/') + 1) : name;
    const command = Object.prototype.hasOwnProperty.call(this.commands, cmdName) ? this.commands[cmdName] : undefined;
    if (!command || (name.includes('/') && !/^\/(usr\/)?(local\/)?s?bin\//.test(resolvePath(proc.cwd, name)))) {
      if (name.includes('/')) io.err.write(`${this.errPrefix()}${name}: No such file or directory\n`);
      else io.err.write(`${this.errPrefix()}${name}: command not found\n`);
      return 127;
    }
    const ctx: CommandContext = { name: cmdName, args, proc, io, sys: this.sys, rt: this.runtime(exec) };
    try {
      return await command(ctx);
    } catch (e) {
      if (isFsError(e)) {
        io.err.write(`${cmdName}: ${e.path}: ${e.text}\n`);
        return 1;
      }
      if (e instanceof ExitSignal || e instanceof LimitError) throw e;
      // a bug in a simulated command must not take the session (or the server) down
      io.err.write(`${cmdName}: internal error\n`);
      return 1;
    }
  }

  private builtin(name: string): ((proc: Proc, args: string[], io: IO) => number) | undefined {
    const vfs = this.sys.vfs;
    switch (name) {
      case 'cd':
        return (proc, args, io) => {
          let target = args[0] ?? proc.env.get('HOME') ?? proc.user.home;
          if (target === '-') {
            target = proc.env.get('OLDPWD') ?? proc.cwd;
            io.out.write(target + '\n');
          }
          const path = resolvePath(proc.cwd, target);
          try {
            const st = vfs.stat(proc.cred, path);
            if (st.type !== 'dir') throw new FsError('ENOTDIR', path);
            if (!vfs.access(proc.cred, path, X)) throw new FsError('EACCES', path);
          } catch (e) {
            if (isFsError(e)) {
              io.err.write(`${this.errPrefix()}cd: ${target}: ${e.text}\n`);
              return 1;
            }
            throw e;
          }
          proc.env.set('OLDPWD', proc.cwd);
          proc.cwd = path;
          proc.env.set('PWD', path);
          return 0;
        };
      case 'exit':
      case 'logout':
        return (_proc, args) => {
          throw new ExitSignal(args[0] !== undefined ? Number(args[0]) & 255 : this.status);
        };
      case 'export':
        return (proc, args, io) => {
          if (!args.length || args[0] === '-p') {
            for (const [k, v] of [...proc.env].sort()) io.out.write(`declare -x ${k}="${v}"\n`);
            return 0;
          }
          for (const a of args) {
            const i = a.indexOf('=');
            if (i > 0) proc.env.set(a.slice(0, i), a.slice(i + 1));
          }
          return 0;
        };
      case 'unset':
        return (proc, args) => {
          for (const a of args) proc.env.delete(a);
          return 0;
        };
      case 'umask':
        return (proc, args, io) => {
          if (!args.length) {
            io.out.write(proc.umask.toString(8).padStart(4, '0') + '\n');
            return 0;
          }
          if (!/^[0-7]{1,4}$/.test(args[0]!)) {
            io.err.write(`${this.errPrefix()}umask: ${args[0]}: octal number out of range\n`);
            return 1;
          }
          proc.umask = parseInt(args[0]!, 8) & 0o777;
          return 0;
        };
      default:
        return undefined;
    }
  }
}

export { R, W, X };
