// `ec2lite keyfile convert` both ways against PuTTYgen (PPK v2 and v3) and ssh-keygen.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { run, sshKeygen, tempDir } from '../helpers/tools.js';
import { cli, modeOf } from './cli-harness.js';

describe('ec2lite keyfile convert', () => {
  const dir = tempDir('ec2lite-cli-conv-');
  let rsa: string; // OpenSSH format, comment rsa@test
  let rsaPem: string; // PKCS#1 PEM, no comment
  let ed: string;
  let n = 0;
  const out = (ext: string) => dir.file(`out-${++n}.${ext}`);
  before(() => {
    rsa = sshKeygen(dir.path, 'rsa', 'rsa', 2048).path;
    rsaPem = dir.file('rsa.pem');
    copyFileSync(rsa, rsaPem);
    run('ssh-keygen', ['-q', '-p', '-N', '', '-m', 'PEM', '-f', rsaPem]);
    ed = sshKeygen(dir.path, 'ed', 'ed25519').path;
    writeFileSync(dir.file('pass.txt'), 'open sesame\n');
  });
  after(() => dir.cleanup());

  const publicOf = (f: string) => run('ssh-keygen', ['-y', '-f', f]).trim().split(' ').slice(0, 2).join(' ');

  for (const v of [2, 3] as const) {
    it(`PEM/OpenSSH → PPK v${v}: byte for byte what puttygen writes, 0400`, async () => {
      for (const src of [rsaPem, rsa, ed]) {
        const ours = out('ppk');
        const r = await cli(['keyfile', 'convert', src, '--to', 'ppk', '--ppk-version', String(v), '-o', ours]);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, new RegExp(`^Wrote: +${ours} \\(mode 0400\\)\\nFormat: +PuTTY PPK v${v}\\n`));
        assert.equal(modeOf(ours), 0o400);
        const theirs = out('ppk');
        run('puttygen', [src, '-o', theirs, '--ppk-param', `version=${v}`]);
        assert.equal(readFileSync(ours, 'utf8'), readFileSync(theirs, 'utf8'), src);
        // And PuTTYgen converts ours back to a key ssh-keygen reads, with the same public key.
        const back = out('key');
        run('puttygen', [ours, '-O', 'private-openssh', '-o', back]);
        assert.equal(publicOf(back), publicOf(src));
      }
    });

    it(`PPK v${v} made by puttygen → pem and openssh: ssh-keygen reads them, same key`, async () => {
      for (const src of [rsa, ed]) {
        const ppk = out('ppk');
        run('puttygen', [src, '-o', ppk, '--ppk-param', `version=${v}`]);
        for (const to of ['pem', 'openssh'] as const) {
          const f = out(to);
          const r = await cli(['keyfile', 'convert', ppk, '--to', to, '-o', f]);
          assert.equal(r.code, 0, r.stderr);
          assert.equal(modeOf(f), 0o400);
          assert.equal(publicOf(f), publicOf(src));
          const text = readFileSync(f, 'utf8');
          const rsaPemOut = src === rsa && to === 'pem';
          assert.match(text, rsaPemOut ? /^-----BEGIN RSA PRIVATE KEY-----\n/ : /^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
          if (rsaPemOut) {
            // PuTTYgen's own export of an RSA key is the same PKCS#1 PEM.
            const theirs = out('pem');
            run('puttygen', [ppk, '-O', 'private-openssh', '-o', theirs]);
            assert.equal(text, readFileSync(theirs, 'utf8'));
          } else {
            // The comment travels into the OpenSSH file.
            assert.equal(run('ssh-keygen', ['-y', '-f', f]).trim().split(' ')[2], src === rsa ? 'rsa@test' : 'ed@test');
          }
        }
      }
    });
  }

  it('encrypted PPK v2: --passphrase-file, a prompt, a wrong passphrase, no terminal', async () => {
    const enc = dir.file('enc.ppk');
    run('puttygen', [rsa, '-o', enc, '--ppk-param', 'version=2', '--new-passphrase', dir.file('pass.txt')]);
    assert.match(readFileSync(enc, 'utf8'), /^Encryption: aes256-cbc$/m);

    const f = out('pem');
    const ok = await cli(['keyfile', 'convert', enc, '--passphrase-file', dir.file('pass.txt'), '--to', 'pem', '-o', f]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(ok.prompts, []);
    assert.equal(publicOf(f), publicOf(rsa));

    const prompted = await cli(['keyfile', 'convert', enc, '--to', 'openssh'], { secret: 'open sesame' });
    assert.equal(prompted.code, 0, prompted.stderr);
    assert.deepEqual(prompted.prompts, [`Enter passphrase for '${enc}': `]);
    assert.match(prompted.stdout, /^-----BEGIN OPENSSH PRIVATE KEY-----\n/);

    const wrong = await cli(['keyfile', 'convert', enc, '--to', 'pem'], { secret: 'nope' });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /^error: '.*enc\.ppk': .*wrong passphrase/);

    const noTty = await cli(['keyfile', 'convert', enc, '--to', 'pem']); // readSecret answers undefined
    assert.equal(noTty.code, 1);
    assert.match(noTty.stderr, /is encrypted: give its passphrase with --passphrase-file FILE/);
  });

  it('encrypted PPK v3 (Argon2): a clear "not supported" error with the way out', async () => {
    const enc3 = dir.file('enc3.ppk');
    run('puttygen', [rsa, '-o', enc3, '--ppk-param', 'version=3', '--new-passphrase', dir.file('pass.txt')]);
    const r = await cli(['keyfile', 'convert', enc3, '--passphrase-file', dir.file('pass.txt'), '--to', 'pem']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Argon2.*not provide.*version=2/s);
  });

  it('without -o the key goes to stdout; --comment sets the comment; json reports it', async () => {
    const r = await cli(['keyfile', 'convert', rsaPem, '--to', 'ppk', '--comment', 'my laptop']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: my laptop\n/);
    const j = await cli(['keyfile', 'convert', rsaPem, '--to', 'openssh', '--output', 'json']);
    const data = JSON.parse(j.stdout) as { Format: string; Comment: string; PrivateKey: string; KeyType: string };
    assert.equal(data.Format, 'openssh');
    assert.equal(data.KeyType, 'rsa');
    assert.equal(data.Comment, 'imported-openssh-key');
    assert.match(data.PrivateKey, /^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
  });

  it('never overwrites: an existing -o file is left alone', async () => {
    const existing = dir.file('existing.ppk');
    writeFileSync(existing, 'precious', { mode: 0o600 });
    const r = await cli(['keyfile', 'convert', rsaPem, '--to', 'ppk', '-o', existing]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `error: '${existing}' already exists; ec2lite never overwrites a key file (remove it or choose another name with -o)\n`);
    assert.equal(readFileSync(existing, 'utf8'), 'precious');
    assert.equal(modeOf(existing), 0o600);
  });

  it('refuses a public key, and usage errors exit 2', async () => {
    const pub = await cli(['keyfile', 'convert', `${rsa}.pub`, '--to', 'ppk']);
    assert.equal(pub.code, 1);
    assert.match(pub.stderr, /is a public key; convert takes a private key/);
    const noTo = await cli(['keyfile', 'convert', rsa]);
    assert.equal(noTo.code, 2);
    assert.match(noTo.stderr, /--to pem\|openssh\|ppk is required/);
    assert.equal((await cli(['keyfile', 'convert', rsa, '--to', 'der'])).code, 2);
    const ver = await cli(['keyfile', 'convert', rsa, '--to', 'pem', '--ppk-version', '3']);
    assert.equal(ver.code, 2);
    assert.match(ver.stderr, /--ppk-version only applies to --to ppk/);
  });
});
