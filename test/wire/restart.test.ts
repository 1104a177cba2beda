// Durability and secrecy: key pairs survive a restart; nothing in the data directory is a private key.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { CreateKeyPairCommand, DescribeKeyPairsCommand } from '@aws-sdk/client-ec2';
import { persistedBytes, startTestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tools.js';

const dir = tempDir();
after(() => dir.cleanup());

describe('restart', () => {
  it('keeps key pairs across a restart and never writes private key material to disk', async () => {
    const first = await startTestServer({ ephemeral: false, dataDir: dir.path });
    const materials: string[] = [];
    for (const [KeyName, KeyType, KeyFormat] of [
      ['r1', 'rsa', 'pem'],
      ['e1', 'ed25519', 'pem'],
      ['p1', 'rsa', 'ppk'],
      ['p2', 'ed25519', 'ppk'],
    ] as const) {
      const out = await first.client().send(new CreateKeyPairCommand({ KeyName, KeyType, KeyFormat }));
      materials.push(out.KeyMaterial!);
    }
    const before = await first.client().send(new DescribeKeyPairsCommand({ IncludePublicKey: true }));
    await first.close();

    const second = await startTestServer({ ephemeral: false, dataDir: dir.path });
    const afterRestart = await second.client().send(new DescribeKeyPairsCommand({ IncludePublicKey: true }));
    assert.deepEqual(afterRestart.KeyPairs, before.KeyPairs);
    await second.close();

    // Scan every byte the server left: no PEM/OpenSSH/PPK private block, and no private key bytes.
    const files = await persistedBytes(dir.path); // the data directory, or the database's rows
    assert.ok(files.length > 0);
    const rsa = createPrivateKey(materials[0]!).export({ format: 'jwk' });
    const secretBits = [Buffer.from(rsa.d!, 'base64url').subarray(0, 32), Buffer.from(rsa.p!, 'base64url').subarray(0, 32)];
    for (const { name: file, bytes } of files) {
      const text = bytes.toString('latin1');
      assert.doesNotMatch(text, /PRIVATE KEY|PuTTY-User-Key-File|Private-Lines|openssh-key-v1/, file);
      for (const m of materials) assert.ok(!text.includes(m.split('\n')[1]!.slice(0, 40)), `${file} holds key material`);
      for (const secret of secretBits) assert.equal(bytes.indexOf(secret), -1, `${file} holds RSA private bytes`);
    }
  });
});
