import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trimEndOf, trimOf, trimStartOf } from './trim.js';

test('trims runs of the given characters at either end, in one pass over a long inner run', () => {
  assert.equal(trimEndOf('a \t \t', ' \t'), 'a');
  assert.equal(trimStartOf('\n\nx\n', '\n'), 'x\n');
  assert.equal(trimOf('  a b  ', ' '), 'a b');
  const inner = ' '.repeat(1_000_000) + 'x'; // /[ \t]+$/ took minutes on this (V8 retries each position)
  assert.equal(trimEndOf(inner, ' \t'), inner);
});
