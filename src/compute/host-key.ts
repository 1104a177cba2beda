// An instance's SSH host key is kept as a 32-byte ED25519 seed (hex) in its record, so the
// instance keeps its identity across stop/start and server restarts; the OpenSSH text ssh2
// wants is derived when the endpoint starts and never written anywhere.
import { createPrivateKey, randomBytes } from 'node:crypto';
import { ed25519PrivateKeyToOpenSsh } from '../keys/index.js';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export const newHostKeySeed = (): string => randomBytes(32).toString('hex');

export function hostKeyFromSeed(seedHex: string): string {
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.from(seedHex, 'hex')]), format: 'der', type: 'pkcs8' });
  return ed25519PrivateKeyToOpenSsh(key);
}
