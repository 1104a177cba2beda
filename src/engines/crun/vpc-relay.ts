// Run by the crun engine as `unshare -n node vpc-relay.js HUB DIAL`: the one process of a VPC's
// network namespace on this node (vpc-net.ts). Every instance of the VPC has its eth0 linked into
// this namespace, where the VPC's addresses are local to connections arriving from an instance
// link, so a guest's connection to another instance's private address lands here, on a listener
// for that port (stdin says which ports some member listens on: "ports 22 80"). Each one is
// offered to the server (HUB unix socket: "peer SRC DST PORT" → "ok" or "no"), which decides by
// the security groups; if allowed the relay connects to DST:PORT *from SRC* (the far guest sees
// the real peer address) and joins the two. Connections from the instance's public address come
// from the server on the DIAL unix socket ("dial SRC DST PORT"). Refused: a TCP reset.
import { writeFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { readLine, splice } from './splice.js';

const [hubPath, dialPath] = process.argv.slice(2);
if (!hubPath || !dialPath) {
  process.stderr.write('usage: vpc-relay HUB DIAL\n');
  process.exit(2);
}

function sysctl(key: string, value: string): void {
  try {
    writeFileSync(`/proc/sys/${key.replaceAll('.', '/')}`, value);
  } catch {
    // not on this kernel
  }
}
// Forward what is not the VPC's (to slirp4netns: the Internet); never answer for a spoofed source
// (strict reverse-path filter: one link per instance, so an address belongs to one link); no
// answers to pings for every VPC address (the namespace is no host: pings between instances are
// forwarded, vpc-filter.ts); no IPv6.
sysctl('net.ipv4.ip_forward', '1');
sysctl('net.ipv4.conf.all.rp_filter', '1');
sysctl('net.ipv4.conf.default.rp_filter', '1');
sysctl('net.ipv4.icmp_echo_ignore_all', '1');
sysctl('net.ipv6.conf.all.disable_ipv6', '1');
sysctl('net.ipv6.conf.default.disable_ipv6', '1');

const unreset = (s: net.Socket) => {
  if (!s.destroyed) s.resetAndDestroy();
};

function connectFrom(src: string, dst: string, port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: dst, port, localAddress: src, allowHalfOpen: true });
    s.once('connect', () => {
      s.removeAllListeners('error');
      resolve(s);
    });
    s.once('error', reject);
  });
}

const listeners = new Map<number, net.Server>();

function onPeer(client: net.Socket): void {
  client.pause();
  client.on('error', () => unreset(client));
  const src = (client.remoteAddress ?? '').replace(/^::ffff:/, '');
  const dst = (client.localAddress ?? '').replace(/^::ffff:/, '');
  const port = client.localPort ?? 0;
  const hub = net.connect(hubPath!);
  hub.on('error', () => undefined);
  hub.write(`peer ${src} ${dst} ${port}\n`);
  void readLine(hub).then(async (answer) => {
    hub.destroy();
    if (answer !== 'ok' || client.destroyed) return unreset(client);
    try {
      splice(client, await connectFrom(src, dst, port));
    } catch {
      unreset(client);
    }
  });
}

function setPorts(ports: number[]): void {
  for (const [p, s] of listeners) {
    if (!ports.includes(p)) {
      s.close();
      listeners.delete(p);
    }
  }
  for (const p of ports) {
    if (listeners.has(p)) continue;
    const s = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, onPeer);
    s.on('error', (e) => process.stderr.write(`port ${p}: ${e.message}\n`));
    s.listen(p, '0.0.0.0');
    listeners.set(p, s);
  }
}

// The server's dial requests (its public address side): "dial SRC DST PORT" → "ok", then the stream.
rmSync(dialPath, { force: true });
const dial = net.createServer({ allowHalfOpen: true }, (upstream) => {
  upstream.on('error', () => upstream.destroy());
  void readLine(upstream).then(async (line) => {
    const m = /^dial (\S+) (\S+) (\d+)$/.exec(line ?? '');
    if (!m) return upstream.destroy();
    try {
      const s = await connectFrom(m[1]!, m[2]!, Number(m[3]));
      upstream.write('ok\n');
      splice(upstream, s);
    } catch {
      upstream.destroy();
    }
  });
});
dial.listen(dialPath, () => process.stdout.write('ready\n'));

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d: string) => {
  input += d;
  let nl: number;
  while ((nl = input.indexOf('\n')) >= 0) {
    const line = input.slice(0, nl).trim();
    input = input.slice(nl + 1);
    const [cmd, ...args] = line.split(/\s+/);
    if (cmd === 'ports') setPorts(args.map(Number).filter((n) => n > 0 && n < 65536));
  }
});
// The server holds our stdin: when it goes (even killed), so do we.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
