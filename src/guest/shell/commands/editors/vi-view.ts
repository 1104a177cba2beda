// How vi lays buffer lines out on the screen: tabs to the next multiple of 8,
// control characters as ^X, long lines wrapped onto the next rows (vim's
// 'wrap' default), optional line numbers.
import { charWidth } from '../../../terminal/keys.js';

export const TABSTOP = 8;

/** Display cells of one character at virtual column `vcol`. */
export function cellsOf(ch: string, vcol: number): string {
  if (ch === '\t') return ' '.repeat(TABSTOP - (vcol % TABSTOP));
  if (ch < ' ') return `^${String.fromCharCode(ch.charCodeAt(0) + 64)}`;
  if (ch === '\x7f') return '^?';
  return ch;
}

function widthOf(ch: string, vcol: number): number {
  if (ch === '\t') return TABSTOP - (vcol % TABSTOP);
  return charWidth(ch);
}

/** The virtual column where the character at string index `idx` starts, and its width. */
export function vcolOf(line: string, idx: number): { start: number; width: number } {
  let v = 0;
  let i = 0;
  for (const ch of line) {
    if (i >= idx) return { start: v, width: widthOf(ch, v) };
    v += widthOf(ch, v);
    i += ch.length;
  }
  return { start: v, width: 1 };
}

/** The string index of the character covering virtual column `want` (or the last one). */
export function indexAtVcol(line: string, want: number): number {
  let v = 0;
  let i = 0;
  let last = 0;
  for (const ch of line) {
    const w = widthOf(ch, v);
    if (want < v + w) return i;
    last = i;
    v += w;
    i += ch.length;
  }
  return last;
}

/** Display width of a whole line. */
export function lineWidth(line: string): number {
  let v = 0;
  for (const ch of line) v += widthOf(ch, v);
  return v;
}

/** The screen rows a line takes at `textCols` columns (at least one). */
export function rowsOf(line: string, textCols: number): number {
  return Math.max(1, Math.ceil(lineWidth(line) / textCols));
}

/** A line cut into screen rows of `textCols` columns. */
export function wrapLine(line: string, textCols: number): string[] {
  const rows: string[] = [];
  let cur = '';
  let w = 0;
  let v = 0;
  for (const ch of line) {
    const cells = cellsOf(ch, v);
    const cw = ch === '\t' ? cells.length : ch < ' ' || ch === '\x7f' ? 2 : charWidth(ch);
    v += cw;
    if (w + cw > textCols && ch !== '\t') {
      rows.push(cur);
      cur = '';
      w = 0;
    }
    // a tab (or ^X) that does not fit goes on over the row end
    for (const c of ch === '\t' ? [...cells] : [cells]) {
      const cwi = ch === '\t' ? 1 : cw;
      if (w + cwi > textCols) {
        rows.push(cur);
        cur = '';
        w = 0;
      }
      cur += c;
      w += cwi;
    }
  }
  rows.push(cur);
  return rows;
}
