import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as keys from './index.js';

it('index exports the agreed API', () => {
  const functions = [
    'generateEd25519', 'rsaPrivateKeyToPkcs1Pem', 'ed25519PrivateKeyToOpenSsh', 'privateKeyToPpk', 'sshPublicBlob',
    'opensshPublicKeyLine', 'publicKeyFromBlob', 'parseImportedPublicKey', 'fingerprintCreatedRsa', 'fingerprintImportedRsa',
    'fingerprintEd25519', 'readPrivateKeyFile', 'privateKeyToOpenSsh', 'privateKeyToPem',
  ];
  for (const name of functions) assert.equal(typeof (keys as Record<string, unknown>)[name], 'function', name);
  for (const E of [keys.InvalidPublicKeyError, keys.UnsupportedKeyError, keys.PassphraseRequiredError, keys.InvalidPrivateKeyError]) {
    const e = new E('x');
    assert.ok(e instanceof Error);
    assert.equal(e.name, E.name);
  }
  assert.equal(typeof keys.RsaKeyPool.prototype.take, 'function');
  assert.equal(typeof keys.RsaKeyPool.prototype.available, 'function');
  assert.equal(typeof keys.RsaKeyPool.prototype.close, 'function');
});
