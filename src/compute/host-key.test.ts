// The host key text derived from a seed (through JWK, cached) is the key the seed names: the same
// public key and private key as the DER (PKCS#8) derivation gives, read back by ssh2 as the server does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import ssh2 from 'ssh2';
import { ed25519PrivateKeyToOpenSsh } from '../keys/index.js';
import { hostKeyFromSeed, newHostKeySeed } from './host-key.js';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

test('hostKeyFromSeed gives the seed’s ED25519 key, the same each time', () => {
  for (let i = 0; i < 20; i++) {
    const seed = newHostKeySeed();
    const viaDer = ed25519PrivateKeyToOpenSsh(createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.from(seed, 'hex')]), format: 'der', type: 'pkcs8' }));
    const expected = ssh2.utils.parseKey(viaDer);
    const text = hostKeyFromSeed(seed);
    const got = ssh2.utils.parseKey(text);
    assert.ok(!(got instanceof Error) && !(expected instanceof Error));
    const [g, e] = [Array.isArray(got) ? got[0]! : got, Array.isArray(expected) ? expected[0]! : expected];
    assert.equal(g.type, 'ssh-ed25519');
    assert.ok(g.getPublicSSH().equals(e.getPublicSSH()));
    assert.equal(g.getPrivatePEM(), e.getPrivatePEM());
    assert.equal(hostKeyFromSeed(seed), text, 'a second derivation (cached) gives the same text');
  }
});
