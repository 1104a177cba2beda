import assert from 'node:assert/strict';
import { createHash, createHmac, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { InvalidPrivateKeyError, PassphraseRequiredError, UnsupportedKeyError } from './errors.js';
import { generateEd25519 } from './generate.js';
import { ed25519PrivateKeyObject } from './key-objects.js';
import { readPrivateKeyFile } from './private-key-file.js';
import { rsaPrivateKeyToPkcs1Pem, privateKeyToOpenSsh } from './private-formats.js';
import { privateKeyToPpk, readPpk } from './ppk.js';
import { opensshPublicKeyLine, sshPublicBlob } from './public-blob.js';
import { type TempDir, keyField, runBuffer, run, tempDir } from '../../test/helpers/tools.js';

const jwk = (k: KeyObject): unknown => k.export({ format: 'jwk' });

describe('PPK', () => {
  let dir: TempDir;
  before(() => {
    dir = tempDir('ec2lite-keys-');
    dir.write('empty-pass', '');
    dir.write('pass', 'correct horse');
  });
  after(() => dir.cleanup());

  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const seeds: Record<string, Buffer> = {
    random: randomBytes(32),
    'top bit set': Buffer.concat([Buffer.from([0xf3]), randomBytes(31)]),
    'leading zero byte': Buffer.concat([Buffer.from([0x00, 0x7f]), randomBytes(30)]),
  };
  const keys: Array<[string, KeyObject]> = [
    ['RSA 2048', rsa],
    ...Object.entries(seeds).map(([name, seed]): [string, KeyObject] => [`ED25519 (${name} seed)`, ed25519PrivateKeyObject(seed)]),
  ];

  for (const [name, key] of keys) {
    for (const version of [2, 3] as const) {
      it(`puttygen loads our v${version} ${name} file and exports the same private key`, () => {
        const ppk = privateKeyToPpk(key, 'my key', version);
        assert.ok(ppk.startsWith(`PuTTY-User-Key-File-${version}: ssh-`));
        assert.ok(!ppk.includes('\r') && ppk.endsWith('\n'));
        const file = dir.write('ours.ppk', ppk);
        const out = dir.file('exported');
        runBuffer('puttygen', [file, '-O', 'private-openssh', '-o', out]);
        // The public key ssh-keygen derives from puttygen's export matches ours…
        assert.equal(keyField(run('ssh-keygen', ['-y', '-f', out])), keyField(opensshPublicKeyLine(sshPublicBlob(key))));
        // …and so does the private half (our reader checks seed → public and n = p·q).
        assert.deepEqual(jwk(readPrivateKeyFile(dir.read('exported')).privateKey), jwk(key));
        // puttygen reports the comment we wrote.
        assert.match(run('puttygen', [file, '-O', 'public-openssh']), /my key\s*$/);
        // And we read our own file back.
        const back = readPpk(ppk);
        assert.equal(back.comment, 'my key');
        assert.equal(back.version, version);
        assert.deepEqual(jwk(back.privateKey), jwk(key));
      });
    }
  }

  it('v2 MAC uses HMAC-SHA1 keyed with SHA1("putty-private-key-file-mac-key"), v3 HMAC-SHA256 with an empty key', () => {
    const key = generateEd25519().privateKey;
    for (const version of [2, 3] as const) {
      const ppk = privateKeyToPpk(key, 'c', version);
      const lines = ppk.split('\n');
      const b64 = (label: string): Buffer => {
        const i = lines.findIndex((l) => l.startsWith(label));
        return Buffer.from(lines.slice(i + 1, i + 1 + Number(lines[i]!.split(': ')[1])).join(''), 'base64');
      };
      const s = (b: Buffer | string): Buffer => {
        const buf = Buffer.from(b);
        const len = Buffer.alloc(4);
        len.writeUInt32BE(buf.length);
        return Buffer.concat([len, buf]);
      };
      const data = Buffer.concat([s('ssh-ed25519'), s('none'), s('c'), s(b64('Public-Lines')), s(b64('Private-Lines'))]);
      const mac =
        version === 2
          ? createHmac('sha1', createHash('sha1').update('putty-private-key-file-mac-key').digest()).update(data).digest('hex')
          : createHmac('sha256', Buffer.alloc(0)).update(data).digest('hex');
      assert.equal(lines.at(-2), `Private-MAC: ${mac}`);
    }
  });

  describe('files made by puttygen', () => {
    const pem = rsaPrivateKeyToPkcs1Pem(rsa);
    const ed = generateEd25519().privateKey;
    before(() => {
      dir.write('rsa.pem', pem);
      dir.write('ed', privateKeyToOpenSsh(ed, 'from-openssh'));
    });

    for (const [src, key, type] of [['rsa.pem', rsa, 'rsa'], ['ed', ed, 'ed25519']] as const) {
      for (const version of [2, 3] as const) {
        it(`reads an unencrypted v${version} ${type} file (LF and CRLF), with its comment`, () => {
          const out = dir.file(`g${version}.ppk`);
          runBuffer('puttygen', [dir.file(src), '-o', out, '-O', 'private', '-C', 'made by puttygen', '--ppk-param', `version=${version}`, '--new-passphrase', dir.file('empty-pass')]);
          const text = dir.readText(`g${version}.ppk`);
          assert.ok(text.startsWith(`PuTTY-User-Key-File-${version}: `));
          for (const variant of [text, text.replace(/\n/g, '\r\n')]) {
            const k = readPrivateKeyFile(Buffer.from(variant));
            assert.equal(k.format, `ppk${version}`);
            assert.equal(k.type, type);
            assert.equal(k.comment, 'made by puttygen');
            assert.deepEqual(jwk(k.privateKey), jwk(key));
          }
        });
      }

      it(`reads an aes256-cbc encrypted v2 ${type} file with the passphrase only`, () => {
        const out = dir.file('enc2.ppk');
        runBuffer('puttygen', [dir.file(src), '-o', out, '-O', 'private', '--ppk-param', 'version=2', '--new-passphrase', dir.file('pass')]);
        const text = dir.readText('enc2.ppk');
        assert.match(text, /^Encryption: aes256-cbc$/m);
        const k = readPrivateKeyFile(text, 'correct horse');
        assert.equal(k.format, 'ppk2');
        assert.deepEqual(jwk(k.privateKey), jwk(key));
        assert.throws(() => readPrivateKeyFile(text), PassphraseRequiredError);
        assert.throws(() => readPrivateKeyFile(text, 'wrong horse'), InvalidPrivateKeyError);
      });

      it(`refuses an encrypted v3 ${type} file with a clear Argon2 message`, () => {
        const out = dir.file('enc3.ppk');
        runBuffer('puttygen', [dir.file(src), '-o', out, '-O', 'private', '--ppk-param', 'version=3', '--new-passphrase', dir.file('pass')]);
        const text = dir.readText('enc3.ppk');
        assert.match(text, /^Key-Derivation: Argon2/m);
        assert.throws(() => readPrivateKeyFile(text, 'correct horse'), (e: unknown) => e instanceof UnsupportedKeyError && /Argon2/.test(e.message));
      });
    }
  });

  it('detects a bad MAC, a tampered comment, and a private blob from another key', () => {
    const a = privateKeyToPpk(generateEd25519().privateKey, 'a', 2);
    const b = privateKeyToPpk(generateEd25519().privateKey, 'a', 2);
    const macLine = a.split('\n').at(-2)!;
    const flipped = macLine.slice(0, -1) + (macLine.endsWith('0') ? '1' : '0');
    assert.throws(() => readPpk(a.replace(macLine, flipped)), /MAC/);
    assert.throws(() => readPpk(a.replace('Comment: a', 'Comment: b')), /MAC/);
    const privA = a.split('Private-Lines')[1]!;
    const mixed = b.split('Private-Lines')[0]! + 'Private-Lines' + privA;
    assert.throws(() => readPpk(mixed), InvalidPrivateKeyError);
  });

  it('refuses line breaks in the comment and bad versions', () => {
    assert.throws(() => privateKeyToPpk(rsa, 'a\nb', 2), TypeError);
    assert.throws(() => privateKeyToPpk(rsa, 'c', 4 as 2), RangeError);
    assert.throws(() => readPpk(privateKeyToPpk(rsa, 'c', 2).replace('File-2', 'File-1')), UnsupportedKeyError);
  });
});
