// Uniqueness and the per-region limit hold under concurrent requests: they are enforced by the
// database inside one transaction, not by checking first.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateKeyPairCommand, DescribeKeyPairsCommand, ImportKeyPairCommand } from '@aws-sdk/client-ec2';
import { generateKeyPairSync } from 'node:crypto';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer({ keyPairLimit: 20 });
});
after(() => server.close());

describe('concurrency', () => {
  it('50 simultaneous creates of one name: exactly one succeeds, 49 get InvalidKeyPair.Duplicate', async () => {
    const clients = Array.from({ length: 5 }, () => server.client());
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        clients[i % 5]!.send(new CreateKeyPairCommand({ KeyName: 'race', KeyType: i % 2 ? 'ed25519' : 'rsa' })),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(ok.length, 1);
    assert.equal(failed.length, 49);
    for (const f of failed) assert.equal((f.reason as Error).name, 'InvalidKeyPair.Duplicate');
    const d = await server.client().send(new DescribeKeyPairsCommand({ Filters: [{ Name: 'key-name', Values: ['race'] }] }));
    assert.equal(d.KeyPairs!.length, 1);
  });

  it('clients racing past the limit: exactly the limit exists, the rest get KeyPairLimitExceeded', async () => {
    const region = 'eu-west-1';
    // An OpenSSH ed25519 line: string "ssh-ed25519" ‖ string(32-byte key), the key being the SPKI's last 32 bytes.
    const raw = (generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }) as Buffer).subarray(-32);
    const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), raw]);
    const pub = `ssh-ed25519 ${blob.toString('base64')} racer`;
    const results = await Promise.allSettled(
      Array.from({ length: 45 }, (_, i) =>
        i % 3 === 0
          ? server.client({ region }).send(new ImportKeyPairCommand({ KeyName: `limit-${i}`, PublicKeyMaterial: Buffer.from(pub) }))
          : server.client({ region }).send(new CreateKeyPairCommand({ KeyName: `limit-${i}`, KeyType: 'ed25519' })),
      ),
    );
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(results.length - failed.length, 20);
    for (const f of failed) assert.equal((f.reason as Error).name, 'KeyPairLimitExceeded');
    const d = await server.client({ region }).send(new DescribeKeyPairsCommand({}));
    assert.equal(d.KeyPairs!.length, 20);
  });
});
