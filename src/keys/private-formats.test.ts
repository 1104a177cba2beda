import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { generateEd25519 } from './generate.js';
import { ed25519PrivateKeyToOpenSsh, privateKeyToOpenSsh, privateKeyToPem, readOpenSshPrivateKey, rsaPrivateKeyToPkcs1Pem } from './private-formats.js';
import { opensshPublicKeyLine, sshPublicBlob } from './public-blob.js';
import { type TempDir, keyField, run, tempDir } from '../../test/helpers/tools.js';

describe('private key output', () => {
  let dir: TempDir;
  before(() => {
    dir = tempDir('ec2lite-keys-');
  });
  after(() => dir.cleanup());

  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

  it('PKCS#1 PEM: layout AWS uses (64 columns, no trailing newline)', () => {
    const pem = rsaPrivateKeyToPkcs1Pem(rsa.privateKey);
    const lines = pem.split('\n');
    assert.equal(lines[0], '-----BEGIN RSA PRIVATE KEY-----');
    assert.equal(lines.at(-1), '-----END RSA PRIVATE KEY-----');
    assert.ok(!pem.endsWith('\n'));
    for (const l of lines.slice(1, -2)) assert.equal(l.length, 64);
    assert.ok(lines.at(-2)!.length <= 64 && lines.at(-2)!.length > 0);
    // Same DER as Node's own PKCS#1 export.
    assert.equal(pem + '\n', rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }));
  });

  it('PKCS#1 PEM: ssh-keygen -y derives the same ssh-rsa blob and openssl rsa -check passes', () => {
    const file = dir.write('rsa.pem', rsaPrivateKeyToPkcs1Pem(rsa.privateKey));
    const derived = run('ssh-keygen', ['-y', '-f', file]);
    const ours = opensshPublicKeyLine(sshPublicBlob(createPublicKey(rsa.privateKey)));
    assert.equal(keyField(derived), keyField(ours));
    assert.match(derived, /^ssh-rsa AAAAB3NzaC1yc2E/);
    const check = run('openssl', ['rsa', '-in', file, '-check', '-noout']);
    assert.match(check, /RSA key ok/);
  });

  it('ED25519 OpenSSH private key: layout as ssh-keygen writes it, loads in ssh-keygen -y', () => {
    const { privateKey, publicKey } = generateEd25519();
    const text = ed25519PrivateKeyToOpenSsh(privateKey, 'my-key');
    assert.ok(text.startsWith('-----BEGIN OPENSSH PRIVATE KEY-----\n'));
    assert.ok(text.endsWith('-----END OPENSSH PRIVATE KEY-----\n'));
    const body = text.split('\n').slice(1, -2);
    for (const l of body.slice(0, -1)) assert.equal(l.length, 70);
    const file = dir.write('ed', text);
    const derived = run('ssh-keygen', ['-y', '-f', file]).trim();
    assert.equal(derived, opensshPublicKeyLine(sshPublicBlob(publicKey), 'my-key'));
    // ssh-keygen can rewrite it (proves it parsed the private half, not just the public blob).
    run('ssh-keygen', ['-p', '-N', '', '-P', '', '-f', file]);
    assert.equal(run('ssh-keygen', ['-y', '-f', file]).trim(), derived);
  });

  it('RSA in OpenSSH format loads in ssh-keygen and reads back', () => {
    const text = privateKeyToOpenSsh(rsa.privateKey, 'rsa comment');
    const file = dir.write('rsa-openssh', text);
    const derived = run('ssh-keygen', ['-y', '-f', file]).trim();
    assert.equal(derived, opensshPublicKeyLine(sshPublicBlob(rsa.publicKey), 'rsa comment'));
    const back = readOpenSshPrivateKey(text);
    assert.equal(back.comment, 'rsa comment');
    assert.equal(back.type, 'rsa');
    assert.deepEqual(back.privateKey.export({ format: 'jwk' }), rsa.privateKey.export({ format: 'jwk' }));
  });

  it('privateKeyToPem: PKCS#1 for RSA, OpenSSH for ED25519', () => {
    assert.ok(privateKeyToPem(rsa.privateKey).startsWith('-----BEGIN RSA PRIVATE KEY-----\n'));
    const ed = generateEd25519();
    const pem = privateKeyToPem(ed.privateKey);
    assert.ok(pem.startsWith('-----BEGIN OPENSSH PRIVATE KEY-----\n'));
    assert.ok(readOpenSshPrivateKey(pem).publicKey.equals(ed.publicKey));
  });

  it('rejects wrong key kinds', () => {
    assert.throws(() => rsaPrivateKeyToPkcs1Pem(rsa.publicKey), TypeError);
    assert.throws(() => ed25519PrivateKeyToOpenSsh(rsa.privateKey), TypeError);
    assert.throws(() => privateKeyToOpenSsh(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey), TypeError);
  });
});
