// An instance's SSH endpoint, engine-neutral: listening (with a fallback port), the host key,
// public-key authentication through the guest's own authorized_keys (read at each attempt under
// StrictModes by the engine), channel dispatch to the session handlers the engine supplies, and
// close. ssh2's public API only: sockets are accepted here and handed to ssh2 with injectSocket,
// so limits and admission act on the socket before the SSH protocol starts.
//
// sshd's limits, with its defaults (ssh-limits.ts): LoginGraceTime (unauthenticated connections
// are closed after 120 s), MaxStartups 10:30:100 (random early drop of new connections while
// many are unauthenticated), MaxAuthTries 6, MaxSessions 10 (channels per connection), and a cap
// on sessions per instance. The banner names no OpenSSH build; compression starts only after
// authentication (zlib@openssh.com); algorithms are a current OpenSSH's defaults that ssh2
// implements, minus those ssh-audit fails (NIST ECDH curves, SHA-1 MACs).
import { type AddressInfo, type Server as NetServer, type Socket, createServer } from 'node:net';
import ssh2 from 'ssh2';
import type { Algorithms, AuthContext, Connection, ParsedKey, PseudoTtyInfo, ServerChannel, Session } from 'ssh2';
import type { AuthorizedKeysLookup, PtyRequest, SessionChannel, SessionHandlers, TerminalSize } from '../guest-engine.js';
import { DEFAULT_SSH_LIMITS, dropByMaxStartups, type SshLimits } from './limits.js';

const { Server, utils } = ssh2;

/** What the transport needs from a running guest. */
export interface SshGuest {
  authorizedKeys(user: string): Promise<AuthorizedKeysLookup>;
  readonly sessions: SessionHandlers;
}

/** An admission hook's answer: true admits, false drops, a string refuses with that reason. */
export type SshAdmission = boolean | string;

export interface SshTransportOptions {
  host: string;
  /** 0 for an ephemeral port. */
  port: number;
  /** Fall back to an ephemeral port when `port` cannot be bound (22 without privileges, or taken). */
  fallbackToEphemeral?: boolean;
  /** Persistent host key: an OpenSSH (or PEM) private key (compute/host-key.ts). */
  hostKey: string;
  guest: SshGuest;
  limits?: Partial<SshLimits>;
  /**
   * Admission at accept, before any byte is read (the instance's security groups decide): true
   * admits; false drops the connection; a string refuses it with that reason, written to the client
   * as one plain-text line (no SSH banner) and logged. Absent: every connection is admitted.
   */
  admit?: (remoteAddress: string, localPort: number, remotePort: number) => SshAdmission | Promise<SshAdmission>;
  /**
   * Keys accepted for a user besides its authorized_keys file (as sshd's AuthorizedKeysCommand:
   * EC2 Instance Connect), in authorized_keys line format; asked at each attempt.
   */
  extraAuthorizedKeys?: (user: string) => readonly string[] | Promise<readonly string[]>;
  /**
   * When the guest's sshd would start (a real image: after cloud-init's init stage, as
   * cloud-init.service is Before=ssh.service). Until it resolves every connection is reset (TCP
   * RST: refused, as by a booting instance; the port stays bound, so it stays this instance's).
   * Absent: accepting at once.
   */
  ready?: Promise<unknown>;
  log?: (line: string) => void;
  /** Random source for MaxStartups' early drop (tests). */
  random?: () => number;
}

export interface SshTransport {
  readonly host: string;
  readonly port: number;
  /** Resolves once connections are taken (at once without `ready`). */
  readonly listening?: Promise<void>;
  /** Connections currently open. */
  connections(): number;
  /** Session channels currently open, over all connections. */
  sessions(): number;
  close(): Promise<void>;
}

/** The identification string after `SSH-2.0-`: no claim of a specific OpenSSH build. */
export const SSH_IDENT = 'ec2lite';

/** Algorithms: ssh2's defaults minus what a current OpenSSH does not offer, what ssh-audit fails, and what ssh2's server cannot do. */
const ALGORITHMS: Algorithms = {
  kex: {
    append: [],
    prepend: [],
    remove: [
      'ecdh-sha2-nistp256', // ssh-audit: curves suspected of NSA backdoors
      'ecdh-sha2-nistp384',
      'ecdh-sha2-nistp521',
      'diffie-hellman-group15-sha512', // not among OpenSSH's defaults
      'diffie-hellman-group17-sha512',
      'diffie-hellman-group-exchange-sha256', // ssh2's server does not implement group exchange
    ],
  },
  hmac: { append: [], prepend: [], remove: ['hmac-sha1-etm@openssh.com', 'hmac-sha1'] }, // ssh-audit: SHA-1
  compress: ['none', 'zlib@openssh.com'], // delayed: never before authentication
};

const KEY_TYPES = /(?:^|\s)((?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-nistp(?:256|384|521)|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com))\s+([A-Za-z0-9+/]+={0,2})(?:\s|$)/;

/** Parse the keys of authorized_keys lines (options before the key type are skipped). */
export function parseAuthorizedKeys(lines: readonly string[]): ParsedKey[] {
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

function listen(server: NetServer, host: string, port: number): Promise<number> {
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

/** One accepted TCP connection and what the limits count on it. */
interface Conn {
  socket: Socket;
  client?: Connection;
  authenticated: boolean;
  /** Open channels (sessions and forwardings): MaxSessions counts them. */
  channels: Set<object>;
  grace?: NodeJS.Timeout;
  /** When LoginGraceTime ends: moved on by the time the server spends on its own key lookups. */
  graceEnd: number;
  /** Key lookups in progress (a booting guest may answer late): the grace timer waits for them. */
  lookups: number;
  /** The latest the connection may stay unauthenticated, lookups included. */
  hardEnd: number;
}

/** How much server-side lookup time LoginGraceTime forgives a connection, at most. */
const LOOKUP_ALLOWANCE_MS = 60_000;

export async function startSshTransport(o: SshTransportOptions): Promise<SshTransport> {
  const log = o.log ?? (() => {});
  const limits: SshLimits = { ...DEFAULT_SSH_LIMITS, ...o.limits };
  const random = o.random ?? Math.random;
  const conns = new Set<Conn>();
  let closing: Promise<void> | undefined;
  const unauthenticated = () => [...conns].filter((c) => !c.authenticated).length;
  const openSessions = () => [...conns].reduce((n, c) => n + c.channels.size, 0);

  // The protocol server (its parsed host key, its key-exchange offer: a few KB of buffers each) is
  // made at the first connection: most endpoints of a large fleet are never connected to.
  let ssh: InstanceType<typeof Server> | undefined;
  const sshServer = (): InstanceType<typeof Server> =>
    (ssh ??= new Server(
      { hostKeys: [o.hostKey], ident: SSH_IDENT, algorithms: ALGORITHMS, debug: process.env.SSH2_DEBUG ? (s: string) => console.error(s) : undefined },
      (client, info) => {
        // ssh2 announces a connection once the client's identification line arrived; the socket's
        // address and port say which accepted connection it is.
        const conn = byPeer.get(`${info.ip}|${info.port}`);
        if (!conn) return void client.end();
        serve(conn, client, info.ip);
      },
    ));
  const byPeer = new Map<string, Conn>();
  let accepting = !o.ready;

  const tcp = createServer({ noDelay: true }, (socket) =>
    void accept(socket).catch((e: unknown) => {
      // a failing admission hook refuses the connection (never a crash)
      log(`ssh ${o.host}: connection refused: ${e instanceof Error ? e.message : String(e)}`);
      socket.destroy();
    }),
  );
  tcp.on('error', (e) => log(`ssh ${o.host}: ${e.message}`));

  /**
   * A refused peer: dropped, or told why in one plain-text line first (AWS would drop its packets
   * and let the client time out; closing at once with the reason is kinder to someone debugging).
   */
  function refuse(socket: Socket, remote: string, verdict: false | string): void {
    if (verdict === false || socket.destroyed) return void socket.destroy();
    const reason = verdict.replace(/[\r\n]+/g, ' ');
    log(`ssh ${o.host}: refused ${remote.replace(/^::ffff:/, '')} port ${socket.remotePort}: ${reason}`);
    socket.end(`ec2lite: connection refused: ${reason}\r\n`);
    setTimeout(() => socket.destroy(), 1000).unref();
  }

  async function accept(socket: Socket): Promise<void> {
    socket.on('error', () => {});
    // Booting: a reset, as from a port nothing listens on. The port stays bound meanwhile: the
    // address's port 22 is this instance's (another server on the host may use the same address).
    if (!accepting) return void socket.resetAndDestroy();
    const remote = socket.remoteAddress ?? '';
    if (closing) return void socket.destroy();
    // Admission first: a refused peer costs nothing more than the accept.
    if (o.admit) {
      const verdict = await o.admit(remote, socket.localPort ?? 0, socket.remotePort ?? 0);
      if (verdict !== true) return refuse(socket, remote, verdict);
    }
    if (dropByMaxStartups(unauthenticated(), limits.maxStartups, random)) {
      log(`drop connection from ${remote} port ${socket.remotePort}: past MaxStartups`);
      return void socket.destroy();
    }
    if (socket.destroyed || closing) return void socket.destroy();
    // small interactive packets: no Nagle + delayed-ACK round trips
    socket.setNoDelay(true);
    const accepted = Date.now();
    const conn: Conn = { socket, authenticated: false, channels: new Set(), graceEnd: accepted + limits.loginGraceTimeMs, hardEnd: accepted + limits.loginGraceTimeMs + LOOKUP_ALLOWANCE_MS, lookups: 0 };
    conns.add(conn);
    const peer = `${remote}|${socket.remotePort}`;
    byPeer.set(peer, conn);
    socket.once('close', () => {
      if (conn.grace) clearTimeout(conn.grace);
      conns.delete(conn);
      if (byPeer.get(peer) === conn) byPeer.delete(peer);
    });
    if (limits.loginGraceTimeMs > 0) armGrace(conn);
    sshServer().injectSocket(socket);
  }

  /**
   * LoginGraceTime counts the client's time, not the server's: while a key lookup is in progress
   * (the guest's authorized_keys, its boot still queued on a busy machine) the timer waits, and
   * the lookup's time moves the end on, up to LOOKUP_ALLOWANCE_MS in all. A client that stalls is
   * still cut off at the grace time.
   */
  function armGrace(conn: Conn): void {
    if (conn.grace) clearTimeout(conn.grace);
    const end = conn.lookups > 0 ? conn.hardEnd : Math.min(conn.graceEnd, conn.hardEnd);
    conn.grace = setTimeout(() => {
      conn.grace = undefined;
      if (conn.authenticated || conn.socket.destroyed) return;
      const now = Date.now();
      if (now < conn.hardEnd && (conn.lookups > 0 || now < conn.graceEnd)) return armGrace(conn);
      log(`Timeout before authentication for ${conn.socket.remoteAddress ?? ''} port ${conn.socket.remotePort}`);
      conn.socket.destroy();
    }, Math.max(0, end - Date.now()));
    conn.grace.unref();
  }

  /** Runs a key lookup of `conn`'s, its time not counted against LoginGraceTime. */
  async function lookup<T>(conn: Conn, fn: () => Promise<T>): Promise<T> {
    const started = Date.now();
    const timed = limits.loginGraceTimeMs > 0;
    conn.lookups++;
    if (timed) armGrace(conn);
    try {
      return await fn();
    } finally {
      conn.lookups--;
      conn.graceEnd += Date.now() - started;
      if (timed && !conn.authenticated && !conn.socket.destroyed) armGrace(conn);
    }
  }

  function serve(conn: Conn, client: Connection, remote: string): void {
    conn.client = client;
    byPeer.delete(`${remote}|${conn.socket.remotePort}`);
    client.on('error', () => {});
    let failures = 0;
    let user = '';

    client.on('authentication', (ctx: AuthContext) => {
      const reject = () => {
        if (ctx.method !== 'none' && ++failures >= limits.maxAuthTries) {
          ctx.reject(['publickey']);
          client.end();
          return;
        }
        ctx.reject(['publickey']);
      };
      if (ctx.method !== 'publickey') return reject();
      void (async () => {
        const { found, extra } = await lookup(conn, async () => {
          const found = await o.guest.authorizedKeys(ctx.username);
          if (!found.ok) log(`${remote}: ${found.reason}`);
          // The extra keys count even when authorized_keys is unusable, but only for an existing user.
          const extra = o.extraAuthorizedKeys && (found.ok || !found.unknownUser) ? await o.extraAuthorizedKeys(ctx.username) : [];
          return { found, extra };
        });
        const lines = [...(found.ok ? found.lines : []), ...extra];
        const key = parseAuthorizedKeys(lines).find((k) => k.type === ctx.key.algo && k.getPublicSSH().equals(ctx.key.data));
        if (!key) return reject();
        if (!ctx.signature) return ctx.accept();
        if (!ctx.blob || key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) return reject();
        user = ctx.username;
        log(`${remote}: Accepted publickey for ${user}`);
        ctx.accept();
      })().catch((e: unknown) => {
        log(`${remote}: authentication error: ${e instanceof Error ? e.message : String(e)}`);
        reject();
      });
    });

    client.on('ready', () => {
      conn.authenticated = true;
      if (conn.grace) clearTimeout(conn.grace);
      // A channel beyond MaxSessions on this connection, or beyond the instance's cap, is refused
      // (sshd answers "open failed: administratively prohibited").
      const mayOpen = () => conn.channels.size < limits.maxSessionsPerConnection && openSessions() < limits.maxSessionsPerInstance;
      const track = (ch: object, closer: { once(ev: 'close', fn: () => void): unknown }) => {
        conn.channels.add(ch);
        closer.once('close', () => conn.channels.delete(ch));
      };
      client.on('tcpip', (accept, reject, info) => {
        const handler = o.guest.sessions.directTcpip;
        if (!handler || !mayOpen()) return reject?.();
        const stream = accept();
        track(stream, stream);
        if (!handler(user, { host: info.destIP, port: info.destPort }, stream)) stream.destroy();
      });
      client.on('openssh.streamlocal', (_accept, reject) => reject?.());
      client.on('request', (_accept, reject) => reject?.());
      client.on('session', (accept, reject) => {
        if (!mayOpen()) return reject?.();
        const session = accept();
        track(session, session);
        dispatch(session, user, remote);
      });
    });
  }

  function dispatch(session: Session, user: string, remote: string): void {
    const handlers = o.guest.sessions;
    let pty: PtyRequest | undefined;
    const env: Record<string, string> = {};
    const resized: ((s: TerminalSize) => void)[] = [];
    const signals: ((s: string) => void)[] = [];
    session.on('pty', (acc, _rej, p: PseudoTtyInfo) => {
      pty = { term: p.term, cols: p.cols, rows: p.rows, width: p.width, height: p.height, modes: { ...(p.modes as Record<string, number | undefined>) } };
      acc?.();
    });
    session.on('window-change', (acc, _rej, w) => {
      acc?.();
      for (const fn of resized) fn({ cols: w.cols, rows: w.rows, width: w.width, height: w.height });
    });
    session.on('env', (acc, _rej, e) => {
      env[e.key] = e.val;
      acc?.();
    });
    session.on('signal', (acc, _rej, s) => {
      acc?.();
      for (const fn of signals) fn(s.name);
    });
    session.on('auth-agent', (_acc, rej) => rej?.());
    session.on('x11', (_acc, rej) => rej?.());
    const channel = (ch: ServerChannel): SessionChannel => ({
      user,
      remoteAddress: remote,
      stream: ch,
      stderr: ch.stderr,
      pty,
      env,
      onResize: (fn) => void resized.push(fn),
      onSignal: (fn) => void signals.push(fn),
      exit: (how) => {
        if (ch.destroyed) return;
        if (typeof how === 'number') ch.exit(how);
        else ch.exit(how.signal, how.coreDumped ?? false, how.message ?? '');
        ch.end();
      },
    });
    session.on('exec', (acc, _rej, req) => handlers.exec(channel(acc()), req.command));
    session.on('shell', (acc) => handlers.shell(channel(acc())));
    session.on('subsystem', (acc, rej, info) => {
      const run = handlers.subsystem?.(info.name, user);
      if (!run) return rej?.();
      run(channel(acc()));
    });
    if (handlers.sftpProtocol) {
      session.on('sftp', (acc, rej) => {
        const ends: (() => void)[] = [];
        session.once('end', () => ends.forEach((fn) => fn()));
        const ok = handlers.sftpProtocol!({ user, remoteAddress: remote, open: () => acc(), onClientEof: (fn) => void ends.push(fn) });
        if (!ok) rej?.();
      });
    }
  }

  let port: number;
  try {
    port = await listen(tcp, o.host, o.port);
  } catch (e) {
    if (!o.fallbackToEphemeral || o.port === 0) throw e;
    port = await listen(tcp, o.host, 0);
  }
  // Until the guest's sshd would run, connections are reset (see `ready`).
  const listening = o.ready ? o.ready.then(() => void (accepting = true)) : Promise.resolve();

  return {
    host: o.host,
    port,
    listening,
    connections: () => conns.size,
    sessions: openSessions,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const c of conns) c.client ? c.client.end() : c.socket.destroy();
        tcp.close(() => resolve());
        // connections that do not end politely are destroyed
        setTimeout(() => {
          for (const c of conns) c.socket.destroy();
        }, 200).unref();
      });
      return closing;
    },
  };
}
