// IMDS for real instances at 169.254.169.254, inside each instance's own network namespace and
// reachable from nowhere else: a relay (imds-relay.ts) owns 169.254.169.254 in a namespace of its
// own; each instance gets a veth pair into it (its end `imds0`, a /32 link address of its own and
// a route to 169.254.169.254 only). The server answers from the instance's MetadataService over a
// unix socket, telling instances apart by the link address. Guest ports are untouched (nginx can
// still bind 0.0.0.0:80); nothing is added to the host's network namespace.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { IamInstanceProfileRef, MetadataOptions } from '../../compute/guest-engine.js';
import { ipIn } from './netns-run.js';

const run = promisify(execFile);
const RELAY = fileURLToPath(new URL('./imds-relay.js', import.meta.url));

/** What answers one instance's IMDS requests (app/ supplies guest/imds.ts's MetadataService). */
export interface ImdsService {
  /** Answers after reading what changes outside the guest (EC2 Instance Connect keys, managed-ssh-keys). */
  handleAsync(req: { method: string; path: string; headers: Record<string, string> }): Promise<{ status: number; statusText: string; headers: [string, string][]; body: string | Buffer }>;
  setOptions(o: Partial<MetadataOptions>): void;
  setIamInstanceProfile(p: IamInstanceProfileRef | undefined): void;
}

/** Link addresses: 169.254.128.0–169.254.255.255 less 169.254.169.0/24 (IMDS and AWS's other link-local services), .0 and .255 of each /24. */
export const IMDS_LINK_SLOTS = 127 * 254;

/** The link address of slot `n` (0 ≤ n < IMDS_LINK_SLOTS): 254 hosts per /24, from 169.254.128.1. */
export function imdsLinkAddress(n: number): string {
  const block = Math.floor(n / 254);
  return `169.254.${128 + block + (128 + block >= 169 ? 1 : 0)}.${(n % 254) + 1}`;
}

export class ImdsHub {
  private relay: ChildProcess | undefined;
  private starting: Promise<number> | undefined;
  private readonly server: net.Server;
  private readonly http: http.Server;
  private readonly byAddress = new Map<string, ImdsService>();
  private readonly peers = new Map<string, string>();
  /** Slots of live links (and of links being made): a slot is reused only once its instance is gone. */
  private readonly taken = new Set<string>();
  private next = 0;

  constructor(private readonly socketPath: string) {
    this.http = http.createServer((req, res) => {
      const service = this.byAddress.get((req.socket as net.Socket & { imdsFrom?: string }).imdsFrom ?? '');
      if (!service) {
        res.writeHead(404).end();
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      service.handleAsync({ method: req.method ?? 'GET', path: req.url ?? '/', headers }).then(
        (r) => {
          res.writeHead(r.status, r.statusText, r.headers);
          res.end(req.method === 'HEAD' ? undefined : r.body);
        },
        () => {
          if (!res.headersSent) res.writeHead(500);
          res.end();
        },
      );
    });
    this.server = net.createServer((socket) => {
      // The relay's first line: the instance's link address; then plain HTTP.
      let buf = Buffer.alloc(0);
      const onData = (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        const nl = buf.indexOf(0x0a);
        if (nl < 0) {
          if (buf.length > 64) socket.destroy();
          return;
        }
        socket.removeListener('data', onData);
        (socket as net.Socket & { imdsFrom?: string }).imdsFrom = buf.subarray(0, nl).toString().replace(/^::ffff:/, '');
        const rest = buf.subarray(nl + 1);
        if (rest.length) socket.unshift(rest);
        this.http.emit('connection', socket);
      };
      socket.on('data', onData);
      socket.on('error', () => socket.destroy());
    });
  }

  /** The relay's pid (started on first use, ended with the server by its stdin and parent-death signal). */
  private start(): Promise<number> {
    this.starting ??= (async () => {
      rmSync(this.socketPath, { force: true });
      await new Promise<void>((resolve, reject) => {
        this.server.once('error', reject);
        this.server.listen(this.socketPath, () => resolve());
      });
      const relay = spawn('setpriv', ['--pdeathsig', 'KILL', '--', 'unshare', '-n', '--', process.execPath, RELAY, this.socketPath], { stdio: ['pipe', 'pipe', 'pipe'] });
      this.relay = relay;
      let err = '';
      relay.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      await new Promise<void>((resolve, reject) => {
        relay.stdout!.once('data', () => resolve());
        relay.once('exit', (code) => reject(new Error(`IMDS relay exited (${code}): ${err.trim()}`)));
      });
      relay.removeAllListeners('exit');
      return relay.pid!;
    })();
    return this.starting;
  }

  /**
   * Links an instance's network namespace (by its PID 1) to the relay; returns its link address.
   * The route back to it carries the hop limit as its `hoplimit` metric: every packet IMDS sends
   * the instance leaves with that IP TTL (HttpPutResponseHopLimit on the wire), so a container one
   * hop further inside gets no answer with the default limit of 1.
   */
  async attach(guestPid: number, service: ImdsService, hopLimit: number): Promise<string> {
    const relayPid = await this.start();
    const n = this.slot();
    const address = imdsLinkAddress(n);
    this.taken.add(address);
    const peer = `m${n}`;
    try {
      await run('ip', ['link', 'add', 'name', peer, 'netns', String(relayPid), 'type', 'veth', 'peer', 'name', 'imds0', 'netns', String(guestPid)]);
      await Promise.all([
        ipIn(relayPid, [`link set ${peer} up`, `route add ${address}/32 dev ${peer} hoplimit ${hopLimit}`]),
        ipIn(guestPid, [`addr add ${address}/32 dev imds0`, 'link set imds0 up', `route add 169.254.169.254/32 dev imds0 src ${address}`]),
      ]);
    } catch (e) {
      // (the pair goes with the instance's namespace; the relay's route with its end)
      this.taken.delete(address);
      throw e;
    }
    this.byAddress.set(address, service);
    this.peers.set(address, peer);
    return address;
  }

  /** The next free slot, round the ring (a long-lived server boots far more instances than it holds). */
  private slot(): number {
    for (let i = 0; i < IMDS_LINK_SLOTS; i++) {
      const n = this.next;
      this.next = (this.next + 1) % IMDS_LINK_SLOTS;
      if (!this.taken.has(imdsLinkAddress(n))) return n;
    }
    throw new Error(`no free IMDS link address: ${IMDS_LINK_SLOTS} instances hold them all`);
  }

  /** ModifyInstanceMetadataOptions' HttpPutResponseHopLimit: the next packet to the instance leaves with it. */
  async setHopLimit(address: string, hopLimit: number): Promise<void> {
    const peer = this.peers.get(address);
    const relayPid = this.relay?.pid;
    if (!peer || !relayPid) return;
    await run('nsenter', ['-t', String(relayPid), '-n', 'ip', 'route', 'replace', `${address}/32`, 'dev', peer, 'hoplimit', String(hopLimit)]);
  }

  /** The instance is gone (its end of the veth went with its namespace, and so did the relay's end). */
  detach(address: string): void {
    this.byAddress.delete(address);
    this.peers.delete(address);
    this.taken.delete(address);
  }

  async close(): Promise<void> {
    this.relay?.kill('SIGKILL');
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.socketPath, { force: true });
  }
}
