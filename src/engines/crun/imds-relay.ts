// Run by the crun engine as `unshare -n node imds-relay.js SOCKET`: the one process of a network
// namespace of its own that holds 169.254.169.254. Each instance's namespace has a veth link into
// it (imds.ts); a connection to 169.254.169.254:80 is relayed to the server's unix socket SOCKET,
// prefixed with the caller's link address (which names the instance, as the source address does on
// AWS). Nothing here touches the host's network namespace.
import { execFileSync } from 'node:child_process';
import net from 'node:net';

const socketPath = process.argv[2];
if (!socketPath) {
  process.stderr.write('usage: imds-relay SOCKET\n');
  process.exit(2);
}
execFileSync('ip', ['link', 'set', 'lo', 'up']);
execFileSync('ip', ['addr', 'add', '169.254.169.254/32', 'dev', 'lo']);
const server = net.createServer((client) => {
  const upstream = net.connect(socketPath);
  upstream.write(`${client.remoteAddress ?? ''}\n`);
  client.pipe(upstream);
  upstream.pipe(client);
  const end = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', end);
  upstream.on('error', end);
  client.on('close', end);
  upstream.on('close', end);
});
server.listen(80, '169.254.169.254', () => process.stdout.write('ready\n'));
// The server holds our stdin: when it goes (even killed), so do we.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
