// Like OpenSSH, ec2lite refuses private key files that group or others can access.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync } from 'node:fs';
import { run, sshKeygen, tempDir } from '../helpers/tools.js';
import { cli } from './cli-harness.js';

describe('private key file permissions', () => {
  const dir = tempDir('ec2lite-cli-perm-');
  let key: string;
  before(() => {
    key = sshKeygen(dir.path, 'k', 'rsa', 2048).path;
  });
  after(() => dir.cleanup());

  for (const mode of [0o644, 0o640, 0o604, 0o660, 0o700 | 0o070]) {
    it(`refuses mode ${mode.toString(8)} (as ssh does) and says how to fix it`, async () => {
      chmodSync(key, mode);
      // ssh-keygen refuses it too: the same rule.
      assert.throws(() => run('ssh-keygen', ['-y', '-f', key]), /bad permissions|UNPROTECTED/);
      for (const args of [
        ['keyfile', 'public', key],
        ['keyfile', 'fingerprint', key],
        ['keyfile', 'convert', key, '--to', 'ppk'],
      ]) {
        const r = await cli(args);
        assert.equal(r.code, 1);
        assert.equal(r.stdout, '');
        assert.ok(r.stderr.startsWith(`error: permissions 0${mode.toString(8)} for '${key}' are too open.\n`), r.stderr);
        assert.match(r.stderr, /must not be accessible by group or others/);
        assert.match(r.stderr, new RegExp(`Fix it with: +chmod 400 ${key.replace(/[.]/g, '\\.')}\\n$`));
      }
    });
  }

  for (const mode of [0o600, 0o400]) {
    it(`accepts mode ${mode.toString(8)}`, async () => {
      chmodSync(key, mode);
      const r = await cli(['keyfile', 'public', key]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, run('ssh-keygen', ['-y', '-f', key]));
    });
  }

  it('does not apply to public key files (0644 is normal for them)', async () => {
    chmodSync(`${key}.pub`, 0o644);
    const r = await cli(['keyfile', 'public', `${key}.pub`]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, readFileSync(`${key}.pub`, 'utf8'));
  });

  it('quotes a path with spaces in the chmod hint', async () => {
    const odd = dir.file('my key.pem');
    run('cp', [key, odd]);
    chmodSync(odd, 0o644);
    const r = await cli(['keyfile', 'fingerprint', odd]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`chmod 400 '${dir.path}/my key\\.pem'\\n$`));
  });
});
