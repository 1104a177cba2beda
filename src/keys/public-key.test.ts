import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { InvalidPublicKeyError } from './errors.js';
import { generateEd25519 } from './generate.js';
import { opensshPublicKeyLine, publicKeyFromBlob, sshPublicBlob } from './public-blob.js';
import { parseImportedPublicKey } from './public-key.js';
import { sshMpint, sshString } from './ssh-wire.js';
import { type TempDir, runBuffer, run, tempDir } from '../../test/helpers/tools.js';

const parse = (m: string | Buffer): ReturnType<typeof parseImportedPublicKey> => parseImportedPublicKey(Buffer.from(m));
const rejects = (m: string | Buffer, pattern?: RegExp): void => {
  assert.throws(
    () => parse(m),
    (e: unknown) => e instanceof InvalidPublicKeyError && (pattern === undefined || pattern.test(e.message)),
    `should reject: ${Buffer.from(m).toString('utf8').slice(0, 80)}`,
  );
};
/** Base64 body of a PEM block, without the armour. */
const pemBase64 = (pem: string): string => pem.trim().split('\n').slice(1, -1).join('\n');

describe('parseImportedPublicKey', () => {
  let dir: TempDir;
  let rsaPub: string; // the .pub file text, with trailing newline
  let rsaBlob: Buffer;
  let edPub: string;
  let edBlob: Buffer;
  /** The RSA public key as ssh-keygen exports it to PKCS#8/SPKI PEM, loaded by node:crypto. */
  let rsaRef: ReturnType<typeof createPublicKey>;
  before(() => {
    dir = tempDir('ec2lite-keys-');
    runBuffer('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-C', 'alice@example', '-f', dir.file('rsa')]);
    runBuffer('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bob@example', '-f', dir.file('ed')]);
    rsaPub = dir.readText('rsa.pub');
    edPub = dir.readText('ed.pub');
    rsaBlob = Buffer.from(rsaPub.split(' ')[1]!, 'base64');
    edBlob = Buffer.from(edPub.split(' ')[1]!, 'base64');
    rsaRef = createPublicKey(run('ssh-keygen', ['-e', '-m', 'PKCS8', '-f', dir.file('rsa.pub')]));
  });
  after(() => dir.cleanup());

  describe('accepts every RSA format, all yielding the same blob', () => {
    const accepted = (): Array<[string, string | Buffer]> => {
      const [type, b64] = rsaPub.trim().split(' ') as [string, string];
      const rfc4716 = run('ssh-keygen', ['-e', '-f', dir.file('rsa.pub')]);
      const spkiPem = run('ssh-keygen', ['-e', '-m', 'PKCS8', '-f', dir.file('rsa.pub')]);
      const pkcs1Pem = run('ssh-keygen', ['-e', '-m', 'PEM', '-f', dir.file('rsa.pub')]);
      const bodyLines = b64.match(/.{1,70}/g)!;
      const handMade = [
        '---- BEGIN SSH2 PUBLIC KEY ----',
        'Subject: alice',
        'Comment: "this is a comment that is long enough that it has to be \\',
        'continued on the next line"',
        'x-private-header: anything',
        ...bodyLines,
        '---- END SSH2 PUBLIC KEY ----',
        '',
      ].join('\r\n');
      const spkiDer = runBuffer('openssl', ['pkey', '-pubin', '-outform', 'DER'], { input: spkiPem });
      const pkcs1Der = runBuffer('openssl', ['rsa', '-RSAPublicKey_in', '-RSAPublicKey_out', '-outform', 'DER'], { input: pkcs1Pem });
      return [
        ['OpenSSH line with comment and newline (the .pub file)', rsaPub],
        ['OpenSSH line without comment', `${type} ${b64}`],
        ['OpenSSH line without comment, trailing newline', `${type} ${b64}\n`],
        ['OpenSSH line, CRLF and surrounding whitespace', `  ${type}\t${b64}  several words here \r\n\r\n`],
        ['RFC 4716 from ssh-keygen -e', rfc4716],
        ['RFC 4716 hand-made: quoted Comment, continuation, CRLF', handMade],
        ['PEM BEGIN PUBLIC KEY (SPKI)', spkiPem],
        ['PEM BEGIN RSA PUBLIC KEY (PKCS#1)', pkcs1Pem],
        ['base64 SPKI DER, wrapped', pemBase64(spkiPem)],
        ['base64 SPKI DER, one line', spkiDer.toString('base64')],
        ['base64 PKCS#1 DER', pkcs1Der.toString('base64') + '\n'],
        ['raw SPKI DER', spkiDer],
        ['raw PKCS#1 DER', pkcs1Der],
      ];
    };
    it('each format', () => {
      const cases = accepted();
      assert.equal(cases.length, 13);
      for (const [name, material] of cases) {
        const info = parse(material);
        assert.equal(info.type, 'rsa', name);
        assert.equal(info.bits, 2048, name);
        assert.deepEqual(info.blob, rsaBlob, name);
        assert.ok(info.keyObject.equals(rsaRef), name);
      }
      assert.equal(parse(rsaPub).comment, 'alice@example');
      assert.equal(parse(cases[5]![1]).comment, 'this is a comment that is long enough that it has to be continued on the next line');
      assert.equal(parse(cases[4]![1]).comment, '2048-bit RSA, converted by ' + /converted by (.*) from OpenSSH/.exec(cases[4]![1].toString())![1] + ' from OpenSSH');
    });
  });

  it('accepts ED25519 as an OpenSSH line and as RFC 4716', () => {
    const line = parse(edPub);
    assert.equal(line.type, 'ed25519');
    assert.equal(line.bits, undefined);
    assert.deepEqual(line.blob, edBlob);
    assert.equal(line.keyObject.export({ format: 'jwk' }).x, edBlob.subarray(-32).toString('base64url'));
    const rfc = parse(run('ssh-keygen', ['-e', '-f', dir.file('ed.pub')]));
    assert.deepEqual(rfc.blob, edBlob);
    assert.deepEqual(parse(edPub.trim().split(' ').slice(0, 2).join(' ')).blob, edBlob);
  });

  it('accepts RSA from 1024 to 16384 bits (8192 was seen accepted by AWS) and rejects outside', () => {
    const fakeRsaLine = (bits: number): string => {
      const n = randomBytes(bits / 8);
      n[0] = n[0]! | 0x80;
      n[n.length - 1] = n[n.length - 1]! | 1;
      return opensshPublicKeyLine(Buffer.concat([sshString('ssh-rsa'), sshMpint(Buffer.from([1, 0, 1])), sshMpint(n)]));
    };
    assert.equal(parse(fakeRsaLine(1024)).bits, 1024);
    assert.equal(parse(fakeRsaLine(8192)).bits, 8192);
    assert.equal(parse(fakeRsaLine(16384)).bits, 16384);
    rejects(fakeRsaLine(16392), /too large/);
    rejects(fakeRsaLine(1016), /too small/);
    const small = generateKeyPairSync('rsa', { modulusLength: 512 });
    rejects(opensshPublicKeyLine(sshPublicBlob(small.publicKey)), /512 bits is too small/);
    rejects(small.publicKey.export({ type: 'spki', format: 'pem' }), /too small/);
  });

  describe('rejections', () => {
    it('DSA, ECDSA, security keys and certificates', () => {
      let dsa: string;
      try {
        runBuffer('ssh-keygen', ['-q', '-t', 'dsa', '-N', '', '-f', dir.file('dsa')]);
        dsa = dir.readText('dsa.pub');
      } catch {
        // ssh-keygen without DSA: build an ssh-dss line by hand.
        const p = randomBytes(128);
        dsa = opensshPublicKeyLine(Buffer.concat([sshString('ssh-dss'), sshMpint(p), sshMpint(randomBytes(20)), sshMpint(p), sshMpint(p)]));
      }
      assert.match(dsa, /^ssh-dss /);
      rejects(dsa, /DSA/);
      runBuffer('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-f', dir.file('ecdsa')]);
      const ecdsa = dir.readText('ecdsa.pub');
      rejects(ecdsa, /ECDSA/);
      rejects(run('ssh-keygen', ['-e', '-f', dir.file('ecdsa.pub')]), /ECDSA/);
      rejects(run('ssh-keygen', ['-e', '-m', 'PKCS8', '-f', dir.file('ecdsa.pub')]), /RSA only/);
      const sk = opensshPublicKeyLine(Buffer.concat([sshString('sk-ssh-ed25519@openssh.com'), sshString(randomBytes(32)), sshString('ssh:')]), 'yubikey');
      rejects(sk, /security-key/);
      // The sk blob behind an ssh-ed25519 label.
      rejects(`ssh-ed25519 ${sk.split(' ')[1]}`, /security-key|does not match/);
      runBuffer('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', dir.file('ca')]);
      runBuffer('ssh-keygen', ['-q', '-s', dir.file('ca'), '-I', 'cert-id', dir.file('ed.pub')]);
      const cert = dir.readText('ed-cert.pub');
      assert.match(cert, /^ssh-ed25519-cert-v01@openssh.com /);
      rejects(cert, /certificate/);
      // ED25519 as DER/PEM: the AWS docs allow DER for RSA only.
      rejects(generateEd25519().publicKey.export({ type: 'spki', format: 'pem' }), /RSA only/);
    });

    it('truncated blobs, trailing junk, type mismatches and bad base64', () => {
      const [type, b64] = rsaPub.trim().split(' ') as [string, string];
      rejects(`${type} ${rsaBlob.subarray(0, rsaBlob.length - 1).toString('base64')}`, /truncated/);
      rejects(`${type} ${rsaBlob.subarray(0, 11).toString('base64')}`, /truncated/);
      rejects(`${type} ${Buffer.concat([rsaBlob, Buffer.from([0])]).toString('base64')}`, /trailing/);
      rejects(`ssh-ed25519 ${b64}`, /does not match/);
      rejects(`ssh-rsa ${edBlob.toString('base64')}`, /does not match/);
      rejects(`${type} ${b64.slice(0, -1)}`); // padding damaged
      rejects(`${type} ${b64.slice(0, 100)}*${b64.slice(101)}`);
      rejects(`${type}`);
      rejects(b64, /twice|DER/); // bare blob base64 without the type
      const edB64 = edBlob.toString('base64');
      rejects(`ssh-ed25519 ${Buffer.concat([edBlob.subarray(0, -1)]).toString('base64')}`);
      rejects(`ssh-ed25519 ${edB64}${edB64}`);
      // Non-minimal mpint (extra 00 before e).
      const e = Buffer.concat([sshString('ssh-rsa'), sshString(Buffer.from([0, 1, 0, 1]))]);
      rejects(`ssh-rsa ${Buffer.concat([e, rsaBlob.subarray(4 + 7 + 4 + 3)]).toString('base64')}`, /non-minimal/);
      // Even exponent.
      assert.throws(() => publicKeyFromBlob(Buffer.concat([sshString('ssh-rsa'), sshMpint(Buffer.from([2])), rsaBlob.subarray(4 + 7 + 4 + 3)])), InvalidPublicKeyError);
    });

    it('double base64, random bytes, empty input, multiple keys, options', () => {
      rejects(Buffer.from(rsaPub).toString('base64'), /twice/);
      rejects(Buffer.from(edPub).toString('base64'), /twice/);
      rejects(Buffer.from(run('ssh-keygen', ['-e', '-f', dir.file('rsa.pub')])).toString('base64'), /twice/);
      for (let i = 0; i < 20; i++) rejects(randomBytes(300));
      rejects(Buffer.concat([Buffer.from([0x30]), randomBytes(100)]));
      rejects('', /empty/);
      rejects(Buffer.alloc(0), /empty/);
      rejects(' \n\r\n\t', /empty/);
      rejects(rsaPub + edPub, /more than one line/);
      rejects(`from="10.0.0.1" ${rsaPub}`, /options/);
      rejects(`restrict ${edPub}`, /options/);
      rejects('hello world');
      rejects('---- BEGIN SSH2 PUBLIC KEY ----\nAAAA\n', /END/);
    });

    it('private keys in any form', () => {
      rejects(dir.readText('rsa'), /private key/); // OPENSSH PRIVATE KEY
      const pkcs8 = run('openssl', ['genrsa', '1024']);
      const pkcs1 = run('openssl', ['genrsa', '-traditional', '1024']);
      assert.match(pkcs1, /BEGIN RSA PRIVATE KEY/);
      rejects(pkcs8, /private key/);
      rejects(pkcs1, /private key/);
      const key = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
      rejects(key.export({ type: 'pkcs1', format: 'pem' }), /private key/);
      rejects(key.export({ type: 'pkcs8', format: 'pem' }), /private key/);
      rejects(key.export({ type: 'pkcs1', format: 'der' }));
      rejects(key.export({ type: 'pkcs8', format: 'der' }));
      rejects(key.export({ type: 'pkcs1', format: 'der' }).toString('base64'));
      rejects(key.export({ type: 'pkcs8', format: 'der' }).toString('base64'));
      dir.write('empty', '');
      runBuffer('puttygen', ['-t', 'ed25519', '-O', 'private', '-o', dir.file('k.ppk'), '--new-passphrase', dir.file('empty')]);
      rejects(dir.readText('k.ppk'));
    });

    it('other PEM blocks and DER with trailing junk', () => {
      const cert = run('openssl', ['req', '-x509', '-newkey', 'rsa:1024', '-nodes', '-keyout', '/dev/null', '-subj', '/CN=x', '-days', '1']);
      rejects(cert, /CERTIFICATE/);
      const spki = rsaRef.export({ type: 'spki', format: 'der' });
      assert.deepEqual(parse(spki).blob, rsaBlob);
      rejects(Buffer.concat([spki, Buffer.from([0])]), /not a DER/);
      rejects(Buffer.concat([spki, Buffer.from([0])]).toString('base64'), /not a DER/);
      rejects(spki.subarray(0, -1));
      const pem = rsaRef.export({ type: 'spki', format: 'pem' }).toString();
      rejects(pem + pem, /malformed PEM/);
    });
  });
});
