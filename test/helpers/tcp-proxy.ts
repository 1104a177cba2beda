// A TCP proxy in front of PostgreSQL whose faults the test chooses: drop a connection when it next
// sends something (optionally: something matching), refuse new connections, or go silent.
import { createServer, connect, type Socket, type Server } from 'node:net';

type Mode = 'pass' | 'refuse' | 'silent';

interface Pair {
  client: Socket;
  upstream: Socket | undefined;
  dropWhen: ((chunk: Buffer) => boolean) | undefined;
}

export interface TcpProxy {
  /** Where to connect instead of the target. */
  readonly port: number;
  /** Connections cut by `dropOnNextSend` so far. */
  readonly dropped: number;
  /** Each open connection is cut the next time its client sends bytes matching `match` (any bytes by default). */
  dropOnNextSend(match?: (chunk: Buffer) => boolean): void;
  /** New connections are accepted and closed at once (existing ones are cut too). */
  refuse(): void;
  /** Nothing is forwarded any more, either way; new connections are accepted and left hanging. */
  silence(): void;
  /** Back to forwarding for new connections. */
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let mode: Mode = 'pass';
  let dropped = 0;
  const cut = (p: Pair) => {
    p.client.destroy();
    p.upstream?.destroy();
    pairs.delete(p);
  };
  const server: Server = createServer((client) => {
    const pair: Pair = { client, upstream: undefined, dropWhen: undefined };
    pairs.add(pair);
    client.on('error', () => cut(pair));
    client.on('close', () => cut(pair));
    if (mode === 'refuse') return cut(pair);
    if (mode === 'silent') return;
    const upstream = connect(target);
    pair.upstream = upstream;
    upstream.on('error', () => cut(pair));
    upstream.on('close', () => cut(pair));
    upstream.on('data', (chunk: Buffer) => {
      if (mode !== 'silent') client.write(chunk);
    });
    client.on('data', (chunk: Buffer) => {
      if (pair.dropWhen?.(chunk)) {
        dropped++;
        return cut(pair);
      }
      if (mode !== 'silent') upstream.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    get dropped() {
      return dropped;
    },
    dropOnNextSend(match = () => true) {
      for (const p of pairs) p.dropWhen = match;
    },
    refuse() {
      mode = 'refuse';
      for (const p of [...pairs]) cut(p);
    },
    silence() {
      mode = 'silent';
    },
    restore() {
      mode = 'pass';
    },
    async close() {
      for (const p of [...pairs]) cut(p);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The URL with its host and port replaced by the proxy's. */
export function throughProxy(url: string, proxy: TcpProxy): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(proxy.port);
  return u.toString();
}
