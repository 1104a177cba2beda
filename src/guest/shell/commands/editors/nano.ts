// nano: GNU nano's screen (title bar, edit window, status line, the two-row
// shortcut bar) and its everyday keys: typing, arrows, Home/End, PgUp/PgDn,
// ^O with the "File Name to Write:" prompt, ^X with "Save modified buffer?",
// ^K/^U cut and paste (consecutive ^K collect lines), ^W search, ^C cursor
// position, M-U/M-E undo/redo, ^_ / ^/ go to line, bracketed paste. The
// version shown follows the image (Ubuntu 24.04: 7.2, Amazon Linux 2023: 5.8).
import type { Key } from '../../../terminal/keys.js';
import { runFullScreen, textWidth, type Frame, type FullScreenProgram, type Row, type Size } from '../../../terminal/screen.js';
import type { Command, CommandContext } from '../../types.js';
import { loadFile, saveFile } from './edit-file.js';
import { compilePattern, LineBuffer, matchesIn } from './line-buffer.js';
import { cellsOf, indexAtVcol, lineWidth, vcolOf } from './vi-view.js';

type Prompt =
  | { kind: 'write'; text: string; thenExit: boolean }
  | { kind: 'save?' }
  | { kind: 'search'; text: string }
  | { kind: 'goto'; text: string };

const MAIN_SHORTCUTS: [string, string][][] = [
  [
    ['^G', 'Help'],
    ['^O', 'Write Out'],
    ['^W', 'Where Is'],
    ['^K', 'Cut'],
    ['^T', 'Execute'],
    ['^C', 'Location'],
    ['M-U', 'Undo'],
    ['M-A', 'Set Mark'],
    ['M-]', 'To Bracket'],
    ['M-Q', 'Previous'],
    ['^B', 'Back'],
    ['^Y', 'Prev Page'],
  ],
  [
    ['^X', 'Exit'],
    ['^R', 'Read File'],
    ['^\\', 'Replace'],
    ['^U', 'Paste'],
    ['^J', 'Justify'],
    ['^/', 'Go To Line'],
    ['M-E', 'Redo'],
    ['M-6', 'Copy'],
    ['^Q', 'Where Was'],
    ['M-W', 'Next'],
    ['^F', 'Forward'],
    ['^V', 'Next Page'],
  ],
];

const WRITE_SHORTCUTS: [string, string][][] = [
  [
    ['^G', 'Help'],
    ['M-D', 'DOS Format'],
    ['M-A', 'Append'],
    ['M-B', 'Backup File'],
  ],
  [
    ['^C', 'Cancel'],
    ['M-M', 'Mac Format'],
    ['M-P', 'Prepend'],
    ['^T', 'Browse'],
  ],
];

const YES_NO: [string, string][][] = [[[' Y', 'Yes']], [[' N', 'No'], ['^C', 'Cancel']]];

const SEARCH_SHORTCUTS: [string, string][][] = [
  [
    ['^G', 'Help'],
    ['M-C', 'Case Sens'],
    ['M-B', 'Backwards'],
    ['^P', 'Older'],
  ],
  [
    ['^C', 'Cancel'],
    ['M-R', 'Reg.exp.'],
    ['^R', 'Replace'],
    ['^N', 'Newer'],
  ],
];

export class Nano implements FullScreenProgram {
  buf: LineBuffer;
  row = 0;
  col = 0;
  private want = 0;
  private top = 0;
  private status: string | undefined;
  private prompt: Prompt | undefined;
  private cutBuffer: string[] = [];
  private lastWasCut = false;
  private lastSearch = '';
  done = false;
  name: string | undefined;
  private readonly version: string;

  constructor(
    private readonly ctx: CommandContext,
    file: string | undefined,
  ) {
    this.version = ctx.sys.prompt === 'debian' ? '7.2' : '5.8';
    this.name = file;
    this.buf = new LineBuffer([''], ctx.sys.now);
    if (file !== undefined) this.load(file);
  }

  private load(file: string): void {
    const f = loadFile(this.ctx, file);
    if (f.error === 'EISDIR') {
      this.status = `"${file}" is a directory`;
      this.name = undefined;
      return;
    }
    if (f.error === 'EACCES') {
      this.status = `Error reading ${file}: Permission denied`;
      return;
    }
    if (f.error === 'EFBIG') {
      this.status = `Error reading ${file}: File too large`;
      return;
    }
    if (!f.exists) {
      this.status = 'New File';
      return;
    }
    // nano keeps the final newline as an empty last line (the "magic line")
    this.buf = new LineBuffer(f.bytes === 0 ? [''] : [...f.lines, ''], this.ctx.sys.now);
    const n = f.bytes === 0 ? 0 : f.lines.length;
    this.status = f.unwritable ? `File '${file}' is unwritable` : `Read ${n} line${n === 1 ? '' : 's'}`;
  }

  // ---- drawing ---------------------------------------------------------------------------

  private editRows(size: Size): number {
    return Math.max(1, size.rows - 4);
  }

  frame(size: Size): Frame {
    const editRows = this.editRows(size);
    if (this.row < this.top) this.top = this.row;
    if (this.row >= this.top + editRows) this.top = this.row - editRows + 1;
    // nano scrolls by half a screen when the cursor leaves it
    const rows: Row[] = [this.titleBar(size)];
    let cursor = { row: 1, col: 0 };
    for (let i = 0; i < editRows; i++) {
      const r = this.top + i;
      const line = this.buf.lines[r];
      if (line === undefined) {
        rows.push([]);
        continue;
      }
      const shown = this.visibleLine(line, r === this.row, size.cols);
      rows.push([{ text: shown.text }]);
      if (r === this.row) cursor = { row: 1 + i, col: shown.cursorCol };
    }
    rows.push(this.statusRow(size));
    // nano 6 and later show Go To Line as ^/, nano 5 as ^_
    const main = this.version.startsWith('5') ? MAIN_SHORTCUTS.map((row) => row.map(([k, l]): [string, string] => (k === '^/' ? ['^_', l] : [k, l]))) : MAIN_SHORTCUTS;
    const bars = this.prompt?.kind === 'write' ? WRITE_SHORTCUTS : this.prompt?.kind === 'save?' ? YES_NO : this.prompt ? SEARCH_SHORTCUTS : main;
    rows.push(...this.shortcutRows(bars, size.cols));
    if (this.prompt) {
      const label = this.promptLabel();
      const text = 'text' in this.prompt ? this.prompt.text : '';
      cursor = { row: size.rows - 3, col: Math.min(size.cols - 1, textWidth(label) + textWidth(text)) };
    }
    return { rows: rows.slice(0, size.rows), cursor };
  }

  private titleBar(size: Size): Row {
    const left = `  GNU nano ${this.version}`;
    const name = this.name === undefined ? 'New Buffer' : this.name;
    const right = this.buf.modified ? 'Modified  ' : '';
    const cols = size.cols;
    let mid = Math.max(left.length + 1, Math.floor((cols - textWidth(name)) / 2));
    if (mid + textWidth(name) > cols - right.length) mid = Math.max(0, cols - right.length - textWidth(name));
    let bar = left.padEnd(mid) + name;
    bar = bar.padEnd(cols - right.length) + right;
    return [{ text: bar.slice(0, cols), reverse: true }];
  }

  /** A line as nano shows it: the current line scrolled so the cursor shows ('<' marks a cut start), others cut with '>'. */
  private visibleLine(line: string, current: boolean, cols: number): { text: string; cursorCol: number } {
    let cells = '';
    let v = 0;
    for (const ch of line) {
      const c = cellsOf(ch, v);
      cells += c;
      v += ch === '\t' ? c.length : textWidth(c);
    }
    const cur = current ? vcolOf(line, this.col).start : 0;
    const usable = Math.max(2, cols - 1);
    let start = 0;
    if (current && cur >= usable) start = Math.floor(cur / (usable - 1)) * (usable - 1);
    let text = sliceCols(cells, start, cols);
    if (start > 0) text = '<' + sliceCols(cells, start + 1, cols - 1);
    if (textWidth(cells) - start > cols) text = sliceCols(text, 0, cols - 1) + '>';
    return { text, cursorCol: cur - start };
  }

  private statusRow(size: Size): Row {
    if (this.prompt) {
      const label = this.promptLabel();
      const text = 'text' in this.prompt ? this.prompt.text : '';
      return [{ text: (label + text).padEnd(size.cols), reverse: true }];
    }
    if (!this.status) return [];
    const msg = `[ ${this.status} ]`;
    const pad = Math.max(0, Math.floor((size.cols - textWidth(msg)) / 2));
    return [{ text: ' '.repeat(pad) }, { text: msg, reverse: true }];
  }

  private promptLabel(): string {
    const p = this.prompt!;
    if (p.kind === 'write') return 'File Name to Write: ';
    if (p.kind === 'save?') return 'Save modified buffer? ';
    if (p.kind === 'goto') return 'Enter line number, column number: ';
    return this.lastSearch ? `Search [${this.lastSearch}]: ` : 'Search: ';
  }

  private shortcutRows(bars: [string, string][][], cols: number): Row[] {
    const perRow = Math.max(...bars.map((b) => b.length));
    const fit = Math.max(1, Math.min(perRow, Math.floor(cols / 13) || 1));
    const width = Math.floor(cols / fit);
    return bars.map((items) => {
      const row: Row = [];
      items.slice(0, fit).forEach(([k, label]) => {
        row.push({ text: k, reverse: true });
        row.push({ text: ` ${label}`.padEnd(width - k.length).slice(0, Math.max(0, width - k.length)) });
      });
      return row;
    });
  }

  // ---- keys ------------------------------------------------------------------------------

  private get line(): string {
    return this.buf.lines[this.row]!;
  }

  private set line(v: string) {
    this.buf.lines[this.row] = v;
  }

  private setWant(): void {
    this.want = vcolOf(this.line, this.col).start;
  }

  private toRow(row: number): void {
    this.row = Math.max(0, Math.min(this.buf.lines.length - 1, row));
    this.col = this.want >= lineWidth(this.line) ? this.line.length : indexAtVcol(this.line, this.want);
  }

  /** One undo step per edit kind run (typing a word is one step, as in nano). */
  private lastEdit: string | undefined;
  private edit(kind: string): void {
    if (kind !== this.lastEdit || kind === 'other') this.buf.checkpoint({ row: this.row, col: this.col });
    this.lastEdit = kind;
  }

  hangup(): void {
    this.done = true;
  }

  key(k: Key, size: Size): void {
    if (this.prompt) return this.promptKey(k);
    const wasCut = this.lastWasCut;
    this.lastWasCut = false;
    const lines = this.buf.lines;
    if (k.name !== 'char') this.lastEdit = k.name === 'backspace' || k.name === 'delete' ? this.lastEdit : undefined;
    switch (k.name) {
      case 'char':
        this.edit('type');
        this.line = this.line.slice(0, this.col) + k.ch! + this.line.slice(this.col);
        this.col += k.ch!.length;
        this.status = undefined;
        return this.setWant();
      case 'tab':
        this.edit('type');
        this.line = this.line.slice(0, this.col) + '\t' + this.line.slice(this.col);
        this.col++;
        return this.setWant();
      case 'paste':
        return this.insert(k.text ?? '');
      case 'enter':
        this.edit('other');
        lines.splice(this.row, 1, this.line.slice(0, this.col), this.line.slice(this.col));
        this.row++;
        this.col = 0;
        return this.setWant();
      case 'backspace':
        return this.backspace();
      case 'delete':
        return this.deleteForward();
      case 'left':
        if (this.col > 0) this.col--;
        else if (this.row > 0) {
          this.row--;
          this.col = this.line.length;
        }
        return this.setWant();
      case 'right':
        if (this.col < this.line.length) this.col++;
        else if (this.row < lines.length - 1) {
          this.row++;
          this.col = 0;
        }
        return this.setWant();
      case 'up':
        return this.toRow(this.row - 1);
      case 'down':
        return this.toRow(this.row + 1);
      case 'home':
        if (k.ctrl) this.row = 0;
        this.col = 0;
        return this.setWant();
      case 'end':
        if (k.ctrl) this.row = lines.length - 1;
        this.col = this.line.length;
        return this.setWant();
      case 'pageup':
        this.top = Math.max(0, this.top - this.editRows(size) + 2);
        return this.toRow(this.row - this.editRows(size) + 2);
      case 'pagedown':
        this.top = Math.min(Math.max(0, lines.length - 1), this.top + this.editRows(size) - 2);
        return this.toRow(this.row + this.editRows(size) - 2);
      case 'alt':
        return this.altKey(k.ch!.toLowerCase(), size);
      case 'ctrl':
        return this.ctrlKey(k.ch!, wasCut, size);
      default:
        return;
    }
  }

  private insert(text: string): void {
    this.edit('other');
    const l = this.line;
    const tail = l.slice(this.col);
    const parts = (l.slice(0, this.col) + text + tail).split('\n');
    this.buf.lines.splice(this.row, 1, ...parts);
    this.row += parts.length - 1;
    this.col = this.line.length - tail.length;
    this.setWant();
  }

  private backspace(): void {
    if (this.col > 0) {
      this.edit('backspace');
      this.line = this.line.slice(0, this.col - 1) + this.line.slice(this.col);
      this.col--;
    } else if (this.row > 0) {
      this.edit('other');
      const prev = this.buf.lines[this.row - 1]!;
      this.buf.lines.splice(this.row - 1, 2, prev + this.line);
      this.row--;
      this.col = prev.length;
    }
    this.setWant();
  }

  private deleteForward(): void {
    if (this.col < this.line.length) {
      this.edit('delete');
      this.line = this.line.slice(0, this.col) + this.line.slice(this.col + 1);
    } else if (this.row < this.buf.lines.length - 1) {
      this.edit('other');
      this.buf.lines.splice(this.row, 2, this.line + this.buf.lines[this.row + 1]!);
    }
  }

  private ctrlKey(ch: string, wasCut: boolean, size: Size): void {
    const lines = this.buf.lines;
    switch (ch) {
      case 'x':
        if (!this.buf.modified) {
          this.done = true;
          return;
        }
        this.prompt = { kind: 'save?' };
        return;
      case 'o':
      case 's':
        if (ch === 's' && this.name !== undefined) {
          this.writeTo(this.name);
          return;
        }
        this.prompt = { kind: 'write', text: this.name ?? '', thenExit: false };
        return;
      case 'k': {
        // cut the current line; consecutive cuts collect lines
        if (lines.length === 1 && lines[0] === '') return;
        this.edit('other');
        const cut = lines.splice(this.row, 1)[0]!;
        if (!lines.length) lines.push('');
        this.cutBuffer = wasCut ? [...this.cutBuffer, cut] : [cut];
        this.lastWasCut = true;
        if (this.row >= lines.length) this.row = lines.length - 1;
        this.col = 0;
        return this.setWant();
      }
      case 'u': {
        if (!this.cutBuffer.length) return;
        this.edit('other');
        const l = this.line;
        const parts = [l.slice(0, this.col) + this.cutBuffer[0]!, ...this.cutBuffer.slice(1)];
        // whole lines go in before the current line, the cursor stays on it
        lines.splice(this.row, 1, ...parts.slice(0, -1), parts[parts.length - 1]!);
        lines.splice(this.row + parts.length, 0, l.slice(this.col));
        this.row += parts.length;
        this.col = 0;
        return this.setWant();
      }
      case 'w':
        this.prompt = { kind: 'search', text: '' };
        return;
      case 'c': {
        const total = this.buf.lines.length;
        const chars = this.buf.lines.reduce((n, l) => n + [...l].length + 1, 0) - 1;
        const before = this.buf.lines.slice(0, this.row).reduce((n, l) => n + [...l].length + 1, 0) + [...this.line.slice(0, this.col)].length;
        const lineLen = [...this.line].length + 1;
        const pct = (a: number, b: number) => Math.floor((a * 100) / Math.max(1, b));
        this.status = `line ${this.row + 1}/${total} (${pct(this.row + 1, total)}%), col ${this.col + 1}/${lineLen} (${pct(this.col + 1, lineLen)}%), char ${before}/${chars} (${pct(before, chars)}%)`;
        return;
      }
      case 'a':
        this.col = 0;
        return this.setWant();
      case 'e':
        this.col = this.line.length;
        return this.setWant();
      case 'p':
        return this.toRow(this.row - 1);
      case 'n':
        return this.toRow(this.row + 1);
      case 'b':
        return this.key({ name: 'left' }, size);
      case 'f':
        return this.key({ name: 'right' }, size);
      case 'y':
        return this.key({ name: 'pageup' }, size);
      case 'v':
        return this.key({ name: 'pagedown' }, size);
      case 'd':
        return this.deleteForward();
      case 'h':
        return this.backspace();
      case 'm':
      case 'j':
        if (ch === 'm') return this.key({ name: 'enter' }, size);
        this.status = 'Justify is not available on this simulated instance';
        return;
      case 'i':
        return this.key({ name: 'tab' }, size);
      case '_':
      case '/':
        this.prompt = { kind: 'goto', text: '' };
        return;
      case 'l':
        return;
      case 'g':
      case 'r':
      case 't':
      case '\\':
        this.status = 'Not available on this simulated instance (see docs/instances.md)';
        return;
      default:
        return;
    }
  }

  private altKey(ch: string, size: Size): void {
    switch (ch) {
      case 'u': {
        const u = this.buf.undo();
        this.lastEdit = undefined;
        if (!u) {
          this.status = 'Nothing to undo';
          return;
        }
        this.row = Math.min(u.row, this.buf.lines.length - 1);
        this.col = Math.min(u.col, this.line.length);
        this.status = 'Undid action';
        return this.setWant();
      }
      case 'e': {
        const r = this.buf.redo();
        this.lastEdit = undefined;
        if (!r) {
          this.status = 'Nothing to redo';
          return;
        }
        this.row = Math.min(r.row, this.buf.lines.length - 1);
        this.col = Math.min(r.col, this.line.length);
        this.status = 'Redid action';
        return this.setWant();
      }
      case '6':
        this.cutBuffer = [this.line];
        this.row = Math.min(this.buf.lines.length - 1, this.row + 1);
        this.col = 0;
        return this.setWant();
      case '\\':
        this.row = 0;
        this.col = 0;
        return this.setWant();
      case '/':
        this.row = this.buf.lines.length - 1;
        this.col = this.line.length;
        return this.setWant();
      case 'w':
        if (!this.lastSearch) {
          this.status = 'No current search pattern';
          return;
        }
        return this.search(this.lastSearch);
      default:
        void size;
        return;
    }
  }

  private promptKey(k: Key): void {
    const p = this.prompt!;
    if ((k.name === 'ctrl' && k.ch === 'c') || k.name === 'escape') {
      this.prompt = undefined;
      this.status = 'Cancelled';
      return;
    }
    if (p.kind === 'save?') {
      const c = k.name === 'char' ? k.ch!.toLowerCase() : '';
      if (c === 'y') this.prompt = { kind: 'write', text: this.name ?? '', thenExit: true };
      else if (c === 'n') this.done = true;
      return;
    }
    switch (k.name) {
      case 'char':
        p.text += k.ch!;
        return;
      case 'paste':
        p.text += (k.text ?? '').split('\n')[0]!;
        return;
      case 'backspace':
        p.text = [...p.text].slice(0, -1).join('');
        return;
      case 'ctrl':
        if (k.ch === 'u') p.text = '';
        if (k.ch === 'm' || k.ch === 'j') return this.promptKey({ name: 'enter' });
        return;
      case 'enter':
        this.prompt = undefined;
        if (p.kind === 'write') {
          if (!p.text) {
            this.status = 'Cancelled';
            return;
          }
          const ok = this.writeTo(p.text);
          if (ok && p.thenExit) this.done = true;
          return;
        }
        if (p.kind === 'goto') {
          const m = /^\s*(-?\d+)?\s*(?:[,\s]\s*(-?\d+))?\s*$/.exec(p.text);
          if (!m || (!m[1] && !m[2])) {
            this.status = 'Invalid line or column number';
            return;
          }
          const total = this.buf.lines.length;
          const ln = m[1] ? parseInt(m[1], 10) : this.row + 1;
          this.row = Math.max(0, Math.min(total - 1, ln < 0 ? total + ln : ln - 1));
          this.col = m[2] ? Math.max(0, Math.min(this.line.length, parseInt(m[2], 10) - 1)) : 0;
          return this.setWant();
        }
        if (p.text) this.lastSearch = p.text;
        if (!this.lastSearch) {
          this.status = 'Cancelled';
          return;
        }
        return this.search(this.lastSearch);
      default:
        return;
    }
  }

  /** Forward from the cursor, wrapping (nano's search is literal text, case-insensitive by default). */
  private search(text: string): void {
    const re = compilePattern(text.replace(/[\\^$.]/g, '\\$&'), true);
    const lines = this.buf.lines;
    const total = lines.length;
    for (let i = 0; i <= total; i++) {
      const r = (this.row + i) % total;
      const ms = matchesIn(re, lines[r]!).map(([s]) => s);
      const c = i === 0 ? ms.find((s) => s > this.col) : i === total ? ms.find((s) => s <= this.col) : ms[0];
      if (c !== undefined) {
        const wrapped = this.row + i >= total;
        if (i === total && c === this.col) this.status = 'This is the only occurrence';
        else this.status = wrapped ? 'Search Wrapped' : undefined;
        this.row = r;
        this.col = c;
        return this.setWant();
      }
    }
    this.status = `"${text}" not found`;
  }

  /** Write the buffer: nano's messages ("Wrote N lines", "Error writing …: Permission denied"). */
  private writeTo(name: string): boolean {
    const lines = this.buf.lines;
    // the empty magic line is the final newline
    const body = lines[lines.length - 1] === '' ? lines.slice(0, -1) : lines.slice();
    const text = body.length ? body.join('\n') + '\n' : '';
    const r = saveFile(this.ctx, name, text);
    if (!r.ok) {
      const why = r.code === 'EACCES' || r.code === 'EPERM' ? 'Permission denied' : r.code === 'ENOENT' ? 'No such file or directory' : r.code === 'EISDIR' ? 'Is a directory' : r.code === 'ENOSPC' ? 'No space left on device' : 'File too large';
      this.status = `Error writing ${name}: ${why}`;
      return false;
    }
    if (lines[lines.length - 1] !== '') lines.push('');
    this.name = name;
    this.buf.markSaved();
    this.status = `Wrote ${body.length} line${body.length === 1 ? '' : 's'}`;
    return true;
  }
}

/** The part of a cell string from display column `from`, `cols` wide. */
function sliceCols(s: string, from: number, cols: number): string {
  let out = '';
  let w = 0;
  for (const ch of s) {
    const cw = textWidth(ch);
    if (w >= from && w + cw <= from + cols) out += ch;
    w += cw;
    if (w >= from + cols) break;
  }
  return out;
}

/** nano [+LINE[,COLUMN]] [file] */
export const nano: Command = async (ctx) => {
  let file: string | undefined;
  let start: [number, number] | undefined;
  for (const a of ctx.args) {
    const m = /^\+(\d+)(?:,(\d+))?$/.exec(a);
    if (m) start = [parseInt(m[1]!, 10), m[2] ? parseInt(m[2], 10) : 1];
    else if (a === '--version' || a === '-V') {
      ctx.io.out.write(` GNU nano, version ${ctx.sys.prompt === 'debian' ? '7.2' : '5.8'} (ec2lite simulated nano: see docs/instances.md)\n`);
      return 0;
    } else if (a.startsWith('-') && a !== '-') continue;
    else if (file === undefined) file = a;
  }
  if (!ctx.rt.terminal && !ctx.io.tty) {
    ctx.io.err.write('Too many errors from stdin\n');
    return 1;
  }
  const editor = new Nano(ctx, file);
  if (start) {
    editor.row = Math.max(0, Math.min(editor.buf.lines.length - 1, start[0] - 1));
    editor.col = Math.max(0, Math.min(editor.buf.lines[editor.row]!.length, start[1] - 1));
  }
  await runFullScreen(ctx, editor, { altScreen: true, bracketedPaste: true });
  return 0;
};
