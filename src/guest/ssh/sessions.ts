// The simulated engine's SSH sessions: what exec, shell (with or without a terminal) and SFTP run
// on an instance's guest. The transport (compute/ssh/transport.ts) authenticates and dispatches
// channels; here a channel becomes a shell session over the simulated OS: a terminal line
// discipline and line editor for interactive shells, the guest's filesystem for SFTP.
import { StringDecoder } from 'node:string_decoder';
import type { SessionChannel, SessionHandlers, SftpSession } from '../../compute/guest-engine.js';
import { ROOT_CRED } from '../fs/vfs.js';
import type { GuestSession, InstanceGuest } from '../instance-guest.js';
import { needsMoreInput } from '../shell/parser.js';
import { Input } from '../shell/streams.js';
import type { IO, Sink } from '../shell/types.js';
import { Pty } from '../terminal/pty.js';
import { LineEditor } from './line-editor.js';
import { serveSftp } from './sftp.js';

/** Bytes of an exec channel's stdin held for the command before the channel is paused. */
export const EXEC_STDIN_HIGH_WATER = 1024 * 1024;

/** What sessions need from the guest (InstanceGuest implements it). */
export type SshGuest = Pick<InstanceGuest, 'openSession' | 'vfs' | 'users' | 'persist' | 'system'>;

/** The session handlers of one simulated guest. */
export function simulatedSessions(guest: SshGuest, log: (line: string) => void = () => {}): SessionHandlers {
  return {
    exec: (c, command) => runExec(guest, log, c, command),
    shell: (c) => (c.pty ? runInteractive(guest, log, c) : runExec(guest, log, c, undefined)),
    sftpProtocol: (s) => serveSftpSession(guest, s),
  };
}

const toCRLF = (d: string | Buffer) => Buffer.from((typeof d === 'string' ? d : d.toString('utf8')).replace(/\r?\n/g, '\r\n'));

function serveSftpSession(guest: SshGuest, s: SftpSession): boolean {
  const u = guest.users.user(s.user);
  if (!u) return false;
  const sftp = s.open();
  // The client's EOF ends the subsystem, as sftp-server exits on EOF: exit status 0 and EOF
  // first, or scp reports a failure. ssh2's SFTP stream has no exit(): this reaches its channel.
  s.onClientEof(() => {
    const chan = sftp as unknown as { outgoing: { id: number; state: string }; _protocol: { exitStatus(id: number, code: number): void; channelEOF(id: number): void } };
    if (chan.outgoing.state === 'open') {
      chan._protocol.exitStatus(chan.outgoing.id, 0);
      chan._protocol.channelEOF(chan.outgoing.id);
    }
    sftp.end();
  });
  serveSftp(sftp, {
    vfs: guest.vfs,
    users: guest.users,
    cred: guest.users.credOf(u),
    home: guest.vfs.exists(ROOT_CRED, u.home) ? u.home : '/',
    persist: () => guest.persist(),
    now: guest.system.now,
  });
  return true;
}

/** Output to the channel; `drain` waits while the client's window is full (output goes at the client's pace). */
function channelSink(c: SessionChannel, stream: 'out' | 'err', tty: boolean): Sink {
  const ch = c.stream;
  let full = false;
  let gone = false;
  ch.once('close', () => (gone = true));
  const target = () => (stream === 'err' ? c.stderr : ch);
  return {
    write: (d) => {
      if (ch.destroyed) return;
      if (!target().write(tty ? toCRLF(d) : d)) full = true;
    },
    drain: () =>
      !full || gone || ch.destroyed
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const done = () => {
              full = false;
              ch.removeListener('drain', done);
              ch.removeListener('close', done);
              resolve();
            };
            ch.once('drain', done);
            ch.once('close', done);
          }),
  };
}

/**
 * The session's terminal, the one source of its size (stty, tput, vi, less read it): the
 * pty-req's, then each window-change's (SIGWINCH for a full-screen program). None without a pty.
 */
function sessionTerminal(c: SessionChannel): Pty | undefined {
  if (!c.pty) return undefined;
  const term = new Pty({ cols: c.pty.cols, rows: c.pty.rows });
  c.onResize((w) => term.resize(w.cols, w.rows));
  return term;
}

/** exec (or a shell without a PTY, whose script is its stdin). */
function runExec(guest: SshGuest, log: (line: string) => void, c: SessionChannel, command: string | undefined): void {
  const ch = c.stream;
  const userName = c.user;
  const term = sessionTerminal(c);
  const tty = !!term;
  const chunks: Buffer[] = [];
  // stdin not yet read by the command: past the high-water mark the channel is paused, so SSH's
  // flow control holds the client back (`cat 1.5GB | ssh host sleep 40` buffers 1 MiB, not 1.5 GB)
  let buffered = 0;
  // on a PTY, what was typed as it arrived: a full-screen program started later gets it raw
  const typed: string[] = [];
  if (term)
    term.typeahead = () => {
      const ahead = typed.join('');
      chunks.length = 0;
      typed.length = 0;
      buffered = 0;
      if (ch.isPaused()) ch.resume();
      return ahead;
    };
  let eof = false;
  let waiter: (() => void) | undefined;
  let s: GuestSession | undefined;
  const wake = () => {
    const w = waiter;
    waiter = undefined;
    w?.();
  };
  // a character split across two packets is decoded whole (a paste of non-ASCII text)
  const utf8 = new StringDecoder('utf8');
  ch.on('data', (d: Buffer) => {
    if (term?.input(utf8.write(d))) return;
    if (tty) {
      // the terminal's line discipline: ^C interrupts, ^D ends input, CR is a newline
      if (d.includes(0x03)) {
        s?.interrupt(130);
        return;
      }
      const eot = d.indexOf(0x04);
      if (eot >= 0) {
        d = d.subarray(0, eot);
        eof = true;
      }
      typed.push(d.toString('utf8'));
      d = Buffer.from(d.toString('latin1').replace(/\r/g, '\n'), 'latin1');
    }
    chunks.push(d);
    buffered += d.length;
    if (buffered > EXEC_STDIN_HIGH_WATER) ch.pause();
    wake();
  });
  ch.on('end', () => {
    eof = true;
    wake();
  });
  ch.on('close', () => {
    eof = true;
    wake();
    s?.interrupt(129);
    term?.close();
  });
  const input = new Input(async () => {
    for (;;) {
      const c = chunks.shift();
      typed.shift();
      if (c) {
        buffered -= c.length;
        if (buffered <= EXEC_STDIN_HIGH_WATER / 4 && ch.isPaused()) ch.resume();
        return c;
      }
      if (eof) return null;
      await new Promise<void>((resolve) => (waiter = resolve));
    }
  });
  const out = channelSink(c, 'out', tty);
  const err = tty ? out : channelSink(c, 'err', false);
  const io: IO = { input, out, err, tty, terminal: term };
  if (term) term.stdin = input;
  void (async () => {
    let code = 0;
    try {
      s = guest.openSession(userName, io, { interactive: false });
      const script = command ?? (await input.readAll(16 * 1024 * 1024)).toString('utf8');
      code = await s.run(script);
    } catch (e) {
      log(`session error: ${(e as Error).message}`);
      code = 255;
    } finally {
      s?.close();
    }
    c.exit(code);
  })();
}

function runInteractive(guest: SshGuest, log: (line: string) => void, c: SessionChannel): void {
  const ch = c.stream;
  const userName = c.user;
  const term = sessionTerminal(c)!;
  let pending = '';
  let busy = false;
  let closed = false;
  let stdinWaiter: (() => void) | undefined;
  const wakeStdin = () => {
    const w = stdinWaiter;
    stdinWaiter = undefined;
    w?.();
  };
  /** A running command's stdin: the terminal in canonical mode (lines, echoed; ^D ends input). */
  const terminalInput = () =>
    new Input(async () => {
      for (;;) {
        if (closed) return null;
        const i = pending.search(/[\r\n\x04]/);
        if (i >= 0) {
          const text = pending.slice(0, i);
          const end = pending[i];
          pending = pending.slice(i + (end === '\r' && pending[i + 1] === '\n' ? 2 : 1));
          if (end === '\x04') {
            if (!text) return null;
            ch.write(text);
            return Buffer.from(text);
          }
          ch.write(text + '\r\n');
          return Buffer.from(text + '\n');
        }
        await new Promise<void>((resolve) => (stdinWaiter = resolve));
      }
    });
  const io: IO = {
    input: Input.empty(),
    out: channelSink(c, 'out', true),
    err: channelSink(c, 'out', true),
    tty: true,
    terminal: term,
  };
  // a full-screen program started from a line gets the keys typed after that line
  term.typeahead = () => {
    const ahead = pending;
    pending = '';
    return ahead;
  };
  let s: GuestSession;
  try {
    s = guest.openSession(userName, io, { interactive: true });
  } catch {
    c.exit(1);
    return;
  }
  const home = guest.users.user(userName)?.home ?? '/';
  if (!guest.vfs.exists(ROOT_CRED, home)) ch.write(toCRLF(`Could not chdir to home directory ${home}: No such file or directory\n`));
  try {
    ch.write(toCRLF(guest.vfs.readFile(ROOT_CRED, '/etc/motd')));
  } catch {
    // no motd
  }
  const editor = new LineEditor();
  let partial = '';
  let lastStatus = 0;
  const finish = (code: number) => {
    if (closed) return;
    closed = true;
    s.close();
    c.exit(code);
  };
  const prompt = () => ch.write(partial ? '> ' : s.prompt());
  const pump = () => {
    while (!busy && !closed && pending.length) {
      const chars = [...pending];
      let consumed = 0;
      for (const c of chars) {
        consumed += c.length;
        let stop = false;
        for (const ev of editor.feed(c)) {
          if (ev.t === 'echo') ch.write(ev.text);
          else if (ev.t === 'clear') ch.write('\x1b[H\x1b[2J' + s.prompt() + editor.line);
          else if (ev.t === 'interrupt') {
            partial = '';
            prompt();
          } else if (ev.t === 'eof') {
            if (partial) {
              partial = '';
              prompt();
            } else {
              ch.write('logout\r\n');
              pending = '';
              finish(lastStatus);
              return;
            }
          } else if (ev.t === 'line') {
            const src = partial ? `${partial}\n${ev.text}` : ev.text;
            if (needsMoreInput(src)) {
              partial = src;
              prompt();
              continue;
            }
            partial = '';
            editor.remember(src);
            busy = true;
            stop = true;
            io.input = terminalInput();
            term.stdin = io.input;
            // what follows the line is typed ahead: the command's stdin may read it
            pending = pending.slice(consumed);
            consumed = 0;
            void s
              .run(src)
              .then((code) => {
                lastStatus = code;
              })
              .catch((e: Error) => log(`session error: ${(e as Error).message}`))
              .finally(() => {
                busy = false;
                io.input = Input.empty();
                if (s.ended) return finish(lastStatus);
                if (closed) return;
                prompt();
                pump();
              });
          }
        }
        if (stop) break;
      }
      pending = pending.slice(consumed);
    }
  };
  const utf8 = new StringDecoder('utf8');
  ch.on('data', (d: Buffer) => {
    const text = utf8.write(d);
    if (term.input(text)) return;
    if (busy && text.includes('\x03')) {
      // ^C: the terminal flushes its input and the command gets SIGINT
      pending = '';
      s.interrupt(130);
      wakeStdin();
      return;
    }
    pending += text;
    if (pending.length > 1024 * 1024) pending = pending.slice(-1024 * 1024);
    if (busy) wakeStdin();
    else pump();
  });
  ch.on('close', () => {
    closed = true;
    s.interrupt(129);
    term.close();
    wakeStdin();
    s.close();
  });
  prompt();
}
