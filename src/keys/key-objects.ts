// Conversions between node:crypto KeyObjects and raw key components (via JWK), with the
// consistency checks needed when components come from a file.

import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { bigIntToBuffer, bufferToBigInt, leftPad, modInverse, stripLeadingZeros } from './encoding.js';
import type { KeyType } from './types.js';

export interface RsaComponents {
  /** All unsigned big-endian, minimal (no leading zeros). */
  n: Buffer;
  e: Buffer;
}
export interface RsaPrivateComponents extends RsaComponents {
  d: Buffer;
  p: Buffer;
  q: Buffer;
  /** q⁻¹ mod p (PKCS#1 coefficient, JWK qi, OpenSSH/PuTTY iqmp). */
  iqmp: Buffer;
}

/** 'rsa' | 'ed25519' for a KeyObject, or throws for any other key type. */
export function keyTypeOf(key: KeyObject): KeyType {
  const t = key.asymmetricKeyType;
  if (t === 'rsa' || t === 'ed25519') return t;
  throw new TypeError(`unsupported key type: ${t ?? key.type}`);
}

/**
 * The INTEGERs of a DER SEQUENCE (PKCS#1 RSAPublicKey / RSAPrivateKey), unsigned and minimal.
 * Components are read from DER rather than a JWK export: cheaper (no copy, no base64), and Node
 * 20 can deadlock exporting a JWK from a generated KeyObject while the GC destroys its KeyGenJob
 * (seen as a server frozen mid-request; gdb: ~KeyGenJob under ExportJWK).
 */
function derIntegers(der: Buffer): Buffer[] {
  let pos = 0;
  const length = (): number => {
    const first = der[pos++]!;
    if (first < 0x80) return first;
    let n = 0;
    for (let i = 0; i < (first & 0x7f); i++) n = n * 256 + der[pos++]!;
    return n;
  };
  if (der[pos++] !== 0x30) throw new TypeError('expected a DER SEQUENCE');
  const end = length() + pos;
  const out: Buffer[] = [];
  while (pos < end) {
    if (der[pos++] !== 0x02) throw new TypeError('expected a DER INTEGER');
    const len = length();
    out.push(stripLeadingZeros(der.subarray(pos, pos + len)));
    pos += len;
  }
  return out;
}

/** Public RSA components of a public or private RSA KeyObject. */
export function rsaPublicComponents(key: KeyObject): RsaComponents {
  if (key.asymmetricKeyType !== 'rsa') throw new TypeError('not an RSA key');
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const [n, e] = derIntegers(pub.export({ type: 'pkcs1', format: 'der' }));
  return { n: n!, e: e! };
}

export function rsaPrivateComponents(key: KeyObject): RsaPrivateComponents {
  if (key.asymmetricKeyType !== 'rsa' || key.type !== 'private') throw new TypeError('not an RSA private key');
  // RSAPrivateKey ::= SEQUENCE { version, n, e, d, p, q, dp, dq, qi }
  const [, n, e, d, p, q, , , qi] = derIntegers(key.export({ type: 'pkcs1', format: 'der' }));
  return { n: n!, e: e!, d: d!, p: p!, q: q!, iqmp: qi! };
}

/** Raw 32-byte public key of an ED25519 KeyObject (public or private): the SPKI's last 32 bytes. */
export function ed25519PublicRaw(key: KeyObject): Buffer {
  if (key.asymmetricKeyType !== 'ed25519') throw new TypeError('not an ED25519 key');
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const spki = pub.export({ type: 'spki', format: 'der' });
  if (spki.length !== 44) throw new TypeError('unexpected ED25519 SubjectPublicKeyInfo');
  return spki.subarray(12);
}

/** 32-byte seed (the RFC 8032 private key) of an ED25519 private KeyObject: the PKCS#8's last 32 bytes. */
export function ed25519Seed(key: KeyObject): Buffer {
  if (key.asymmetricKeyType !== 'ed25519' || key.type !== 'private') throw new TypeError('not an ED25519 private key');
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  if (pkcs8.length !== 48) throw new TypeError('unexpected ED25519 PKCS#8');
  return pkcs8.subarray(16);
}

function b64u(bytes: Buffer): string {
  return stripLeadingZeros(bytes).toString('base64url') || 'AA';
}

export function rsaPublicKeyObject(c: RsaComponents): KeyObject {
  return createPublicKey({ key: { kty: 'RSA', n: b64u(c.n), e: b64u(c.e) }, format: 'jwk' });
}

export function ed25519PublicKeyObject(raw32: Buffer): KeyObject {
  if (raw32.length !== 32) throw new RangeError('ED25519 public key must be 32 bytes');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw32.toString('base64url') }, format: 'jwk' });
}

/** ED25519 private KeyObject from its 32-byte seed (shorter input is left-padded with zeros). */
export function ed25519PrivateKeyObject(seed: Buffer): KeyObject {
  const s = leftPad(seed, 32);
  // JWK import needs x too; derive it from a key made from d alone via PKCS#8.
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), s]);
  return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
}

/**
 * RSA private KeyObject from components read out of a file. Recomputes CRT values and checks that
 * the components hang together (n = p·q, e·d ≡ 1 mod p−1 and q−1). `iqmp`, when given, must agree.
 * Throws RangeError on inconsistency.
 */
export function rsaPrivateKeyObject(c: { n: Buffer; e: Buffer; d: Buffer; p: Buffer; q: Buffer; iqmp?: Buffer }): KeyObject {
  const [n, e, d, p, q] = [c.n, c.e, c.d, c.p, c.q].map(bufferToBigInt) as [bigint, bigint, bigint, bigint, bigint];
  if (p < 2n || q < 2n || p * q !== n) throw new RangeError('RSA components inconsistent: n ≠ p·q');
  if (e < 3n || d < 1n || (e * d) % (p - 1n) !== 1n || (e * d) % (q - 1n) !== 1n) {
    throw new RangeError('RSA components inconsistent: d is not the inverse of e');
  }
  const qi = modInverse(q, p);
  if (qi === undefined) throw new RangeError('RSA components inconsistent: q not invertible mod p');
  if (c.iqmp !== undefined && bufferToBigInt(c.iqmp) !== qi) throw new RangeError('RSA components inconsistent: wrong iqmp');
  const enc = (v: bigint): string => b64u(bigIntToBuffer(v));
  return createPrivateKey({
    key: { kty: 'RSA', n: enc(n), e: enc(e), d: enc(d), p: enc(p), q: enc(q), dp: enc(d % (p - 1n)), dq: enc(d % (q - 1n)), qi: enc(qi) },
    format: 'jwk',
  });
}
