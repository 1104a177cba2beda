// `ec2lite keyfile public` against `ssh-keygen -y -f` (and PuTTYgen for PPK files).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { run, sshKeygen, tempDir, writePrivate } from '../helpers/tools.js';
import { cli } from './cli-harness.js';

describe('ec2lite keyfile public', () => {
  const dir = tempDir('ec2lite-cli-pub-');
  let rsa: string;
  let ed: string;
  before(() => {
    rsa = sshKeygen(dir.path, 'rsa', 'rsa', 2048).path;
    ed = sshKeygen(dir.path, 'ed', 'ed25519').path;
  });
  after(() => dir.cleanup());

  const sshY = (f: string) => run('ssh-keygen', ['-y', '-f', f]);

  it('OpenSSH private keys (RSA, ED25519): identical to ssh-keygen -y, comment included', async () => {
    for (const f of [rsa, ed]) {
      const r = await cli(['keyfile', 'public', f]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, sshY(f));
      assert.match(r.stdout, / (rsa|ed)@test\n$/);
    }
  });

  it('PEM PKCS#1 and PKCS#8 private keys: identical to ssh-keygen -y (no comment)', async () => {
    for (const m of ['PEM', 'PKCS8']) {
      const f = dir.file(`rsa.${m}`);
      copyFileSync(rsa, f);
      run('ssh-keygen', ['-q', '-p', '-N', '', '-m', m, '-f', f]);
      const r = await cli(['keyfile', 'public', f]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, sshY(f));
      assert.match(r.stdout, /^ssh-rsa AAAA[A-Za-z0-9+/=]+\n$/);
    }
  });

  it('PPK v2/v3 made by puttygen: the line puttygen -L prints', async () => {
    for (const [src, v] of [
      [rsa, 2],
      [rsa, 3],
      [ed, 2],
      [ed, 3],
    ] as const) {
      const ppk = dir.file(`${src.endsWith('ed') ? 'ed' : 'rsa'}-v${v}.ppk`);
      run('puttygen', [src, '-o', ppk, '--ppk-param', `version=${v}`]);
      writePrivate(ppk, readFileSync(ppk));
      const r = await cli(['keyfile', 'public', ppk]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, run('puttygen', ['-L', ppk]));
      assert.equal(r.stdout, sshY(src)); // same key, same comment
    }
  });

  it('an RFC 4716 public key becomes the OpenSSH line (as ssh-keygen -i does)', async () => {
    const rfc = dir.file('rsa.rfc4716');
    writeFileSync(rfc, run('ssh-keygen', ['-e', '-f', `${rsa}.pub`]));
    const r = await cli(['keyfile', 'public', rfc]);
    assert.equal(r.code, 0, r.stderr);
    const expected = run('ssh-keygen', ['-i', '-f', rfc]).trim().split(' ').slice(0, 2).join(' ');
    assert.equal(r.stdout.trim().split(' ').slice(0, 2).join(' '), expected);
  });

  it('--output json carries the line, type, bits and comment', async () => {
    const r = await cli(['keyfile', 'public', rsa, '--output', 'json']);
    const data = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(data, { File: rsa, KeyType: 'rsa', Bits: 2048, PublicKey: sshY(rsa).trim(), Comment: 'rsa@test' });
  });
});
