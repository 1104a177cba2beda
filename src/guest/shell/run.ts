// What one command line runs under: its abort signal and budgets (CPU time,
// output), shared by everything it starts; and the non-error ways control
// leaves a command (a signal, `return`, `break`/`continue`).
import { setMaxListeners } from 'node:events';
export interface ShellLimits {
  /** Bytes one command line may write in total to the session (all streams). */
  maxOutputBytes: number;
  /** Wall-clock limit of one command line (a sleeping script counts too). */
  maxCommandMs: number;
  /** CPU time one command line may use (the time it runs between yields). */
  maxCpuMs: number;
  /** Work between two yields to the event loop. */
  sliceMs: number;
  /** Nesting of functions, subshells, $(…), eval, source and nested shells. */
  maxDepth: number;
  /** The largest value a variable (or a $(…) result) may hold. */
  maxVariableBytes: number;
  /** All variables of one shell together. */
  maxShellMemoryBytes: number;
  /** Background jobs (`cmd &`) running at once in one command line. */
  maxBackgroundJobs: number;
  /**
   * The largest script text parsed at once (a script file, `bash -c`, stdin, eval, source):
   * parsing is one synchronous step whose memory is ~100× the text.
   */
  maxScriptBytes: number;
}

export const DEFAULT_SHELL_LIMITS: ShellLimits = {
  maxOutputBytes: 64 * 1024 * 1024,
  maxCommandMs: 10 * 60_000,
  maxCpuMs: 20_000,
  sliceMs: 2,
  maxDepth: 200,
  maxVariableBytes: 8 * 1024 * 1024,
  maxShellMemoryBytes: 32 * 1024 * 1024,
  maxBackgroundJobs: 64,
  maxScriptBytes: 256 * 1024,
};

/** Refuses a script past maxScriptBytes as bash fails when it cannot allocate memory. */
export function checkScriptSize(src: string, limits: Pick<ShellLimits, 'maxScriptBytes'>): void {
  if (src.length > limits.maxScriptBytes) throw new Killed(2, `xmalloc: cannot allocate ${src.length + 1} bytes`);
}

/** A process ended by a signal (Ctrl-C, hang-up, a limit): unwinds to the command line. */
export class Killed extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** `return` from a function or a sourced file. */
export class ReturnSignal {
  constructor(readonly code: number) {}
}

/** `break` / `continue` with their level count. */
export class LoopSignal {
  constructor(
    readonly kind: 'break' | 'continue',
    public levels: number,
  ) {}
}

/**
 * The event loop's heartbeat: a timer that notes when the loop last got to run timers. A gap
 * in a command's work with no beat inside it was spent in one synchronous step — the command's
 * CPU, however long — while a gap with beats was (at least partly) waiting.
 */
const BEAT_MS = 20;
let lastBeat = performance.now();
let beating: NodeJS.Timeout | undefined;
function heartbeat(): void {
  if (beating) return;
  beating = setInterval(() => {
    lastBeat = performance.now();
  }, BEAT_MS);
  beating.unref();
}

/** What of a gap between two ticks counts as CPU: all of it when the loop never turned. */
export function chargeableMs(sliceStart: number, now: number, limits: Pick<ShellLimits, 'sliceMs'>, beat = lastBeat): number {
  const used = now - sliceStart;
  // a short gap is work (the loop could not have served a wait that short in between)
  if (used < limits.sliceMs * 10 + 50) return used;
  // no beat since the slice began: one synchronous step held the loop the whole time
  if (beat <= sliceStart) return used;
  // the loop turned, so part of the gap was a wait; what came after the last beat was work
  return Math.max(0, now - beat - BEAT_MS);
}

/** The budgets and the abort signal of one command line (shared by everything it starts). */
export class Run {
  readonly controller = new AbortController();
  cpuMs = 0;
  outputLeft: number;
  private sliceStart = performance.now();
  private killedWith: Killed | undefined;
  private readonly jobs: Promise<unknown>[] = [];
  /** Background jobs not finished yet (kept on the root). */
  runningJobs = 0;
  /** The command line's Run: budgets and background jobs are kept there. */
  readonly root: Run;
  /** Set on the root by the shell: restarts the command line's wall-clock limit (keys typed into a full-screen program). */
  onActivity?: () => void;

  constructor(
    readonly limits: ShellLimits,
    /** A child Run (what `timeout` starts) can be killed alone; killing the parent kills it too. */
    private readonly parent?: Run,
  ) {
    this.outputLeft = limits.maxOutputBytes;
    this.root = parent?.root ?? this;
    heartbeat();
    // many commands of one line may wait on it at once (background sleeps, timeouts)
    setMaxListeners(0, this.controller.signal);
    if (parent) {
      if (parent.signal.aborted) this.controller.abort(parent.signal.reason);
      else parent.signal.addEventListener('abort', () => this.controller.abort(parent.signal.reason), { once: true });
    }
  }

  child(): Run {
    return new Run(this.limits, this);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get background(): Promise<unknown>[] {
    return this.root.jobs;
  }

  kill(k: Killed): void {
    if (this.killedWith) return;
    this.killedWith = k;
    this.controller.abort(k);
  }

  /** The Killed this Run (or an ancestor) ended with, if any. */
  get killed(): Killed | undefined {
    return this.parent?.killed ?? this.killedWith;
  }

  check(): void {
    const k = this.killed;
    if (k) throw k;
  }

  /** Called at every step: yields after a slice of work and charges it to the CPU budget. */
  async tick(): Promise<void> {
    this.check();
    const root = this.root;
    const now = performance.now();
    const used = now - root.sliceStart;
    if (used < this.limits.sliceMs) return;
    // every step is charged, a long synchronous one included (chargeableMs)
    root.cpuMs += chargeableMs(root.sliceStart, now, this.limits);
    if (root.cpuMs > this.limits.maxCpuMs) root.kill(new Killed(152, 'CPU time limit exceeded'));
    this.check();
    // a busy guest gets at most about half of the event loop: it rests as long as it worked,
    // so the API and other instances run in between without queueing behind guest slices
    await new Promise<void>((resolve) => setTimeout(resolve, this.limits.sliceMs));
    root.sliceStart = performance.now();
    this.check();
  }

  /**
   * Mark the start of a new slice after waiting on a timer (sleep, timeout). Only for real waits:
   * called in a loop it would keep the loop from ever yielding.
   */
  resumed(): void {
    this.root.sliceStart = performance.now();
  }
}
