// Random probable primes for RSA keys, the way current OpenSSL (3.2+, 4.x) makes them for its own
// RSA keys: a random odd number of exactly `bits` bits with the top two bits set, an incremental
// search sieved by the odd primes below 2^16, and Miller-Rabin with the FIPS 186-5 Table B.1 round
// counts (random bases). Node 20's OpenSSL 3.0 insists on 64 rounds in generatePrime/checkPrime,
// which is most of their cost; the modular exponentiation itself is still OpenSSL's (see modPow).

import { constants, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import { bigIntToBuffer, bufferToBigInt, leftPad } from './encoding.js';

/** Odd primes below 2^16 (6,541 of them). */
const SMALL_PRIMES: Uint32Array = (() => {
  const limit = 1 << 16;
  const composite = new Uint8Array(limit);
  const out: number[] = [];
  for (let i = 3; i < limit; i += 2) {
    if (composite[i]) continue;
    out.push(i);
    for (let j = i * i; j < limit; j += 2 * i) composite[j] = 1;
  }
  return Uint32Array.from(out);
})();

/** The small primes in groups whose product stays below 2^53, so one bigint remainder serves a group. */
const PRIME_GROUPS: { product: bigint; from: number; to: number }[] = (() => {
  const groups: { product: bigint; from: number; to: number }[] = [];
  let from = 0;
  while (from < SMALL_PRIMES.length) {
    let product = 1;
    let to = from;
    while (to < SMALL_PRIMES.length && product * SMALL_PRIMES[to]! < 2 ** 53) product *= SMALL_PRIMES[to++]!;
    groups.push({ product: BigInt(product), from, to });
    from = to;
  }
  return groups;
})();

/** Odd numbers examined per sieve window (about 5.8 primes expected in one at 1,024 bits). */
const WINDOW = 2048;

/**
 * FIPS 186-5 Table B.1: Miller-Rabin rounds for the primes p and q of an RSA modulus of `modulusBits`
 * (error probability at most 2^-100 for random candidates).
 */
export function rsaPrimeRounds(modulusBits: number): number {
  return modulusBits >= 3072 ? 4 : 5;
}

/** Exponents of this size are refused in an RSA public operation for moduli above 3,072 bits. */
const MAX_FAST_MODULUS_BITS = 3072;

/**
 * a^d mod m for odd m. For moduli of 512 to 3,072 bits the exponentiation is OpenSSL's (an RSA
 * public operation without padding with modulus m and public exponent d is exactly a^d mod m); below
 * that, bigint arithmetic (the tests exercise both paths against each other).
 */
export function modPow(a: bigint, d: bigint, m: bigint): bigint {
  const bits = m.toString(2).length;
  if (bits >= 512 && bits <= MAX_FAST_MODULUS_BITS && d < m) return new ModPow(m, d).of(a);
  let result = 1n;
  let base = a % m;
  for (let e = d; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * base) % m;
    base = (base * base) % m;
  }
  return result;
}

/** x ↦ x^d mod m through OpenSSL, for one (m, d) used several times (the rounds of one candidate). */
class ModPow {
  private readonly key;
  private readonly size: number;
  constructor(m: bigint, d: bigint) {
    const mBytes = bigIntToBuffer(m);
    this.size = mBytes.length;
    this.key = createPublicKey({ key: pkcs1Public(mBytes, bigIntToBuffer(d)), format: 'der', type: 'pkcs1' });
  }
  of(a: bigint): bigint {
    return bufferToBigInt(publicEncrypt({ key: this.key, padding: constants.RSA_NO_PADDING }, leftPad(bigIntToBuffer(a), this.size)));
  }
}

/** Miller-Rabin with `rounds` random bases in [2, w−2]. `w` must be odd and above 3. */
export function millerRabin(w: bigint, rounds: number): boolean {
  const wMinus1 = w - 1n;
  let d = wMinus1;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  const bits = w.toString(2).length;
  const fast = bits >= 512 && bits <= MAX_FAST_MODULUS_BITS ? new ModPow(w, d) : undefined;
  for (let round = 0; round < rounds; round++) {
    const b = randomBelow(w - 3n) + 2n;
    let x = fast ? fast.of(b) : modPow(b, d, w);
    if (x === 1n || x === wMinus1) continue;
    let witness = true;
    for (let i = 1; i < s; i++) {
      x = (x * x) % w;
      if (x === wMinus1) {
        witness = false;
        break;
      }
      if (x === 1n) break;
    }
    if (witness) return false;
  }
  return true;
}

/** A uniformly random integer in [0, limit), by rejection. */
function randomBelow(limit: bigint): bigint {
  const bits = limit.toString(2).length;
  const bytes = Math.ceil(bits / 8);
  const excess = BigInt(bytes * 8 - bits);
  for (;;) {
    const v = bufferToBigInt(randomBytes(bytes)) >> excess;
    if (v < limit) return v;
  }
}

/**
 * A random probable prime of exactly `bits` bits (top two bits set, so the product of two is exactly
 * 2·bits bits) with gcd(p−1, e) = 1. `rounds` Miller-Rabin rounds (see rsaPrimeRounds).
 */
export function randomRsaPrime(bits: number, e: bigint, rounds: number): bigint {
  if (!Number.isInteger(bits) || bits < 64) throw new RangeError('prime size must be at least 64 bits');
  const top = 3n << BigInt(bits - 2);
  const composite = new Uint8Array(WINDOW);
  for (;;) {
    const start = (bufferToBigInt(randomBytes(Math.ceil(bits / 8))) & ((1n << BigInt(bits)) - 1n)) | top | 1n;
    composite.fill(0);
    // start + 2j is divisible by p exactly when j ≡ −start·2⁻¹ (mod p).
    for (const g of PRIME_GROUPS) {
      const r = Number(start % g.product);
      for (let i = g.from; i < g.to; i++) {
        const p = SMALL_PRIMES[i]!;
        let j = (((p - (r % p)) % p) * ((p + 1) / 2)) % p;
        for (; j < WINDOW; j += p) composite[j] = 1;
      }
    }
    // gcd(p−1, e) = 1 for a prime e: p ≢ 1 (mod e).
    if (e > 2n && e < 2n ** 53n) {
      const E = Number(e);
      const r = Number(start % e);
      const half = Number((e + 1n) / 2n);
      const jr = Number((BigInt((1 - r + E) % E) * BigInt(half)) % e);
      for (let j = jr; j < WINDOW; j += E) composite[j] = 1;
    }
    for (let j = 0; j < WINDOW; j++) {
      if (composite[j]) continue;
      const candidate = start + 2n * BigInt(j);
      if (candidate >> BigInt(bits - 2) !== 3n) break; // ran past the top: draw again
      if (millerRabin(candidate, rounds)) return candidate;
    }
  }
}

/** DER RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }. */
function pkcs1Public(n: Buffer, e: Buffer): Buffer {
  return derSequence([derUnsignedInteger(n), derUnsignedInteger(e)]);
}

/** DER INTEGER of an unsigned big-endian value (a leading 0x00 when the top bit is set). */
export function derUnsignedInteger(value: Buffer): Buffer {
  let v = value;
  let i = 0;
  while (i < v.length - 1 && v[i] === 0) i++;
  v = v.subarray(i);
  if (v.length === 0) v = Buffer.alloc(1);
  if (v[0]! & 0x80) v = Buffer.concat([Buffer.alloc(1), v]);
  return Buffer.concat([Buffer.from([0x02]), derLength(v.length), v]);
}

export function derSequence(parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
