// An interactive terminal for end-to-end tests: a private tmux server (its own socket, no config)
// running one command in a pane of a given size. Tests type with send-keys, paste with
// paste-buffer (bracketed when the program asked for it, as a terminal does), read the screen
// with capture-pane and resize the window (the program gets SIGWINCH, ssh a window-change).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { requireTools, runAsync, tempDir, type TempDir } from './tools.js';

requireTools(['/usr/bin/tmux'], 'the interactive terminal tests (apt-get install tmux)');

export class Tmux {
  private readonly dir: TempDir;
  private readonly socket: string;

  private constructor() {
    this.dir = tempDir('ec2lite-tmux-');
    this.socket = join(this.dir.path, 'sock');
  }

  /** A detached session of `cols`x`rows` running `command` (argv, quoted for tmux's shell). */
  static async start(command: string[], size: { cols: number; rows: number }): Promise<Tmux> {
    const t = new Tmux();
    const line = command.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    // (a pane whose command has exited shows nothing: keep the command running to read its output)
    await t.tmux(['-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', String(size.cols), '-y', String(size.rows), line]);
    return t;
  }

  private async tmux(args: string[]): Promise<string> {
    const r = await runAsync('/usr/bin/tmux', ['-S', this.socket, ...args]);
    assert.equal(r.code, 0, `tmux ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  }

  /** Keys by tmux name (Enter, Escape, C-x, Down, M-/) or literal text with `literal`. */
  async keys(...keys: string[]): Promise<void> {
    await this.tmux(['send-keys', '-t', 'main', ...keys]);
  }

  async type(text: string): Promise<void> {
    await this.tmux(['send-keys', '-t', 'main', '-l', text]);
  }

  /** Paste `text` as a terminal does: bracketed (ESC[200~ … ESC[201~) if the program enabled it. */
  async paste(text: string): Promise<void> {
    await this.tmux(['set-buffer', '-b', 'p', text]);
    await this.tmux(['paste-buffer', '-p', '-d', '-b', 'p', '-t', 'main']);
  }

  /** The visible screen, one string per row (trailing blanks trimmed). */
  async screen(): Promise<string[]> {
    const out = await this.tmux(['capture-pane', '-p', '-t', 'main']);
    return out.replace(/\n$/, '').split('\n').map((l) => l.replace(/\s+$/, ''));
  }

  /**
   * Polls the screen until `re` matches its text on two polls in a row with the same screen, so a
   * screen still being drawn (a loaded machine draws in pieces) is not read half done. Bounded by a
   * number of polls, not a time threshold.
   */
  async waitFor(re: RegExp, polls = 600): Promise<string[]> {
    let last: string[] = [];
    let matched: string | undefined;
    for (let i = 0; i < polls; i++) {
      last = await this.screen();
      const text = last.join('\n');
      if (re.test(text)) {
        if (matched === text) return last;
        matched = text;
      } else matched = undefined;
      await new Promise((r) => setTimeout(r, 25));
    }
    // the bottom rows first (status lines, prompts): CI logs cut long messages short
    const shown = last.join('\n').replace(/\n{3,}/g, '\n…\n');
    assert.fail(`screen never matched ${re}; bottom rows:\n${last.slice(-4).join('\n')}\nwhole screen (blank runs folded):\n${shown}`);
  }

  async resize(cols: number, rows: number): Promise<void> {
    await this.tmux(['resize-window', '-t', 'main', '-x', String(cols), '-y', String(rows)]);
  }

  async size(): Promise<{ cols: number; rows: number }> {
    const [c, r] = (await this.tmux(['display-message', '-p', '-t', 'main', '#{pane_width} #{pane_height}'])).trim().split(' ');
    return { cols: Number(c), rows: Number(r) };
  }

  async close(): Promise<void> {
    await runAsync('/usr/bin/tmux', ['-S', this.socket, 'kill-server']);
    this.dir.cleanup();
  }
}
