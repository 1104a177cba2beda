// A small line editor for interactive sessions on a PTY: the remote side is
// in raw mode, so the guest echoes keystrokes itself. Supports insertion,
// backspace, left/right, home/end, history (up/down), Ctrl-A/E/U/W/K/L/C/D.
// Pure: feed it bytes, get back what to echo and what lines were entered.

export type EditorEvent =
  | { t: 'echo'; text: string }
  | { t: 'line'; text: string }
  | { t: 'interrupt' }
  | { t: 'eof' }
  | { t: 'clear' };

export class LineEditor {
  private buf: string[] = [];
  private cur = 0;
  private readonly history: string[] = [];
  private hpos = 0;
  private esc = '';
  private lastCR = false;

  constructor(private readonly maxLine = 64 * 1024) {}

  get line(): string {
    return this.buf.join('');
  }

  /** Remember an entered line for up/down. */
  remember(line: string): void {
    if (line.trim() && this.history[this.history.length - 1] !== line) this.history.push(line);
    if (this.history.length > 500) this.history.shift();
    this.hpos = this.history.length;
  }

  /** Feed one character; returns events. Stops being useful after a 'line'/'eof' until the caller continues. */
  feed(ch: string): EditorEvent[] {
    if (this.esc) return this.escape(ch);
    const wasCR = this.lastCR;
    this.lastCR = ch === '\r';
    switch (ch) {
      case '\r':
        return this.enter();
      case '\n':
        return wasCR ? [] : this.enter();
      case '\x1b':
        this.esc = '\x1b';
        return [];
      case '\x7f':
      case '\b':
        return this.backspace();
      case '\x03': {
        this.buf = [];
        this.cur = 0;
        this.hpos = this.history.length;
        return [{ t: 'echo', text: '^C\r\n' }, { t: 'interrupt' }];
      }
      case '\x04':
        if (this.buf.length === 0) return [{ t: 'eof' }];
        return this.deleteForward();
      case '\x01':
        return this.move(-this.cur);
      case '\x05':
        return this.move(this.buf.length - this.cur);
      case '\x15': {
        const n = this.cur;
        this.buf.splice(0, n);
        this.cur = 0;
        return [{ t: 'echo', text: '\b'.repeat(n) + this.tail(n) }];
      }
      case '\x0b': {
        const n = this.buf.length - this.cur;
        this.buf.splice(this.cur);
        return [{ t: 'echo', text: ' '.repeat(n) + '\b'.repeat(n) }];
      }
      case '\x17': {
        let i = this.cur;
        while (i > 0 && this.buf[i - 1] === ' ') i--;
        while (i > 0 && this.buf[i - 1] !== ' ') i--;
        const n = this.cur - i;
        this.buf.splice(i, n);
        this.cur = i;
        return [{ t: 'echo', text: '\b'.repeat(n) + this.tail(n) }];
      }
      case '\x0c':
        return [{ t: 'clear' }];
      case '\t':
        return [];
      default:
        if (ch < ' ') return [];
        if (this.buf.length >= this.maxLine) return [{ t: 'echo', text: '\x07' }];
        this.buf.splice(this.cur, 0, ch);
        this.cur++;
        return [{ t: 'echo', text: ch + this.tail(0) }];
    }
  }

  /** Characters after the cursor redrawn, then the cursor moved back (plus `erase` blanks). */
  private tail(erase: number): string {
    const rest = this.buf.slice(this.cur).join('');
    if (!rest && !erase) return '';
    return rest + ' '.repeat(erase) + '\b'.repeat(rest.length + erase);
  }

  private enter(): EditorEvent[] {
    const text = this.line;
    this.buf = [];
    this.cur = 0;
    return [{ t: 'echo', text: '\r\n' }, { t: 'line', text }];
  }

  private backspace(): EditorEvent[] {
    if (this.cur === 0) return [];
    this.buf.splice(this.cur - 1, 1);
    this.cur--;
    return [{ t: 'echo', text: '\b' + this.tail(1) }];
  }

  private deleteForward(): EditorEvent[] {
    if (this.cur >= this.buf.length) return [];
    this.buf.splice(this.cur, 1);
    return [{ t: 'echo', text: this.tail(1) }];
  }

  private move(d: number): EditorEvent[] {
    const to = Math.max(0, Math.min(this.buf.length, this.cur + d));
    const text = to < this.cur ? '\b'.repeat(this.cur - to) : this.buf.slice(this.cur, to).join('');
    this.cur = to;
    return text ? [{ t: 'echo', text }] : [];
  }

  private replaceLine(text: string): EditorEvent[] {
    const old = this.buf.length;
    const back = '\b'.repeat(this.cur);
    this.buf = [...text];
    this.cur = this.buf.length;
    const pad = Math.max(0, old - this.buf.length);
    return [{ t: 'echo', text: back + text + ' '.repeat(pad) + '\b'.repeat(pad) }];
  }

  private escape(ch: string): EditorEvent[] {
    this.esc += ch;
    const e = this.esc;
    if (e === '\x1b[' || e === '\x1bO' || /^\x1b\[[0-9;]*$/.test(e)) return [];
    this.esc = '';
    switch (e.replace('\x1bO', '\x1b[')) {
      case '\x1b[A':
        if (this.hpos === 0) return [];
        this.hpos--;
        return this.replaceLine(this.history[this.hpos] ?? '');
      case '\x1b[B':
        if (this.hpos >= this.history.length) return [];
        this.hpos++;
        return this.replaceLine(this.history[this.hpos] ?? '');
      case '\x1b[C':
        return this.move(1);
      case '\x1b[D':
        return this.move(-1);
      case '\x1b[H':
      case '\x1b[1~':
        return this.move(-this.cur);
      case '\x1b[F':
      case '\x1b[4~':
        return this.move(this.buf.length - this.cur);
      case '\x1b[3~':
        return this.deleteForward();
      default:
        return [];
    }
  }
}
