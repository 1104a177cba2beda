import assert from 'node:assert/strict';
import { it } from 'node:test';
import { heapProfileFrom } from './heap.js';

it('heapProfileFrom accepts lean and default, nothing else', () => {
  assert.equal(heapProfileFrom('lean', '--heap'), 'lean');
  assert.equal(heapProfileFrom('default', '--heap'), 'default');
  assert.equal(heapProfileFrom(undefined, '--heap'), undefined);
  assert.equal(heapProfileFrom('', 'EC2LITE_HEAP'), undefined);
  assert.throws(() => heapProfileFrom('small', 'EC2LITE_HEAP'), /EC2LITE_HEAP must be lean or default/);
});

it('afterLargeAnswer runs a full collection soon after a large answer with the lean heap, nothing with default', async () => {
  const { afterLargeAnswer } = await import('./heap.js');
  const { PerformanceObserver, constants } = await import('node:perf_hooks');
  assert.equal(afterLargeAnswer('default'), undefined);
  const collect = afterLargeAnswer('lean', 0);
  assert.equal(typeof collect, 'function');
  const major = new Promise<void>((resolve) => {
    const obs = new PerformanceObserver((list) => {
      if (list.getEntries().some((e) => (e as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)) {
        obs.disconnect();
        resolve();
      }
    });
    obs.observe({ entryTypes: ['gc'] });
  });
  const keepAlive = setInterval(() => {}, 1000); // the collection's timer is unref'd
  collect!();
  collect!(); // coalesced with the first
  await major;
  clearInterval(keepAlive);
});

it("the ec2lite command's #! line starts node with START_ENV", async () => {
  const { START_ENV } = await import('./heap.js');
  const { readFileSync } = await import('node:fs');
  const first = readFileSync(new URL('../cli/main.js', import.meta.url), 'utf8').split('\n', 1)[0]!;
  const m = /^#!\/usr\/bin\/env -S (.*)$/.exec(first);
  assert.ok(m, `not an env -S line: ${first}`);
  const words = m[1]!.split(' ');
  const node = words.indexOf('node');
  assert.ok(node >= 0, first);
  assert.deepEqual(Object.fromEntries(words.slice(0, node).map((w) => w.split('='))), START_ENV);
  assert.deepEqual(words.slice(node + 1), []);
});
