// The session's pseudo-terminal as the guest sees it: its size (the client's
// pty-req, then each window-change) and who owns the keyboard. Normally the
// line discipline (the shell's line editor, a command's canonical stdin) reads
// what the client types; a full-screen program (vi, nano, less) takes the
// keyboard in raw mode with `raw()` and gets every byte and every resize until
// it releases it. The SSH session (ssh/sessions.ts) feeds `input()` and `resize()`.
import type { Input } from '../shell/streams.js';
import type { KeyboardEvent, RawKeyboard, Terminal } from '../shell/types.js';

/** What one keyboard may queue before older input is dropped (a paste bigger than this is cut). */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

class Keyboard implements RawKeyboard {
  private readonly queue: KeyboardEvent[] = [];
  private queued = 0;
  private waiter: (() => void) | undefined;
  closed = false;

  constructor(private readonly onRelease: (k: Keyboard) => void) {}

  push(e: KeyboardEvent): void {
    if (e.t === 'data') {
      this.queued += e.data.length;
      while (this.queued > MAX_QUEUED_BYTES && this.queue.length) {
        const old = this.queue.shift()!;
        if (old.t === 'data') this.queued -= old.data.length;
      }
    } else if (this.queue.some((q) => q.t === 'resize')) return;
    this.queue.push(e);
    this.wake();
  }

  wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  async next(signal: AbortSignal): Promise<KeyboardEvent | null> {
    for (;;) {
      if (this.closed || signal.aborted) return null;
      const e = this.queue.shift();
      if (e) {
        if (e.t === 'data') this.queued -= e.data.length;
        return e;
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener('abort', done);
          resolve();
        };
        this.waiter = done;
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }

  release(): void {
    if (this.closed) return;
    this.closed = true;
    this.wake();
    this.onRelease(this);
  }
}

export class Pty implements Terminal {
  private cols: number;
  private rows: number;
  private owner: Keyboard | undefined;
  /** Set by the line discipline: takes what was typed ahead, so a program started from a line gets the keys after it. */
  typeahead: () => string = () => '';
  /** Set by the line discipline: the Input a command reads when its stdin is this terminal. */
  stdin: Input | undefined;

  constructor(size: { cols: number; rows: number }) {
    this.cols = sane(size.cols, 80);
    this.rows = sane(size.rows, 24);
  }

  size(): { cols: number; rows: number } {
    return { cols: this.cols, rows: this.rows };
  }

  /** A window-change request (SIGWINCH for the program that owns the keyboard). */
  resize(cols: number, rows: number): void {
    this.cols = sane(cols, this.cols);
    this.rows = sane(rows, this.rows);
    this.owner?.push({ t: 'resize' });
  }

  /** Bytes from the client: true when a program in raw mode took them (the line discipline must not see them). */
  input(data: string): boolean {
    if (!this.owner) return false;
    this.owner.push({ t: 'data', data });
    return true;
  }

  isStdin(input: Input): boolean {
    return this.stdin !== undefined && input === this.stdin;
  }

  /** Whether a program holds the keyboard in raw mode. */
  get isRaw(): boolean {
    return this.owner !== undefined;
  }

  raw(): RawKeyboard {
    // one owner at a time: a program started from another (less's `v`) takes it over
    this.owner?.release();
    const k = new Keyboard((released) => {
      if (this.owner === released) this.owner = undefined;
    });
    this.owner = k;
    const ahead = this.typeahead();
    if (ahead) k.push({ t: 'data', data: ahead });
    return k;
  }

  /** The session ended: whoever waits for keys gets null. */
  close(): void {
    this.owner?.release();
  }
}

/** A terminal size as clients send it: 0 (unknown) or absurd values keep the previous one. */
function sane(n: number, fallback: number): number {
  return Number.isInteger(n) && n >= 2 && n <= 1000 ? n : fallback;
}
