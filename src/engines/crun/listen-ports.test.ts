// The guest's listening ports as /proc/net/tcp{,6} shows them: all addresses or the private one
// count, loopback-only listeners and other states do not; the subnet router's address.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { listeningPorts, procHex4 } from './listen-ports.js';
import { routerAddress } from './vpc-net.js';

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const row = (local: string, state: string) => `   0: ${local} 00000000:0000 ${state} 00000000:00000000 00:00000000 00000000  1000        0 1 1 0000000000000000 100 0 0 10 0\n`;

describe('guest listening ports', () => {
  it('counts listeners on all addresses and on the private address only', () => {
    const ip = '172.31.5.10';
    assert.equal(procHex4(ip), '0A051FAC');
    const tcp = HEADER + row('00000000:1F90', '0A') + row(`${procHex4(ip)}:0050`, '0A') + row('0100007F:0016', '0A') + row('00000000:1F91', '01');
    assert.deepEqual(listeningPorts(tcp, ip), [80, 8080]);
    const tcp6 = HEADER + row('00000000000000000000000000000000:01BB', '0A') + row('00000000000000000000000001000000:2328', '0A');
    assert.deepEqual(listeningPorts(tcp6, ip), [443]);
  });

  it("names the subnet's router (.1 after the network address)", () => {
    assert.equal(routerAddress('172.31.16.0/20'), '172.31.16.1');
    assert.equal(routerAddress('10.1.255.0/24'), '10.1.255.1');
  });
});
