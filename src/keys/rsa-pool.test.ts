import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { describe, it } from 'node:test';
import { fingerprintImportedRsa } from './fingerprint.js';
import { generateEd25519, generateRsa } from './generate.js';
import { RsaKeyPool } from './rsa-pool.js';

/** Poll until cond() holds (the pool refills asynchronously); fails after `ms`. */
async function eventually(cond: () => boolean, ms = 60_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > ms) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('generation', () => {
  it('generateEd25519 gives a matching ED25519 pair', () => {
    const { privateKey, publicKey } = generateEd25519();
    assert.equal(privateKey.asymmetricKeyType, 'ed25519');
    assert.ok(createPublicKey(privateKey).equals(publicKey));
  });

  it('generateRsa gives 2048-bit keys with e = 65537 by default', async () => {
    const { privateKey, publicKey } = await generateRsa();
    assert.equal(privateKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.equal(privateKey.asymmetricKeyDetails?.publicExponent, 65537n);
    assert.ok(createPublicKey(privateKey).equals(publicKey));
  });
});

describe('RsaKeyPool', () => {
  it('fills up to its size, hands out distinct keys once each, and refills after take', async () => {
    const pool = new RsaKeyPool({ size: 3, concurrency: 2, bits: 1024 });
    try {
      assert.equal(pool.available(), 0);
      await eventually(() => pool.available() === 3);
      assert.equal(pool.pending(), 0); // never overfills
      const seen = new Set<string>();
      for (let i = 0; i < 3; i++) {
        const pair = await pool.take();
        assert.equal(pair.privateKey.asymmetricKeyDetails?.modulusLength, 1024);
        assert.ok(createPublicKey(pair.privateKey).equals(pair.publicKey));
        seen.add(fingerprintImportedRsa(pair.publicKey));
      }
      assert.ok(pool.available() < 3);
      await eventually(() => pool.available() === 3);
      // Takes beyond what is ready wait for the next generated keys.
      const many = await Promise.all(Array.from({ length: 6 }, () => pool.take()));
      for (const p of many) seen.add(fingerprintImportedRsa(p.publicKey));
      assert.equal(seen.size, 9);
      await eventually(() => pool.available() === 3);
    } finally {
      pool.close();
    }
    assert.equal(pool.available(), 0);
  });

  it('take() with an empty pool resolves with a fresh key; default bits are 2048', async () => {
    const pool = new RsaKeyPool({ size: 1, concurrency: 1 });
    try {
      const pair = await pool.take();
      assert.equal(pair.privateKey.asymmetricKeyDetails?.modulusLength, 2048);
    } finally {
      pool.close();
    }
  });

  it('close() drops keys, stops refilling and rejects waiting and later takes', async () => {
    const pool = new RsaKeyPool({ size: 0, concurrency: 1, bits: 1024 });
    assert.equal(pool.pending(), 0); // size 0: nothing generated ahead
    const waiting = pool.take();
    assert.equal(pool.pending(), 1);
    pool.close();
    await assert.rejects(waiting, /closed/);
    await assert.rejects(pool.take(), /closed/);
    // The in-flight generation finishes on the thread pool and is discarded.
    await eventually(() => pool.pending() === 0);
    assert.equal(pool.available(), 0);
  });

  it('validates its options', () => {
    assert.throws(() => new RsaKeyPool({ size: -1 }), RangeError);
    assert.throws(() => new RsaKeyPool({ concurrency: 0 }), RangeError);
    assert.throws(() => new RsaKeyPool({ bits: 100 }), RangeError);
  });
});
