// less and more. When standard output is not the terminal both behave like
// cat (more puts ":::::" headers between several files, as util-linux more
// does). On the terminal, less is full screen (alternate screen, long lines
// wrapped, "~" past the end, the file name then ":" then "(END)" as prompt;
// space/f b d u j k g G, /pattern ?pattern n N, :n :p, = and q), and more
// pages forward through the scrollback with a "--More--(NN%)" prompt
// (space, Enter, d, b, /pattern, =, q). Patterns are literal text with ^ $ .
import { isFsError } from '../../../fs/errors.js';
import { resolvePath } from '../../../fs/vfs.js';
import type { Key } from '../../../terminal/keys.js';
import { KeyDecoder } from '../../../terminal/keys.js';
import { openKeyboard, runFullScreen, terminalSize, type Frame, type FullScreenProgram, type Row, type Size } from '../../../terminal/screen.js';
import type { Command, CommandContext } from '../../types.js';
import { compilePattern, matchesIn } from './line-buffer.js';
import { MAX_EDIT_BYTES } from './edit-file.js';
import { wrapLine } from './vi-view.js';

interface Doc {
  name: string;
  text: string;
}

/** The files (or stdin) as text; errors are reported in the pager's words and skipped. */
async function readDocs(ctx: CommandContext, files: string[], onError: (name: string, why: string) => void): Promise<Doc[]> {
  const docs: Doc[] = [];
  if (!files.length) files = ['-'];
  for (const f of files) {
    if (f === '-') {
      docs.push({ name: '-', text: (await ctx.io.input.readAll(MAX_EDIT_BYTES)).toString('utf8') });
      continue;
    }
    const path = resolvePath(ctx.proc.cwd, f);
    try {
      if (ctx.sys.vfs.stat(ctx.proc.cred, path).type === 'dir') {
        onError(f, 'is a directory');
        continue;
      }
      docs.push({ name: f, text: ctx.sys.vfs.readFile(ctx.proc.cred, path).toString('utf8') });
    } catch (e) {
      if (!isFsError(e)) throw e;
      onError(f, e.text);
    }
  }
  return docs;
}

function linesOf(text: string): string[] {
  if (!text) return [];
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}

/** Screen rows of a document at `cols`: each row remembers its source line. */
function layout(text: string, cols: number): { text: string; line: number }[] {
  const rows: { text: string; line: number }[] = [];
  linesOf(text).forEach((l, i) => {
    for (const r of wrapLine(l, cols)) rows.push({ text: r, line: i });
  });
  return rows;
}

/** Row spans with the matches of `re` in reverse video. */
function highlighted(text: string, re: RegExp | undefined): Row {
  if (!re) return [{ text }];
  const row: Row = [];
  let at = 0;
  for (const [s, e] of matchesIn(re, text)) {
    if (s > at) row.push({ text: text.slice(at, s) });
    row.push({ text: text.slice(s, e), reverse: true });
    at = e;
  }
  if (at < text.length) row.push({ text: text.slice(at) });
  return row;
}

export class Less implements FullScreenProgram {
  private docIndex = 0;
  private top = 0;
  private rows: { text: string; line: number }[] = [];
  private laidOutFor = -1;
  private count = '';
  private prompt: { prefix: string; text: string } | undefined;
  private message: string | undefined;
  private pattern: string | undefined;
  private backward = false;
  private firstScreen = true;
  done = false;

  constructor(private readonly docs: Doc[]) {}

  private get doc(): Doc {
    return this.docs[this.docIndex]!;
  }

  private relayout(size: Size): void {
    if (this.laidOutFor === size.cols) return;
    const line = this.rows[this.top]?.line ?? 0;
    this.rows = layout(this.doc.text, size.cols);
    this.laidOutFor = size.cols;
    const at = this.rows.findIndex((r) => r.line >= line);
    this.top = at < 0 ? 0 : at;
  }

  private pageRows(size: Size): number {
    return Math.max(1, size.rows - 1);
  }

  private maxTop(size: Size): number {
    return Math.max(0, this.rows.length - this.pageRows(size));
  }

  frame(size: Size): Frame {
    this.relayout(size);
    const page = this.pageRows(size);
    this.top = Math.max(0, Math.min(this.top, this.maxTop(size)));
    const re = this.pattern ? compilePattern(this.pattern) : undefined;
    const out: Row[] = [];
    for (let i = 0; i < page; i++) {
      const r = this.rows[this.top + i];
      out.push(r ? highlighted(r.text, re) : [{ text: '~', bold: true }]);
    }
    let bottom: Row;
    if (this.prompt) bottom = [{ text: this.prompt.prefix + this.prompt.text }];
    else if (this.message) bottom = [{ text: this.message, reverse: true }];
    else if (this.top + page >= this.rows.length) {
      const next = this.docs[this.docIndex + 1];
      bottom = [{ text: next ? `(END) - Next: ${next.name}` : '(END)', reverse: true }];
    } else if (this.firstScreen && this.doc.name !== '-') bottom = [{ text: this.doc.name, reverse: true }];
    else bottom = [{ text: ':' }];
    out.push(bottom);
    const text = bottom.map((s) => s.text).join('');
    return { rows: out, cursor: { row: size.rows - 1, col: Math.min(size.cols - 1, [...text].length) } };
  }

  hangup(): void {
    this.done = true;
  }

  key(k: Key, size: Size): void {
    this.relayout(size);
    if (this.prompt) return this.promptKey(k, size);
    if (this.message) {
      this.message = undefined;
      if (k.name === 'enter') return;
    }
    let c = '';
    if (k.name === 'char') c = k.ch!;
    else if (k.name === 'ctrl') c = `^${k.ch!.toUpperCase()}`;
    else c = k.name;
    if (/^[0-9]$/.test(c)) {
      this.count += c;
      return;
    }
    const n = this.count ? parseInt(this.count, 10) : undefined;
    this.count = '';
    const page = this.pageRows(size);
    const half = Math.max(1, Math.floor(page / 2));
    this.firstScreen = false;
    switch (c) {
      case 'q':
      case 'Q':
        this.done = true;
        return;
      case ' ':
      case 'f':
      case '^F':
      case '^V':
      case 'pagedown':
      case 'z':
        return this.scroll(n ?? page, size);
      case 'b':
      case '^B':
      case 'pageup':
      case 'w':
        return this.scroll(-(n ?? page), size);
      case 'enter':
      case 'j':
      case 'e':
      case '^N':
      case '^E':
      case '^J':
      case 'down':
        return this.scroll(n ?? 1, size);
      case 'k':
      case 'y':
      case '^Y':
      case '^P':
      case '^K':
      case 'up':
        return this.scroll(-(n ?? 1), size);
      case 'd':
      case '^D':
        return this.scroll(n ?? half, size);
      case 'u':
      case '^U':
        return this.scroll(-(n ?? half), size);
      case 'g':
      case '<':
      case 'home':
        this.top = n ? Math.max(0, this.rows.findIndex((r) => r.line >= n - 1)) : 0;
        return;
      case 'G':
      case '>':
      case 'end':
        this.top = n ? Math.max(0, this.rows.findIndex((r) => r.line >= n - 1)) : this.maxTop(size);
        return;
      case '/':
      case '?':
        this.prompt = { prefix: c, text: '' };
        return;
      case ':':
        this.prompt = { prefix: ':', text: '' };
        return;
      case 'n':
      case 'N':
        if (this.pattern === undefined) {
          this.message = 'No previous regular expression  (press RETURN)';
          return;
        }
        return this.search(c === 'N' ? !this.backward : this.backward, size);
      case '=':
      case '^G': {
        const lines = linesOf(this.doc.text).length;
        const first = (this.rows[this.top]?.line ?? 0) + 1;
        const last = (this.rows[Math.min(this.rows.length - 1, this.top + page - 1)]?.line ?? 0) + 1;
        const pct = this.rows.length ? Math.floor((Math.min(this.rows.length, this.top + page) * 100) / this.rows.length) : 100;
        const name = this.doc.name === '-' ? '' : `${this.doc.name} `;
        this.message = `${name}lines ${first}-${last}/${lines} byte ${Buffer.byteLength(this.doc.text)} ${pct}%  (press RETURN)`;
        return;
      }
      case '^L':
      case '^R':
      case 'r':
        return;
      default:
        return;
    }
  }

  private scroll(by: number, size: Size): void {
    this.top = Math.max(0, Math.min(this.maxTop(size), this.top + by));
  }

  private promptKey(k: Key, size: Size): void {
    const p = this.prompt!;
    if (k.name === 'escape' || (k.name === 'ctrl' && k.ch === 'c')) {
      this.prompt = undefined;
      return;
    }
    if (k.name === 'backspace') {
      if (!p.text) this.prompt = undefined;
      else p.text = [...p.text].slice(0, -1).join('');
      return;
    }
    if (k.name === 'char') {
      p.text += k.ch!;
      // single-key colon commands run at once, as in less
      if (p.prefix === ':' && /^[npqx]$/.test(p.text)) return this.colon(p.text, size);
      return;
    }
    if (k.name === 'paste') {
      p.text += (k.text ?? '').split('\n')[0]!;
      return;
    }
    if (k.name !== 'enter') return;
    this.prompt = undefined;
    if (p.prefix === ':') return this.colon(p.text, size);
    if (p.text) this.pattern = p.text;
    if (this.pattern === undefined) return;
    this.backward = p.prefix === '?';
    this.search(this.backward, size);
  }

  private colon(cmd: string, size: Size): void {
    this.prompt = undefined;
    if (cmd === 'q' || cmd === 'Q') {
      this.done = true;
      return;
    }
    if (cmd === 'n' || cmd === 'p') {
      const next = this.docIndex + (cmd === 'n' ? 1 : -1);
      if (next < 0 || next >= this.docs.length) {
        this.message = cmd === 'n' ? 'No next file  (press RETURN)' : 'No previous file  (press RETURN)';
        return;
      }
      this.docIndex = next;
      this.laidOutFor = -1;
      this.rows = [];
      this.top = 0;
      this.firstScreen = true;
      this.relayout(size);
    }
  }

  /** Search from the screen's first line (forward: after it), as less does; the match's line goes to the top. */
  private search(backward: boolean, size: Size): void {
    const re = compilePattern(this.pattern!);
    const lines = linesOf(this.doc.text);
    const from = this.rows[this.top]?.line ?? 0;
    let found = -1;
    if (backward) {
      for (let i = from - 1; i >= 0; i--) if (matchesIn(re, lines[i]!).length) {
        found = i;
        break;
      }
    } else {
      for (let i = from + 1; i < lines.length; i++) if (matchesIn(re, lines[i]!).length) {
        found = i;
        break;
      }
    }
    if (found < 0) {
      this.message = 'Pattern not found  (press RETURN)';
      return;
    }
    this.top = Math.min(this.maxTop(size), Math.max(0, this.rows.findIndex((r) => r.line === found)));
  }
}

export const less: Command = async (ctx) => {
  const files = ctx.args.filter((a) => !a.startsWith('-') || a === '-');
  if (!files.length && ctx.rt.terminal?.isStdin(ctx.io.input)) {
    ctx.io.err.write('Missing filename ("less --help" for help)\n');
    return 1;
  }
  let status = 0;
  const docs = await readDocs(ctx, files, (name, why) => {
    ctx.io.err.write(why === 'is a directory' ? `${name} is a directory\n` : `${name}: ${why}\n`);
    status = 1;
  });
  if (!ctx.io.tty || !ctx.rt.terminal) {
    for (const d of docs) ctx.io.out.write(d.text);
    return status;
  }
  if (!docs.length) return status;
  const prog = new Less(docs);
  await runFullScreen(ctx, prog, { altScreen: true, bracketedPaste: false });
  return status;
};

const HEADER = (name: string) => `::::::::::::::\n${name}\n::::::::::::::\n`;

export const more: Command = async (ctx) => {
  const files = ctx.args.filter((a) => !a.startsWith('-') || a === '-');
  if (!files.length && ctx.rt.terminal?.isStdin(ctx.io.input)) {
    ctx.io.err.write("more: bad usage\nTry 'more --help' for more information.\n");
    return 1;
  }
  let status = 0;
  const docs = await readDocs(ctx, files, (name, why) => {
    ctx.io.err.write(why === 'is a directory' ? `\n*** ${name}: directory ***\n\n` : `more: cannot open ${name}: ${why}\n`);
    status = 1;
  });
  const many = docs.length > 1;
  if (!ctx.io.tty || !ctx.rt.terminal) {
    for (const d of docs) ctx.io.out.write((many ? HEADER(d.name) : '') + d.text);
    return status;
  }
  await pageMore(ctx, docs.map((d) => ({ name: d.name, text: (many ? HEADER(d.name) : '') + d.text })));
  return status;
};

/** more on the terminal: pages written into the scrollback, a prompt that is erased as it goes. */
async function pageMore(ctx: CommandContext, docs: Doc[]): Promise<void> {
  const out = ctx.io.out;
  let keyboard: ReturnType<typeof openKeyboard> | undefined;
  const decoder = new KeyDecoder();
  try {
    for (const doc of docs) {
      let size = terminalSize(ctx);
      let rows = layout(doc.text, size.cols);
      const total = Buffer.byteLength(doc.text);
      let shown = 0;
      const show = (n: number) => {
        const part = rows.slice(shown, shown + n);
        if (part.length) out.write(part.map((r) => r.text + '\n').join(''));
        shown += part.length;
      };
      show(Math.max(1, size.rows - 1));
      while (shown < rows.length) {
        const bytes = rows.slice(0, shown).reduce((n, r, i, a) => n + Buffer.byteLength(r.text) + (a[i + 1]?.line !== r.line ? 1 : 0), 0);
        const prompt = doc.name === '-' ? '--More--' : `--More--(${Math.min(99, Math.floor((bytes * 100) / Math.max(1, total)))}%)`;
        out.write(`\x1b[7m${prompt}\x1b[0m`);
        keyboard ??= openKeyboard(ctx);
        await out.drain?.();
        const ev = await keyboard.next(ctx.rt.signal);
        ctx.rt.resumed();
        out.write('\r\x1b[K');
        if (ev === null) return;
        ctx.rt.activity();
        if (ev.t === 'resize') {
          size = terminalSize(ctx);
          const line = rows[shown - 1]?.line ?? 0;
          rows = layout(doc.text, size.cols);
          shown = rows.findIndex((r) => r.line > line);
          if (shown < 0) shown = rows.length;
          continue;
        }
        const page = Math.max(1, size.rows - 1);
        let quit = false;
        for (const k of decoder.feed(ev.data)) {
          const c = k.name === 'char' ? k.ch! : k.name === 'ctrl' ? `^${k.ch}` : k.name;
          if (c === 'q' || c === 'Q' || c === '^c') quit = true;
          else if (c === ' ' || c === 'z' || c === 'f' || c === 'pagedown') show(page);
          else if (c === 'enter' || c === 'j' || c === 'down') show(1);
          else if (c === 'd' || c === '^d') show(11);
          else if ((c === 'b' || c === '^b' || c === 'pageup') && doc.name !== '-') {
            shown = Math.max(0, shown - 2 * page);
            out.write('\n...back 1 page\n');
            show(page);
          } else if (c === '=') out.write(`\x1b[7m${(rows[shown - 1]?.line ?? 0) + 1}\x1b[0m`);
          else if (c === '/') {
            const pat = await readMoreLine(ctx, keyboard, decoder, '/');
            if (pat === null) return;
            if (!pat) continue;
            const re = compilePattern(pat);
            const from = rows[shown - 1]?.line ?? -1;
            const hit = linesOf(doc.text).findIndex((l, i) => i > from && matchesIn(re, l).length > 0);
            if (hit < 0) {
              out.write('\x1b[7mPattern not found\x1b[0m');
              continue;
            }
            out.write('\r\x1b[K...skipping\n');
            shown = Math.max(0, rows.findIndex((r) => r.line >= Math.max(0, hit - 2)));
            show(page);
          }
          if (quit || shown >= rows.length) break;
        }
        if (quit) return;
      }
    }
  } finally {
    keyboard?.release();
  }
}

/** A line typed after more's `/`, echoed on the prompt row; null when the keyboard went away. */
async function readMoreLine(ctx: CommandContext, kb: ReturnType<typeof openKeyboard>, decoder: KeyDecoder, prefix: string): Promise<string | null> {
  let text = '';
  ctx.io.out.write(prefix);
  for (;;) {
    await ctx.io.out.drain?.();
    const ev = await kb.next(ctx.rt.signal);
    ctx.rt.resumed();
    if (ev === null) return null;
    if (ev.t !== 'data') continue;
    for (const k of decoder.feed(ev.data)) {
      if (k.name === 'enter') {
        ctx.io.out.write('\r\x1b[K');
        return text;
      }
      if (k.name === 'escape' || (k.name === 'ctrl' && k.ch === 'c')) {
        ctx.io.out.write('\r\x1b[K');
        return '';
      }
      if (k.name === 'backspace') text = [...text].slice(0, -1).join('');
      else if (k.name === 'char') text += k.ch!;
      ctx.io.out.write(`\r\x1b[K${prefix}${text}`);
    }
  }
}
