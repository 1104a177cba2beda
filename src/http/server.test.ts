import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { RouteTable } from './routes.js';
import { createHttpServer } from './server.js';

// A piece made asynchronously (a page read from PostgreSQL) can take long enough for the socket to
// drain meanwhile: the sender must not then wait for a 'drain' that already came. The timeout only
// turns such a hang into a failure.
it('sends an async body whose pieces arrive after the socket drained', { timeout: 20_000 }, async () => {
  const big = 'x'.repeat(4 * 1024 * 1024); // more than the socket takes at once: write() says wait
  async function* body() {
    yield '<a>';
    yield big;
    await sleep(300); // the client reads the whole piece meanwhile
    yield big;
    await sleep(300);
    yield '</a>';
  }
  const server = createHttpServer({
    handle: async () => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: body() }),
    maxBodyBytes: 1024,
    requestId: () => 'r',
    log: () => {},
    routes: new RouteTable(),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { method: 'POST', body: 'Action=X' });
    const text = await res.text();
    assert.equal(res.status, 200);
    assert.equal(text.length, 3 + 2 * big.length + 4);
    assert.ok(text.endsWith('</a>'));
  } finally {
    server.close();
  }
});
