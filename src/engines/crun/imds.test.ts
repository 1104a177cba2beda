// The IMDS link addresses (imds.ts): one per live instance, never one of AWS's link-local services.
// A server's 257th real instance used to get the 256th's address (`.0` mapped to `.1`): its boot
// failed with "RTNETLINK answers: File exists" (found launching 500 instances, bench real-capacity).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IMDS_LINK_SLOTS, imdsLinkAddress } from './imds.js';

describe('IMDS link addresses', () => {
  it('every slot has its own address: a /32 in 169.254.128.0/17 outside 169.254.169.0/24, never .0 or .255', () => {
    const seen = new Set<string>();
    for (let n = 0; n < IMDS_LINK_SLOTS; n++) {
      const a = imdsLinkAddress(n);
      assert.ok(!seen.has(a), `slot ${n}: ${a} again`);
      seen.add(a);
      const [p, q, r, s] = a.split('.').map(Number) as [number, number, number, number];
      assert.deepEqual([p, q], [169, 254]);
      assert.ok(r >= 128 && r <= 255 && r !== 169, `slot ${n}: ${a}`);
      assert.ok(s >= 1 && s <= 254, `slot ${n}: ${a}`);
    }
    assert.equal(seen.size, IMDS_LINK_SLOTS);
    // the slots around the old collision: 255, 256, 257 are three addresses
    assert.equal(new Set([255, 256, 257].map(imdsLinkAddress)).size, 3);
  });
});
