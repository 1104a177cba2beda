import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { DescribeKeyPairsCommand, ImportKeyPairCommand } from '@aws-sdk/client-ec2';
import { awsError, startTestServer, V, type TestServer } from '../helpers/server.js';
import { run, sshKeygen, tempDir } from '../helpers/tools.js';

let server: TestServer;
const dir = tempDir();
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
  dir.cleanup();
});

const md5Spki = (pubPath: string): string => {
  const spki = run('ssh-keygen', ['-e', '-m', 'PKCS8', '-f', pubPath]);
  const der = createPublicKey(spki).export({ type: 'spki', format: 'der' });
  return createHash('md5').update(der).digest('hex').match(/../g)!.join(':');
};

const importKey = (KeyName: string, material: Buffer | string) =>
  server.client().send(new ImportKeyPairCommand({ KeyName, PublicKeyMaterial: Buffer.from(material) }));

describe('ImportKeyPair: accepted formats', () => {
  for (const bits of [1024, 2048, 4096]) {
    it(`imports an ssh-keygen RSA ${bits} key (OpenSSH line) with AWS's MD5-of-SPKI fingerprint`, async () => {
      const { path, pub } = sshKeygen(dir.path, `rsa${bits}`, 'rsa', bits);
      const out = await importKey(`rsa-${bits}`, pub);
      assert.match(out.KeyPairId!, /^key-[0-9a-f]{17}$/);
      assert.equal(out.KeyFingerprint, md5Spki(`${path}.pub`));
      assert.equal(out.Tags, undefined);
      const d = await server.client().send(new DescribeKeyPairsCommand({ KeyNames: [`rsa-${bits}`], IncludePublicKey: true }));
      const [type, b64, comment] = d.KeyPairs![0]!.PublicKey!.split(' ');
      assert.equal(type, 'ssh-rsa');
      assert.equal(b64, pub.toString().split(' ')[1]);
      assert.equal(comment, `rsa-${bits}`, 'AWS replaces the comment with the key name');
      assert.equal(d.KeyPairs![0]!.KeyType, 'rsa');
    });
  }

  it('imports an ED25519 key with the base64 SHA-256 fingerprint ssh-keygen -l shows (plus =)', async () => {
    const { path, pub } = sshKeygen(dir.path, 'ed', 'ed25519');
    const out = await importKey('ed-import', pub);
    const sshFp = run('ssh-keygen', ['-l', '-f', path]).split(' ')[1]!.replace(/^SHA256:/, '');
    assert.equal(out.KeyFingerprint, `${sshFp}=`);
  });

  it('accepts RFC 4716, base64 DER (SPKI and PKCS#1) and PEM for the same key, with the same fingerprint', async () => {
    const { path, pub } = sshKeygen(dir.path, 'multi', 'rsa', 2048);
    const expected = md5Spki(`${path}.pub`);
    const rfc4716 = run('ssh-keygen', ['-e', '-f', `${path}.pub`]);
    const spkiPem = run('ssh-keygen', ['-e', '-m', 'PKCS8', '-f', `${path}.pub`]);
    const pkcs1Pem = run('ssh-keygen', ['-e', '-m', 'PEM', '-f', `${path}.pub`]);
    const spkiDer = createPublicKey(spkiPem).export({ type: 'spki', format: 'der' });
    const pkcs1Der = createPublicKey(spkiPem).export({ type: 'pkcs1', format: 'der' });
    const variants: [string, string | Buffer][] = [
      ['rfc4716', rfc4716],
      ['rfc4716-crlf', rfc4716.replace(/\n/g, '\r\n')],
      ['rfc4716-quoted-comment', `---- BEGIN SSH2 PUBLIC KEY ----\nComment: "a quoted \\\ncomment"\nx-private: yes\n${rfc4716.split('\n').filter((l) => !l.startsWith('----') && !l.includes(':')).join('\n')}\n---- END SSH2 PUBLIC KEY ----\n`],
      ['spki-pem', spkiPem],
      ['pkcs1-pem', pkcs1Pem],
      ['spki-der-b64', spkiDer.toString('base64')],
      ['pkcs1-der-b64', pkcs1Der.toString('base64')],
      ['spki-der-raw', spkiDer],
      ['line-no-comment', pub.toString().split(' ').slice(0, 2).join(' ')],
    ];
    for (const [name, material] of variants) {
      const out = await importKey(`multi-${name}`, material);
      assert.equal(out.KeyFingerprint, expected, name);
    }
  });

  it('returns tags given in TagSpecifications', async () => {
    const { pub } = sshKeygen(dir.path, 'tagged', 'ed25519');
    const out = await server.client().send(
      new ImportKeyPairCommand({ KeyName: 'tagged-import', PublicKeyMaterial: pub, TagSpecifications: [{ ResourceType: 'key-pair', Tags: [{ Key: 'a', Value: '1' }] }] }),
    );
    assert.deepEqual(out.Tags, [{ Key: 'a', Value: '1' }]);
  });
});

describe('ImportKeyPair: rejected material', () => {
  const rejects = async (name: string, material: Buffer | string) => {
    const e = await awsError(() => importKey(`bad-${name}`, material));
    assert.equal(e.name, 'InvalidKey.Format', name);
    assert.equal(e.message, 'Key is not in valid OpenSSH public key format', name);
    assert.equal(e.status, 400);
  };

  it('rejects ECDSA keys', async () => {
    await rejects('ecdsa', sshKeygen(dir.path, 'ecdsa', 'ecdsa').pub);
  });

  it('rejects DSA, sk- and certificate lines', async () => {
    // A syntactically valid ssh-dss blob: string "ssh-dss", mpint p, q, g, y.
    const str = (b: Buffer) => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(b.length);
      return Buffer.concat([len, b]);
    };
    const dss = Buffer.concat([str(Buffer.from('ssh-dss')), str(Buffer.alloc(129, 1)), str(Buffer.alloc(21, 1)), str(Buffer.alloc(128, 2)), str(Buffer.alloc(128, 3))]);
    await rejects('dsa', `ssh-dss ${dss.toString('base64')} x@y\n`);
    const ed = sshKeygen(dir.path, 'for-sk', 'ed25519').pub.toString().split(' ')[1]!;
    await rejects('sk', `sk-ssh-ed25519@openssh.com ${ed} x\n`);
    await rejects('cert', `ssh-ed25519-cert-v01@openssh.com ${ed} x\n`);
  });

  it('rejects garbage, truncated blobs, mismatched types, double base64, empty and private keys', async () => {
    const { pub } = sshKeygen(dir.path, 'victim', 'rsa', 2048);
    const [type, b64] = pub.toString().split(' ');
    await rejects('garbage', 'this is not a key');
    await rejects('truncated', `${type} ${b64!.slice(0, 200)} x`);
    await rejects('mismatch', `ssh-ed25519 ${b64} x`);
    await rejects('double-b64', Buffer.from(pub.toString()).toString('base64'));
    await rejects('random', Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) % 256)));
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    await rejects('private', privateKey.export({ type: 'pkcs1', format: 'pem' }) as string);
  });

  it('rejects RSA keys shorter than 1024 bits', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 768 });
    await rejects('rsa768', publicKey.export({ type: 'spki', format: 'pem' }) as string);
  });

  it('requires KeyName and PublicKeyMaterial', async () => {
    const noMaterial = await server.raw({ Action: 'ImportKeyPair', Version: V, KeyName: 'x' });
    assert.match(noMaterial.body, /<Code>MissingParameter<\/Code><Message>The request must contain the parameter PublicKeyMaterial<\/Message>/);
    const noName = await server.raw({ Action: 'ImportKeyPair', Version: V, PublicKeyMaterial: 'AAAA' });
    assert.match(noName.body, /The request must contain the parameter KeyName/);
  });
});

describe('ImportKeyPair: duplicates and DryRun', () => {
  it('refuses a name already used by a created or imported key', async () => {
    const { pub } = sshKeygen(dir.path, 'dupe', 'ed25519');
    await importKey('dupe', pub);
    const e = await awsError(() => importKey('dupe', pub));
    assert.equal(e.name, 'InvalidKeyPair.Duplicate');
    assert.equal(e.message, "The keypair 'dupe' already exists.");
  });

  it('answers DryRun with 412 and stores nothing', async () => {
    const { pub } = sshKeygen(dir.path, 'dry', 'ed25519');
    const e = await awsError(() => server.client().send(new ImportKeyPairCommand({ KeyName: 'dry-import', PublicKeyMaterial: pub, DryRun: true })));
    assert.equal(e.name, 'DryRunOperation');
    assert.equal(e.status, 412);
    const d = await awsError(() => server.client().send(new DescribeKeyPairsCommand({ KeyNames: ['dry-import'] })));
    assert.equal(d.name, 'InvalidKeyPair.NotFound');
  });
});
