// The console terminal: a WebSocket on this same port (GET /_ec2lite/terminal, upgraded) that
// carries a shell on an instance. Like AWS's EC2 Instance Connect in the console, the server makes
// a key for the session (ED25519, memory only), pushes its public half through SendSSHPublicKey
// (the same action and checks as the API), and logs into the instance's SSH endpoint as the user
// with it. Who may open one: the request is SigV4-presigned for `ec2-instance-connect` (the
// console's own credentials; checked like any API call), its Origin must be this server, and the
// instance must be in the signer's account and region. Frames: binary = terminal bytes both ways;
// text from the page = JSON control ({"type":"resize","cols","rows"}). Idle sessions end.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { ClientChannel } from 'ssh2';
import type { ActionContext } from '../actions/context.js';
import sendSshPublicKey from '../actions/instance-connect/send-ssh-public-key.js';
import type { InstanceRuntime } from '../compute/instance-runtime.js';
import { hostKeyFromSeed } from '../compute/host-key.js';
import { isEc2Error } from '../errors/ec2-error.js';
import { ed25519PrivateKeyToOpenSsh, generateEd25519, opensshPublicKeyLine, sshPublicBlob } from '../keys/index.js';
import type { Authenticator } from '../protocol/identity.js';
import { INSTANCE_CONNECT_SERVICE } from '../protocol/instance-connect-json.js';
import type { Scope } from '../store/port.js';
import { acceptWebSocket, refuseUpgrade, type WebSocketConnection } from './websocket.js';

export const TERMINAL_PATH = '/_ec2lite/terminal';

export interface TerminalOptions {
  readonly authenticate: Authenticator;
  readonly context: (scope: Scope) => ActionContext;
  readonly runtime: Pick<InstanceRuntime, 'locate'>;
  /** A session with no input for this long ends (default 20 minutes). */
  readonly idleMs?: number;
  readonly log: (line: string) => void;
}

/** Keys typed before the shell opens are kept up to this many bytes (a paste at most; more is dropped). */
const EARLY_INPUT_MAX = 64 * 1024;
const RED = (text: string) => `\r\n\x1b[31m${text}\x1b[0m\r\n`;
const clamp = (v: string | null, lo: number, hi: number, dflt: number) => {
  const n = Number(v);
  return Number.isInteger(n) && n >= lo && n <= hi ? n : dflt;
};

export interface TerminalEndpoint {
  /** The upgrade handler for the HTTP server: true when the request was this route's. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Ends every open session (server shutdown). */
  closeAll(): void;
}

export function terminalUpgrade(opts: TerminalOptions): TerminalEndpoint {
  const idleMs = opts.idleMs ?? 20 * 60_000;
  const open = new Set<WebSocketConnection>();
  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): boolean => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== TERMINAL_PATH) return false;
    // Only pages of this server may open it (a WebSocket is not bound by the same-origin policy).
    const host = req.headers.host;
    const origin = req.headers.origin;
    if (!host || (origin !== `http://${host}` && origin !== `https://${host}`)) {
      refuseUpgrade(socket, 403, 'Forbidden', 'Origin not allowed');
      return true;
    }
    let scope: Scope;
    try {
      const id = opts.authenticate(
        { method: 'GET', path: url.pathname, rawQuery: url.search.slice(1), headers: req.headers, rawHeaders: req.rawHeaders, body: Buffer.alloc(0) },
        INSTANCE_CONNECT_SERVICE,
      );
      scope = { accountId: id.accountId, region: id.region };
    } catch (e) {
      refuseUpgrade(socket, 403, 'Forbidden', isEc2Error(e) ? `${e.code}: ${e.message}` : 'not authorized');
      return true;
    }
    const instanceId = url.searchParams.get('InstanceId') ?? '';
    const user = url.searchParams.get('User') ?? '';
    const cols = clamp(url.searchParams.get('Cols'), 10, 1000, 80);
    const rows = clamp(url.searchParams.get('Rows'), 2, 500, 24);
    const ws = acceptWebSocket(req, socket, head);
    if (!ws) return true;
    open.add(ws);
    void runSession(ws, { scope, instanceId, user, cols, rows }, opts, idleMs).finally(() => undefined);
    socket.once('close', () => open.delete(ws));
    return true;
  };
  return {
    upgrade,
    closeAll: () => {
      for (const ws of open) ws.close(1001, 'server shutting down');
      open.clear();
    },
  };
}

async function runSession(
  ws: WebSocketConnection,
  s: { scope: Scope; instanceId: string; user: string; cols: number; rows: number },
  opts: TerminalOptions,
  idleMs: number,
): Promise<void> {
  let client: InstanceType<typeof ssh2.Client> | undefined;
  let channel: ClientChannel | undefined;
  const early: Buffer[] = [];
  let ended = false;
  const end = (message?: string) => {
    if (ended) return;
    ended = true;
    if (message) ws.send(Buffer.from(RED(message)));
    ws.close(1000, 'session ended');
    client?.end();
  };
  let idle: NodeJS.Timeout | undefined;
  const touch = () => {
    clearTimeout(idle);
    idle = setTimeout(() => end(`Session ended: no input for ${Math.round(idleMs / 60_000) || idleMs / 1000 + ' s'}${idleMs >= 60_000 ? ' minutes' : ''}.`), idleMs);
    idle.unref();
  };
  ws.onClose = () => {
    clearTimeout(idle);
    ended = true;
    client?.end();
  };
  ws.onMessage = (data, text) => {
    if (text) {
      try {
        const c = JSON.parse(data.toString('utf8')) as { type?: string; cols?: unknown; rows?: unknown };
        if (c.type === 'resize' && typeof c.cols === 'number' && typeof c.rows === 'number') {
          // before the shell is open, the size is the one it opens with
          s.rows = clamp(String(c.rows), 2, 500, 24);
          s.cols = clamp(String(c.cols), 10, 1000, 80);
          channel?.setWindow(s.rows, s.cols, 0, 0);
        }
      } catch {
        // not a control message: ignore
      }
      return;
    }
    touch();
    if (channel) channel.write(data);
    // typed before the shell is open (the page says Connected at the WebSocket's open): kept, bounded
    else if (early.reduce((n, b) => n + b.length, 0) + data.length <= EARLY_INPUT_MAX) early.push(Buffer.from(data));
  };
  touch();

  // A key for this session only: pushed like SendSSHPublicKey's, then forgotten.
  const pair = generateEd25519();
  const publicKey = opensshPublicKeyLine(sshPublicBlob(pair.publicKey), 'ec2lite-console');
  let privateKey: string | undefined = ed25519PrivateKeyToOpenSsh(pair.privateKey);
  try {
    await sendSshPublicKey.handle(opts.context(s.scope), { InstanceId: s.instanceId, InstanceOSUser: s.user, SSHPublicKey: publicKey }, randomUUID());
  } catch (e) {
    return end(`Failed to connect to your instance. ${isEc2Error(e) ? `${e.code}: ${e.message}` : 'The key could not be pushed.'}`);
  }
  const where = await opts.runtime.locate(s.instanceId);
  if (!where) return end('Failed to connect to your instance: it serves no SSH endpoint (is it running a Linux image?).');
  // The endpoint must present the instance's own host key (nothing else on the host may answer for it).
  const [record] = await opts.context(s.scope).store.instances.list(s.scope, [s.instanceId]);
  const parsed = record && ssh2.utils.parseKey(hostKeyFromSeed(record.hostKeySeed));
  const hostKey = parsed && !(parsed instanceof Error) ? (Array.isArray(parsed) ? parsed[0] : parsed)?.getPublicSSH() : undefined;
  if (!hostKey) return end('Failed to connect to your instance: its host key is unknown.');
  if (ended) return;
  client = new ssh2.Client();
  let ready = false;
  client.on('ready', () => {
    ready = true;
    privateKey = undefined;
    const asked = { cols: s.cols, rows: s.rows };
    client!.shell({ term: 'xterm-256color', ...asked }, (err, stream) => {
      if (err) return end(`Failed to open a shell: ${err.message}`);
      channel = stream;
      for (const b of early.splice(0)) stream.write(b);
      // a resize that came while the shell was being opened: the pty was asked with the old size
      if (s.cols !== asked.cols || s.rows !== asked.rows) stream.setWindow(s.rows, s.cols, 0, 0);
      const forward = (d: Buffer) => {
        ws.send(d);
        // the browser reads slower than the shell writes: wait for the socket to drain
        if (ws.buffered > 1 << 20) stream.pause();
      };
      ws.onDrain = () => stream.resume();
      stream.on('data', forward);
      stream.stderr.on('data', forward);
      stream.on('close', () => end());
    });
  });
  client.on('error', (e: Error & { code?: string; level?: string }) => {
    if (ready) return end(`Connection lost: ${e.message}`);
    if (e.level === 'client-authentication') return end(`Failed to connect to your instance: the instance did not accept the key for user ${s.user}.`);
    // refused or cut before the SSH handshake: what a security group without port 22 looks like
    end(
      `Failed to connect to your instance: the connection to ${where.host} port ${where.port} was ${e.code === 'ECONNREFUSED' ? 'refused' : 'closed'} (${e.code ?? e.message}). ` +
        "Check that the instance's security groups allow inbound SSH (TCP port 22) from this address.",
    );
  });
  client.on('close', () => end());
  client.connect({ host: where.host, port: where.port, username: s.user, privateKey, readyTimeout: 20_000, hostVerifier: (key: Buffer) => key.equals(hostKey) });
  opts.log(`console terminal: ${s.scope.accountId} → ${s.instanceId} as ${s.user}`);
}
