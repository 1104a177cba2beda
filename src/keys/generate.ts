// Key generation. RSA generation is slow, so RSA keys normally come from RsaKeyPool (rsa-pool.ts).

import { generateKeyPair, generateKeyPairSync } from 'node:crypto';
import { generateRsaPkcs1, MAX_COMPONENT_BITS, MIN_COMPONENT_BITS } from './rsa-components.js';
import { rsaKeyPairFromPkcs1 } from './rsa-threads.js';
import type { KeyPairObjects } from './types.js';

export const DEFAULT_RSA_BITS = 2048;
export const RSA_PUBLIC_EXPONENT = 65537;

export function generateEd25519(): KeyPairObjects {
  return generateKeyPairSync('ed25519');
}

/** One RSA key pair, generated on libuv's thread pool (off the main thread). */
export function generateRsa(bits: number = DEFAULT_RSA_BITS): Promise<KeyPairObjects> {
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: bits, publicExponent: RSA_PUBLIC_EXPONENT }, (err, publicKey, privateKey) => {
      if (err) reject(err);
      else resolve({ privateKey, publicKey });
    });
  });
}

/**
 * One RSA key pair on the calling thread, for one-off use (the CLI): rsa-components.ts for the sizes
 * it makes (about three times faster than Node 20's OpenSSL 3.0 keygen), OpenSSL otherwise.
 */
export function generateRsaSync(bits: number = DEFAULT_RSA_BITS): KeyPairObjects {
  if (bits % 16 === 0 && bits >= MIN_COMPONENT_BITS && bits <= MAX_COMPONENT_BITS) return rsaKeyPairFromPkcs1(generateRsaPkcs1(bits));
  return generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: RSA_PUBLIC_EXPONENT });
}
