import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Gate } from './large-listings.js';

it('lets one holder in at a time, in arrival order, and releases once per release call', async () => {
  const gate = new Gate(1, 60_000);
  const order: string[] = [];
  const first = await gate.acquire();
  const second = gate.acquire().then((release) => (order.push('second'), release));
  const third = gate.acquire().then((release) => (order.push('third'), release));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, [], 'both wait while the first holds the slot');
  first();
  first(); // idempotent: must not let the third in too
  const releaseSecond = await second;
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, ['second']);
  releaseSecond();
  (await third)();
  assert.deepEqual(order, ['second', 'third']);
  (await gate.acquire())(); // free again
});

it('a waiter goes ahead after maxWaitMs when the holder never releases', async () => {
  const gate = new Gate(1, 20);
  await gate.acquire(); // never released: a stalled client
  const late = await gate.acquire();
  assert.equal(typeof late, 'function');
  late();
});
