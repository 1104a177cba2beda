import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dropByMaxStartups, parseMaxStartups } from './limits.js';

describe("sshd's MaxStartups", () => {
  it('parses start:rate:full and a single number, and refuses the rest', () => {
    assert.deepEqual(parseMaxStartups('10:30:100'), { start: 10, rate: 30, full: 100 });
    assert.deepEqual(parseMaxStartups('5'), { start: 5, rate: 100, full: 5 });
    for (const bad of ['10:30', 'a:b:c', '10:130:100', '10:30:5', '-1']) assert.throws(() => parseMaxStartups(bad), bad);
  });

  it('never drops below start, always at full, and rises linearly from rate% in between', () => {
    const m = { start: 10, rate: 30, full: 100 };
    assert.equal(dropByMaxStartups(9, m, () => 0), false);
    assert.equal(dropByMaxStartups(100, m, () => 0.999), true);
    // at start: 30% → a draw of 0.29 drops, 0.31 does not
    assert.equal(dropByMaxStartups(10, m, () => 0.29), true);
    assert.equal(dropByMaxStartups(10, m, () => 0.31), false);
    // half way (55): 65%
    assert.equal(dropByMaxStartups(55, m, () => 0.64), true);
    assert.equal(dropByMaxStartups(55, m, () => 0.66), false);
  });
});
