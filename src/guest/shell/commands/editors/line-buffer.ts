// The text an editor holds: lines, with undo/redo as whole-buffer snapshots
// (one per change, as vim counts an Insert session as one change) and a
// "modified" flag that is clear again when undo returns to the saved state.
export interface Cursor {
  row: number;
  col: number;
}

interface Snapshot extends Cursor {
  lines: string[];
  seq: number;
  at: number;
}

/** Undo levels kept (vim's 'undolevels' default). */
const UNDO_LEVELS = 1000;

export class LineBuffer {
  lines: string[];
  private undos: Snapshot[] = [];
  private redos: Snapshot[] = [];
  /** The change number of the current text (vim's `#N`). */
  seq = 0;
  private nextSeq = 1;
  private savedSeq = 0;

  constructor(
    lines: string[],
    private readonly now: () => number = Date.now,
  ) {
    this.lines = lines.length ? lines : [''];
  }

  get modified(): boolean {
    return this.seq !== this.savedSeq;
  }

  markSaved(): void {
    this.savedSeq = this.seq;
  }

  /** Call before a change: the current text becomes an undo step. */
  checkpoint(at: Cursor): void {
    this.undos.push({ lines: this.lines.slice(), row: at.row, col: at.col, seq: this.seq, at: this.now() });
    if (this.undos.length > UNDO_LEVELS) this.undos.shift();
    this.redos = [];
    this.seq = this.nextSeq++;
  }

  /** A checkpointed change that changed nothing (Insert mode left at once): forget it. */
  dropCheckpoint(): void {
    const s = this.undos.pop();
    if (s) this.seq = s.seq;
  }

  /** Whether the text differs from the last checkpoint. */
  changedSinceCheckpoint(): boolean {
    const s = this.undos[this.undos.length - 1];
    if (!s) return false;
    return s.lines.length !== this.lines.length || s.lines.some((l, i) => l !== this.lines[i]);
  }

  undo(): (Cursor & { before: string[]; seqAfter: number; at: number; undone: number }) | undefined {
    const s = this.undos.pop();
    if (!s) return undefined;
    const undone = this.seq;
    this.redos.push({ lines: this.lines, row: s.row, col: s.col, seq: this.seq, at: this.now() });
    const before = this.lines;
    this.lines = s.lines;
    this.seq = s.seq;
    return { row: s.row, col: s.col, before, seqAfter: s.seq, at: s.at, undone };
  }

  redo(): (Cursor & { before: string[]; seq: number }) | undefined {
    const s = this.redos.pop();
    if (!s) return undefined;
    this.undos.push({ lines: this.lines, row: s.row, col: s.col, seq: this.seq, at: this.now() });
    const before = this.lines;
    this.lines = s.lines;
    this.seq = s.seq;
    return { row: s.row, col: s.col, before, seq: s.seq };
  }

  /** The file's text: lines joined, with a final newline. */
  text(): string {
    return this.lines.join('\n') + '\n';
  }
}

/**
 * A search pattern as a linear-time matcher: the text is literal except `^` at the start and `$` at
 * the end (anchors) and `.` (any character); `\.`, `\^`… are the characters themselves. No
 * repetition operators, so no pattern can backtrack.
 */
export function compilePattern(pattern: string, ignoreCase = false): RegExp {
  let src = '';
  let i = 0;
  if (pattern.startsWith('^')) {
    src += '^';
    i = 1;
  }
  let end = pattern.length;
  let anchoredEnd = false;
  if (end > i && pattern.endsWith('$') && !pattern.endsWith('\\$')) {
    anchoredEnd = true;
    end--;
  }
  for (; i < end; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < end) {
      src += escapeRe(pattern[++i]!);
      continue;
    }
    src += c === '.' ? '.' : escapeRe(c);
  }
  if (anchoredEnd) src += '$';
  return new RegExp(src, ignoreCase ? 'gi' : 'g');
}

const escapeRe = (c: string) => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** Matches of `re` in `line` as [start, end) pairs (empty matches skipped). */
export function matchesIn(re: RegExp, line: string): [number, number][] {
  const out: [number, number][] = [];
  re.lastIndex = 0;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      if (re.lastIndex > line.length) break;
      continue;
    }
    out.push([m.index, m.index + m[0].length]);
  }
  return out;
}
