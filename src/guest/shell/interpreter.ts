// Runs parsed scripts over the simulated system. The interpreter is async
// and cooperative: every command and loop iteration passes through
// `Run.tick()`, which yields to the event loop after a few milliseconds of
// work and enforces the CPU budget, so no guest loop can stall the server.
// Pipelines run their stages concurrently over in-memory pipes (a reader
// that quits gives its writer EPIPE, as `yes | head -1` needs).
import { LinearRegExp, RegexBudgetError } from '../../domain/regex/index.js';
import { trimEndOf } from '../../domain/trim.js';
import { FsError, isFsError } from '../fs/errors.js';
import { X, resolvePath } from '../fs/vfs.js';
import type { PasswdEntry } from '../users.js';
import { ArithError, type ArithVars, evaluate } from './arith.js';
import type { Command as Ast, CondExpr, List, Pipeline, Redirect, SimpleCommand, Word } from './ast.js';
import { BUILTINS, type Builtin, type ShellApi } from './builtins.js';
import { commandsFor } from './commands/index.js';
import { posixToJs } from './commands/text.js';
import { fileTest } from './conditions.js';
import { ExpansionError, Expander } from './expand.js';
import { ParseError, arithmeticWord, parseScript, subscriptAssignment } from './parser.js';
import { matchPattern } from './pattern.js';
import { ShellProcess, arrayKeys } from './process.js';
import { DEFAULT_SHELL_LIMITS, Killed, checkScriptSize, LoopSignal, ReturnSignal, Run, type ShellLimits } from './run.js';
import { resolveProgram, type Program } from './programs.js';
import { BrokenPipe, BufferSink, Input, InputTooLarge, NULL_SINK, Pipe } from './streams.js';
import { type Command, type CommandContext, ExitSignal, type GuestSystem, type IO, LimitError, type Proc, type Runtime, type Sink } from './types.js';

export interface ShellSessionOptions {
  sys: GuestSystem;
  proc: Proc;
  io: IO;
  interactive: boolean;
  limits?: Partial<ShellLimits>;
  commands?: Record<string, Command>;
}

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

/** Where a simple command's name leads. */
type Resolved = { kind: 'function'; body: Ast } | { kind: 'builtin'; fn: Builtin } | { kind: 'program'; program: Program };

/**
 * One shell session: `run()` runs a command line (interactive) or a whole
 * script (exec) in the session's top process; `frames` are the nested
 * shells of `su -` / `sudo -i` in an interactive session.
 */
export class Shell implements ShellApi {
  readonly frames: ShellProcess[];
  status = 0;
  ended = false;
  readonly sys: GuestSystem;
  readonly io: IO;
  readonly interactive: boolean;
  readonly limits: ShellLimits;
  readonly commands: Record<string, Command>;
  readonly expander: Expander;
  private current: Run | undefined;

  constructor(o: ShellSessionOptions) {
    this.sys = o.sys;
    this.io = o.io;
    this.interactive = o.interactive;
    this.limits = { ...DEFAULT_SHELL_LIMITS, ...o.limits };
    this.commands = o.commands ?? commandsFor(o.sys.prompt);
    const top = new ShellProcess(o.proc, o.interactive && o.proc.login ? '-bash' : 'bash');
    this.frames = [top];
    this.expander = new Expander({
      sys: this.sys,
      substitute: (sp, src) => this.substitute(sp, src, this.run0()),
      arithmetic: async (sp, src) => this.arith(sp, src),
      special: (sp, name) => this.dynamicVariable(sp, name),
      assign: (sp, name, value) => this.assign(sp, name, value),
      assignElement: (sp, name, key, value) => this.assignElement(sp, name, key, value),
    });
  }

  get top(): ShellProcess {
    return this.frames[this.frames.length - 1]!;
  }

  get proc(): Proc {
    return this.top.proc;
  }

  /** The Run of the command line in progress (expansions started from it share its budgets). */
  private run0(): Run {
    if (!this.current) this.current = new Run(this.limits);
    return this.current;
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

  /** Stop the command line in progress, as a signal would (Ctrl-C: 130, hang-up: 129). */
  interrupt(status = 130, message = ''): void {
    this.current?.kill(new Killed(status, message));
  }

  /** The prefix of error messages: "-bash: " interactively, "bash: line 3: " in scripts. */
  errPrefix(sp: ShellProcess): string {
    if (this.interactive && !sp.subshell && sp === this.top) return `${sp.arg0.replace(/^-/, '-')}: `;
    return `${sp.arg0.replace(/^-/, '')}: line ${sp.lineno}: `;
  }

  /** Run one command line (interactive) or script (exec). Returns its exit status. */
  async run(src: string): Promise<number> {
    const run = new Run(this.limits);
    this.current = run;
    const io = this.guardIO(this.io, run);
    const timer = setTimeout(() => run.kill(new Killed(137, 'Killed')), this.limits.maxCommandMs);
    // a person typing into a full-screen program (vi, less) is not a runaway command
    run.onActivity = () => timer.refresh();
    try {
      const sp = this.top;
      this.status = await this.runScriptText(sp, src, io, run, { topLevel: true });
    } finally {
      clearTimeout(timer);
      if (this.current === run) this.current = undefined;
      // background jobs outlive their command line, not the session (close() ends them)
      if (run.root.runningJobs > 0) this.withJobs.add(run);
    }
    return this.status;
  }

  /** The session ended: background jobs still running get SIGHUP. */
  close(): void {
    this.current?.kill(new Killed(129, ''));
    for (const r of this.withJobs) r.kill(new Killed(129, ''));
    this.withJobs.clear();
  }

  private readonly withJobs = new Set<Run>();

  private guardIO(io: IO, run: Run): IO {
    const guard = (s: Sink): Sink => ({
      write: (d) => {
        if (run.signal.aborted) return;
        run.outputLeft -= typeof d === 'string' ? Buffer.byteLength(d) : d.length;
        if (run.outputLeft < 0) {
          run.kill(new Killed(153, 'Output limit exceeded'));
          run.check();
        }
        s.write(d);
      },
      drain: s.drain ? () => s.drain!() : undefined,
    });
    return { input: io.input, out: guard(io.out), err: guard(io.err), tty: io.tty };
  }

  /**
   * Parse and run a script in `sp`. The top level of a session reports syntax
   * errors and signals; an `exit` ends the process and runs its EXIT trap.
   */
  async runScriptText(sp: ShellProcess, src: string, io: IO, run: Run, o: { topLevel?: boolean; depth?: number } = {}): Promise<number> {
    let status = sp.status;
    try {
      try {
        checkScriptSize(src, this.limits);
        const parsed = parseScript(src);
        for (const item of parsed.commands) {
          status = await this.runListItem(sp, item, io, run, o.depth ?? 0);
          sp.status = status;
        }
        if (parsed.error) {
          status = this.syntaxError(sp, parsed.error, src, io);
          sp.status = status;
          if (!this.interactive || sp !== this.top) throw new ExitSignal(status);
        }
      } catch (e) {
        if (e instanceof ReturnSignal) {
          status = 2;
          sp.status = status;
          io.err.write(`${this.errPrefix(sp)}return: can only \`return' from a function or sourced script\n`);
        } else if (e instanceof LoopSignal) {
          status = 0;
        } else throw e;
      }
    } catch (e) {
      if (e instanceof ExitSignal) {
        status = e.code;
        sp.status = status;
        if (o.topLevel) {
          if (this.interactive && this.frames.length > 1) {
            const f = this.frames.pop()!;
            await this.runExitTrap(f, io, run);
            if (f.proc.login) io.out.write('logout\n');
            this.top.status = status;
            return status;
          }
          await this.runExitTrap(sp, io, run);
          if (this.interactive && sp.proc.login) io.out.write('logout\n');
          this.ended = true;
        }
        return status;
      }
      if (e instanceof Killed) {
        if (!o.topLevel) throw e;
        // the guarded streams are closed once the command line is killed: report on the session's own
        if (e.message) this.io.err.write(this.io.tty ? `${e.message}\n` : `${this.errPrefix(sp)}${e.message}\n`);
        else if (this.io.tty && e.status === 130) this.io.out.write('^C\n');
        sp.status = e.status;
        if (!this.interactive) this.ended = true;
        return e.status;
      }
      if (e instanceof BrokenPipe) {
        sp.status = 141;
        return 141;
      }
      throw e;
    }
    if (o.topLevel && !this.interactive) await this.runExitTrap(sp, io, run);
    return status;
  }

  private syntaxError(sp: ShellProcess, e: ParseError, src: string, io: IO): number {
    sp.lineno = e.line;
    const prefix = this.interactive && sp === this.top ? `${sp.arg0}: ` : `${sp.arg0.replace(/^-/, '')}: ${sp.arg0 === 'bash' || sp.arg0 === 'sh' ? '-c: ' : ''}line ${e.line}: `;
    io.err.write(`${prefix}${e.message}\n`);
    if (!e.incomplete) {
      const line = src.split('\n')[e.line - 1] ?? '';
      io.err.write(`${prefix}\`${line}'\n`);
    }
    return 2;
  }

  async runExitTrap(sp: ShellProcess, io: IO, run: Run): Promise<void> {
    const action = sp.traps.get('EXIT');
    if (!action) return;
    sp.traps.delete('EXIT');
    const saved = sp.status;
    try {
      await this.runScriptText(sp, action, io, run);
    } catch (e) {
      if (!(e instanceof ExitSignal)) throw e;
    }
    sp.status = saved;
  }

  // ---- lists and compound commands ------------------------------------------------------

  private async runListItem(sp: ShellProcess, item: List['items'][number], io: IO, run: Run, depth: number): Promise<number> {
    if (!item.background) return this.runAndOr(sp, item.command, io, run, depth, false);
    // `cmd &`: runs concurrently in a subshell; `wait` collects it
    if (run.root.runningJobs >= this.limits.maxBackgroundJobs) {
      io.err.write(`${this.errPrefix(sp)}fork: Resource temporarily unavailable\n`);
      return 254;
    }
    const child = sp.fork();
    const pid = child.pid + run.background.length + 1;
    sp.lastBackgroundPid = pid;
    const bgIO: IO = { ...io, input: Input.empty() };
    run.root.runningJobs++;
    const job = this.runAndOr(child, item.command, bgIO, run, depth + 1, false)
      .catch((e) => {
        if (e instanceof ExitSignal || e instanceof Killed || e instanceof BrokenPipe) return;
        throw e;
      })
      .finally(() => run.root.runningJobs--);
    run.background.push(job);
    return 0;
  }

  async runList(sp: ShellProcess, list: List, io: IO, run: Run, depth: number, condition = false): Promise<number> {
    let status = sp.status;
    for (const item of list.items) {
      status = item.background ? await this.runListItem(sp, item, io, run, depth) : await this.runAndOr(sp, item.command, io, run, depth, condition);
      sp.status = status;
    }
    return status;
  }

  private async runAndOr(sp: ShellProcess, node: import('./ast.js').AndOr, io: IO, run: Run, depth: number, condition: boolean): Promise<number> {
    const last = node.rest.length;
    let status = await this.runPipeline(sp, node.first, io, run, depth, condition || last > 0);
    let ranLast = last === 0;
    for (let k = 0; k < node.rest.length; k++) {
      const r = node.rest[k]!;
      sp.status = status;
      if ((r.op === '&&') === (status === 0)) {
        const isLast = k === last - 1;
        status = await this.runPipeline(sp, r.pipeline, io, run, depth, condition || !isLast);
        ranLast = isLast;
      }
    }
    sp.status = status;
    if (status !== 0 && sp.options.errexit && !condition && ranLast && !(node.rest.length ? node.rest[last - 1]!.pipeline.negate : node.first.negate)) {
      throw new ExitSignal(status);
    }
    return status;
  }

  private async runPipeline(sp: ShellProcess, p: Pipeline, io: IO, run: Run, depth: number, condition: boolean): Promise<number> {
    await run.tick();
    let status: number;
    if (p.commands.length === 1) status = await this.runCommand(sp, p.commands[0]!, io, run, depth, condition || p.negate);
    else {
      const pipes = p.commands.slice(1).map(() => new Pipe());
      const statuses = await Promise.all(
        p.commands.map(async (c, k) => {
          const stageIO: IO = {
            input: k === 0 ? io.input : pipes[k - 1]!.input,
            out: k === p.commands.length - 1 ? io.out : pipes[k]!.writer,
            err: io.err,
            tty: io.tty && k === p.commands.length - 1,
          };
          const child = sp.fork();
          try {
            return await this.runCommand(child, c, stageIO, run, depth + 1, condition || p.negate);
          } catch (e) {
            if (e instanceof ExitSignal) return e.code;
            if (e instanceof BrokenPipe) return 141;
            throw e;
          } finally {
            if (k < pipes.length) pipes[k]!.closeWrite();
            if (k > 0) pipes[k - 1]!.closeRead();
          }
        }),
      );
      status = statuses[statuses.length - 1]!;
      if (sp.options.pipefail) status = [...statuses].reverse().find((s) => s !== 0) ?? 0;
      // without arrays, PIPESTATUS holds what ${PIPESTATUS} shows: the first stage's status
      sp.set('PIPESTATUS', String(statuses[0]));
    }
    return p.negate ? (status === 0 ? 1 : 0) : status;
  }

  /** Run one command of any kind; `condition` suppresses errexit (if/while conditions, && and || lists, !). */
  async runCommand(sp: ShellProcess, c: Ast, io: IO, run: Run, depth: number, condition = false): Promise<number> {
    if (depth > this.limits.maxDepth) throw new Killed(139, 'Segmentation fault (core dumped)');
    switch (c.type) {
      case 'simple':
        return this.runSimple(sp, c, io, run, depth, condition);
      case 'pipeline':
        return this.runPipeline(sp, c, io, run, depth, condition);
      case 'andor':
        return this.runAndOr(sp, c, io, run, depth, condition);
      case 'list':
        return this.runList(sp, c, io, run, depth, condition);
      case 'function':
        sp.functions.set(c.name, c.body);
        return 0;
      default:
        break;
    }
    sp.lineno = c.line;
    return this.withRedirects(sp, c.redirects, io, run, async (rio) => {
      try {
        return await this.runCompound(sp, c, rio, run, depth, condition);
      } catch (e) {
        return this.expansionFailed(sp, e, rio);
      }
    });
  }

  private async runCompound(sp: ShellProcess, c: Exclude<Ast, SimpleCommand | Pipeline | import('./ast.js').AndOr | List | import('./ast.js').FunctionDef>, rio: IO, run: Run, depth: number, condition: boolean): Promise<number> {
    {
      switch (c.type) {
        case 'group':
          return this.runList(sp, c.body, rio, run, depth, condition);
        case 'subshell': {
          const child = sp.fork();
          try {
            const s = await this.runList(child, c.body, { ...rio }, run, depth + 1, condition);
            await this.runExitTrap(child, rio, run);
            return s;
          } catch (e) {
            if (e instanceof ExitSignal) {
              await this.runExitTrap(child, rio, run);
              return e.code;
            }
            throw e;
          }
        }
        case 'if': {
          for (const clause of c.clauses) {
            if ((await this.runList(sp, clause.condition, rio, run, depth, true)) === 0) return this.runList(sp, clause.body, rio, run, depth, condition);
          }
          return c.elseBody ? this.runList(sp, c.elseBody, rio, run, depth, condition) : 0;
        }
        case 'while':
        case 'until': {
          let status = 0;
          for (;;) {
            await run.tick();
            sp.loopDepth++;
            let s: number;
            try {
              s = await this.runList(sp, c.condition, rio, run, depth, true);
            } finally {
              sp.loopDepth--;
            }
            if ((s === 0) !== (c.type === 'while')) break;
            const r = await this.loopBody(sp, c.body, rio, run, depth, condition);
            status = r.status;
            if (r.stop) break;
          }
          return status;
        }
        case 'for': {
          const items = c.items ? await this.expander.fields(sp, c.items) : [...sp.positional];
          let status = 0;
          for (const item of items) {
            await run.tick();
            this.assign(sp, c.variable, item);
            const r = await this.loopBody(sp, c.body, rio, run, depth, condition);
            status = r.status;
            if (r.stop) break;
          }
          return status;
        }
        case 'arith-for': {
          let status = 0;
          const ar = async (src: string) => this.arith(sp, await this.expander.string(sp, arithmeticWord(src)));
          await ar(c.init);
          for (;;) {
            await run.tick();
            if (c.test.trim() && (await ar(c.test)) === 0n) break;
            const r = await this.loopBody(sp, c.body, rio, run, depth, condition);
            status = r.status;
            if (r.stop) break;
            await ar(c.step);
          }
          return status;
        }
        case 'case': {
          const subject = await this.expander.string(sp, c.subject);
          for (let b = 0; b < c.branches.length; b++) {
            const branch = c.branches[b]!;
            let hit = false;
            for (const pw of branch.patterns) if (matchPattern(await this.expander.pattern(sp, pw), subject)) hit = true;
            if (!hit) continue;
            let status = await this.runList(sp, branch.body, rio, run, depth, condition);
            while (c.branches[b]!.fallThrough && b + 1 < c.branches.length) status = await this.runList(sp, c.branches[++b]!.body, rio, run, depth, condition);
            return status;
          }
          return 0;
        }
        case 'cond': {
          if (sp.options.xtrace) rio.err.write(`+ [[ … ]]\n`);
          try {
            return (await this.condition(sp, c.expr)) ? 0 : 1;
          } catch (e) {
            if (e instanceof ExpansionError) {
              rio.err.write(`${this.errPrefix(sp)}${e.message}\n`);
              return 2;
            }
            throw e;
          }
        }
        case 'arith': {
          try {
            const v = await this.arith(sp, await this.expander.string(sp, arithmeticWord(c.source)));
            return v === 0n ? 1 : 0;
          } catch (e) {
            if (e instanceof ArithError) {
              rio.err.write(`${this.errPrefix(sp)}${e.message}\n`);
              return 1;
            }
            throw e;
          }
        }
      }
    }
  }

  private async loopBody(sp: ShellProcess, body: List, io: IO, run: Run, depth: number, condition: boolean): Promise<{ status: number; stop: boolean }> {
    sp.loopDepth++;
    try {
      return { status: await this.runList(sp, body, io, run, depth, condition), stop: false };
    } catch (e) {
      if (e instanceof LoopSignal) {
        if (e.levels > 1) {
          e.levels--;
          throw e;
        }
        return { status: 0, stop: e.kind === 'break' };
      }
      throw e;
    } finally {
      sp.loopDepth--;
    }
  }

  private async condition(sp: ShellProcess, e: CondExpr): Promise<boolean> {
    switch (e.op) {
      case 'and':
        return (await this.condition(sp, e.left)) && this.condition(sp, e.right);
      case 'or':
        return (await this.condition(sp, e.left)) || this.condition(sp, e.right);
      case 'not':
        return !(await this.condition(sp, e.operand));
      case 'word':
        return (await this.expander.string(sp, e.operand)) !== '';
      case 'unary': {
        const v = await this.expander.string(sp, e.operand);
        if (e.test === '-v') return this.isSet(sp, v);
        if (e.test === '-z') return v === '';
        if (e.test === '-n') return v !== '';
        if (e.test === '-o') return (sp.options as unknown as Record<string, boolean>)[v] === true;
        return fileTest(this.sys, sp.proc, e.test, v, this.io.tty);
      }
      case 'binary': {
        const left = await this.expander.string(sp, e.left);
        switch (e.test) {
          case '==':
          case '=':
            return matchPattern(await this.expander.pattern(sp, e.right), left);
          case '!=':
            return !matchPattern(await this.expander.pattern(sp, e.right), left);
          case '=~': {
            const re = await this.expander.string(sp, e.right);
            let m: RegExpExecArray | null;
            try {
              // POSIX ERE, leftmost-longest, on the linear-time engine
              m = new LinearRegExp(posixToJs(re, true), 'L').exec(left);
            } catch (err) {
              if (err instanceof RegexBudgetError) this.io.err.write(`bash: ${err.message}\n`);
              return false;
            }
            // BASH_REMATCH: the match and its groups (an unmatched group is empty), cleared on failure
            sp.unset('BASH_REMATCH');
            if (m) sp.arrays.set('BASH_REMATCH', { assoc: false, items: new Map([...m].map((g, k) => [String(k), g ?? ''])) });
            else sp.arrays.set('BASH_REMATCH', { assoc: false, items: new Map() });
            return !!m;
          }
          case '<':
            return left < (await this.expander.string(sp, e.right));
          case '>':
            return left > (await this.expander.string(sp, e.right));
          default: {
            const right = await this.expander.string(sp, e.right);
            if (['-nt', '-ot', '-ef'].includes(e.test)) return fileTest(this.sys, sp.proc, e.test, left, this.io.tty, right);
            const a = await this.arith(sp, left);
            const b = await this.arith(sp, right);
            return { '-eq': a === b, '-ne': a !== b, '-lt': a < b, '-le': a <= b, '-gt': a > b, '-ge': a >= b }[e.test] ?? false;
          }
        }
      }
    }
  }

  arith(sp: ShellProcess, src: string): bigint {
    const vars: ArithVars = {
      get: (n) => {
        const el = this.arithElement(sp, n, vars);
        if (!el) return sp.get(n) ?? this.dynamicVariable(sp, n);
        const a = sp.arrays.get(el.name);
        return a ? a.items.get(el.key) : el.key === '0' ? sp.get(el.name) : undefined;
      },
      set: (n, v) => {
        const el = this.arithElement(sp, n, vars);
        if (el) this.assignElement(sp, el.name, el.key, v);
        else this.assign(sp, n, v);
      },
    };
    return evaluate(src, vars);
  }

  /** `a[sub]` inside arithmetic: the array and the key (an associative key as written, an index evaluated). */
  private arithElement(sp: ShellProcess, n: string, vars: ArithVars): { name: string; key: string } | undefined {
    const open = n.indexOf('[');
    if (open < 0) return undefined;
    const name = n.slice(0, open);
    const sub = n.slice(open + 1, -1);
    const a = sp.arrays.get(name);
    if (a?.assoc) return { name, key: sub };
    let i = evaluate(sub.trim() === '' ? '0' : sub, vars);
    if (i < 0n) {
      const keys = a ? arrayKeys(a) : [];
      i += keys.length ? BigInt(keys[keys.length - 1]!) + 1n : 0n;
      if (i < 0n) throw new ArithError(`${name}: bad array subscript`);
    }
    return { name, key: String(i) };
  }

  /** [[ -v name ]] / [[ -v a[sub] ]]: whether the variable or element is set. */
  private isSet(sp: ShellProcess, v: string): boolean {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\[(.*)\]$/s.exec(v);
    if (!m) return sp.get(v) !== undefined;
    const a = sp.arrays.get(m[1]!);
    if (m[2] === '@' || m[2] === '*') return a ? a.items.size > 0 : sp.get(m[1]!) !== undefined;
    if (!a) return m[2]!.trim() === '0' && sp.get(m[1]!) !== undefined;
    try {
      return a.items.has(a.assoc ? m[2]! : this.elementIndex(sp, m[1]!, m[2]!));
    } catch {
      return false;
    }
  }

  /** The key of an indexed array's subscript: arithmetic, negative counting from the end. */
  elementIndex(sp: ShellProcess, name: string, sub: string): string {
    return this.arithElement(sp, `${name}[${sub}]`, { get: (n) => sp.get(n) ?? this.dynamicVariable(sp, n), set: (n, v) => this.assign(sp, n, v) })!.key;
  }

  /** a[key]=value: makes `name` an indexed array if it is not an array yet. */
  assignElement(sp: ShellProcess, name: string, key: string, value: string): void {
    if (sp.readonly.has(name)) throw new ExpansionError(`${name}: readonly variable`);
    this.checkSize(sp, value);
    const a = sp.array(name, { assoc: false })!;
    a.items.set(key, value);
    if (!a.assoc && a.next !== undefined && Number(key) >= a.next) a.next = Number(key) + 1;
    this.checkArrays(sp);
  }

  private arrayWrites = 0;

  /** Arrays grow an element at a time: every few thousand writes, the shell's whole memory is counted against its limit. */
  private checkArrays(sp: ShellProcess, writes = 1): void {
    this.arrayWrites += writes;
    if (this.arrayWrites < 4096) return;
    this.arrayWrites = 0;
    let total = 0;
    for (const v of sp.proc.env.values()) total += v.length;
    for (const a of sp.arrays.values()) for (const [k, v] of a.items) total += k.length + v.length + 16;
    if (total > this.limits.maxShellMemoryBytes) throw new Killed(2, `xmalloc: cannot allocate ${total} bytes`);
  }

  /** name=(…) / name+=(…): `[k]=v` elements set a key, others take the next index (or pair up, for an associative array). */
  async assignArray(sp: ShellProcess, name: string, append: boolean, elements: Word[]): Promise<void> {
    if (sp.readonly.has(name)) throw new ExpansionError(`${name}: readonly variable`);
    const old = append ? sp.array(name, { assoc: false }) : sp.arrays.get(name);
    const assoc = old?.assoc ?? false;
    // appending adds to the array in place (a+=(x) in a loop must not copy the array each time)
    const items = append && old ? old.items : new Map<string, string>();
    let next = 0n;
    if (!assoc && append && old) {
      if (old.next === undefined) {
        let top = -1;
        for (const k of items.keys()) if (Number(k) > top) top = Number(k);
        old.next = top + 1;
      }
      next = BigInt(old.next);
    }
    let top = next;
    let pendingKey: string | undefined;
    for (const el of elements) {
      const first = el[0];
      const keyed = first && first.kind === 'literal' && !first.quoted && first.text.startsWith('[') ? subscriptAssignment([{ ...first, text: `x${first.text}` }, ...el.slice(1)]) : undefined;
      if (keyed) {
        const keyText = await this.expander.string(sp, keyed.index ?? []);
        const v = await this.expander.string(sp, keyed.value, true);
        let key: string;
        if (assoc) key = keyText;
        else {
          const n = this.arith(sp, keyText === '' ? '0' : keyText);
          if (n < 0n) throw new ExpansionError(`${name}[${keyText}]: bad array subscript`);
          key = String(n);
          next = n + 1n;
          if (next > top) top = next;
        }
        this.checkSize(sp, v);
        items.set(key, keyed.append ? (items.get(key) ?? '') + v : v);
        continue;
      }
      for (const v of await this.expander.fields(sp, [el])) {
        this.checkSize(sp, v);
        if (!assoc) {
          items.set(String(next++), v);
          if (next > top) top = next;
        }
        else if (pendingKey === undefined) pendingKey = v;
        else {
          items.set(pendingKey, v);
          pendingKey = undefined;
        }
      }
    }
    if (pendingKey !== undefined) items.set(pendingKey, '');
    sp.proc.env.delete(name);
    sp.arrays.set(name, { assoc, items, ...(assoc ? {} : { next: Number(top) }) });
    this.checkArrays(sp, elements.length || 1);
  }

  private checkSize(sp: ShellProcess, value: string): void {
    if (value.length > this.limits.maxVariableBytes) throw new Killed(2, `xmalloc: cannot allocate ${value.length + 1} bytes`);
    if (value.length > 64 * 1024) {
      // big values are rare: count the whole shell's variables then
      let total = value.length;
      for (const v of sp.proc.env.values()) total += v.length;
      for (const a of sp.arrays.values()) for (const v of a.items.values()) total += v.length;
      if (total > this.limits.maxShellMemoryBytes) throw new Killed(2, `xmalloc: cannot allocate ${value.length + 1} bytes`);
    }
  }

  /** Set a shell variable (readonly and size checked). */
  assign(sp: ShellProcess, name: string, value: string): void {
    if (sp.readonly.has(name)) throw new ExpansionError(`${name}: readonly variable`);
    this.checkSize(sp, value);
    if (name === 'PWD') return void sp.proc.env.set(name, value);
    sp.set(name, value);
  }

  dynamicVariable(sp: ShellProcess, name: string): string | undefined {
    switch (name) {
      case 'PWD':
        return sp.proc.cwd;
      case 'UID':
      case 'EUID':
        return String(sp.proc.cred.uid);
      case 'PPID':
        return '1';
      case 'RANDOM':
        return String(Math.floor(Math.random() * 32768));
      case 'LINENO':
        return String(sp.lineno);
      case 'SECONDS':
        return String(Math.floor(process.uptime()));
      case 'SHLVL':
        return '1';
      case 'BASH_VERSION':
        return '5.2.15(1)-release';
      case 'HOSTNAME':
        return this.sys.hostname();
      case 'OSTYPE':
        return 'linux-gnu';
      case 'IFS':
        return undefined;
      default:
        return undefined;
    }
  }

  /** $(…): runs in a subshell, output captured with trailing newlines removed. */
  async substitute(sp: ShellProcess, src: string, run: Run, depth = 0): Promise<string> {
    const child = sp.fork();
    const out = new BufferSink(this.limits.maxVariableBytes);
    const io: IO = { input: Input.empty(), out, err: this.currentErr ?? this.io.err, tty: false };
    try {
      child.status = await this.runScriptText(child, src, io, run, { depth: depth + 1 });
      await this.runExitTrap(child, io, run);
    } catch (e) {
      if (e instanceof RangeError) throw new Killed(2, `xmalloc: cannot allocate ${out.size} bytes`);
      if (!(e instanceof ExitSignal)) throw e;
      child.status = e.code;
    }
    sp.status = child.status;
    this.lastSubstitutionStatus = child.status;
    return trimEndOf(out.text(), '\n');
  }

  private currentErr: Sink | undefined;
  private lastSubstitutionStatus: number | undefined;

  // ---- simple commands ----------------------------------------------------------------

  private async runSimple(sp: ShellProcess, cmd: SimpleCommand, io: IO, run: Run, depth: number, condition = false): Promise<number> {
    run.check();
    sp.lineno = cmd.line;
    this.currentErr = io.err;
    this.lastSubstitutionStatus = undefined;
    let argv: string[];
    const assigns: [string, string][] = [];
    const compound: { name: string; append: boolean; elements: Word[] }[] = [];
    try {
      argv = await this.expandArgs(sp, cmd.words, cmd.wordArrays, compound);
      for (const a of cmd.assignments) {
        if (a.array) {
          // arrays are assigned at once, in order (also before a command: bash keeps them too)
          await this.assignArray(sp, a.name, a.append, a.array);
          continue;
        }
        const v = await this.expander.string(sp, a.value, true);
        if (a.index) {
          const sub = await this.expander.string(sp, a.index);
          const key = sp.arrays.get(a.name)?.assoc ? sub : this.elementIndex(sp, a.name, sub);
          const old = sp.arrays.get(a.name)?.items.get(key) ?? (key === '0' ? sp.get(a.name) : undefined) ?? '';
          this.assignElement(sp, a.name, key, a.append ? old + v : v);
          continue;
        }
        const value = a.append ? (sp.get(a.name) ?? '') + v : v;
        // without a command, each assignment is seen by the next (a=1 b=$a)
        if (!cmd.words.length) this.assign(sp, a.name, value);
        assigns.push([a.name, value]);
      }
    } catch (e) {
      return this.expansionFailed(sp, e, io);
    }
    if (sp.options.xtrace) {
      const shown = [...assigns.map(([k, v]) => `${k}=${quoteForTrace(v)}`), ...argv.map(quoteForTrace)];
      if (shown.length) io.err.write(`+ ${shown.join(' ')}\n`);
    }
    if (!argv.length) {
      try {
        for (const [k, v] of assigns) this.assign(sp, k, v);
      } catch (e) {
        return this.expansionFailed(sp, e, io);
      }
      const subStatus = this.lastSubstitutionStatus ?? 0;
      if (!cmd.redirects.length) return subStatus;
      // redirections alone: files are created/truncated; `exec` is not needed for that
      return this.withRedirects(sp, cmd.redirects, io, run, async () => subStatus);
    }
    const name = argv[0]!;
    if (name === 'exec' && argv.length === 1) {
      // `exec >file 2>&1`: the redirections stay for the rest of this process
      const r = await this.openRedirects(sp, cmd.redirects, io, run);
      if (!r) return 1;
      Object.assign(io, r.io);
      sp.closers.push(...r.closers);
      return 0;
    }
    const status = await this.withRedirects(sp, cmd.redirects, io, run, async (rio) => {
      const resolved = this.resolve(sp, name);
      if (resolved.kind === 'function') {
        return this.callFunction(sp, name, resolved.body, argv.slice(1), assigns, rio, run, depth, condition);
      }
      if (resolved.kind === 'builtin') {
        // assignments before a special builtin stay; before others they are temporary
        const saved = assigns.map(([k]) => [k, sp.get(k)] as const);
        for (const [k, v] of assigns) this.assign(sp, k, v);
        try {
          const st = await resolved.fn({ shell: this, sp, args: argv.slice(1), io: rio, run, depth, name });
          // declare/local name=(…): the builtin declared the name (local, -A), now the elements
          for (const c of compound) {
            try {
              await this.assignArray(sp, c.name, c.append, c.elements);
            } catch (e) {
              if (!(e instanceof ExpansionError || e instanceof ArithError)) throw e;
              rio.err.write(`${this.errPrefix(sp)}${name}: ${e.message}\n`);
              return 1;
            }
          }
          return st;
        } finally {
          if (!SPECIAL_BUILTINS.has(name)) for (const [k, v] of saved) v === undefined ? sp.unset(k) : sp.proc.env.set(k, v);
        }
      }
      const proc: Proc = { ...sp.proc, env: sp.environment(assigns) };
      return this.runProgram(proc, argv, rio, run, depth, resolved.program, sp);
    });
    // a writer into a pipe (or a slow client) waits for the reader, as a full pipe blocks
    await io.out.drain?.();
    return status;
  }

  /** argv; after export/local/declare/readonly, NAME=value words expand as assignments (no splitting), as in bash. */
  private async expandArgs(sp: ShellProcess, words: Word[], arrays?: Record<number, Word[]>, compound?: { name: string; append: boolean; elements: Word[] }[]): Promise<string[]> {
    const first = words[0];
    const name = first && first.length === 1 && first[0]!.kind === 'literal' && !first[0]!.quoted ? first[0]!.text : undefined;
    if (!name || !DECLARATION_BUILTINS.has(name)) return this.expander.fields(sp, words);
    const out: string[] = [];
    for (const [k, w] of words.entries()) {
      const elements = arrays?.[k];
      if (elements) {
        // `name=` before (…): the builtin gets the bare name, the elements are assigned after it ran
        const text = (w[0] as { text: string }).text;
        const append = text.endsWith('+=');
        out.push(text.slice(0, append ? -2 : -1));
        compound?.push({ name: text.slice(0, append ? -2 : -1), append, elements });
        continue;
      }
      const head = w[0];
      if (head && head.kind === 'literal' && !head.quoted && /^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(head.text)) out.push(await this.expander.string(sp, w, true));
      else out.push(...(await this.expander.fields(sp, [w])));
    }
    return out;
  }

  private expansionFailed(sp: ShellProcess, e: unknown, io: IO): number {
    if (e instanceof ExpansionError || e instanceof ArithError) {
      io.err.write(`${this.errPrefix(sp)}${e.message}\n`);
      // a non-interactive shell exits on an expansion error
      if (!this.interactive || sp !== this.top) throw new ExitSignal(e instanceof ExpansionError ? e.status : 1);
      return 1;
    }
    throw e;
  }

  resolve(sp: ShellProcess, name: string, opts: { functions?: boolean } = {}): Resolved {
    if (opts.functions !== false) {
      const f = sp.functions.get(name);
      if (f) return { kind: 'function', body: f };
    }
    const b = BUILTINS[name];
    if (b) return { kind: 'builtin', fn: b };
    return { kind: 'program', program: resolveProgram(this.sys, sp.proc, name, this.commands) };
  }

  private async callFunction(sp: ShellProcess, name: string, body: Ast, args: string[], assigns: [string, string][], io: IO, run: Run, depth: number, condition: boolean): Promise<number> {
    // bash has no default limit and dies of a stack overflow: so does this shell, at maxDepth
    if (depth + 1 > this.limits.maxDepth) throw new Killed(139, 'Segmentation fault (core dumped)');
    const savedPositional = sp.positional;
    sp.positional = args;
    sp.locals.push(new Map());
    for (const [k, v] of assigns) {
      sp.makeLocal(k);
      this.assign(sp, k, v);
    }
    try {
      sp.makeLocal('FUNCNAME');
      sp.proc.env.set('FUNCNAME', name);
      // a function called where errexit is ignored (if, &&, ||) ignores it in its body too
      return await this.runCommand(sp, body, io, run, depth + 1, condition);
    } catch (e) {
      if (e instanceof ReturnSignal) return e.code;
      throw e;
    } finally {
      sp.popLocals();
      sp.positional = savedPositional;
    }
  }

  // ---- programs -------------------------------------------------------------------------

  /** Run a resolved program (a guest command, a shell, a script through its shebang) as `proc`. */
  async runProgram(proc: Proc, argv: string[], io: IO, run: Run, depth: number, program: Program, from?: ShellProcess): Promise<number> {
    const name = argv[0]!;
    const prefix = from ? this.errPrefix(from) : `${name}: `;
    switch (program.kind) {
      case 'missing':
        io.err.write(`${prefix}${name}: ${name.includes('/') ? 'No such file or directory' : 'command not found'}\n`);
        return 127;
      case 'denied':
        io.err.write(`${prefix}${name}: Permission denied\n`);
        return 126;
      case 'directory':
        io.err.write(`${prefix}${name}: Is a directory\n`);
        return 126;
      case 'shell':
        return this.runShellProgram(proc, program.name, argv.slice(1), io, run, depth + 1);
      case 'script': {
        const interp = program.interpreter;
        // $0 is the path as invoked (./s.sh), or where PATH found it
        const scriptPath = name.includes('/') ? name : program.path;
        if (!interp) return this.runShellProgram(proc, 'bash', [scriptPath, ...argv.slice(1)], io, run, depth + 1);
        const [ipath, iarg] = interp;
        const next = [ipath, ...(iarg ? [iarg] : []), scriptPath, ...argv.slice(1)];
        const target = resolveProgram(this.sys, proc, ipath, this.commands);
        if (target.kind === 'missing' || target.kind === 'directory' || (target.kind === 'script' && !target.interpreter)) {
          io.err.write(`${prefix}${name}: ${ipath}: bad interpreter: No such file or directory\n`);
          return 126;
        }
        if (depth > this.limits.maxDepth) throw new Killed(139, 'Segmentation fault (core dumped)');
        return this.runProgram(proc, next, io, run, depth + 1, target);
      }
      case 'command': {
        await run.tick();
        const ctx: CommandContext = { name: program.name, args: argv.slice(1), proc, io, sys: this.sys, rt: this.runtime(run, depth) };
        try {
          const status = await program.command(ctx);
          // a command that returned because it was interrupted (sleep) ends with the signal
          run.check();
          return status;
        } catch (e) {
          if (isFsError(e)) {
            io.err.write(`${program.name}: ${e.path}: ${e.text}\n`);
            return 1;
          }
          if (e instanceof ExitSignal) return e.code;
          if (e instanceof InputTooLarge) {
            io.err.write(`${program.name}: memory exhausted\n`);
            return 2;
          }
          if (e instanceof LimitError) throw new Killed(1, e.message);
          if (e instanceof Killed || e instanceof BrokenPipe) throw e;
          if (e instanceof RegexBudgetError) {
            // a back-reference pattern past its step budget (docs/security.md): refused, not run for hours
            io.err.write(`${program.name}: ${e.message}\n`);
            return 2;
          }
          // a bug in a simulated command must not take the session (or the server) down
          io.err.write(`${program.name}: internal error\n`);
          return 1;
        }
      }
    }
  }

  /** bash / sh as a program: `-c cmd [name [args]]`, a script file, or the script on stdin (`-s`). */
  async runShellProgram(proc: Proc, shellName: string, args: string[], io: IO, run: Run, depth: number): Promise<number> {
    if (depth > this.limits.maxDepth) throw new Killed(139, 'Segmentation fault (core dumped)');
    const sp = new ShellProcess({ ...proc, env: new Map(proc.env) }, shellName);
    let command: string | undefined;
    let readStdin = false;
    let k = 0;
    for (; k < args.length; k++) {
      const a = args[k]!;
      if (a === '--') {
        k++;
        break;
      }
      if (a === '-c') {
        command = '';
        continue;
      }
      if (a === '-s') {
        readStdin = true;
        continue;
      }
      if (a === '-o' || a === '+o') {
        const opt = args[++k];
        if (opt && opt in sp.options) (sp.options as unknown as Record<string, boolean>)[opt] = a === '-o';
        continue;
      }
      if (/^--(login|noprofile|norc|posix|noediting)$/.test(a)) continue;
      if (/^[-+][a-zA-Z]+$/.test(a)) {
        for (const ch of a.slice(1)) {
          if (ch === 'c') command = '';
          else if (ch === 's') readStdin = true;
          else if (ch === 'e') sp.options.errexit = a[0] === '-';
          else if (ch === 'u') sp.options.nounset = a[0] === '-';
          else if (ch === 'x') sp.options.xtrace = a[0] === '-';
          else if (ch === 'f') sp.options.noglob = a[0] === '-';
          else if ('lirvnhBpPCaEHTk'.includes(ch)) continue;
          else {
            io.err.write(`${shellName}: -${ch}: invalid option\n`);
            return 2;
          }
        }
        continue;
      }
      break;
    }
    const rest = args.slice(k);
    let src: string;
    if (command !== undefined) {
      if (!rest.length) {
        io.err.write(`${shellName}: -c: option requires an argument\n`);
        return 2;
      }
      src = rest[0]!;
      if (rest.length > 1) sp.arg0 = rest[1]!;
      sp.positional = rest.slice(2);
    } else if (rest.length && !readStdin) {
      const path = resolvePath(proc.cwd, rest[0]!);
      try {
        src = this.sys.vfs.readFile(proc.cred, path).toString('utf8');
      } catch (e) {
        if (isFsError(e)) {
          io.err.write(`${shellName}: ${rest[0]}: ${e.code === 'EISDIR' ? 'Is a directory' : e.text}\n`);
          return e.code === 'ENOENT' ? 127 : 126;
        }
        throw e;
      }
      sp.arg0 = rest[0]!;
      sp.positional = rest.slice(1);
    } else {
      src = await this.readScript(io, run);
      sp.positional = rest;
    }
    let status: number;
    try {
      status = await this.runScriptText(sp, src, io, run, { depth });
    } catch (e) {
      if (e instanceof ExitSignal) status = e.code;
      else if (e instanceof Killed && !run.signal.aborted) {
        // this process died (stack overflow, out of memory); the shell that started it goes on
        io.err.write(`${e.message}\n`);
        status = e.status;
      } else throw e;
    }
    sp.status = status;
    await this.runExitTrap(sp, io, run);
    for (const c of sp.closers.splice(0)) c();
    return status;
  }

  private async readScript(io: IO, _run: Run): Promise<string> {
    try {
      return (await io.input.readAll(this.limits.maxScriptBytes)).toString('utf8');
    } catch (e) {
      if (e instanceof InputTooLarge) throw new Killed(2, 'xmalloc: cannot allocate memory');
      throw e;
    }
  }

  /** What commands (sudo, su, env, xargs, timeout…) may ask of the shell. */
  runtime(run: Run, depth: number): Runtime {
    const deeper = () => {
      if (depth + 1 > this.limits.maxDepth) throw new Killed(139, 'Segmentation fault (core dumped)');
      return depth + 1;
    };
    return {
      signal: run.signal,
      interactive: this.interactive,
      terminal: this.io.terminal,
      activity: () => run.root.onActivity?.(),
      tick: () => run.tick(),
      resumed: () => run.resumed(),
      hasCommand: (name, proc) => {
        const p = resolveProgram(this.sys, proc ?? this.proc, name, this.commands);
        return p.kind !== 'missing';
      },
      runArgv: async (proc, argv, io, opts = {}) => {
        const program = resolveProgram(this.sys, proc, argv[0]!, this.commands);
        if (opts.timeoutMs === undefined) return this.runProgram(proc, argv, io, run, deeper(), program);
        const sub = run.child();
        const expired = new Killed(124, '');
        const timer = setTimeout(() => sub.kill(expired), opts.timeoutMs);
        try {
          return await this.runProgram(proc, argv, io, sub, deeper(), program);
        } catch (e) {
          if (e === expired) return 124;
          throw e;
        } finally {
          clearTimeout(timer);
          run.resumed();
        }
      },
      runScript: (proc, script, io) => this.runShellProgram(proc, 'bash', ['-c', script], io, run, deeper()),
      enterShell: async (proc, io) => {
        if (this.interactive && depth <= 1) {
          this.frames.push(new ShellProcess(proc, proc.login ? '-bash' : 'bash'));
          return 0;
        }
        return this.runShellProgram(proc, 'bash', ['-s'], io, run, deeper());
      },
      procFor: (user, from, login) => newProc(this.sys, user, { login, from, tty: this.io.tty }),
    };
  }

  // ---- redirections ---------------------------------------------------------------------

  private async withRedirects(sp: ShellProcess, redirects: Redirect[], io: IO, run: Run, body: (io: IO) => Promise<number>): Promise<number> {
    if (!redirects.length) return body(io);
    const r = await this.openRedirects(sp, redirects, io, run);
    if (!r) return 1;
    try {
      return await body(r.io);
    } finally {
      for (const c of r.closers) {
        try {
          c();
        } catch (e) {
          // past the file size limit a process gets SIGXFSZ, as with RLIMIT_FSIZE
          if (isFsError(e) && e.code === 'EFBIG') throw new Killed(153, 'File size limit exceeded (core dumped)');
          if (isFsError(e)) io.err.write(`${this.errPrefix(sp)}${e.path}: ${e.text}\n`);
          else throw e;
        }
      }
    }
  }

  /** Open a command's redirections with the shell user's rights (so `sudo echo x > /root/f` fails). */
  private async openRedirects(sp: ShellProcess, redirects: Redirect[], io0: IO, _run: Run): Promise<{ io: IO; closers: (() => void)[] } | undefined> {
    const vfs = this.sys.vfs;
    const closers: (() => void)[] = [];
    let io: IO = { ...io0 };
    const setFd = (fd: number, value: Sink | Input) => {
      if (value instanceof Input) {
        if (fd === 0) io.input = value;
      } else if (fd === 1) io.out = value;
      else if (fd === 2) io.err = value;
      else if (fd === -1) io = { ...io, out: value, err: value };
    };
    for (const r of redirects) {
      let target: string;
      try {
        if (r.op === '<<') {
          setFd(r.fd, Input.of(await this.expander.string(sp, r.target)));
          continue;
        }
        target = await this.expander.string(sp, r.target);
      } catch (e) {
        this.expansionFailed(sp, e, io0);
        return undefined;
      }
      if (r.op === '<<<') {
        setFd(r.fd, Input.of(target + '\n'));
        continue;
      }
      if (r.op === '>&' || r.op === '<&') {
        if (target === '-') {
          if (r.fd === 0) io.input = Input.empty();
          else setFd(r.fd, NULL_SINK);
          continue;
        }
        if (/^[0-9]+$/.test(target)) {
          const n = Number(target);
          if (r.op === '<&' || r.fd === 0) {
            if (n === 0) continue;
          } else if (n === 1 || n === 2) {
            setFd(r.fd, n === 1 ? io.out : io.err);
            continue;
          }
          io0.err.write(`${this.errPrefix(sp)}${target}: Bad file descriptor\n`);
          return undefined;
        }
        if (r.fd !== 1 || r.op !== '>&') {
          io0.err.write(`${this.errPrefix(sp)}${target}: ambiguous redirect\n`);
          return undefined;
        }
        // >&file is &>file
      }
      if (target === '') {
        io0.err.write(`${this.errPrefix(sp)}: No such file or directory\n`);
        return undefined;
      }
      const path = resolvePath(sp.proc.cwd, target);
      const fd = r.op === '>&' ? -1 : r.fd;
      try {
        if (r.op === '<' || r.op === '<>') {
          if (path === '/dev/null') setFd(fd, Input.empty());
          else if (path === '/dev/zero' || path === '/dev/urandom' || path === '/dev/random') setFd(fd, Input.device(path));
          else if (path === '/dev/stdin') continue;
          else {
            const data = vfs.readFile(sp.proc.cred, path);
            setFd(fd, Input.of(data));
          }
          continue;
        }
        if (path === '/dev/null') {
          setFd(fd, NULL_SINK);
          continue;
        }
        if (path === '/dev/stderr' || path === '/dev/fd/2') {
          setFd(fd, io.err);
          continue;
        }
        if (path === '/dev/stdout' || path === '/dev/fd/1') {
          setFd(fd, io.out);
          continue;
        }
        if (path === '/dev/tty') {
          setFd(fd, this.io.out);
          continue;
        }
        const append = r.op === '>>';
        const exists = vfs.exists(sp.proc.cred, path);
        if (exists && sp.options.noclobber && r.op === '>') throw new FsError('EEXIST', path);
        if (!exists || !append) vfs.writeFile(sp.proc.cred, path, Buffer.alloc(0), { mode: 0o666 & ~sp.proc.umask });
        else {
          if (vfs.stat(sp.proc.cred, path).type === 'dir') throw new FsError('EISDIR', path);
          if (!vfs.access(sp.proc.cred, path, 2)) throw new FsError('EACCES', path);
        }
        const sink = new FileSink(this.sys, sp.proc.cred, path);
        closers.push(() => sink.close());
        setFd(fd, sink);
      } catch (e) {
        if (isFsError(e)) {
          const text = e.code === 'EEXIST' ? 'cannot overwrite existing file' : e.text;
          io0.err.write(`${this.errPrefix(sp)}${target}: ${text}\n`);
          for (const c of closers) c();
          return undefined;
        }
        throw e;
      }
    }
    return { io, closers };
  }
}

const DECLARATION_BUILTINS = new Set(['export', 'local', 'declare', 'typeset', 'readonly']);
const SPECIAL_BUILTINS = new Set([':', '.', 'source', 'break', 'continue', 'eval', 'exec', 'exit', 'export', 'readonly', 'return', 'set', 'shift', 'trap', 'unset', 'local', 'declare', 'typeset']);

/** Writes to a file, appended in batches (a loop of small writes does not copy the file each time). */
class FileSink implements Sink {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(
    private readonly sys: GuestSystem,
    private readonly cred: Proc['cred'],
    private readonly path: string,
  ) {}
  write(d: string | Buffer): void {
    const b = typeof d === 'string' ? Buffer.from(d) : d;
    this.chunks.push(b);
    this.size += b.length;
    if (this.size >= 256 * 1024) this.flush();
  }
  flush(): void {
    if (!this.chunks.length) return;
    const data = Buffer.concat(this.chunks);
    this.chunks = [];
    this.size = 0;
    this.sys.vfs.writeFile(this.cred, this.path, data, { append: true });
  }
  close(): void {
    this.flush();
  }
}

function quoteForTrace(s: string): string {
  if (s === '') return "''";
  return /[\s'"\\$`*?[\]{}()|&;<>!#~]/.test(s) ? `'${s.replace(/'/g, "'\\''")}'` : s;
}

export { DEFAULT_SHELL_LIMITS, Killed, LoopSignal, ReturnSignal, Run, X, type ShellLimits };
