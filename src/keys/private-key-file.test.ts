import assert from 'node:assert/strict';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { InvalidPrivateKeyError, PassphraseRequiredError, UnsupportedKeyError } from './errors.js';
import { generateEd25519 } from './generate.js';
import { privateKeyToOpenSsh, rsaPrivateKeyToPkcs1Pem } from './private-formats.js';
import { readPrivateKeyFile } from './private-key-file.js';
import { sshPublicBlob } from './public-blob.js';
import { parseImportedPublicKey } from './public-key.js';
import { type TempDir, runBuffer, run, tempDir } from '../../test/helpers/tools.js';

const jwk = (k: KeyObject): unknown => k.export({ format: 'jwk' });

describe('readPrivateKeyFile', () => {
  let dir: TempDir;
  before(() => {
    dir = tempDir('ec2lite-keys-');
  });
  after(() => dir.cleanup());

  const sshKeygen = (name: string, ...args: string[]): string => {
    const file = dir.file(name);
    runBuffer('ssh-keygen', ['-q', '-N', '', '-C', `${name}@test`, '-f', file, ...args]);
    return file;
  };

  for (const [label, args, bits] of [
    ['ed25519', ['-t', 'ed25519'], undefined],
    ['rsa1024', ['-t', 'rsa', '-b', '1024'], 1024],
    ['rsa2048', ['-t', 'rsa', '-b', '2048'], 2048],
    ['rsa4096', ['-t', 'rsa', '-b', '4096'], 4096],
  ] as const) {
    it(`reads ssh-keygen's ${label} private key, and its .pub imports to the same blob`, () => {
      sshKeygen(label, ...args);
      const k = readPrivateKeyFile(dir.read(label));
      assert.equal(k.format, 'openssh');
      assert.equal(k.type, label.startsWith('rsa') ? 'rsa' : 'ed25519');
      assert.equal(k.comment, `${label}@test`);
      assert.ok(k.publicKey.equals(createPublicKey(k.privateKey)));
      const pub = parseImportedPublicKey(dir.read(`${label}.pub`));
      assert.deepEqual(pub.blob, sshPublicBlob(k.publicKey));
      assert.equal(pub.bits, bits);
      assert.equal(pub.comment, `${label}@test`);
      // CRLF copies of the same file read the same.
      const crlf = readPrivateKeyFile(dir.readText(label).replace(/\n/g, '\r\n'));
      assert.deepEqual(jwk(crlf.privateKey), jwk(k.privateKey));
    });
  }

  it('reads PEM PKCS#1 and PKCS#8 (RSA) and PKCS#8 (ED25519), as PEM and DER', () => {
    sshKeygen('pem', '-t', 'rsa', '-b', '2048', '-m', 'PEM');
    assert.match(dir.readText('pem'), /^-----BEGIN RSA PRIVATE KEY-----/);
    const pkcs1 = readPrivateKeyFile(dir.read('pem'));
    assert.equal(pkcs1.format, 'pkcs1');
    assert.equal(pkcs1.type, 'rsa');

    sshKeygen('p8', '-t', 'rsa', '-b', '2048', '-m', 'PKCS8');
    assert.match(dir.readText('p8'), /^-----BEGIN PRIVATE KEY-----/);
    const p8 = readPrivateKeyFile(dir.readText('p8'));
    assert.equal(p8.format, 'pkcs8');
    assert.deepEqual(sshPublicBlob(p8.publicKey), parseImportedPublicKey(dir.read('p8.pub')).blob);

    const edPem = run('openssl', ['genpkey', '-algorithm', 'ed25519']);
    const ed = readPrivateKeyFile(edPem);
    assert.equal(ed.format, 'pkcs8');
    assert.equal(ed.type, 'ed25519');

    const der = runBuffer('openssl', ['pkcs8', '-topk8', '-nocrypt', '-outform', 'DER', '-in', dir.file('pem')]);
    const fromDer = readPrivateKeyFile(der);
    assert.equal(fromDer.format, 'pkcs8');
    assert.deepEqual(jwk(fromDer.privateKey), jwk(pkcs1.privateKey));
  });

  it('reads passphrase-protected PEM (PKCS#8 and legacy PKCS#1) only with the passphrase', () => {
    dir.write('rsa.pem', rsaPrivateKeyToPkcs1Pem(readPrivateKeyFile(dir.read('rsa2048')).privateKey));
    const enc8 = run('openssl', ['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-passout', 'pass:s3cret', '-in', dir.file('rsa.pem')]);
    const enc1 = run('openssl', ['rsa', '-aes256', '-traditional', '-passout', 'pass:s3cret', '-in', dir.file('rsa.pem')]);
    assert.match(enc8, /BEGIN ENCRYPTED PRIVATE KEY/);
    assert.match(enc1, /Proc-Type: 4,ENCRYPTED/);
    for (const [text, format] of [[enc8, 'pkcs8'], [enc1, 'pkcs1']] as const) {
      assert.throws(() => readPrivateKeyFile(text), PassphraseRequiredError);
      assert.throws(() => readPrivateKeyFile(text, 'wrong'), InvalidPrivateKeyError);
      const k = readPrivateKeyFile(text, 's3cret');
      assert.equal(k.format, format);
      assert.deepEqual(sshPublicBlob(k.publicKey), parseImportedPublicKey(dir.read('rsa2048.pub')).blob);
    }
  });

  it('refuses an encrypted OpenSSH key with a clear UnsupportedKeyError', () => {
    const file = dir.file('encrypted');
    runBuffer('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'a passphrase', '-f', file]);
    assert.throws(
      () => readPrivateKeyFile(dir.read('encrypted'), 'a passphrase'),
      (e: unknown) => e instanceof UnsupportedKeyError && /encrypted OpenSSH/.test(e.message) && /ssh-keygen -p/.test(e.message),
    );
  });

  it('refuses ECDSA and DSA-style keys, public keys and garbage', () => {
    sshKeygen('ecdsa', '-t', 'ecdsa');
    assert.throws(() => readPrivateKeyFile(dir.read('ecdsa')), UnsupportedKeyError);
    const ecPem = run('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout']);
    assert.match(ecPem, /BEGIN EC PRIVATE KEY/);
    assert.throws(() => readPrivateKeyFile(ecPem), UnsupportedKeyError);
    const ecP8 = run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']);
    assert.throws(() => readPrivateKeyFile(ecP8), UnsupportedKeyError);
    assert.throws(() => readPrivateKeyFile(dir.read('ecdsa.pub')), UnsupportedKeyError);
    assert.throws(() => readPrivateKeyFile(dir.read('ed25519.pub')), /public key/);
    assert.throws(() => readPrivateKeyFile('hello'), UnsupportedKeyError);
    assert.throws(() => readPrivateKeyFile(''), InvalidPrivateKeyError);
    assert.throws(() => readPrivateKeyFile(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00])), InvalidPrivateKeyError);
  });

  it('detects corruption in OpenSSH files (check integers, public/private mismatch)', () => {
    const a = generateEd25519();
    const text = privateKeyToOpenSsh(a.privateKey, 'x');
    const body = Buffer.from(text.split('\n').slice(1, -2).join(''), 'base64');
    const rewrap = (b: Buffer): string =>
      ['-----BEGIN OPENSSH PRIVATE KEY-----', ...(b.toString('base64').match(/.{1,70}/g) ?? []), '-----END OPENSSH PRIVATE KEY-----', ''].join('\n');
    // Round trip of the untouched body works.
    assert.deepEqual(jwk(readPrivateKeyFile(rewrap(body)).privateKey), jwk(a.privateKey));
    // Private section starts right after: magic(15) + 3 strings + uint32 + pub string + uint32 length.
    const privStart = 15 + 8 + 8 + 4 + 4 + (4 + 51) + 4;
    const badCheck = Buffer.from(body);
    badCheck[privStart] = badCheck[privStart]! ^ 0xff;
    assert.throws(() => readPrivateKeyFile(rewrap(badCheck)), /check integers/);
    const otherPub = Buffer.from(body);
    sshPublicBlob(generateEd25519().publicKey).copy(otherPub, 15 + 8 + 8 + 4 + 4 + 4);
    assert.throws(() => readPrivateKeyFile(rewrap(otherPub)), InvalidPrivateKeyError);
  });

  it('reads keys this module wrote (round trip through every output format)', () => {
    const ed = generateEd25519();
    const k = readPrivateKeyFile(privateKeyToOpenSsh(ed.privateKey, 'round trip'));
    assert.equal(k.comment, 'round trip');
    assert.ok(k.publicKey.equals(ed.publicKey));
  });
});
