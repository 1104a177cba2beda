// The seed's procedures with the real tools: AWS CLI, ssh-keygen, openssl, puttygen.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { awsCli } from '../helpers/awscli.js';
import { opensslDigest, run, sshKeygen, tempDir } from '../helpers/tools.js';

let server: TestServer;
const dir = tempDir();
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
  dir.cleanup();
});

const cli = async (...args: string[]) => {
  const r = await awsCli(server.url, args);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};

/** `aws ec2 create-key-pair --query KeyMaterial --output text > k.pem && chmod 400 k.pem` */
async function createToFile(name: string, extra: string[] = [], ext = 'pem'): Promise<string> {
  const path = dir.file(`${name}.${ext}`);
  writeFileSync(path, await cli('ec2', 'create-key-pair', '--key-name', name, ...extra, '--query', 'KeyMaterial', '--output', 'text'));
  chmodSync(path, 0o400);
  return path;
}

const describeKey = async (name: string) =>
  JSON.parse(await cli('ec2', 'describe-key-pairs', '--key-names', name, '--include-public-key')).KeyPairs[0] as {
    KeyFingerprint: string;
    PublicKey: string;
    KeyType: string;
  };

describe('AWS CLI + OpenSSH + OpenSSL + PuTTYgen', async () => {
  it('RSA: ssh-keygen -y equals the stored public key; openssl reproduces the created (SHA-1) and imported (MD5) fingerprints', async () => {
    const pem = await createToFile('cli-rsa');
    const key = await describeKey('cli-rsa');
    const derived = run('ssh-keygen', ['-y', '-f', pem]).trim();
    assert.equal(derived.split(' ').slice(0, 2).join(' '), key.PublicKey.split(' ').slice(0, 2).join(' '));
    const sha1 = opensslDigest(run('sh', ['-c', `openssl pkcs8 -in '${pem}' -inform PEM -outform DER -topk8 -nocrypt | openssl sha1 -c`]));
    assert.equal(key.KeyFingerprint, sha1);

    // Import the public half: AWS then shows the MD5 of the SPKI, as `openssl rsa -pubout | openssl md5 -c` computes.
    const pub = dir.file('cli-rsa.pub');
    writeFileSync(pub, `${derived}\n`);
    const imported = JSON.parse(await cli('ec2', 'import-key-pair', '--key-name', 'cli-rsa-imported', '--public-key-material', `fileb://${pub}`));
    const md5 = opensslDigest(run('sh', ['-c', `openssl rsa -in '${pem}' -pubout -outform DER 2>/dev/null | openssl md5 -c`]));
    assert.equal(imported.KeyFingerprint, md5);
  });

  it('ED25519: ssh-keygen -l matches the fingerprint (with = padding) and -y the public key', async () => {
    const pem = await createToFile('cli-ed', ['--key-type', 'ed25519']);
    const key = await describeKey('cli-ed');
    assert.equal(key.KeyType, 'ed25519');
    const fp = run('ssh-keygen', ['-l', '-f', pem]).split(' ')[1]!;
    assert.equal(key.KeyFingerprint, `${fp.replace(/^SHA256:/, '')}=`);
    assert.equal(run('ssh-keygen', ['-y', '-f', pem]).trim().split(' ').slice(0, 2).join(' '), key.PublicKey.split(' ').slice(0, 2).join(' '));
  });

  for (const type of ['rsa', 'ed25519']) {
    it(`PPK (${type}): puttygen converts the key and derives the same public key`, async () => {
      const ppk = await createToFile(`cli-ppk-${type}`, ['--key-type', type, '--key-format', 'ppk'], 'ppk');
      const out = dir.file(`cli-ppk-${type}.openssh`);
      run('puttygen', [ppk, '-O', 'private-openssh', '-o', out]);
      chmodSync(out, 0o600);
      const key = await describeKey(`cli-ppk-${type}`);
      assert.equal(run('ssh-keygen', ['-y', '-f', out]).trim().split(' ').slice(0, 2).join(' '), key.PublicKey.split(' ').slice(0, 2).join(' '));
      assert.match(readFileSync(ppk, 'utf8'), /^PuTTY-User-Key-File-2: /);
    });
  }

  it('PPK v3 (server option --ppk-version 3): puttygen accepts RSA and ED25519 output', async () => {
    const v3 = await startTestServer({ ppkVersion: 3 });
    try {
      for (const type of ['rsa', 'ed25519']) {
        const r = await awsCli(v3.url, ['ec2', 'create-key-pair', '--key-name', `v3-${type}`, '--key-type', type, '--key-format', 'ppk', '--query', 'KeyMaterial', '--output', 'text']);
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, /^PuTTY-User-Key-File-3: /);
        const ppk = dir.file(`v3-${type}.ppk`);
        writeFileSync(ppk, r.stdout, { mode: 0o600 });
        const pub = run('puttygen', [ppk, '-O', 'public-openssh']).trim().split(' ').slice(0, 2).join(' ');
        const d = await awsCli(v3.url, ['ec2', 'describe-key-pairs', '--key-names', `v3-${type}`, '--include-public-key']);
        assert.equal(JSON.parse(d.stdout).KeyPairs[0].PublicKey.split(' ').slice(0, 2).join(' '), pub);
      }
    } finally {
      await v3.close();
    }
  });

  for (const [type, bits] of [['rsa', 2048], ['rsa', 4096], ['ed25519', undefined]] as const) {
    it(`import-key-pair fileb:// of an ssh-keygen -t ${type} ${bits ?? ''} key`, async () => {
      const { path } = sshKeygen(dir.path, `imp-${type}-${bits ?? 0}`, type, bits);
      const out = JSON.parse(await cli('ec2', 'import-key-pair', '--key-name', `imp-${type}-${bits ?? 0}`, '--public-key-material', `fileb://${path}.pub`));
      assert.match(out.KeyPairId, /^key-[0-9a-f]{17}$/);
      if (type === 'ed25519') {
        assert.equal(out.KeyFingerprint, `${run('ssh-keygen', ['-l', '-f', path]).split(' ')[1]!.replace(/^SHA256:/, '')}=`);
      } else {
        const md5 = opensslDigest(run('sh', ['-c', `ssh-keygen -e -m PKCS8 -f '${path}.pub' | openssl pkey -pubin -outform DER | openssl md5 -c`]));
        assert.equal(out.KeyFingerprint, md5);
      }
    });
  }

  it('describe and delete through the CLI; errors carry the EC2 code', async () => {
    const missing = await awsCli(server.url, ['ec2', 'describe-key-pairs', '--key-names', 'nope']);
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /InvalidKeyPair\.NotFound.*The key pair 'nope' does not exist/);
    // This CLI's model predates DeleteKeyPair's output members: success is exit status 0.
    await cli('ec2', 'delete-key-pair', '--key-name', 'cli-ed');
    const gone = await awsCli(server.url, ['ec2', 'describe-key-pairs', '--key-names', 'cli-ed']);
    assert.match(gone.stderr, /InvalidKeyPair\.NotFound/);
    const dup = await awsCli(server.url, ['ec2', 'create-key-pair', '--key-name', 'cli-rsa']);
    assert.match(dup.stderr, /InvalidKeyPair\.Duplicate.*The keypair 'cli-rsa' already exists\./);
  });
});
