// A standard RSA private key built from two primes of primes.ts, as PKCS#1 DER: e = 65537, n of
// exactly `bits` bits, |p − q| > 2^(bits/2 − 100), d = e⁻¹ mod lcm(p−1, q−1) with d > 2^(bits/2)
// (FIPS 186-5 A.1.1), CRT values dp, dq, qInv. Pure computation: runs in the RSA workers.

import { bigIntToBuffer, modInverse } from './encoding.js';
import { derSequence, derUnsignedInteger, randomRsaPrime, rsaPrimeRounds } from './primes.js';

export const RSA_E = 65537n;

/** Smallest and largest modulus sizes made here; others go to OpenSSL's own generator. */
export const MIN_COMPONENT_BITS = 2048;
export const MAX_COMPONENT_BITS = 6144;

const gcd = (a: bigint, b: bigint): bigint => {
  while (b) [a, b] = [b, a % b];
  return a;
};

/** PKCS#1 RSAPrivateKey DER of a fresh `bits`-bit key (bits a multiple of 16 in [2048, 6144]). */
export function generateRsaPkcs1(bits: number): Buffer {
  if (!Number.isInteger(bits) || bits % 16 !== 0 || bits < MIN_COMPONENT_BITS || bits > MAX_COMPONENT_BITS) {
    throw new RangeError(`RSA key size must be a multiple of 16 from ${MIN_COMPONENT_BITS} to ${MAX_COMPONENT_BITS}`);
  }
  const half = bits / 2;
  const rounds = rsaPrimeRounds(bits);
  const minDistance = 1n << BigInt(half - 100);
  for (;;) {
    let p = randomRsaPrime(half, RSA_E, rounds);
    let q = randomRsaPrime(half, RSA_E, rounds);
    if (p < q) [p, q] = [q, p];
    if (p - q <= minDistance) continue;
    const n = p * q;
    if (n.toString(2).length !== bits) continue; // cannot happen with the top two bits set; checked anyway
    const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
    const d = modInverse(RSA_E, lambda);
    if (d === undefined || d <= 1n << BigInt(half)) continue;
    const qInv = modInverse(q, p)!;
    const ints = [0n, n, RSA_E, d, p, q, d % (p - 1n), d % (q - 1n), qInv];
    return derSequence(ints.map((v) => derUnsignedInteger(bigIntToBuffer(v))));
  }
}
