// Soundness of the RSA keys ec2lite makes itself (primes.ts, rsa-components.ts, rsa-threads.ts):
// the arithmetic is checked against OpenSSL's (checkPrime with its 64 rounds, the RSA operations)
// and every key of a sample is accepted by the real `openssl rsa -check`.

import assert from 'node:assert/strict';
import { checkPrimeSync, constants, createPrivateKey, createPublicKey, generatePrimeSync, privateDecrypt, publicEncrypt, randomBytes, sign, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import { bufferToBigInt, modInverse } from './encoding.js';
import { rsaPrivateComponents } from './key-objects.js';
import { millerRabin, modPow, randomRsaPrime, rsaPrimeRounds } from './primes.js';
import { generateRsaPkcs1, RSA_E } from './rsa-components.js';
import { RsaKeyPool } from './rsa-pool.js';
import { rsaKeyPairFromPkcs1 } from './rsa-threads.js';
import { requireTools, run } from '../../test/helpers/tools.js';

requireTools(['/usr/bin/openssl'], 'the RSA soundness tests');

const bitLength = (v: bigint) => v.toString(2).length;
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
const randomOdd = (bits: number) => (bufferToBigInt(randomBytes(bits / 8)) | (1n << BigInt(bits - 1))) | 1n;

function bigintModPow(a: bigint, d: bigint, m: bigint): bigint {
  let r = 1n;
  for (let b = a % m, e = d; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}

describe('modPow (OpenSSL through an RSA public operation)', () => {
  for (const bits of [512, 1024, 2048, 3072]) {
    it(`agrees with bigint arithmetic for ${bits}-bit moduli`, () => {
      for (let i = 0; i < 4; i++) {
        const m = randomOdd(bits);
        const d = bufferToBigInt(randomBytes(bits / 8)) % m;
        const a = bufferToBigInt(randomBytes(bits / 8)) % m;
        assert.equal(modPow(a, d, m), bigintModPow(a, d, m));
      }
    });
  }
});

describe('millerRabin', () => {
  it('agrees with OpenSSL checkPrime on primes, products of two primes and random odd numbers', () => {
    for (let i = 0; i < 6; i++) {
      const p = generatePrimeSync(1024, { bigint: true });
      assert.equal(millerRabin(p, 5), true);
      const q = generatePrimeSync(512, { bigint: true });
      const r = generatePrimeSync(512, { bigint: true });
      assert.equal(millerRabin(q * r, 5), false);
    }
    let primes = 0;
    for (let i = 0; i < 400; i++) {
      const w = randomOdd(1024);
      const ours = millerRabin(w, 5);
      assert.equal(ours, checkPrimeSync(w), `disagreement on ${w.toString(16)}`);
      if (ours) primes++;
    }
    assert.ok(primes < 400); // the sample did contain composites
  });

  it('rejects Carmichael numbers and strong pseudoprimes to base 2', () => {
    for (const w of [561n, 41041n, 825265n, 2047n, 3215031751n, 3825123056546413051n, 318665857834031151167461n]) {
      assert.equal(millerRabin(w, 20), false, String(w));
    }
    for (const w of [65537n, 2305843009213693951n, 170141183460469231731687303715884105727n]) assert.equal(millerRabin(w, 20), true);
  });
});

describe('randomRsaPrime', () => {
  it('gives primes of exactly the size asked with the top two bits set and p ≢ 1 (mod e)', () => {
    for (let i = 0; i < 6; i++) {
      const p = randomRsaPrime(1024, RSA_E, rsaPrimeRounds(2048));
      assert.equal(bitLength(p), 1024);
      assert.equal(p >> 1022n, 3n);
      assert.equal(checkPrimeSync(p), true); // OpenSSL, 64 rounds
      assert.equal(gcd(p - 1n, RSA_E), 1n);
    }
  });

  it('uses the FIPS 186-5 Table B.1 round counts', () => {
    assert.equal(rsaPrimeRounds(2048), 5);
    assert.equal(rsaPrimeRounds(3072), 4);
    assert.equal(rsaPrimeRounds(4096), 4);
  });
});

/** Every mathematical property of a standard RSA key, then OpenSSL's own check and a round trip. */
function assertSoundRsaKey(der: Buffer, bits: number): void {
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
  assert.equal(privateKey.asymmetricKeyDetails?.modulusLength, bits);
  assert.equal(privateKey.asymmetricKeyDetails?.publicExponent, 65537n);
  const c = rsaPrivateComponents(privateKey);
  const [n, e, d, p, q, iqmp] = [c.n, c.e, c.d, c.p, c.q, c.iqmp].map(bufferToBigInt) as [bigint, bigint, bigint, bigint, bigint, bigint];
  assert.equal(e, 65537n);
  assert.equal(p * q, n);
  assert.equal(bitLength(n), bits);
  assert.equal(bitLength(p), bits / 2);
  assert.equal(bitLength(q), bits / 2);
  assert.ok(checkPrimeSync(p) && checkPrimeSync(q));
  assert.ok((p > q ? p - q : q - p) > 1n << BigInt(bits / 2 - 100), '|p − q| too small');
  const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
  assert.equal((e * d) % lambda, 1n);
  assert.ok(d > 1n << BigInt(bits / 2));
  assert.equal(iqmp, modInverse(q, p));
  // dp and dq are in the DER too: OpenSSL's check below recomputes and compares them.
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' });
  assert.match(run('openssl', ['rsa', '-check', '-noout'], { input: pem }), /RSA key ok/);
  const message = randomBytes(32);
  const publicKey = createPublicKey(privateKey);
  assert.ok(verify('sha256', message, publicKey, sign('sha256', message, privateKey)));
  const secret = randomBytes(16);
  assert.deepEqual(privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING }, publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING }, secret)), secret);
}

describe('generateRsaPkcs1', () => {
  it('makes sound 2048-bit keys (a sample of 12, each checked by openssl rsa -check)', () => {
    for (let i = 0; i < 12; i++) assertSoundRsaKey(generateRsaPkcs1(2048), 2048);
  });

  it('makes sound 3072- and 4096-bit keys', () => {
    assertSoundRsaKey(generateRsaPkcs1(3072), 3072);
    assertSoundRsaKey(generateRsaPkcs1(4096), 4096);
  });

  it('refuses sizes outside what it makes', () => {
    for (const bits of [1024, 2047, 2056, 8192]) assert.throws(() => generateRsaPkcs1(bits), RangeError);
  });

  it('rsaKeyPairFromPkcs1 zeroes the DER it was given', () => {
    const der = generateRsaPkcs1(2048);
    const { privateKey, publicKey } = rsaKeyPairFromPkcs1(der);
    assert.ok(createPublicKey(privateKey).equals(publicKey));
    assert.ok(der.every((b) => b === 0));
  });
});

describe('RsaKeyPool on worker threads', () => {
  it('hands out sound, distinct 2048-bit keys made on at most `concurrency` threads', async () => {
    const pool = new RsaKeyPool({ size: 0, concurrency: 2 });
    try {
      const pairs = await Promise.all(Array.from({ length: 6 }, () => pool.take()));
      assert.ok(pool.threadsRunning() >= 1 && pool.threadsRunning() <= 2);
      const moduli = new Set<string>();
      for (const { privateKey, publicKey } of pairs) {
        assert.ok(createPublicKey(privateKey).equals(publicKey));
        assertSoundRsaKey(privateKey.export({ type: 'pkcs1', format: 'der' }), 2048);
        moduli.add(rsaPrivateComponents(privateKey).n.toString('hex'));
      }
      assert.equal(moduli.size, 6);
    } finally {
      pool.close();
    }
    assert.equal(pool.threadsRunning(), 0);
  });
});
