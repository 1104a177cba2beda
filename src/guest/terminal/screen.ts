// The full-screen plumbing every full-screen guest program (vi, nano, less)
// shares: take the keyboard in raw mode, switch to the alternate screen with
// bracketed paste, decode keys, redraw only the rows that changed, follow
// window changes, and give everything back when the program ends (even when
// it is killed or the client hangs up). A program only says what the screen
// holds (`frame`) and what a key does (`key`).
import type { CommandContext, KeyboardEvent, RawKeyboard, Sink } from '../shell/types.js';
import { charWidth, KeyDecoder, type Key } from './keys.js';

export interface Span {
  text: string;
  reverse?: boolean;
  bold?: boolean;
}

/** One screen row: spans of text without control characters. */
export type Row = Span[];

export interface Frame {
  rows: Row[];
  /** Where the cursor goes (0-based); hidden when absent. */
  cursor?: { row: number; col: number };
}

export interface Size {
  cols: number;
  rows: number;
}

export interface FullScreenProgram {
  /** The screen's contents at this size. */
  frame(size: Size): Frame;
  /** What a key does; the screen is redrawn after each read's keys. */
  key(k: Key, size: Size): void | Promise<void>;
  /** Set when the program is to end. */
  readonly done: boolean;
  /** The keyboard went away (hang-up, kill): the program ends. */
  hangup?(): void;
}

export interface FullScreenOptions {
  /** Use the alternate screen (vi, nano, less); the shell's screen comes back on exit. */
  altScreen: boolean;
  /** Ask the terminal to bracket pastes (vi, nano), so a pasted text is not typed as commands. */
  bracketedPaste: boolean;
}

/** The terminal's size, or 80x24 when there is none. */
export function terminalSize(ctx: CommandContext): Size {
  return ctx.rt.terminal?.size() ?? { cols: 80, rows: 24 };
}

/** The keyboard: the PTY in raw mode, or stdin's bytes when the session has no terminal. */
export function openKeyboard(ctx: CommandContext): RawKeyboard {
  const term = ctx.rt.terminal;
  if (term) return term.raw();
  let released = false;
  return {
    next: async (signal): Promise<KeyboardEvent | null> => {
      if (released || signal.aborted) return null;
      const b = await ctx.io.input.read();
      return b === null ? null : { t: 'data', data: b.toString('utf8') };
    },
    release: () => {
      released = true;
    },
  };
}

/** Text made safe for one screen row: control characters as ^X, cut to `cols` columns. */
export function fit(text: string, cols: number): string {
  let out = '';
  let w = 0;
  for (const ch of text) {
    const shown = ch < ' ' ? `^${String.fromCharCode(ch.charCodeAt(0) + 64)}` : ch === '\x7f' ? '^?' : ch;
    const cw = ch < ' ' || ch === '\x7f' ? 2 : charWidth(ch);
    if (w + cw > cols) break;
    out += shown;
    w += cw;
  }
  return out;
}

/** The display width of a string without control characters. */
export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch);
  return w;
}

export class Screen {
  private last: string[] = [];
  private lastSize: Size = { cols: 0, rows: 0 };

  constructor(private readonly out: Sink) {}

  open(o: FullScreenOptions): void {
    this.out.write((o.altScreen ? '\x1b[?1049h' : '') + (o.bracketedPaste ? '\x1b[?2004h' : '') + '\x1b[H\x1b[2J');
    this.last = [];
  }

  close(o: FullScreenOptions): void {
    this.out.write('\x1b[0m\x1b[?25h' + (o.bracketedPaste ? '\x1b[?2004l' : '') + (o.altScreen ? '\x1b[?1049l' : ''));
  }

  /** Forget what is on the screen: the next draw repaints every row (after a resize, ^L). */
  invalidate(): void {
    this.last = [];
  }

  draw(f: Frame, size: Size): void {
    let s = '';
    if (size.cols !== this.lastSize.cols || size.rows !== this.lastSize.rows || !this.last.length) {
      s += '\x1b[0m\x1b[H\x1b[2J';
      this.last = [];
      this.lastSize = size;
    }
    s += '\x1b[?25l';
    for (let r = 0; r < size.rows; r++) {
      const line = renderRow(f.rows[r] ?? [], size.cols);
      if (this.last[r] === line) continue;
      this.last[r] = line;
      s += `\x1b[${r + 1};1H${line}`;
    }
    if (f.cursor) {
      const row = Math.max(0, Math.min(size.rows - 1, f.cursor.row));
      const col = Math.max(0, Math.min(size.cols - 1, f.cursor.col));
      s += `\x1b[${row + 1};${col + 1}H\x1b[?25h`;
    }
    this.out.write(s);
  }
}

function renderRow(row: Row, cols: number): string {
  let s = '';
  let left = cols;
  for (const sp of row) {
    if (left <= 0) break;
    const t = fit(sp.text, left);
    left -= textWidth(t.replace(/\^./g, 'xx'));
    const style = (sp.reverse ? '\x1b[7m' : '') + (sp.bold ? '\x1b[1m' : '');
    s += style ? `${style}${t}\x1b[0m` : t;
  }
  // the rest of the row is cleared with default colours (a reverse bar pads itself)
  return left > 0 ? `${s}\x1b[K` : s;
}

/**
 * Run a full-screen program on the session's terminal until it is done. Keys typed count as
 * activity (the command line's wall-clock limit starts again). Returns when the program ends,
 * the client hangs up or the command is killed; the terminal is always given back.
 */
export async function runFullScreen(ctx: CommandContext, prog: FullScreenProgram, o: FullScreenOptions): Promise<void> {
  const keyboard = openKeyboard(ctx);
  const screen = new Screen(ctx.io.out);
  const decoder = new KeyDecoder();
  screen.open(o);
  try {
    let size = terminalSize(ctx);
    screen.draw(prog.frame(size), size);
    while (!prog.done) {
      await ctx.io.out.drain?.();
      const ev = await keyboard.next(ctx.rt.signal);
      ctx.rt.resumed();
      if (ev === null) {
        prog.hangup?.();
        return;
      }
      ctx.rt.activity();
      size = terminalSize(ctx);
      if (ev.t === 'resize') screen.invalidate();
      else {
        for (const k of decoder.feed(ev.data)) {
          await prog.key(k, size);
          if (prog.done) break;
          await ctx.rt.tick();
        }
      }
      if (!prog.done) screen.draw(prog.frame(size), size);
    }
  } finally {
    screen.close(o);
    keyboard.release();
  }
}
