// Key generation. RSA generation is slow, so RSA keys normally come from RsaKeyPool (rsa-pool.ts).

import { generateKeyPair, generateKeyPairSync } from 'node:crypto';
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
