// `ec2lite keyfile fingerprint` against the AWS documentation's own commands (openssl, ssh-keygen).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, writeFileSync } from 'node:fs';
import { opensslDigest, run, sshKeygen, tempDir, writePrivate } from '../helpers/tools.js';
import { cli } from './cli-harness.js';

const sh = (script: string, cwd: string): string => run('sh', ['-c', script], { cwd });

describe('ec2lite keyfile fingerprint', () => {
  const dir = tempDir('ec2lite-cli-fp-');
  let rsa: string; // OpenSSH-format RSA private key (ssh-keygen's default)
  let rsaPem: string; // the same key as PKCS#1 PEM
  let ed: string;
  before(() => {
    rsa = sshKeygen(dir.path, 'rsa', 'rsa', 2048).path;
    rsaPem = dir.file('rsa.pem');
    copyFileSync(rsa, rsaPem);
    run('ssh-keygen', ['-q', '-p', '-N', '', '-m', 'PEM', '-f', rsaPem]);
    ed = sshKeygen(dir.path, 'ed', 'ed25519').path;
  });
  after(() => dir.cleanup());

  const createdByOpenssl = (pem: string) => opensslDigest(sh(`openssl pkcs8 -in '${pem}' -inform PEM -outform DER -topk8 -nocrypt | openssl sha1 -c`, dir.path));
  const importedByOpenssl = (pem: string) => opensslDigest(sh(`openssl rsa -in '${pem}' -pubout -outform DER 2>/dev/null | openssl md5 -c`, dir.path));

  it('RSA private key: both forms, labelled, equal to the AWS doc openssl commands', async () => {
    const created = createdByOpenssl(rsaPem);
    const imported = importedByOpenssl(rsaPem);
    assert.match(created, /^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
    assert.match(imported, /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    for (const file of [rsaPem, rsa]) {
      const r = await cli(['keyfile', 'fingerprint', file]);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trim().split('\n');
      assert.match(lines[0]!, /^AS\s+FINGERPRINT\s+ALGORITHM$/);
      assert.match(lines[1]!, new RegExp(`^created\\s+${created}\\s+SHA-1`));
      assert.match(lines[2]!, new RegExp(`^imported\\s+${imported}\\s+MD5`));
      assert.equal(lines.length, 3);
    }
  });

  it('--as picks one and prints only the fingerprint', async () => {
    assert.deepEqual(await cli(['keyfile', 'fingerprint', rsaPem, '--as', 'created']), { code: 0, stdout: createdByOpenssl(rsaPem) + '\n', stderr: '', prompts: [] });
    const r = await cli(['keyfile', 'fingerprint', rsa, '--as', 'imported']);
    assert.equal(r.stdout, importedByOpenssl(rsaPem) + '\n');
  });

  it("imported form equals the doc's ssh-keygen -e | openssl rsa -RSAPublicKey_in pipeline", async () => {
    const viaSshKeygen = opensslDigest(sh(`ssh-keygen -ef '${rsa}' -m PEM | openssl rsa -RSAPublicKey_in -outform DER 2>/dev/null | openssl md5 -c`, dir.path));
    assert.equal((await cli(['keyfile', 'fingerprint', rsa, '--as', 'imported'])).stdout.trim(), viaSshKeygen);
  });

  it('PKCS#1 and PKCS#8 PEM from openssl give the openssl digests', async () => {
    const p1 = dir.file('p1.pem');
    run('openssl', ['genrsa', '-traditional', '-out', p1, '2048']);
    const p8 = dir.file('p8.pem');
    run('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024', '-out', p8]);
    for (const f of [p1, p8]) {
      writePrivate(f, run('cat', [f]));
      const r = await cli(['keyfile', 'fingerprint', f, '--output', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const data = JSON.parse(r.stdout) as { KeyType: string; Source: string; Fingerprints: { As: string; Fingerprint: string }[] };
      assert.equal(data.KeyType, 'rsa');
      assert.equal(data.Source, 'private');
      assert.deepEqual(
        data.Fingerprints.map((x) => [x.As, x.Fingerprint]),
        [
          ['created', createdByOpenssl(f)],
          ['imported', importedByOpenssl(f)],
        ],
      );
    }
  });

  it('ED25519: base64 SHA-256 with "=" padding = ssh-keygen -l value + "="', async () => {
    const sshFp = /SHA256:([A-Za-z0-9+/]{43}) /.exec(run('ssh-keygen', ['-l', '-f', ed]))![1]!;
    const r = await cli(['keyfile', 'fingerprint', ed]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^ed25519\\s+${sshFp.replace(/\+/g, '\\+')}=\\s+base64 SHA-256`, 'm'));
    // --as gives the same value for ED25519 (created and imported are computed alike).
    for (const as of ['created', 'imported']) assert.equal((await cli(['keyfile', 'fingerprint', ed, '--as', as])).stdout, `${sshFp}=\n`);
    // From the .pub too.
    assert.equal((await cli(['keyfile', 'fingerprint', `${ed}.pub`, '--as', 'imported'])).stdout, `${sshFp}=\n`);
  });

  it('public key files in every ImportKeyPair format give the imported fingerprint', async () => {
    const imported = importedByOpenssl(rsaPem);
    writeFileSync(dir.file('rfc4716.pub'), run('ssh-keygen', ['-e', '-f', `${rsa}.pub`]));
    writeFileSync(dir.file('spki.pem'), sh(`openssl rsa -in '${rsaPem}' -pubout 2>/dev/null`, dir.path));
    writeFileSync(dir.file('spki.b64'), sh(`openssl rsa -in '${rsaPem}' -pubout -outform DER 2>/dev/null | base64 -w0`, dir.path));
    for (const f of [`${rsa}.pub`, dir.file('rfc4716.pub'), dir.file('spki.pem'), dir.file('spki.b64')]) {
      const r = await cli(['keyfile', 'fingerprint', f]);
      assert.equal(r.code, 0, `${f}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^imported\\s+${imported}\\s`, 'm'), f);
      assert.doesNotMatch(r.stdout, /^created/m);
    }
  });

  it('--as created on a public key fails: that fingerprint needs the private key', async () => {
    const r = await cli(['keyfile', 'fingerprint', `${rsa}.pub`, '--as', 'created']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error: .*public key.*needs the private key file/);
  });

  it('PuTTY files (puttygen v2 and v3, and an encrypted v2) give the same fingerprints', async () => {
    const expected = (await cli(['keyfile', 'fingerprint', rsaPem])).stdout;
    writeFileSync(dir.file('pass.txt'), 'correct horse\n');
    run('puttygen', [rsaPem, '-o', dir.file('v2.ppk'), '--ppk-param', 'version=2']);
    run('puttygen', [rsaPem, '-o', dir.file('v3.ppk'), '--ppk-param', 'version=3']);
    run('puttygen', [rsaPem, '-o', dir.file('enc.ppk'), '--ppk-param', 'version=2', '--new-passphrase', dir.file('pass.txt')]);
    for (const f of ['v2.ppk', 'v3.ppk']) assert.equal((await cli(['keyfile', 'fingerprint', dir.file(f)])).stdout, expected, f);
    const enc = await cli(['keyfile', 'fingerprint', dir.file('enc.ppk'), '--passphrase-file', dir.file('pass.txt')]);
    assert.equal(enc.stdout, expected, enc.stderr);
  });

  it('passphrase-protected PEM (openssl -aes256) with --passphrase-file', async () => {
    writeFileSync(dir.file('pem-pass.txt'), 'pem secret\n');
    const enc = dir.file('enc.pem');
    run('openssl', ['genrsa', '-aes256', '-traditional', '-passout', `file:${dir.file('pem-pass.txt')}`, '-out', enc, '2048']);
    chmodSync(enc, 0o600);
    const plain = dir.file('plain-of-enc.pem');
    run('openssl', ['rsa', '-in', enc, '-passin', `file:${dir.file('pem-pass.txt')}`, '-traditional', '-out', plain]);
    const r = await cli(['keyfile', 'fingerprint', enc, '--passphrase-file', dir.file('pem-pass.txt')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^created\\s+${createdByOpenssl(plain)}\\s`, 'm'));
    assert.match(r.stdout, new RegExp(`^imported\\s+${importedByOpenssl(plain)}\\s`, 'm'));
  });

  it('errors: missing file, not a key, bad --as, missing argument', async () => {
    const missing = await cli(['keyfile', 'fingerprint', dir.file('nope')]);
    assert.deepEqual([missing.code, missing.stderr], [1, `error: cannot read '${dir.file('nope')}': no such file\n`]);
    writeFileSync(dir.file('junk.txt'), 'hello world\n');
    const junk = await cli(['keyfile', 'fingerprint', dir.file('junk.txt')]);
    assert.equal(junk.code, 1);
    assert.match(junk.stderr, /neither a private key .* nor a public key/);
    const badAs = await cli(['keyfile', 'fingerprint', rsa, '--as', 'md5']);
    assert.equal(badAs.code, 2);
    assert.match(badAs.stderr, /--as must be one of created, imported/);
    assert.match(badAs.stderr, /Run 'ec2lite keyfile fingerprint --help'/);
    assert.equal((await cli(['keyfile', 'fingerprint'])).code, 2);
  });
});
