// vi / vim / view: a Vim-like modal editor on the session's terminal.
// Normal mode (counts, motions h j k l w b e 0 ^ $ G gg, operators d y c with
// a motion or doubled, x X D C s S J r ~ p P u ^R, / ? n N *, ZZ ZQ, paging),
// Insert mode (typing, Enter, Backspace across lines, arrows, bracketed paste)
// and the command line (:w :q :wq :x :q! :w! :e! :N :set nu :s/…/…/g :help).
// Messages are Vim's own (E37, E45, E212, E486, E492…). See docs/instances.md
// for what differs from Vim.
import type { Key } from '../../../terminal/keys.js';
import { runFullScreen, type Frame, type FullScreenProgram, type Row, type Size } from '../../../terminal/screen.js';
import type { Command, CommandContext } from '../../types.js';
import { displayName, loadFile, MAX_EDIT_BYTES, saveFile } from './edit-file.js';
import { compilePattern, LineBuffer, matchesIn, type Cursor } from './line-buffer.js';
import { indexAtVcol, lineWidth, rowsOf, vcolOf, wrapLine } from './vi-view.js';

type Mode = 'normal' | 'insert' | 'replace' | 'cmdline';

interface Register {
  text: string[];
  linewise: boolean;
}

interface Message {
  text: string;
  error?: boolean;
  bold?: boolean;
}

const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_]/u.test(c);
const isBlank = (c: string | undefined) => c === ' ' || c === '\t';
/** vim's character classes for w/b/e: blanks 0, punctuation 1, word characters 2 (W/B/E: non-blank 1). */
const charClass = (c: string | undefined, bigWord: boolean) => (c === undefined || isBlank(c) ? 0 : bigWord || isWordChar(c) ? 2 : 1);

export class Vi implements FullScreenProgram {
  buf: LineBuffer;
  row = 0;
  col = 0;
  /** Where vertical moves want the cursor (vim's curswant); Infinity after `$`. */
  private want = 0;
  mode: Mode = 'normal';
  private top = 0;
  private pending = '';
  private count = '';
  private cmdline = '';
  private cmdPrefix = ':';
  private readonly history: string[] = [];
  private register: Register = { text: [''], linewise: false };
  private lastSearch: string | undefined;
  private lastSearchBackward = false;
  private lastSubst: { pat: string; rep: string } | undefined;
  private message: Message | undefined;
  private number = false;
  private insertStart: Cursor | undefined;
  /** Lines of a message that needs "Press ENTER or type command to continue". */
  private hitEnter: string[] | undefined;
  /** W10 was given for this buffer. */
  private warnedReadonly = false;
  /** The argument list (vi a b c) and the one being edited. */
  args: string[] = [];
  argIndex = 0;
  private warnedMoreFiles = false;
  done = false;
  /** The keyboard went away (end of input, hang-up) before a quit. */
  hungUp = false;
  status = 0;
  name: string | undefined;
  readonly: boolean;
  private lastSize: Size = { cols: 80, rows: 24 };

  constructor(
    private readonly ctx: CommandContext,
    file: string | undefined,
    opts: { readonly?: boolean; startLine?: number | 'last'; stdinText?: string } = {},
  ) {
    this.buf = new LineBuffer([''], ctx.sys.now);
    this.readonly = !!opts.readonly;
    this.name = file;
    if (file !== undefined) this.load(file);
    else if (opts.stdinText !== undefined) {
      // `vi -`: the text read from stdin is a modified buffer without a name, as in Vim
      const t = opts.stdinText;
      const lines = t === '' ? [''] : (t.endsWith('\n') ? t.slice(0, -1) : t).split('\n');
      this.buf.checkpoint({ row: 0, col: 0 });
      this.buf.lines = lines;
    }
    if (opts.startLine === 'last') this.row = this.buf.lines.length - 1;
    else if (opts.startLine !== undefined) this.row = Math.max(0, Math.min(this.buf.lines.length - 1, opts.startLine - 1));
    if (opts.startLine !== undefined) this.col = this.firstNonBlank(this.row);
  }

  private load(file: string): void {
    const f = loadFile(this.ctx, file);
    const shown = `"${displayName(this.ctx, file)}"`;
    this.buf = new LineBuffer(f.lines, this.ctx.sys.now);
    this.row = 0;
    this.col = 0;
    if (f.error === 'EISDIR') return this.say(`${shown} is a directory`);
    if (f.error === 'EACCES') return this.say(`${shown} [Permission Denied]`);
    if (f.error === 'EFBIG') return this.say(`${shown} [File too big]`, true);
    if (!f.exists) return this.say(`${shown} [New]`);
    if (f.unwritable) this.readonly = true;
    const flags = [this.readonly ? '[readonly]' : '', f.noEol ? '[noeol]' : ''].filter(Boolean).join('');
    const lines = f.bytes === 0 ? 0 : f.lines.length;
    this.say(`${shown}${flags ? ` ${flags}` : ''} ${lines}L, ${f.bytes}B`);
  }

  private say(text: string, error = false): void {
    this.message = { text, error };
  }

  // ---- drawing ---------------------------------------------------------------------------

  private numberWidth(): number {
    return this.number ? Math.max(3, String(this.buf.lines.length).length) + 1 : 0;
  }

  /**
   * Scroll so the cursor's line is on the screen, as Vim does: a move just past an edge scrolls
   * by what is needed, a jump further than half a screen puts the line in the middle (never
   * leaving rows empty past the end). Walks back from the cursor only: O(screen rows).
   */
  private scroll(size: Size): void {
    const textRows = Math.max(1, size.rows - 1);
    const textCols = Math.max(1, size.cols - this.numberWidth());
    const rowsOfLine = (r: number) => rowsOf(this.buf.lines[r]!, textCols);
    /** The first line to show so that `upTo` ends within `budget` rows. */
    const fitsFrom = (upTo: number, budget: number) => {
      let used = 0;
      let t = upTo;
      for (let r = upTo; r >= 0; r--) {
        used += rowsOfLine(r);
        if (used > budget) break;
        t = r;
      }
      return t;
    };
    const center = () => {
      const centered = fitsFrom(this.row, Math.max(1, Math.floor(textRows / 2)));
      this.top = Math.min(centered, fitsFrom(this.buf.lines.length - 1, textRows));
    };
    this.top = Math.min(this.top, this.buf.lines.length - 1);
    if (this.row < this.top) {
      if (this.top - this.row > textRows / 2) center();
      else this.top = this.row;
      return;
    }
    const minTop = fitsFrom(this.row, textRows);
    if (minTop > this.top) {
      // how many lines past the bottom the cursor went
      if (minTop - this.top > textRows / 2) center();
      else this.top = minTop;
    }
  }

  frame(size: Size): Frame {
    this.lastSize = size;
    this.clampCursor();
    this.scroll(size);
    const textRows = Math.max(1, size.rows - 1);
    const nw = this.numberWidth();
    const textCols = Math.max(1, size.cols - nw);
    const rows: Row[] = [];
    let cursor: { row: number; col: number } | undefined;
    let r = this.top;
    while (rows.length < textRows && r < this.buf.lines.length) {
      const line = this.buf.lines[r]!;
      const parts = wrapLine(line, textCols);
      if (rows.length + parts.length > textRows && r !== this.top) {
        // a line that does not fit is shown as @ rows, as Vim does
        while (rows.length < textRows) rows.push([{ text: '@', bold: true }]);
        break;
      }
      if (r === this.row) {
        const { start, width } = vcolOf(line, this.col);
        const v = this.mode === 'normal' && this.col < line.length ? start + width - 1 : start;
        const atEnd = this.mode !== 'normal' && this.col >= line.length;
        const vv = atEnd ? lineWidth(line) : v;
        cursor = { row: rows.length + Math.floor(vv / textCols), col: nw + (vv % textCols) };
      }
      parts.forEach((p, k) => {
        if (rows.length >= textRows) return;
        const num = nw && k === 0 ? [{ text: String(r + 1).padStart(nw - 1) + ' ' }] : nw ? [{ text: ' '.repeat(nw) }] : [];
        rows.push([...num, { text: p }]);
      });
      r++;
    }
    while (rows.length < textRows) rows.push([{ text: '~' }]);
    rows.push(this.bottomLine(size));
    if (this.hitEnter) {
      // the screen scrolls up for the message lines and the prompt
      const extra = [...this.hitEnter.map((t, i) => [{ text: t, reverse: i > 0 }]), [{ text: 'Press ENTER or type command to continue', bold: true }]];
      const shown = [...rows.slice(0, textRows), ...extra].slice(-size.rows);
      return { rows: shown, cursor: { row: size.rows - 1, col: Math.min(size.cols - 1, 39) } };
    }
    if (this.mode === 'cmdline') cursor = { row: size.rows - 1, col: Math.min(size.cols - 1, this.cmdPrefix.length + lineWidth(this.cmdline)) };
    return { rows, cursor };
  }

  private bottomLine(size: Size): Row {
    if (this.mode === 'cmdline') return [{ text: this.cmdPrefix + this.cmdline }];
    const left: Row = [];
    if (this.mode === 'insert') left.push({ text: '-- INSERT --', bold: true });
    else if (this.mode === 'replace') left.push({ text: '-- REPLACE --', bold: true });
    else if (this.message) {
      // a message that would run into the ruler is cut in the middle, as Vim does ("<E...all")
      const room = Math.max(3, size.cols - 29);
      let text = this.message.text;
      if (!this.message.error && [...text].length > room) {
        const chars = [...text];
        const half = Math.floor((room - 3) / 2);
        text = chars.slice(0, half).join('') + '...' + chars.slice(chars.length - half).join('');
      }
      left.push({ text, reverse: this.message.error });
    }
    const ruler = this.ruler(size);
    const leftText = left.map((s) => s.text).join('');
    const at = size.cols - 18;
    if (at <= leftText.length) return left;
    return [...left, { text: ' '.repeat(at - leftText.length) + ruler }];
  }

  /** vim's ruler: "line,col[-virtual]" and All / Top / Bot / NN%. */
  private ruler(size: Size): string {
    const line = this.buf.lines[this.row] ?? '';
    let pos: string;
    if (line.length === 0) pos = this.buf.lines.length === 1 && this.buf.seq === 0 ? '0,0-1' : `${this.row + 1},0-1`;
    else {
      const byte = Buffer.byteLength(line.slice(0, this.col)) + 1;
      const v = vcolOf(line, this.col);
      const vcol = (this.mode === 'normal' ? v.start + v.width - 1 : v.start) + 1;
      pos = byte === vcol ? `${this.row + 1},${byte}` : `${this.row + 1},${byte}-${vcol}`;
    }
    const textRows = Math.max(1, size.rows - 1);
    const textCols = Math.max(1, size.cols - this.numberWidth());
    let shown = 0;
    let last = this.top;
    for (let r = this.top; r < this.buf.lines.length; r++) {
      shown += rowsOf(this.buf.lines[r]!, textCols);
      if (shown > textRows) break;
      last = r;
    }
    const total = this.buf.lines.length;
    const where =
      this.top === 0 && last >= total - 1
        ? 'All'
        : this.top === 0
          ? 'Top'
          : last >= total - 1
            ? 'Bot'
            : `${Math.floor((this.top * 100) / Math.max(1, total - (last - this.top + 1)))}%`.padStart(3);
    return pos.padEnd(14) + where;
  }

  // ---- cursor helpers --------------------------------------------------------------------

  private get line(): string {
    return this.buf.lines[this.row]!;
  }

  private set line(v: string) {
    this.buf.lines[this.row] = v;
  }

  private clampCursor(): void {
    this.row = Math.max(0, Math.min(this.buf.lines.length - 1, this.row));
    const len = this.line.length;
    const max = this.mode === 'normal' ? Math.max(0, len - 1) : len;
    this.col = Math.max(0, Math.min(max, this.col));
    // keep to character boundaries (a surrogate pair is one character)
    if (this.col > 0 && /[\udc00-\udfff]/.test(this.line[this.col] ?? '')) this.col--;
  }

  private firstNonBlank(row: number): number {
    const l = this.buf.lines[row] ?? '';
    const i = l.search(/[^ \t]/);
    return i < 0 ? Math.max(0, l.length - 1) : i;
  }

  /** Move vertically keeping the wanted display column. */
  private toRow(row: number): void {
    this.row = Math.max(0, Math.min(this.buf.lines.length - 1, row));
    const l = this.line;
    if (this.want === Infinity) this.col = Math.max(0, l.length - (this.mode === 'normal' ? 1 : 0));
    else this.col = l.length ? indexAtVcol(l, this.want) : 0;
  }

  private setWant(): void {
    this.want = vcolOf(this.line, this.col).start;
  }

  private checkpoint(): void {
    this.buf.checkpoint({ row: this.row, col: this.col });
    if (this.readonly && !this.warnedReadonly) {
      this.warnedReadonly = true;
      this.say('W10: Warning: Changing a readonly file', true);
    }
  }

  // ---- keys ------------------------------------------------------------------------------

  key(k: Key, size: Size): void {
    this.lastSize = size;
    if (this.hitEnter) {
      this.hitEnter = undefined;
      // Enter, Space and Escape only dismiss the prompt; any other key is a command
      if (k.name === 'enter' || k.name === 'escape' || (k.name === 'char' && k.ch === ' ')) {
        this.message = undefined;
        return;
      }
      this.message = undefined;
    }
    if (this.mode === 'insert' || this.mode === 'replace') return this.insertKey(k);
    if (this.mode === 'cmdline') return this.cmdlineKey(k);
    return this.normalKey(k);
  }

  hangup(): void {
    this.done = true;
    this.hungUp = true;
    this.status = 1;
  }

  private textRows(): number {
    return Math.max(1, this.lastSize.rows - 1);
  }

  private normalKey(k: Key): void {
    if (k.name === 'paste') {
      // a paste in Normal mode goes in before the cursor, as Vim's bracketed paste does
      this.checkpoint();
      this.insertText(k.text ?? '');
      this.col = Math.max(0, this.col - 1);
      return;
    }
    if (k.name === 'escape') {
      this.pending = '';
      this.count = '';
      return;
    }
    if (k.name === 'ctrl' && k.ch === 'c') {
      this.pending = '';
      this.count = '';
      this.say('Type  :qa!  and press <Enter> to abandon all changes and exit Vim');
      return;
    }
    const named: Record<string, string> = {
      up: 'k',
      down: 'j',
      left: 'h',
      right: 'l',
      home: '0',
      end: '$',
      delete: 'x',
      insert: 'i',
      backspace: '\b',
      enter: '\r',
      pageup: '\x02',
      pagedown: '\x06',
    };
    let c: string;
    if (k.ctrl && (k.name === 'home' || k.name === 'end')) c = k.name === 'home' ? 'gg' : 'G';
    else if (k.name === 'char') c = k.ch!;
    else if (k.name === 'ctrl') c = String.fromCharCode(k.ch!.charCodeAt(0) & 0x1f);
    else if (k.name === 'alt') {
      // Alt-x arrives as ESC x: Escape, then x
      this.pending = '';
      this.count = '';
      return this.normalKey({ name: 'char', ch: k.ch });
    } else c = named[k.name] ?? '';
    if (!c) return;
    this.message = this.pending ? this.message : undefined;
    if (this.pending === 'r') {
      this.pending = '';
      return this.replaceChars(c === '\r' ? '\n' : c);
    }
    if (/[1-9]/.test(c) || (c === '0' && this.count)) {
      this.count += c;
      return;
    }
    const n = Math.max(1, Math.min(1_000_000, parseInt(this.count || '1', 10)));
    const hadCount = this.count !== '';
    const seq = this.pending + c;
    this.pending = '';
    this.count = '';
    // operators: d y c with a motion, or doubled for whole lines
    const op = seq[0];
    if ((op === 'd' || op === 'y' || op === 'c') && seq.length === 1) {
      this.pending = c;
      this.count = hadCount ? String(n) : '';
      return;
    }
    if ((op === 'd' || op === 'y' || op === 'c') && seq.length >= 2) {
      const motion = seq.slice(1);
      if (motion === 'g') {
        this.pending = seq;
        this.count = hadCount ? String(n) : '';
        return;
      }
      return this.operate(op, motion, n, hadCount);
    }
    if (seq === 'g' || seq === 'Z') {
      this.pending = seq;
      this.count = hadCount ? String(n) : '';
      return;
    }
    switch (seq) {
      case 'h':
      case '\b':
        if (seq === '\b' && this.col === 0 && this.row > 0) {
          this.row--;
          this.col = this.line.length;
        } else this.col = Math.max(0, this.col - n);
        this.clampCursor();
        this.setWant();
        return;
      case 'l':
      case ' ':
        if (seq === ' ' && this.col >= this.line.length - 1 && this.row < this.buf.lines.length - 1) {
          this.row++;
          this.col = 0;
        } else this.col = Math.min(Math.max(0, this.line.length - 1), this.col + n);
        this.setWant();
        return;
      case 'j':
      case '\x0e':
      case '\x0a':
        return this.toRow(this.row + n);
      case 'k':
      case '\x10':
        return this.toRow(this.row - n);
      case '+':
      case '\r':
        this.row = Math.min(this.buf.lines.length - 1, this.row + n);
        this.col = this.firstNonBlank(this.row);
        return this.setWant();
      case '-':
        this.row = Math.max(0, this.row - n);
        this.col = this.firstNonBlank(this.row);
        return this.setWant();
      case '0':
        this.col = 0;
        return this.setWant();
      case '^':
        this.col = this.firstNonBlank(this.row);
        return this.setWant();
      case '$':
        this.row = Math.min(this.buf.lines.length - 1, this.row + n - 1);
        this.col = Math.max(0, this.line.length - 1);
        this.want = Infinity;
        return;
      case 'w':
      case 'W':
      case 'b':
      case 'B':
      case 'e':
      case 'E':
        for (let i = 0; i < n; i++) this.wordMotion(seq);
        this.clampCursor();
        return this.setWant();
      case 'G':
        this.row = hadCount ? n - 1 : this.buf.lines.length - 1;
        this.clampCursor();
        this.col = this.firstNonBlank(this.row);
        return this.setWant();
      case 'gg':
        this.row = hadCount ? n - 1 : 0;
        this.clampCursor();
        this.col = this.firstNonBlank(this.row);
        return this.setWant();
      case 'H':
        this.row = this.top;
        this.col = this.firstNonBlank(this.row);
        return this.setWant();
      case 'L':
        this.row = Math.min(this.buf.lines.length - 1, this.top + this.textRows() - 1);
        this.col = this.firstNonBlank(this.row);
        return this.setWant();
      case '\x06':
        this.top = Math.min(this.buf.lines.length - 1, this.top + n * Math.max(1, this.textRows() - 2));
        this.row = Math.max(this.row, this.top);
        this.clampCursor();
        return;
      case '\x02':
        this.top = Math.max(0, this.top - n * Math.max(1, this.textRows() - 2));
        this.row = Math.min(this.row, this.top + this.textRows() - 1);
        this.clampCursor();
        return;
      case '\x04':
        this.row = Math.min(this.buf.lines.length - 1, this.row + Math.max(1, Math.floor(this.textRows() / 2)));
        this.top = Math.min(this.buf.lines.length - 1, this.top + Math.max(1, Math.floor(this.textRows() / 2)));
        return this.toRow(this.row);
      case '\x15':
        this.row = Math.max(0, this.row - Math.max(1, Math.floor(this.textRows() / 2)));
        this.top = Math.max(0, this.top - Math.max(1, Math.floor(this.textRows() / 2)));
        return this.toRow(this.row);
      case 'i':
        return this.startInsert();
      case 'a':
        if (this.line.length) this.col++;
        return this.startInsert();
      case 'I':
        this.col = this.firstNonBlank(this.row);
        if (this.line.trim() === '') this.col = this.line.length;
        return this.startInsert();
      case 'A':
        this.col = this.line.length;
        return this.startInsert();
      case 'o':
      case 'O':
        this.checkpoint();
        this.buf.lines.splice(seq === 'o' ? this.row + 1 : this.row, 0, '');
        if (seq === 'o') this.row++;
        this.col = 0;
        return this.startInsert(true);
      case 'R':
        this.checkpoint();
        this.insertStart = { row: this.row, col: this.col };
        this.mode = 'replace';
        return;
      case 'x':
      case 'X': {
        const l = this.line;
        if (!l.length || (seq === 'X' && this.col === 0)) return;
        this.checkpoint();
        const from = seq === 'x' ? this.col : Math.max(0, this.col - n);
        const to = seq === 'x' ? Math.min(l.length, this.col + n) : this.col;
        this.register = { text: [l.slice(from, to)], linewise: false };
        this.line = l.slice(0, from) + l.slice(to);
        this.col = from;
        this.clampCursor();
        return this.setWant();
      }
      case 's':
        this.checkpoint();
        this.register = { text: [this.line.slice(this.col, this.col + n)], linewise: false };
        this.line = this.line.slice(0, this.col) + this.line.slice(this.col + n);
        return this.startInsert(true);
      case 'S':
        return this.operate('c', 'c', n, hadCount);
      case 'D':
        return this.operate('d', '$', n, hadCount);
      case 'C':
        return this.operate('c', '$', n, hadCount);
      case 'Y':
        return this.operate('y', 'y', n, hadCount);
      case 'p':
      case 'P':
        return this.put(seq === 'p', n);
      case 'J':
        return this.join(Math.max(2, n));
      case 'r':
        this.pending = 'r';
        this.count = hadCount ? String(n) : '';
        return;
      case '~': {
        const l = this.line;
        if (!l.length) return;
        this.checkpoint();
        const to = Math.min(l.length, this.col + n);
        const flipped = [...l.slice(this.col, to)].map((ch) => (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase())).join('');
        this.line = l.slice(0, this.col) + flipped + l.slice(to);
        this.col = Math.min(to, l.length - 1);
        return this.setWant();
      }
      case 'u':
        for (let i = 0; i < n; i++) if (!this.undo()) break;
        return;
      case '\x12':
        for (let i = 0; i < n; i++) if (!this.redo()) break;
        return;
      case '/':
      case '?':
        this.mode = 'cmdline';
        this.cmdPrefix = seq;
        this.cmdline = '';
        return;
      case ':':
        this.mode = 'cmdline';
        this.cmdPrefix = ':';
        this.cmdline = hadCount ? (n === 1 ? '.' : `.,.+${n - 1}`) : '';
        return;
      case 'n':
      case 'N':
        if (this.lastSearch === undefined) return this.say('E35: No previous regular expression', true);
        return this.search(this.lastSearch, seq === 'N' ? !this.lastSearchBackward : this.lastSearchBackward, n);
      case '*':
      case '#': {
        const word = this.wordUnderCursor();
        if (!word) return this.say('E348: No string under cursor', true);
        this.lastSearch = word;
        this.lastSearchBackward = seq === '#';
        return this.search(word, seq === '#', n);
      }
      case 'ZZ':
        return this.exCommand('x');
      case 'ZQ':
        return this.exCommand('q!');
      case '\x07':
        return this.say(this.fileInfo());
      case '\x0c':
        return;
      default:
        return;
    }
  }

  private fileInfo(): string {
    const name = this.name === undefined ? '"[No Name]"' : `"${displayName(this.ctx, this.name)}"`;
    const mod = this.buf.modified ? ' [Modified]' : '';
    const total = this.buf.lines.length;
    return `${name}${mod} ${total} line${total === 1 ? '' : 's'} --${Math.floor(((this.row + 1) * 100) / total)}%--`;
  }

  private wordUnderCursor(): string {
    const l = this.line;
    let s = this.col;
    while (s < l.length && !isWordChar(l[s])) s++;
    if (s >= l.length) return '';
    let e = s;
    while (s > 0 && isWordChar(l[s - 1])) s--;
    while (e < l.length && isWordChar(l[e])) e++;
    return l.slice(s, e);
  }

  /** One w / b / e motion (W B E: words are runs of non-blanks); crosses lines, empty lines are words. */
  private wordMotion(m: string): void {
    const big = m === m.toUpperCase();
    const lines = this.buf.lines;
    const at = (r: number, c: number) => lines[r]![c];
    const next = (p: Cursor): Cursor | undefined =>
      p.col + 1 < lines[p.row]!.length ? { row: p.row, col: p.col + 1 } : p.row + 1 < lines.length ? { row: p.row + 1, col: -1 } : undefined;
    const prev = (p: Cursor): Cursor | undefined =>
      p.col > 0 ? { row: p.row, col: p.col - 1 } : p.row > 0 ? { row: p.row - 1, col: lines[p.row - 1]!.length } : undefined;
    const cls = (p: Cursor) => (p.col < 0 || p.col >= lines[p.row]!.length ? (lines[p.row]!.length === 0 ? 3 : 0) : charClass(at(p.row, p.col), big));
    let p: Cursor = { row: this.row, col: this.col };
    if (m === 'w' || m === 'W') {
      const start = cls(p);
      let q = next(p);
      // past the rest of this word
      while (q && q.col >= 0 && start !== 0 && cls(q) === start) q = next(q);
      // past blanks (an empty line stops)
      while (q && (q.col < 0 ? lines[q.row]!.length > 0 && isBlank(lines[q.row]![0]) : cls(q) === 0)) {
        if (q.col < 0 && lines[q.row]!.length === 0) break;
        q = next(q);
      }
      if (!q) {
        this.col = lines[this.row]!.length;
        this.row = lines.length - 1;
        this.col = Math.max(0, lines[this.row]!.length - 1);
        return;
      }
      p = q.col < 0 ? { row: q.row, col: 0 } : q;
    } else if (m === 'e' || m === 'E') {
      let q = next(p);
      while (q && (q.col < 0 || cls(q) === 0)) q = next(q);
      if (!q) return;
      const c = cls(q);
      for (let r = next(q); r && r.col >= 0 && cls(r) === c; r = next(r)) q = r;
      p = q;
    } else {
      let q = prev(p);
      while (q && (q.col >= lines[q.row]!.length ? lines[q.row]!.length > 0 : cls(q) === 0)) q = prev(q);
      if (!q) {
        p = { row: 0, col: 0 };
      } else {
        if (q.col >= lines[q.row]!.length) q = { row: q.row, col: 0 };
        const c = cls(q);
        for (let r = prev(q); r && r.row === q.row && r.col < lines[r.row]!.length && cls(r) === c; r = prev(r)) q = r;
        p = q;
      }
    }
    this.row = p.row;
    this.col = Math.max(0, p.col);
  }

  /** d / y / c over a motion or whole lines (dd yy cc). */
  private operate(op: string, motion: string, n: number, hadCount: boolean): void {
    const lines = this.buf.lines;
    let linewise = false;
    let r0 = this.row;
    let r1 = this.row;
    let c0 = this.col;
    let c1 = this.col;
    if (motion === op || (op === 'y' && motion === 'y')) {
      linewise = true;
      r1 = Math.min(lines.length - 1, this.row + n - 1);
    } else if (motion === 'j' || motion === 'k' || motion === 'G' || motion === 'gg' || motion === '+' || motion === '-') {
      linewise = true;
      const target = motion === 'j' || motion === '+' ? this.row + n : motion === 'k' || motion === '-' ? this.row - n : motion === 'G' ? (hadCount ? n - 1 : lines.length - 1) : hadCount ? n - 1 : 0;
      const t = Math.max(0, Math.min(lines.length - 1, target));
      r0 = Math.min(this.row, t);
      r1 = Math.max(this.row, t);
    } else {
      const saved = { row: this.row, col: this.col, want: this.want };
      const l = this.line;
      if (motion === '$') {
        c1 = l.length;
        if (n > 1) {
          r1 = Math.min(lines.length - 1, this.row + n - 1);
          c1 = lines[r1]!.length;
        }
      } else if (motion === '0') c0 = 0;
      else if (motion === '^') c0 = Math.min(this.col, this.firstNonBlank(this.row));
      else if (motion === 'h') c0 = Math.max(0, this.col - n);
      else if (motion === 'l' || motion === ' ') c1 = Math.min(l.length, this.col + n);
      else if (/^[wWeEbB]$/.test(motion)) {
        const mm = op === 'c' && (motion === 'w' || motion === 'W') && !isBlank(l[this.col]) ? (motion === 'w' ? 'e' : 'E') : motion;
        for (let i = 0; i < n; i++) this.wordMotion(mm);
        if (mm === 'w' || mm === 'W') {
          // dw at a line's last word stops at the end of the line
          if (this.row !== saved.row) {
            c1 = lines[saved.row]!.length;
          } else c1 = this.col;
        } else if (mm === 'e' || mm === 'E') {
          if (this.row !== saved.row) {
            r1 = this.row;
            c1 = this.col + 1;
          } else c1 = this.col + 1;
        } else {
          r0 = this.row;
          c0 = this.col;
        }
        this.row = saved.row;
        this.col = saved.col;
        this.want = saved.want;
      } else return;
    }
    if (linewise) {
      const text = lines.slice(r0, r1 + 1);
      this.register = { text, linewise: true };
      const count = r1 - r0 + 1;
      if (op === 'y') {
        if (count > 2) this.say(`${count} lines yanked`);
        this.row = r0;
        this.clampCursor();
        return;
      }
      this.checkpoint();
      if (op === 'c') {
        lines.splice(r0, count, '');
        this.row = r0;
        this.col = 0;
        return this.startInsert(true);
      }
      lines.splice(r0, count);
      if (!lines.length) lines.push('');
      this.row = Math.min(r0, lines.length - 1);
      this.col = this.firstNonBlank(this.row);
      if (count > 2) this.say(`${count} fewer lines`);
      return;
    }
    // characterwise, possibly over lines
    const startText = lines[r0]!.slice(0, c0);
    const endText = lines[r1]!.slice(c1);
    const taken = r0 === r1 ? [lines[r0]!.slice(c0, c1)] : [lines[r0]!.slice(c0), ...lines.slice(r0 + 1, r1), lines[r1]!.slice(0, c1)];
    this.register = { text: taken, linewise: false };
    if (op === 'y') {
      this.row = r0;
      this.col = c0;
      this.clampCursor();
      return;
    }
    this.checkpoint();
    lines.splice(r0, r1 - r0 + 1, startText + endText);
    this.row = r0;
    this.col = c0;
    if (op === 'c') return this.startInsert(true);
    this.clampCursor();
    this.setWant();
  }

  private put(after: boolean, n: number): void {
    const reg = this.register;
    const lines = this.buf.lines;
    this.checkpoint();
    if (reg.linewise) {
      const block: string[] = [];
      for (let i = 0; i < n; i++) block.push(...reg.text);
      const at = after ? this.row + 1 : this.row;
      lines.splice(at, 0, ...block);
      this.row = at;
      this.col = this.firstNonBlank(at);
      if (block.length > 2) this.say(`${block.length} more lines`);
      return;
    }
    let text = reg.text.join('\n');
    text = text.repeat(n);
    const l = this.line;
    const at = after && l.length ? this.col + 1 : this.col;
    const parts = (l.slice(0, at) + text + l.slice(at)).split('\n');
    lines.splice(this.row, 1, ...parts);
    if (parts.length === 1) this.col = at + text.length - 1;
    else this.col = at;
    this.clampCursor();
    this.setWant();
  }

  private join(n: number): void {
    const lines = this.buf.lines;
    if (this.row >= lines.length - 1) return;
    this.checkpoint();
    for (let i = 1; i < n && this.row + 1 < lines.length; i++) {
      const a = lines[this.row]!.replace(/[ \t]+$/, '');
      const b = lines[this.row + 1]!.replace(/^[ \t]+/, '');
      const sep = a === '' || b === '' || b.startsWith(')') ? '' : ' ';
      lines.splice(this.row, 2, a + sep + b);
      this.col = a.length;
    }
    this.setWant();
  }

  private replaceChars(c: string): void {
    const n = Math.max(1, parseInt(this.count || '1', 10));
    this.count = '';
    const l = this.line;
    if (this.col + n > l.length || c === '\x1b') return;
    this.checkpoint();
    if (c === '\n') {
      this.buf.lines.splice(this.row, 1, l.slice(0, this.col), l.slice(this.col + n));
      this.row++;
      this.col = 0;
      return;
    }
    this.line = l.slice(0, this.col) + c.repeat(n) + l.slice(this.col + n);
    this.col += n - 1;
  }

  private undoMessage(before: string[], after: string[], verb: 'before' | 'after', seq: number, at: number): void {
    const d = after.length - before.length;
    const what = d === 1 ? '1 more line' : d > 1 ? `${d} more lines` : d === -1 ? '1 line less' : d < -1 ? `${-d} fewer lines` : '1 change';
    const secs = Math.max(0, Math.round((this.ctx.sys.now() - at) / 1000));
    this.say(`${what}; ${verb} #${seq}  ${secs} ${secs === 1 ? 'second' : 'seconds'} ago`);
  }

  private undo(): boolean {
    const u = this.buf.undo();
    if (!u) {
      this.say('Already at oldest change');
      return false;
    }
    this.undoMessage(u.before, this.buf.lines, 'before', u.undone, u.at);
    this.row = u.row;
    this.col = u.col;
    this.clampCursor();
    return true;
  }

  private redo(): boolean {
    const r = this.buf.redo();
    if (!r) {
      this.say('Already at newest change');
      return false;
    }
    this.undoMessage(r.before, this.buf.lines, 'after', r.seq, this.ctx.sys.now());
    this.row = r.row;
    this.col = r.col;
    this.clampCursor();
    return true;
  }

  // ---- Insert mode -----------------------------------------------------------------------

  /** Enter Insert mode; `checkpointed`: the change started before (o, O, c, s). */
  private startInsert(checkpointed = false): void {
    if (!checkpointed) this.checkpoint();
    this.insertStart = { row: this.row, col: this.col };
    this.mode = 'insert';
    this.message = undefined;
  }

  private leaveInsert(): void {
    this.mode = 'normal';
    if (!this.buf.changedSinceCheckpoint()) this.buf.dropCheckpoint();
    this.col = Math.max(0, this.col - 1);
    this.clampCursor();
    this.setWant();
  }

  private insertText(text: string): void {
    const l = this.line;
    const parts = (l.slice(0, this.col) + text + l.slice(this.col)).split('\n');
    const tailLen = l.length - this.col;
    this.buf.lines.splice(this.row, 1, ...parts);
    this.row += parts.length - 1;
    this.col = this.line.length - tailLen;
  }

  private insertKey(k: Key): void {
    const lines = this.buf.lines;
    switch (k.name) {
      case 'escape':
        return this.leaveInsert();
      case 'ctrl':
        if (k.ch === 'c' || k.ch === '[') return this.leaveInsert();
        if (k.ch === 'h') return this.insertKey({ name: 'backspace' });
        if (k.ch === 'j' || k.ch === 'm') return this.insertKey({ name: 'enter' });
        if (k.ch === 'i') return this.insertKey({ name: 'tab' });
        if (k.ch === 'w') {
          const before = this.line.slice(0, this.col);
          const cut = before.replace(/(?:[\p{L}\p{N}_]+|[^\p{L}\p{N}_\s]+)?\s*$/u, '');
          this.line = cut + this.line.slice(this.col);
          this.col = cut.length;
          return;
        }
        if (k.ch === 'u') {
          const keep = this.insertStart && this.insertStart.row === this.row && this.insertStart.col < this.col ? this.insertStart.col : 0;
          this.line = this.line.slice(0, keep) + this.line.slice(this.col);
          this.col = keep;
          return;
        }
        return;
      case 'alt':
        // ESC then a key typed fast: leave Insert mode and run the key in Normal mode
        this.leaveInsert();
        return this.normalKey({ name: 'char', ch: k.ch });
      case 'char':
        if (this.mode === 'replace' && this.col < this.line.length) {
          this.line = this.line.slice(0, this.col) + k.ch! + this.line.slice(this.col + 1);
          this.col += k.ch!.length;
          return;
        }
        return this.insertText(k.ch!);
      case 'tab':
        return this.insertText('\t');
      case 'paste':
        return this.insertText(k.text ?? '');
      case 'enter':
        return this.insertText('\n');
      case 'backspace':
        if (this.col > 0) {
          const l = this.line;
          const w = /[\udc00-\udfff]/.test(l[this.col - 1] ?? '') && this.col > 1 ? 2 : 1;
          this.line = l.slice(0, this.col - w) + l.slice(this.col);
          this.col -= w;
        } else if (this.row > 0) {
          const prev = lines[this.row - 1]!;
          lines.splice(this.row - 1, 2, prev + this.line);
          this.row--;
          this.col = prev.length;
        }
        return;
      case 'delete':
        if (this.col < this.line.length) this.line = this.line.slice(0, this.col) + this.line.slice(this.col + 1);
        else if (this.row + 1 < lines.length) lines.splice(this.row, 2, this.line + lines[this.row + 1]!);
        return;
      case 'left':
        this.col = Math.max(0, this.col - 1);
        return this.setWant();
      case 'right':
        this.col = Math.min(this.line.length, this.col + 1);
        return this.setWant();
      case 'up':
        return this.toRow(this.row - 1);
      case 'down':
        return this.toRow(this.row + 1);
      case 'home':
        this.col = 0;
        return this.setWant();
      case 'end':
        this.col = this.line.length;
        this.want = Infinity;
        return;
      case 'pageup':
        return this.toRow(this.row - this.textRows());
      case 'pagedown':
        return this.toRow(this.row + this.textRows());
      case 'insert':
        this.mode = this.mode === 'insert' ? 'replace' : 'insert';
        return;
      default:
        return;
    }
  }

  // ---- the command line ------------------------------------------------------------------

  private cmdlineKey(k: Key): void {
    switch (k.name) {
      case 'escape':
        this.mode = 'normal';
        return;
      case 'ctrl':
        if (k.ch === 'c') {
          this.mode = 'normal';
          return;
        }
        if (k.ch === 'u') this.cmdline = '';
        if (k.ch === 'w') this.cmdline = this.cmdline.replace(/\S*\s*$/, '');
        if (k.ch === 'h') return this.cmdlineKey({ name: 'backspace' });
        if (k.ch === 'j' || k.ch === 'm') return this.cmdlineKey({ name: 'enter' });
        return;
      case 'backspace':
        if (!this.cmdline) {
          this.mode = 'normal';
          return;
        }
        this.cmdline = [...this.cmdline].slice(0, -1).join('');
        return;
      case 'char':
        this.cmdline += k.ch!;
        return;
      case 'alt':
        this.cmdline += k.ch!;
        return;
      case 'tab':
        this.cmdline += '\t';
        return;
      case 'paste':
        this.cmdline += (k.text ?? '').split('\n')[0]!;
        return;
      case 'up':
      case 'down': {
        const h = this.history.filter((l) => l[0] === this.cmdPrefix);
        if (!h.length) return;
        const i = h.indexOf(this.cmdPrefix + this.cmdline);
        const j = i < 0 ? (k.name === 'up' ? h.length - 1 : -1) : k.name === 'up' ? Math.max(0, i - 1) : i + 1;
        this.cmdline = j >= 0 && j < h.length ? h[j]!.slice(1) : '';
        return;
      }
      case 'enter': {
        const text = this.cmdline;
        this.mode = 'normal';
        if (text) this.history.push(this.cmdPrefix + text);
        if (this.history.length > 100) this.history.shift();
        if (this.cmdPrefix === ':') return this.exCommand(text);
        const pat = text === '' ? this.lastSearch : text;
        if (pat === undefined) return this.say('E35: No previous regular expression', true);
        this.lastSearch = pat;
        this.lastSearchBackward = this.cmdPrefix === '?';
        return this.search(pat, this.lastSearchBackward, 1);
      }
      default:
        return;
    }
  }

  private search(pattern: string, backward: boolean, n: number): void {
    const re = compilePattern(pattern);
    let at: Cursor = { row: this.row, col: this.col };
    let wrapped = false;
    for (let k = 0; k < n; k++) {
      const hit = this.findFrom(re, at, backward);
      if (!hit) return this.say(`E486: Pattern not found: ${pattern}`, true);
      wrapped ||= hit.wrapped;
      at = hit.at;
    }
    this.row = at.row;
    this.col = at.col;
    this.setWant();
    if (wrapped) this.say(backward ? 'search hit TOP, continuing at BOTTOM' : 'search hit BOTTOM, continuing at TOP', true);
    else this.say(`${backward ? '?' : '/'}${pattern}`);
  }

  /** The next match after (or before) `from`, wrapping around the end of the buffer. */
  private findFrom(re: RegExp, from: Cursor, backward: boolean): { at: Cursor; wrapped: boolean } | undefined {
    const lines = this.buf.lines;
    const total = lines.length;
    for (let i = 0; i <= total; i++) {
      const r = backward ? (((from.row - i) % total) + total) % total : (from.row + i) % total;
      const wrapped = backward ? from.row - i < 0 : from.row + i >= total;
      const ms = matchesIn(re, lines[r]!).map(([s]) => s);
      let c: number | undefined;
      if (i === 0) c = backward ? ms.filter((s) => s < from.col).pop() : ms.find((s) => s > from.col);
      else if (i === total) c = backward ? ms.filter((s) => s >= from.col).pop() : ms.find((s) => s <= from.col);
      else c = backward ? ms[ms.length - 1] : ms[0];
      if (c !== undefined) return { at: { row: r, col: c }, wrapped };
    }
    return undefined;
  }

  /** Parse a line address (N, ., $, .+N). */
  private address(s: string): { line: number; rest: string } | undefined {
    const m = /^(\d+|\.|\$)?([+-]\d*)?/.exec(s);
    if (!m || !m[0]) return undefined;
    let line = m[1] === undefined || m[1] === '.' ? this.row + 1 : m[1] === '$' ? this.buf.lines.length : parseInt(m[1], 10);
    if (m[2]) line += m[2].length === 1 ? (m[2] === '+' ? 1 : -1) : parseInt(m[2], 10);
    return { line, rest: s.slice(m[0].length) };
  }

  exCommand(input: string): void {
    let s = input.replace(/^[\s:]+/, '');
    if (!s) return;
    // a range: %, N, N,M
    let range: [number, number] | undefined;
    if (s.startsWith('%')) {
      range = [1, this.buf.lines.length];
      s = s.slice(1);
    } else {
      const a = this.address(s);
      if (a) {
        s = a.rest;
        let end = a.line;
        if (s.startsWith(',')) {
          const b = this.address(s.slice(1));
          if (b) {
            end = b.line;
            s = b.rest;
          }
        }
        range = [a.line, end];
      }
    }
    s = s.trim();
    if (range && !s) {
      // :N goes to line N
      this.row = Math.max(0, Math.min(this.buf.lines.length - 1, range[1] - 1));
      this.col = this.firstNonBlank(this.row);
      this.setWant();
      return;
    }
    if (range && (range[0] < 1 || range[1] > this.buf.lines.length || range[0] > range[1])) {
      if (range[0] > range[1]) return this.say('E493: Backwards range given', true);
      return this.say('E16: Invalid range', true);
    }
    const m = /^([a-zA-Z]+|&)(!?)\s*(.*)$/.exec(s) ?? /^(s)([/#|].*)$/.exec(s);
    if (!m) return this.say(`E492: Not an editor command: ${input.trim()}`, true);
    const [, cmd, bang, argRaw] = m as unknown as [string, string, string, string];
    const force = bang === '!';
    const arg = argRaw.trim();
    const word = (full: string, min: number) => cmd.length >= min && full.startsWith(cmd);
    if (word('write', 1) || word('wq', 2) || word('xit', 1) || word('exit', 3) || cmd === 'wqa' || cmd === 'wqall' || cmd === 'xa' || cmd === 'xall' || cmd === 'wa' || cmd === 'wall') {
      const quit = cmd !== 'w' && !word('write', 1) && cmd !== 'wa' && cmd !== 'wall';
      const onlyIfModified = word('xit', 1) || word('exit', 3) || cmd === 'xa' || cmd === 'xall';
      if (cmd === 'wa' || cmd === 'wall') {
        if (!this.buf.modified) return;
      }
      if (onlyIfModified && !this.buf.modified && !arg) {
        this.done = true;
        return;
      }
      const ok = this.write(arg || undefined, force, !!range && !(range[0] === 1 && range[1] === this.buf.lines.length) ? range : undefined);
      if (ok && quit) this.done = true;
      return;
    }
    if (word('quit', 1) || cmd === 'qa' || cmd === 'qall' || word('quitall', 5) || cmd === 'cq' || word('cquit', 2)) {
      if (cmd === 'cq' || word('cquit', 2)) {
        this.status = 1;
        this.done = true;
        return;
      }
      if (this.buf.modified && !force) return this.say('E37: No write since last change (add ! to override)', true);
      // vi a b: the first :q reminds of the files not edited yet
      const left = this.args.length - this.argIndex - 1;
      if (left > 0 && !force && !cmd.startsWith('qa') && !this.warnedMoreFiles) {
        this.warnedMoreFiles = true;
        return this.say(`E173: ${left} more file${left === 1 ? '' : 's'} to edit`, true);
      }
      this.done = true;
      return;
    }
    if (word('next', 1) || word('previous', 4) || word('Next', 1)) {
      const to = this.argIndex + (cmd.startsWith('n') ? 1 : -1);
      if (to >= this.args.length) return this.say('E165: Cannot go beyond last file', true);
      if (to < 0) return this.say('E164: Cannot go before first file', true);
      if (this.buf.modified && !force) return this.say('E37: No write since last change (add ! to override)', true);
      this.argIndex = to;
      this.name = this.args[to]!;
      this.readonly = false;
      this.warnedReadonly = false;
      this.load(this.name);
      return;
    }
    if (word('edit', 1)) {
      if (arg && arg !== this.name) {
        if (this.buf.modified && !force) return this.say('E37: No write since last change (add ! to override)', true);
        this.name = arg;
        this.readonly = false;
        this.load(arg);
        return;
      }
      if (this.buf.modified && !force) return this.say('E37: No write since last change (add ! to override)', true);
      if (this.name === undefined) return this.say('E32: No file name', true);
      const ro = this.readonly;
      this.load(this.name);
      this.readonly = this.readonly || ro;
      return;
    }
    if (word('set', 2)) return this.set(arg);
    if (word('substitute', 1) || cmd === '&') return this.substitute(cmd === '&' ? '' : argRaw, range ?? [this.row + 1, this.row + 1]);
    if (word('delete', 1) || word('yank', 1)) {
      const [a, b] = range ?? [this.row + 1, this.row + 1];
      const text = this.buf.lines.slice(a - 1, b);
      this.register = { text, linewise: true };
      if (cmd.startsWith('y')) return;
      this.checkpoint();
      this.buf.lines.splice(a - 1, b - a + 1);
      if (!this.buf.lines.length) this.buf.lines.push('');
      this.row = Math.min(a - 1, this.buf.lines.length - 1);
      this.col = this.firstNonBlank(this.row);
      if (text.length > 2) this.say(`${text.length} fewer lines`);
      return;
    }
    if (word('help', 1)) return this.say('E149: Sorry, no help for help.txt', true);
    if (word('file', 1) && !arg) return this.say(this.fileInfo());
    if (word('nohlsearch', 3) || word('syntax', 2) || word('filetype', 5)) return;
    return this.say(`E492: Not an editor command: ${input.trim()}`, true);
  }

  private set(arg: string): void {
    for (const opt of arg.split(/\s+/).filter(Boolean)) {
      const name = opt.replace(/[!&?].*$|=.*$/, '');
      if (name === 'number' || name === 'nu') this.number = true;
      else if (name === 'nonumber' || name === 'nonu') this.number = false;
      else if (name === 'invnumber' || name === 'invnu') this.number = !this.number;
      else if (
        /^(no)?(paste|hlsearch|hls|incsearch|is|ignorecase|ic|ruler|ru|list|autoindent|ai|wrap|showmode|smd|expandtab|et|readonly|ro|syntax|compatible|cp)$/.test(name) ||
        /^(tabstop|ts|shiftwidth|sw|softtabstop|sts|encoding|enc|fileformat|ff|mouse|background|bg)$/.test(name)
      ) {
        if (name === 'readonly' || name === 'ro') this.readonly = true;
        if (name === 'noreadonly' || name === 'noro') this.readonly = false;
      } else return this.say(`E518: Unknown option: ${opt}`, true);
    }
  }

  /** :[range]s/pattern/replacement/[g] — the pattern as for / (literal text, ^ $ .), & in the replacement is the match. */
  private substitute(argRaw: string, range: [number, number]): void {
    let pat: string;
    let rep: string;
    let flags = '';
    if (argRaw === '' || /^[&cgiInp#lr]*$/.test(argRaw)) {
      if (!this.lastSubst) return this.say('E35: No previous regular expression', true);
      ({ pat, rep } = this.lastSubst);
      flags = argRaw.replace(/&/g, '');
    } else {
      const d = argRaw[0]!;
      const parts: string[] = [''];
      for (let i = 1; i < argRaw.length; i++) {
        const c = argRaw[i]!;
        if (c === '\\' && argRaw[i + 1] === d) {
          parts[parts.length - 1] += d;
          i++;
        } else if (c === d && parts.length < 3) parts.push('');
        else parts[parts.length - 1] += c;
      }
      pat = parts[0] === '' ? (this.lastSearch ?? '') : parts[0]!;
      rep = parts[1] ?? '';
      flags = parts[2] ?? '';
      if (!pat) return this.say('E35: No previous regular expression', true);
      this.lastSubst = { pat, rep };
    }
    this.lastSearch = pat;
    const re = compilePattern(pat);
    const global = flags.includes('g');
    let subs = 0;
    let linesChanged = 0;
    let lastRow = -1;
    const next = this.buf.lines.slice();
    for (let r = range[0] - 1; r <= range[1] - 1; r++) {
      const line = next[r]!;
      const ms = matchesIn(re, line);
      if (!ms.length) continue;
      const use = global ? ms : ms.slice(0, 1);
      let out = '';
      let at = 0;
      for (const [s, e] of use) {
        const matched = line.slice(s, e);
        out += line.slice(at, s) + rep.replace(/\\(.)|&/g, (_all: string, esc: string | undefined) => (esc === undefined ? matched : esc === 'n' ? '\0' : esc === 'r' ? '\n' : esc));
        at = e;
      }
      out += line.slice(at);
      next[r] = out;
      subs += use.length;
      linesChanged++;
      lastRow = r;
    }
    if (!subs) return this.say(`E486: Pattern not found: ${pat}`, true);
    this.checkpoint();
    // "\r" in the replacement splits the line, as in Vim
    const split: string[] = [];
    let rowShift = 0;
    for (let r = 0; r < next.length; r++) {
      const parts = next[r]!.split('\n');
      if (r < lastRow) rowShift += parts.length - 1;
      split.push(...parts);
    }
    this.buf.lines = split;
    this.row = lastRow + rowShift;
    this.col = this.firstNonBlank(this.row);
    this.setWant();
    if (subs > 2 || linesChanged > 2) this.say(`${subs} substitution${subs === 1 ? '' : 's'} on ${linesChanged} line${linesChanged === 1 ? '' : 's'}`);
  }

  /** :w [name] — Vim's messages; true when written. */
  private write(target: string | undefined, force: boolean, range?: [number, number]): boolean {
    const name = target ?? this.name;
    if (name === undefined) {
      this.say('E32: No file name', true);
      return false;
    }
    const shown = `"${displayName(this.ctx, name)}"`;
    // a buffer without a name takes the one it is first written to (Vim's 'cpoptions' F)
    const other = target !== undefined && target !== this.name && this.name !== undefined;
    if (!other && this.readonly && !force) {
      this.say("E45: 'readonly' option is set (add ! to override)", true);
      return false;
    }
    if (other && !force && this.name !== undefined) {
      const f = loadFile(this.ctx, name);
      if (f.exists) {
        this.say('E13: File exists (add ! to override)', true);
        return false;
      }
    }
    const lines = range ? this.buf.lines.slice(range[0] - 1, range[1]) : this.buf.lines;
    const text = lines.join('\n') + '\n';
    const r = saveFile(this.ctx, name, text, { force });
    if (!r.ok) {
      const why = r.code === 'EISDIR' ? 'E502: is a directory' : r.code === 'EFBIG' || r.code === 'ENOSPC' ? 'E514: Write error (file system full?)' : "E212: Can't open file for writing";
      this.say(`${shown} ${why}`, true);
      // Vim shows the name it was writing, the error under it, and waits for a key
      this.hitEnter = [shown, `${shown} ${why}`];
      return false;
    }
    if (this.name === undefined) this.name = name;
    if (!other && !range) {
      this.buf.markSaved();
      if (force) this.readonly = false;
    }
    this.say(`${shown}${r.created ? ' [New]' : ''} ${lines.length}L, ${r.bytes}B written`);
    return true;
  }
}

/** vi [+N | +] [-R] [file]: `view` and `-R` open read-only. */
export const vi: Command = async (ctx) => {
  let file: string | undefined;
  let readonly = ctx.name === 'view';
  let startLine: number | 'last' | undefined;
  const extra: string[] = [];
  for (const a of ctx.args) {
    if (a === '-R') readonly = true;
    else if (a === '+') startLine = 'last';
    else if (/^\+\d+$/.test(a)) startLine = parseInt(a.slice(1), 10);
    else if (a === '--version') {
      ctx.io.out.write('VIM - Vi IMproved 9.1 (ec2lite simulated vi: see docs/instances.md)\n');
      return 0;
    } else if (a === '-h' || a === '--help') {
      ctx.io.out.write(`Usage: ${ctx.name} [+N | +] [-R] [file]\n`);
      return 0;
    } else if (a.startsWith('-') && a !== '-') {
      ctx.io.err.write(`VIM - Vi IMproved 9.1: Unknown option argument: "${a}"\nMore info with: "vim -h"\n`);
      return 1;
    } else if (file === undefined) file = a;
    else extra.push(a);
  }
  if (!ctx.io.tty) ctx.io.err.write('Vim: Warning: Output is not to a terminal\n');
  if (!ctx.rt.terminal) ctx.io.err.write('Vim: Warning: Input is not from a terminal\n');
  let stdinText: string | undefined;
  if (file === '-') {
    file = undefined;
    ctx.io.err.write('Vim: Reading from stdin...\n');
    stdinText = (await ctx.io.input.readAll(MAX_EDIT_BYTES)).toString('utf8');
  }
  const editor = new Vi(ctx, file, { readonly, startLine, stdinText });
  if (file !== undefined) editor.args = [file, ...extra];
  await runFullScreen(ctx, editor, { altScreen: true, bracketedPaste: true });
  if (!ctx.rt.terminal && editor.hungUp) {
    ctx.io.err.write('Vim: Error reading input, exiting...\n');
    return 1;
  }
  return editor.status;
};
