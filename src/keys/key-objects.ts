// Conversions between node:crypto KeyObjects and raw key components (via JWK), with the
// consistency checks needed when components come from a file.

import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { bigIntToBuffer, bufferToBigInt, fromBase64Url, leftPad, modInverse, stripLeadingZeros } from './encoding.js';
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

function jwkField(jwk: JsonWebKey, name: string): Buffer {
  const v = (jwk as Record<string, unknown>)[name];
  if (typeof v !== 'string') throw new TypeError(`key has no JWK field ${name}`);
  return stripLeadingZeros(fromBase64Url(v));
}

/**
 * The key as a JWK, exported from a copy made from its DER encoding. Node 20 can deadlock when a
 * JWK is exported from a generated KeyObject while the GC destroys the KeyGenJob that made it (the
 * export holds the key's mutex while allocating; the job's destructor takes the same mutex). A copy
 * shares no mutex with any job. Seen as a server frozen mid-request (gdb: ~KeyGenJob under ExportJWK).
 */
function jwkOf(key: KeyObject): JsonWebKey {
  const copy =
    key.type === 'private'
      ? createPrivateKey({ key: key.export({ type: 'pkcs8', format: 'der' }), format: 'der', type: 'pkcs8' })
      : createPublicKey({ key: key.export({ type: 'spki', format: 'der' }), format: 'der', type: 'spki' });
  return copy.export({ format: 'jwk' });
}

function b64u(bytes: Buffer): string {
  return stripLeadingZeros(bytes).toString('base64url') || 'AA';
}

/** Public RSA components of a public or private RSA KeyObject. */
export function rsaPublicComponents(key: KeyObject): RsaComponents {
  if (key.asymmetricKeyType !== 'rsa') throw new TypeError('not an RSA key');
  const jwk = jwkOf(key);
  return { n: jwkField(jwk, 'n'), e: jwkField(jwk, 'e') };
}

export function rsaPrivateComponents(key: KeyObject): RsaPrivateComponents {
  if (key.asymmetricKeyType !== 'rsa' || key.type !== 'private') throw new TypeError('not an RSA private key');
  const jwk = jwkOf(key);
  return {
    n: jwkField(jwk, 'n'),
    e: jwkField(jwk, 'e'),
    d: jwkField(jwk, 'd'),
    p: jwkField(jwk, 'p'),
    q: jwkField(jwk, 'q'),
    iqmp: jwkField(jwk, 'qi'),
  };
}

/** Raw 32-byte public key of an ED25519 KeyObject (public or private). */
export function ed25519PublicRaw(key: KeyObject): Buffer {
  if (key.asymmetricKeyType !== 'ed25519') throw new TypeError('not an ED25519 key');
  const x = jwkOf(key).x;
  if (typeof x !== 'string') throw new TypeError('ED25519 key without x');
  return fromBase64Url(x);
}

/** 32-byte seed (the RFC 8032 private key) of an ED25519 private KeyObject. */
export function ed25519Seed(key: KeyObject): Buffer {
  if (key.asymmetricKeyType !== 'ed25519' || key.type !== 'private') throw new TypeError('not an ED25519 private key');
  const d = jwkOf(key).d;
  if (typeof d !== 'string') throw new TypeError('ED25519 key without d');
  return fromBase64Url(d);
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
