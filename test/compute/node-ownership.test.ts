// Node ownership (src/compute/node-ownership.ts) with an engine whose volumes are not portable:
// the lease pins the instance to its node, another node asked to act on it refuses, and when the
// node stops renewing no other node adopts it (it waits for its node), while a portable instance
// of the same dead node is adopted. Two nodes on one SQLite store; the guests are stand-ins.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NodeOwnership, type OwnedGuests } from '../../src/compute/node-ownership.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { InstanceStateName } from '../../src/store/port.js';

const scope = { accountId: '123456789012', region: 'us-east-1' };
const timings = { renewMs: 20, leaseMs: 100 };

function node(store: ReturnType<typeof openSqliteStore>, nodeId: string): { own: NodeOwnership; adopted: { id: string; state: InstanceStateName }[] } {
  const adopted: { id: string; state: InstanceStateName }[] = [];
  const guests: OwnedGuests = {
    isLive: () => false,
    liveIds: () => [],
    isBusy: () => false,
    serial: (_id, fn) => fn(),
    shutDown: async () => {},
    drop: async () => {},
    adopt: async (_scope, id, state) => void adopted.push({ id, state }),
  };
  const own = new NodeOwnership({ store, nodeId, timings, log: () => {} });
  own.attach(guests);
  return { own, adopted };
}

describe('node ownership of instances whose volumes stay on one host', () => {
  it('pins them: no hand-over, no adoption by another node; portable ones are adopted', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    const a = node(store, 'node-a');
    const b = node(store, 'node-b');
    try {
      await a.own.take(scope, 'i-0000000000000000a', true);
      await a.own.take(scope, 'i-0000000000000000b', false);
      const pinned = JSON.parse((await store.leases.holder('instance/i-0000000000000000a'))!.info!) as { pinnedTo?: string };
      assert.equal(pinned.pinnedTo, 'node-a');
      const portable = JSON.parse((await store.leases.holder('instance/i-0000000000000000b'))!.info!) as { pinnedTo?: string };
      assert.equal(portable.pinnedTo, undefined);
      await assert.rejects(b.own.take(scope, 'i-0000000000000000a'), /pinned to node node-a/);
      // node A stops renewing (as if dead); B's ticks see both leases expire
      await b.own.resume();
      while (!b.adopted.some((x) => x.id === 'i-0000000000000000b')) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(b.adopted.map((x) => x.id), ['i-0000000000000000b'], 'the portable instance moved; the pinned one waits for its node');
      assert.equal(await store.leases.holder('instance/i-0000000000000000a'), undefined, 'expired, and taken by no one');
      await assert.rejects(b.own.take(scope, 'i-0000000000000000a'), /pinned to node node-a/, 'not even once its lease expired');
      // its node comes back under the same id: it may take the instance again
      await a.own.take(scope, 'i-0000000000000000a');
      assert.equal((await store.leases.holder('instance/i-0000000000000000a'))!.owner, 'node-a');
    } finally {
      await a.own.stop();
      await b.own.stop();
      await store.close();
    }
  });
});
