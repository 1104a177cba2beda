// An instance's own TCP services on its public address (a real guest network): for every port the
// guest listens on (its private address or all), a listener on the instance's address; each new
// connection is asked of the security groups as they are now (a rule change applies to the next
// connection; established ones stay, as AWS's tracked connections do) and, if allowed, joined to
// the guest's port. Refused: a TCP reset at once (AWS drops the SYN, so a client waits for its
// timeout instead). The SSH endpoint's port stays the SSH endpoint's.
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { GuestPorts } from './guest-engine.js';

export interface PublishedPortsOptions {
  host: string;
  ports: GuestPorts;
  /** Ports not published (the SSH endpoint's). */
  reserved: readonly number[];
  admit: (port: number, remoteAddress: string) => Promise<true | string>;
  log: (line: string) => void;
}

export class PublishedPorts {
  private readonly servers = new Map<number, net.Server>();
  private readonly sockets = new Set<net.Socket>();
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(private readonly o: PublishedPortsOptions) {
    this.unsubscribe = o.ports.onChange(() => this.sync());
    this.sync();
  }

  /** The ports published now (listening on the address). */
  published(): number[] {
    return [...this.servers.keys()].sort((a, b) => a - b);
  }

  private sync(): void {
    if (this.closed) return;
    const want = new Set(this.o.ports.listening().filter((p) => !this.o.reserved.includes(p)));
    for (const [port, server] of this.servers) {
      if (!want.has(port)) {
        server.close();
        this.servers.delete(port);
      }
    }
    for (const port of want) {
      if (this.servers.has(port)) continue;
      const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (s) => this.onConnection(port, s));
      server.on('error', (e) => {
        this.o.log(`${this.o.host}:${port}: not published: ${e.message}`);
        this.servers.delete(port);
      });
      server.listen(port, this.o.host);
      this.servers.set(port, server);
    }
  }

  private onConnection(port: number, client: net.Socket): void {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => reset(client));
    const remote = client.remoteAddress ?? '';
    void (async () => {
      const verdict = await this.o.admit(port, remote).catch((e: Error) => e.message);
      if (verdict !== true) {
        this.o.log(`${this.o.host}:${port}: refused ${remote}: ${verdict}`);
        return reset(client);
      }
      let guest: Duplex;
      try {
        guest = await this.o.ports.dial(port);
      } catch {
        return reset(client);
      }
      if (client.destroyed || this.closed) return guest.destroy();
      guest.on('error', () => reset(client));
      client.on('error', () => guest.destroy());
      client.on('close', () => guest.destroy());
      guest.on('close', () => client.destroySoon());
      client.pipe(guest);
      guest.pipe(client);
      client.resume();
    })();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    for (const s of this.sockets) s.destroy();
    await Promise.all([...this.servers.values()].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    this.servers.clear();
  }
}

function reset(s: net.Socket): void {
  if (!s.destroyed) s.resetAndDestroy();
}
