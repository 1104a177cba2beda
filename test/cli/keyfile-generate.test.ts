// `ec2lite keyfile generate`: files, modes, and what ssh-keygen / openssl / puttygen make of them.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { opensslDigest, run, tempDir } from '../helpers/tools.js';
import { cli, modeOf } from './cli-harness.js';

describe('ec2lite keyfile generate', () => {
  const dir = tempDir('ec2lite-cli-gen-');
  after(() => dir.cleanup());

  it('RSA (default 2048, PEM): private 0400, FILE.pub 0644, ssh-keygen and openssl agree', async () => {
    const f = dir.file('rsa.pem');
    const r = await cli(['keyfile', 'generate', '-o', f, '--comment', 'me@example']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(modeOf(f), 0o400);
    assert.equal(modeOf(`${f}.pub`), 0o644);
    assert.match(readFileSync(f, 'utf8'), /^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----\n$/);
    const pub = readFileSync(`${f}.pub`, 'utf8');
    assert.equal(pub, run('ssh-keygen', ['-y', '-f', f]).trim() + ' me@example\n');
    assert.match(run('ssh-keygen', ['-l', '-f', `${f}.pub`]), /^2048 SHA256:\S+ me@example \(RSA\)/);
    const md5 = opensslDigest(run('sh', ['-c', `openssl rsa -in '${f}' -pubout -outform DER 2>/dev/null | openssl md5 -c`]));
    assert.match(r.stdout, new RegExp(`^Fingerprint: +${md5} \\(as EC2 shows it once imported\\)$`, 'm'));
    assert.match(r.stdout, /Import it with: +ec2lite key-pairs import NAME --public-key \S+rsa\.pem\.pub/);
  });

  it('ED25519 (OpenSSH format) and RSA 1024/4096, json output', async () => {
    const ed = dir.file('ed');
    const r = await cli(['keyfile', 'generate', '--type', 'ed25519', '-o', ed, '-C', 'c', '--output', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const data = JSON.parse(r.stdout) as { KeyType: string; PublicKey: string; ImportFingerprint: string; Bits?: number; File: string; PublicKeyFile: string };
    assert.equal(data.KeyType, 'ed25519');
    assert.equal(data.Bits, undefined);
    assert.equal(data.File, ed);
    assert.equal(data.PublicKeyFile, `${ed}.pub`);
    assert.match(readFileSync(ed, 'utf8'), /^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    assert.equal(readFileSync(`${ed}.pub`, 'utf8'), data.PublicKey + '\n');
    const sshFp = /SHA256:(\S+) /.exec(run('ssh-keygen', ['-l', '-f', ed]))![1]!;
    assert.equal(data.ImportFingerprint, `${sshFp}=`);
    for (const bits of [1024, 4096]) {
      const f = dir.file(`rsa${bits}`);
      const g = await cli(['keyfile', 'generate', '--bits', String(bits), '-o', f, '--output', 'json']);
      assert.equal(g.code, 0, g.stderr);
      assert.equal((JSON.parse(g.stdout) as { Bits: number }).Bits, bits);
      assert.match(run('ssh-keygen', ['-l', '-f', f]), new RegExp(`^${bits} `));
    }
  });

  it('--format ppk: a PPK puttygen loads, with the .pub beside it', async () => {
    const f = dir.file('gen.ppk');
    const r = await cli(['keyfile', 'generate', '--format', 'ppk', '--ppk-version', '3', '-o', f, '-C', 'putty-user']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(f, 'utf8'), /^PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nComment: putty-user\n/);
    assert.equal(run('puttygen', ['-L', f]), readFileSync(`${f}.pub`, 'utf8'));
  });

  it('never overwrites FILE or FILE.pub, and writes nothing when either exists', async () => {
    const f = dir.file('taken');
    writeFileSync(`${f}.pub`, 'old public key\n');
    const r = await cli(['keyfile', 'generate', '-o', f]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: '.*taken\.pub' already exists; ec2lite never overwrites a key file/);
    assert.equal(existsSync(f), false);
    assert.equal(readFileSync(`${f}.pub`, 'utf8'), 'old public key\n');

    const g = dir.file('taken2');
    writeFileSync(g, 'old private key\n', { mode: 0o600 });
    assert.equal((await cli(['keyfile', 'generate', '-o', g])).code, 1);
    assert.equal(readFileSync(g, 'utf8'), 'old private key\n');
    assert.equal(existsSync(`${g}.pub`), false);
  });

  it('usage errors exit 2: no -o, unsupported bits, --bits with ed25519, unknown type', async () => {
    for (const [args, message] of [
      [[], /-o FILE is required/],
      [['-o', dir.file('x'), '--bits', '3072'], /--bits must be one of 1024, 2048, 4096/],
      [['-o', dir.file('x'), '--type', 'ed25519', '--bits', '2048'], /--bits only applies to --type rsa/],
      [['-o', dir.file('x'), '--type', 'dsa'], /--type must be one of rsa, ed25519/],
    ] as const) {
      const r = await cli(['keyfile', 'generate', ...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
    }
    assert.equal(existsSync(dir.file('x')), false);
  });
});
