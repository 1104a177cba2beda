// Which TCP ports an instance accepts connections on at its private address: the listening sockets
// of its network namespace, read from /proc/<pid>/net/tcp{,6} (the namespace of that process).
// Sockets bound to 127.0.0.1 (or ::1) only are not counted: as on EC2, nothing from outside reaches them.
import { readFile } from 'node:fs/promises';

const LISTEN = '0A';

/** `/proc/net/tcp` holds an IPv4 address as 8 hex digits in host (little-endian) byte order. */
export function procHex4(ip: string): string {
  return ip
    .split('.')
    .map((o) => Number(o).toString(16).padStart(2, '0').toUpperCase())
    .reverse()
    .join('');
}

/** The listening ports in one /proc/net/tcp or tcp6 table reachable at `privateIp`. */
export function listeningPorts(table: string, privateIp: string): number[] {
  const own4 = procHex4(privateIp);
  // ::ffff:a.b.c.d as /proc/net/tcp6 prints it (four little-endian 32-bit words).
  const own6 = `0000000000000000FFFF0000${own4}`;
  const ports = new Set<number>();
  for (const line of table.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4 || f[3] !== LISTEN) continue;
    const [addr = '', portHex = ''] = f[1]!.split(':');
    const any = /^0+$/.test(addr);
    if (any || addr === own4 || addr === own6) ports.add(parseInt(portHex, 16));
  }
  return [...ports].sort((a, b) => a - b);
}

/** The ports the process's network namespace listens on at `privateIp` (empty when it is gone). */
export async function guestListeningPorts(pid: number, privateIp: string): Promise<number[]> {
  const tables = await Promise.all(['tcp', 'tcp6'].map((t) => readFile(`/proc/${pid}/net/${t}`, 'utf8').catch(() => '')));
  return [...new Set(tables.flatMap((t) => listeningPorts(t, privateIp)))].sort((a, b) => a - b);
}
