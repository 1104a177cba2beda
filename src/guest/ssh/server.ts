// The instance's SSH endpoint (ssh2.Server). Public-key authentication only:
// the target user's authorized_keys is read at every attempt, under
// OpenSSH's StrictModes rules, and the client's signature is verified against
// the matching key (RSA with rsa-sha2-256/512 or ssh-rsa, and ED25519).
// Sessions: exec requests, interactive shells on a PTY, and the SFTP
// subsystem. Forwarding, agent and X11 requests are refused: the guest is a
// sandbox. close() ends every session (stop/terminate).
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import type { AuthContext, Connection, ParsedKey, PseudoTtyInfo, ServerChannel } from 'ssh2';
import { ROOT_CRED } from '../fs/vfs.js';
import type { InstanceGuest, GuestSession } from '../instance-guest.js';
import { needsMoreInput } from '../shell/parser.js';
import { Input } from '../shell/streams.js';
import type { IO, Sink } from '../shell/types.js';
import { LineEditor } from './line-editor.js';
import { serveSftp } from './sftp.js';

const { Server, utils } = ssh2;

/** What the endpoint needs from the guest (InstanceGuest implements it). */
export type SshGuest = Pick<InstanceGuest, 'authorizedKeys' | 'openSession' | 'vfs' | 'users' | 'persist' | 'onStop' | 'system'>;

export interface SshEndpointOptions {
  host: string;
  /** 0 for an ephemeral port. */
  port: number;
  /** Persistent host key: an OpenSSH (or PEM) private key, see generateHostKey(). */
  hostKey: string;
  guest: SshGuest;
  /** Fall back to an ephemeral port when `port` cannot be bound (e.g. 22 without privileges). */
  fallbackToEphemeral?: boolean;
  /** Authentication failures per connection before it is closed (sshd's MaxAuthTries). */
  maxAuthTries?: number;
  log?: (line: string) => void;
}

export interface SshEndpoint {
  readonly host: string;
  readonly port: number;
  /** Connections currently open. */
  connections(): number;
  close(): Promise<void>;
}

const KEY_TYPES = /(?:^|\s)((?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-nistp(?:256|384|521)|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com))\s+([A-Za-z0-9+/]+={0,2})(?:\s|$)/;

/** Parse the keys of authorized_keys lines (options before the key type are skipped). */
export function parseAuthorizedKeys(lines: string[]): ParsedKey[] {
  const keys: ParsedKey[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = KEY_TYPES.exec(line);
    if (!m) continue;
    const parsed = utils.parseKey(`${m[1]} ${m[2]}`);
    if (parsed instanceof Error) continue;
    const k = Array.isArray(parsed) ? parsed[0] : parsed;
    if (k) keys.push(k as ParsedKey);
  }
  return keys;
}

/** A new ED25519 host key in OpenSSH format, to be stored by the caller so it survives restarts. */
export function generateHostKey(): string {
  return utils.generateKeyPairSync('ed25519').private;
}

const toCRLF = (d: string | Buffer) => Buffer.from((typeof d === 'string' ? d : d.toString('utf8')).replace(/\r?\n/g, '\r\n'));

function listen(server: InstanceType<typeof Server>, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => {
      server.removeListener('listening', onListening);
      reject(e);
    };
    const onListening = () => {
      server.removeListener('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

export async function startSshEndpoint(o: SshEndpointOptions): Promise<SshEndpoint> {
  const guest = o.guest;
  const log = o.log ?? (() => {});
  const maxAuthTries = o.maxAuthTries ?? 6;
  const conns = new Set<Connection>();

  const server = new Server({ hostKeys: [o.hostKey], ident: 'OpenSSH_8.7', debug: process.env.SSH2_DEBUG ? (s: string) => console.error(s) : undefined }, (client, info) => {
    conns.add(client);
    // small interactive packets: do not let Nagle + delayed ACKs add ~40 ms round trips
    (client as unknown as { setNoDelay(v: boolean): void }).setNoDelay(true);
    client.on('close', () => conns.delete(client));
    client.on('error', () => {});
    let failures = 0;
    let user = '';

    client.on('authentication', (ctx: AuthContext) => {
      const reject = () => {
        if (ctx.method !== 'none' && ++failures >= maxAuthTries) {
          ctx.reject(['publickey']);
          client.end();
          return;
        }
        ctx.reject(['publickey']);
      };
      if (ctx.method !== 'publickey') return reject();
      const ak = guest.authorizedKeys(ctx.username);
      if (!ak.ok) {
        log(`${info.ip}: ${ak.reason}`);
        return reject();
      }
      const key = parseAuthorizedKeys(ak.lines).find((k) => k.type === ctx.key.algo && k.getPublicSSH().equals(ctx.key.data));
      if (!key) return reject();
      if (!ctx.signature) return ctx.accept();
      if (!ctx.blob || key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) return reject();
      user = ctx.username;
      log(`${info.ip}: Accepted publickey for ${user}`);
      ctx.accept();
    });

    client.on('ready', () => {
      client.on('tcpip', (_accept, reject) => reject?.());
      client.on('openssh.streamlocal', (_accept, reject) => reject?.());
      client.on('request', (_accept, reject) => reject?.());
      client.on('session', (accept) => {
        const session = accept();
        let pty: PseudoTtyInfo | undefined;
        session.on('pty', (acc, _rej, p) => {
          pty = p;
          acc?.();
        });
        session.on('window-change', (acc) => acc?.());
        session.on('env', (acc) => acc?.());
        session.on('signal', (acc) => acc?.());
        session.on('auth-agent', (_acc, rej) => rej?.());
        session.on('x11', (_acc, rej) => rej?.());
        session.on('exec', (acc, _rej, req) => runExec(acc(), user, req.command, !!pty));
        session.on('shell', (acc) => {
          const ch = acc();
          if (pty) runInteractive(ch, user);
          else runExec(ch, user, undefined, false);
        });
        session.on('subsystem', (_acc, rej) => rej?.());
        session.on('sftp', (acc, rej) => {
          const u = guest.users.user(user);
          if (!u) return rej?.();
          const sftp = acc();
          // the client's EOF ends the subsystem, as sftp-server exits on EOF
          // (with exit status 0 and EOF first, or scp reports a failure)
          session.once('end', () => {
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
        });
      });
    });
  });

  /** Output to the channel; `drain` waits while the client's window is full (output goes at the client's pace). */
  function channelSink(ch: ServerChannel, stream: 'out' | 'err', tty: boolean): Sink {
    let full = false;
    let gone = false;
    ch.once('close', () => (gone = true));
    const target = () => (stream === 'err' ? ch.stderr : ch);
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

  /** exec (or a shell without a PTY, whose script is its stdin). */
  function runExec(ch: ServerChannel, userName: string, command: string | undefined, tty: boolean): void {
    const chunks: Buffer[] = [];
    let eof = false;
    let waiter: (() => void) | undefined;
    let s: GuestSession | undefined;
    const wake = () => {
      const w = waiter;
      waiter = undefined;
      w?.();
    };
    ch.on('data', (d: Buffer) => {
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
        d = Buffer.from(d.toString('latin1').replace(/\r/g, '\n'), 'latin1');
      }
      chunks.push(d);
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
    });
    const input = new Input(async () => {
      for (;;) {
        const c = chunks.shift();
        if (c) return c;
        if (eof) return null;
        await new Promise<void>((resolve) => (waiter = resolve));
      }
    });
    const out = channelSink(ch, 'out', tty);
    const err = tty ? out : channelSink(ch, 'err', false);
    const io: IO = { input, out, err, tty };
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
      if (ch.destroyed) return;
      ch.exit(code);
      ch.end();
    })();
  }

  function runInteractive(ch: ServerChannel, userName: string): void {
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
      out: channelSink(ch, 'out', true),
      err: channelSink(ch, 'out', true),
      tty: true,
    };
    let s: GuestSession;
    try {
      s = guest.openSession(userName, io, { interactive: true });
    } catch {
      ch.exit(1);
      ch.end();
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
      if (!ch.destroyed) {
        ch.exit(code);
        ch.end();
      }
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
    ch.on('data', (d: Buffer) => {
      const text = d.toString('utf8');
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
      wakeStdin();
      s.close();
    });
    prompt();
  }

  let port: number;
  try {
    port = await listen(server, o.host, o.port);
  } catch (e) {
    if (!o.fallbackToEphemeral || o.port === 0) throw e;
    port = await listen(server, o.host, 0);
  }

  let closing: Promise<void> | undefined;
  const endpoint: SshEndpoint = {
    host: o.host,
    port,
    connections: () => conns.size,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const c of conns) c.end();
        server.close(() => resolve());
        // connections that do not end politely are destroyed
        setTimeout(() => {
          for (const c of conns) (c as unknown as { _sock?: { destroy(): void } })._sock?.destroy();
        }, 200).unref();
      });
      return closing;
    },
  };
  guest.onStop(() => endpoint.close());
  return endpoint;
}
