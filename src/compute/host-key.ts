// An instance's SSH host key is kept as a 32-byte ED25519 seed (hex) in its record, so the
// instance keeps its identity across stop/start and server restarts; the OpenSSH text ssh2
// wants is derived when the endpoint starts and never written anywhere.
import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { ed25519RawToOpenSsh } from '../keys/index.js';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export const newHostKeySeed = (): string => randomBytes(32).toString('hex');

/**
 * Recently derived keys, by seed: a restarted or rebooted instance gets its text without the
 * derivation (about 1–2 ms of CPU each on a busy machine, on StartInstances' path). Bounded; in
 * memory only, where the running endpoint holds the same key anyway.
 */
const recent = new Map<string, string>();
const RECENT_MAX = 1024;

export function hostKeyFromSeed(seedHex: string): string {
  const known = recent.get(seedHex);
  if (known !== undefined) return known;
  const seed = Buffer.from(seedHex, 'hex');
  const text = ed25519RawToOpenSsh(seed, publicOf(seed));
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
  recent.set(seedHex, text);
  return text;
}

/**
 * The host key's public line as ssh-keygen writes it to `/etc/ssh/ssh_host_ed25519_key.pub`
 * (`ssh-ed25519 <base64> root@<hostname>`): a real guest holds the key its endpoint presents.
 */
export function hostPublicKeyLine(seedHex: string, comment: string): string {
  const pub = publicOf(Buffer.from(seedHex, 'hex'));
  const field = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return `ssh-ed25519 ${Buffer.concat([field(Buffer.from('ssh-ed25519')), field(pub)]).toString('base64')} ${comment}`;
}

/** A JWK `x` of the right length: Node requires the member, and a private key's import does not read it. */
const UNREAD_X = Buffer.alloc(32).toString('base64url');

/**
 * The raw public key of an ED25519 seed. Through JWK (raw key import and export): OpenSSL 3's
 * DER decoder and encoder cost ~2.5 ms here against ~0.4 ms. A Node that refused the JWK would
 * fall back to DER; the public key is derived from `d` either way, never taken from `x`.
 */
function publicOf(seed: Buffer): Buffer {
  try {
    const key = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: seed.toString('base64url'), x: UNREAD_X }, format: 'jwk' });
    return Buffer.from(createPublicKey(key).export({ format: 'jwk' }).x!, 'base64url');
  } catch {
    const key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
    // The SubjectPublicKeyInfo of an ED25519 key ends with its 32 raw bytes.
    return createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(12);
  }
}
