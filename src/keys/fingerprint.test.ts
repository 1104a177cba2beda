import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { fingerprintCreatedRsa, fingerprintEd25519, fingerprintImportedRsa, fingerprintOpensshSha256 } from './fingerprint.js';
import { generateEd25519 } from './generate.js';
import { ed25519PrivateKeyToOpenSsh, rsaPrivateKeyToPkcs1Pem } from './private-formats.js';
import { sshPublicBlob } from './public-blob.js';
import { type TempDir, run, sh, tempDir } from '../../test/helpers/tools.js';

/** "SHA1(stdin)= ab:cd:…" → "ab:cd:…" */
const digestPart = (out: string): string => out.trim().split('= ').at(-1)!;

describe('fingerprints as AWS computes them', () => {
  let dir: TempDir;
  before(() => {
    dir = tempDir('ec2lite-keys-');
  });
  after(() => dir.cleanup());

  for (const bits of [1024, 2048]) {
    it(`created RSA ${bits}: SHA-1 of PKCS#8 DER equals the AWS doc's openssl pipeline`, () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
      dir.write('k.pem', rsaPrivateKeyToPkcs1Pem(privateKey));
      const expected = digestPart(sh('openssl pkcs8 -in k.pem -inform PEM -outform DER -topk8 -nocrypt | openssl sha1 -c', dir.path));
      const fp = fingerprintCreatedRsa(privateKey);
      assert.equal(fp, expected);
      assert.equal(fp.length, 59);
      assert.match(fp, /^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
    });

    it(`imported RSA ${bits}: MD5 of SPKI DER equals openssl rsa -pubout | openssl md5 -c and the ssh-keygen -e route`, () => {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
      dir.write('k.pem', rsaPrivateKeyToPkcs1Pem(privateKey));
      const expected = digestPart(sh('openssl rsa -in k.pem -pubout -outform DER 2>/dev/null | openssl md5 -c', dir.path));
      const viaSshKeygen = digestPart(sh('ssh-keygen -ef k.pem -m PEM | openssl rsa -RSAPublicKey_in -outform DER 2>/dev/null | openssl md5 -c', dir.path));
      assert.equal(fingerprintImportedRsa(publicKey), expected);
      assert.equal(fingerprintImportedRsa(privateKey), expected);
      assert.equal(viaSshKeygen, expected);
      assert.equal(expected.length, 47);
    });
  }

  it('created RSA fingerprint does not depend on the file the key was read from', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const fromPkcs8 = createPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const fromPkcs1 = createPrivateKey(rsaPrivateKeyToPkcs1Pem(privateKey));
    assert.equal(fingerprintCreatedRsa(fromPkcs8), fingerprintCreatedRsa(fromPkcs1));
    assert.notEqual(fingerprintCreatedRsa(privateKey).replace(/:/g, '').slice(0, 32), fingerprintImportedRsa(privateKey).replace(/:/g, ''));
  });

  it('ED25519: base64 SHA-256 of the blob, padded — ssh-keygen -l value plus "="', () => {
    for (let i = 0; i < 3; i++) {
      const { privateKey, publicKey } = generateEd25519();
      const file = dir.write('ed', ed25519PrivateKeyToOpenSsh(privateKey, 'c'));
      const out = run('ssh-keygen', ['-l', '-f', file]);
      const m = /SHA256:([A-Za-z0-9+/]+)/.exec(out);
      assert.ok(m, out);
      const fp = fingerprintEd25519(sshPublicBlob(publicKey));
      assert.equal(fp, m[1] + '=');
      assert.equal(fp.length, 44);
      assert.equal(fingerprintOpensshSha256(sshPublicBlob(publicKey)), 'SHA256:' + m[1]);
    }
  });

  it('refuses the wrong key kind', () => {
    assert.throws(() => fingerprintCreatedRsa(generateEd25519().privateKey), TypeError);
    assert.throws(() => fingerprintCreatedRsa(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey), TypeError);
    assert.throws(() => fingerprintImportedRsa(generateEd25519().publicKey), TypeError);
  });
});
