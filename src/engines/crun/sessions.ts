// What an SSH session runs in a real instance, written against the guest-engine port's
// engine-neutral session shapes (compute/guest-engine.ts: SessionChannel, PtyRequest, …), so it
// plugs into the shared SSH transport.
// Each session is a real process in the instance started with `crun exec` as the user, with its
// groups: exec over pipes with the real exit status, a shell on a real pty that follows resizes,
// the image's own sftp-server, and `ssh -L` connections made from inside the instance.
import type { Duplex } from 'node:stream';
import type { SessionChannel, SessionExit } from '../../compute/guest-engine.js';
import type { CrunGuest, GuestProcess, PasswdEntry } from './guest.js';

export interface CrunSessionHandlers {
  exec(ch: SessionChannel, command: string): void;
  shell(ch: SessionChannel): void;
  subsystem(name: string, user: string): ((ch: SessionChannel) => void) | undefined;
  directTcpip(user: string, target: { host: string; port: number }, stream: Duplex): boolean;
}

const SFTP_SERVER = '/usr/lib/openssh/sftp-server';
/** What Debian's sshd gives a session (its compiled-in default PATH). */
const USER_PATH = '/usr/local/bin:/usr/bin:/bin:/usr/games';
const ROOT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Debian's sshd_config: AcceptEnv LANG LC_* */
const ACCEPTED_ENV = /^(LANG|LC_[A-Z_]+)$/;
const SIGNALS = new Set(['ABRT', 'ALRM', 'FPE', 'HUP', 'ILL', 'INT', 'KILL', 'PIPE', 'QUIT', 'SEGV', 'TERM', 'USR1', 'USR2']);

/**
 * Local port forwarding's far end, run in the instance with its python3: connect, say so on
 * stderr, then relay both ways (half-close included).
 */
const FORWARD_RELAY = [
  'import os, socket, sys, threading',
  'try:',
  '    s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)',
  'except OSError:',
  '    sys.exit(1)',
  's.settimeout(None)',
  'os.write(2, b"ok")',
  'def up():',
  '    while True:',
  '        d = os.read(0, 65536)',
  '        if not d:',
  '            s.shutdown(socket.SHUT_WR)',
  '            return',
  '        s.sendall(d)',
  'threading.Thread(target=up, daemon=True).start()',
  'while True:',
  '    d = s.recv(65536)',
  '    if not d:',
  '        break',
  '    os.write(1, d)',
].join('\n');

export interface SessionContext {
  /** The endpoint's address and port (SSH_CONNECTION's server half). */
  local: () => { host: string; port: number };
  log: (line: string) => void;
}

export function crunSessions(guest: CrunGuest, ctx: SessionContext): CrunSessionHandlers & { killAll(): void } {
  const procs = new Set<GuestProcess>();

  const environment = (u: PasswdEntry, ch: SessionChannel): Record<string, string> => {
    const [ip, port] = splitAddress(ch.remoteAddress);
    const local = ctx.local();
    const fromClient = Object.fromEntries(Object.entries(ch.env).filter(([k]) => ACCEPTED_ENV.test(k)));
    return {
      USER: u.name,
      LOGNAME: u.name,
      HOME: u.home,
      SHELL: u.shell,
      PATH: u.uid === 0 ? ROOT_PATH : USER_PATH,
      MAIL: `/var/mail/${u.name}`,
      SSH_CLIENT: `${ip} ${port} ${local.port}`,
      SSH_CONNECTION: `${ip} ${port} ${local.host} ${local.port}`,
      LANG: 'C.UTF-8',
      ...fromClient,
      ...(ch.pty ? { TERM: ch.pty.term || 'xterm' } : {}),
    };
  };

  const run = async (ch: SessionChannel, args: (u: PasswdEntry) => string[], withPty: boolean) => {
    const u = await guest.user(ch.user);
    if (!u) {
      ch.stderr.write(`no user ${ch.user} in the instance\n`);
      ch.exit(255);
      return;
    }
    const cwd = (await guest.isDirectory(u.home)) ? u.home : '/';
    const pty = withPty && ch.pty ? { rows: ch.pty.rows || 24, cols: ch.pty.cols || 80, term: ch.pty.term } : undefined;
    const p = guest.exec({ user: u, args: args(u), env: environment(u, ch), pty, cwd });
    procs.add(p);
    ch.onResize((s) => p.resize(s.rows, s.cols));
    ch.onSignal((name) => {
      if (SIGNALS.has(name)) p.signal(`SIG${name}` as NodeJS.Signals);
    });
    wire(ch, p, () => procs.delete(p));
  };

  return {
    exec: (ch, command) => void run(ch, (u) => [u.shell, '-c', command], !!ch.pty),
    shell: (ch) => {
      void (async () => {
        if (ch.pty) {
          const motd = await guest.readFile('etc/motd', 64 * 1024);
          if (motd?.length) ch.stream.write(motd.toString('utf8').replace(/\r?\n/g, '\r\n'));
        }
        await run(ch, (u) => (ch.pty ? [u.shell, '-l'] : [u.shell]), !!ch.pty);
      })();
    },
    subsystem: (name) => (name === 'sftp' ? (ch) => void run(ch, () => [SFTP_SERVER], false) : undefined),
    directTcpip: (userName, target, stream) => {
      void forward(userName, target, stream);
      return true;
    },
    killAll: () => {
      for (const p of procs) p.child.kill('SIGKILL');
    },
  };

  /** ssh -L: a relay process in the instance connects to the target; the channel carries its bytes. */
  async function forward(userName: string, target: { host: string; port: number }, stream: Duplex): Promise<void> {
    const u = await guest.user(userName);
    if (!u) {
      stream.destroy();
      return;
    }
    const p = guest.exec({ user: u, args: ['/usr/bin/python3', '-c', FORWARD_RELAY, target.host, String(target.port)], env: { PATH: USER_PATH, HOME: u.home } });
    procs.add(p);
    // Bytes flow once the far end is connected; a refused connection ends the channel.
    p.child.stderr!.once('data', () => {
      stream.pipe(p.child.stdin!);
      p.child.stdout!.pipe(stream);
    });
    p.child.stdin!.on('error', () => {});
    p.child.once('exit', (code) => {
      procs.delete(p);
      if (code !== 0) stream.destroy();
    });
    stream.once('close', () => {
      procs.delete(p);
      if (p.child.exitCode === null) p.child.kill('SIGKILL');
    });
    stream.on('error', () => {});
  }
}

function splitAddress(a: string): [string, string] {
  const i = a.lastIndexOf(':');
  return i > 0 && /^\d+$/.test(a.slice(i + 1)) ? [a.slice(0, i), a.slice(i + 1)] : [a, '0'];
}

/** Wires a channel to a guest process: stdin/stdout/stderr, EOF, exit status or signal, hang-up. */
function wire(ch: SessionChannel, p: GuestProcess, done: () => void): void {
  const child = p.child;
  ch.stream.pipe(child.stdin!);
  child.stdin!.on('error', () => {});
  child.stdout!.pipe(ch.stream, { end: false });
  child.stderr!.pipe(ch.stderr, { end: false });
  let outEnded = false;
  let errEnded = false;
  let exit: SessionExit | undefined;
  let finished = false;
  const finish = () => {
    if (finished || exit === undefined || !outEnded || !errEnded) return;
    finished = true;
    ch.exit(exit);
    done();
  };
  child.stdout!.once('end', () => {
    outEnded = true;
    finish();
  });
  child.stderr!.once('end', () => {
    errEnded = true;
    finish();
  });
  child.once('exit', (code, signal) => {
    exit = code !== null ? code : { signal: (signal ?? 'SIGKILL').replace(/^SIG/, '') };
    finish();
  });
  child.once('error', () => {
    exit = 255;
    outEnded = errEnded = true;
    finish();
  });
  // The client hung up: the session's processes get SIGHUP, as sshd's would.
  ch.stream.once('close', () => {
    if (child.exitCode === null && child.signalCode === null) p.signal('SIGHUP');
    done();
  });
}
