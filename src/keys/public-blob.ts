// The SSH public key wire blob (RFC 4253 §6.6, RFC 8709): the canonical form of a public key here.

import { createPublicKey, type KeyObject } from 'node:crypto';
import { InvalidPublicKeyError } from './errors.js';
import { ed25519PublicKeyObject, ed25519PublicRaw, keyTypeOf, rsaPublicComponents, rsaPublicKeyObject } from './key-objects.js';
import { SshReader, SshWireError, sshMpint, sshString } from './ssh-wire.js';
import type { KeyType, PublicKeyInfo } from './types.js';

export const SSH_NAMES: Record<KeyType, string> = { rsa: 'ssh-rsa', ed25519: 'ssh-ed25519' };

/** Public key (or private key, whose public half is used) → SSH wire blob. */
export function sshPublicBlob(key: KeyObject): Buffer {
  const type = keyTypeOf(key);
  if (type === 'rsa') {
    const { n, e } = rsaPublicComponents(key);
    return Buffer.concat([sshString('ssh-rsa'), sshMpint(e), sshMpint(n)]);
  }
  return Buffer.concat([sshString('ssh-ed25519'), sshString(ed25519PublicRaw(key))]);
}

/** The key type name at the start of a blob ("ssh-rsa", …), or undefined if unreadable. */
export function blobTypeName(blob: Buffer): string | undefined {
  try {
    return new SshReader(blob).text();
  } catch {
    return undefined;
  }
}

/** "ssh-rsa AAAA… comment" (no trailing newline). The comment must be a single line. */
export function opensshPublicKeyLine(blob: Buffer, comment?: string): string {
  const name = blobTypeName(blob);
  if (name === undefined) throw new TypeError('unreadable SSH public key blob');
  if (comment !== undefined && /[\r\n]/.test(comment)) throw new TypeError('comment must not contain line breaks');
  const line = `${name} ${blob.toString('base64')}`;
  return comment ? `${line} ${comment}` : line;
}

function bitLength(magnitude: Buffer): number {
  if (magnitude.length === 0) return 0;
  return (magnitude.length - 1) * 8 + (32 - Math.clz32(magnitude[0]!));
}

/**
 * Parse an SSH wire blob of an RSA or ED25519 public key. Throws InvalidPublicKeyError for other
 * types, truncation, trailing bytes, or non-canonical encodings. No size policy is applied here.
 */
export function publicKeyFromBlob(blob: Buffer): PublicKeyInfo {
  try {
    const r = new SshReader(blob);
    const name = r.text();
    if (name === 'ssh-rsa') {
      const e = r.mpint();
      const n = r.mpint();
      r.end();
      const bits = bitLength(n);
      const eBits = bitLength(e);
      if (eBits < 2 || (e[e.length - 1]! & 1) === 0) throw new InvalidPublicKeyError('RSA public exponent must be odd and at least 3');
      if (bits < 512 || (n[n.length - 1]! & 1) === 0) throw new InvalidPublicKeyError('RSA modulus is not plausible');
      if (eBits > 64 || eBits >= bits) throw new InvalidPublicKeyError('RSA public exponent is too large');
      const keyObject = rsaPublicKeyObject({ n, e });
      return { type: 'rsa', blob: Buffer.from(blob), bits, keyObject };
    }
    if (name === 'ssh-ed25519') {
      const pk = r.string();
      r.end();
      if (pk.length !== 32) throw new InvalidPublicKeyError('ED25519 public key must be 32 bytes');
      return { type: 'ed25519', blob: Buffer.from(blob), keyObject: ed25519PublicKeyObject(Buffer.from(pk)) };
    }
    throw new InvalidPublicKeyError(`unsupported key type ${JSON.stringify(name)}`);
  } catch (err) {
    if (err instanceof InvalidPublicKeyError) throw err;
    if (err instanceof SshWireError) throw new InvalidPublicKeyError(`malformed SSH public key blob: ${err.message}`);
    throw new InvalidPublicKeyError(`unusable public key: ${(err as Error).message}`);
  }
}

/** PublicKeyInfo for a KeyObject (public or private). */
export function publicKeyInfo(key: KeyObject): PublicKeyInfo {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return publicKeyFromBlob(sshPublicBlob(pub));
}
