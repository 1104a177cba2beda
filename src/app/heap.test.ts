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
