// Debian's AWS CLI against a strict-mode server: a configured key works, a wrong secret gets
// EC2's SignatureDoesNotMatch, an unknown key AuthFailure. The CLI runs asynchronously: a
// synchronous spawn would block this process's event loop, and with it the server under test.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { writeCredentials } from '../../src/auth/credentials-file.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tools.js';

const AWS = '/usr/bin/aws'; // Debian's awscli; `aws` on PATH may be a pyenv shim
const KEY = { accessKeyId: 'AKIACLISTRICT0000001', secretAccessKey: 'cli/strict+secret000000000000000000000000', accountId: '123456789012' };

let server: TestServer;
const dir = tempDir();
before(async () => {
  const credentialsFile = join(dir.path, 'credentials.json');
  writeCredentials(credentialsFile, [KEY]);
  server = await startTestServer({ auth: 'strict', credentialsFile });
});
after(async () => {
  await server.close();
  dir.cleanup();
});

function aws(args: string[], creds: { accessKeyId: string; secretAccessKey: string }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      AWS,
      ['--endpoint-url', server.url, '--no-cli-pager', '--output', 'json', ...args],
      {
        env: {
          PATH: '/usr/bin:/bin',
          HOME: dir.path,
          AWS_ACCESS_KEY_ID: creds.accessKeyId,
          AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
          AWS_DEFAULT_REGION: 'ap-northeast-1',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_MAX_ATTEMPTS: '1',
          AWS_EC2_METADATA_DISABLED: 'true',
        },
      },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

describe('AWS CLI in strict mode', () => {
  it('works with the configured key; the key pair lands in its account and region', async () => {
    const created = await aws(['ec2', 'create-key-pair', '--key-name', 'cli-strict', '--key-type', 'ed25519', '--query', 'KeyPairId', '--output', 'text'], KEY);
    assert.equal(created.code, 0, created.stderr);
    const listed = await aws(['ec2', 'describe-key-pairs'], KEY);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(JSON.parse(listed.stdout).KeyPairs.map((k: { KeyPairId: string }) => k.KeyPairId), [created.stdout.trim()]);
    const stored = await server.app.store.keyPairs.list({ accountId: KEY.accountId, region: 'ap-northeast-1' });
    assert.deepEqual(stored.map((k) => k.keyName), ['cli-strict']);
  });

  it('fails with SignatureDoesNotMatch with a wrong secret', async () => {
    const r = await aws(['ec2', 'describe-key-pairs'], { accessKeyId: KEY.accessKeyId, secretAccessKey: 'wrong' });
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /An error occurred \(SignatureDoesNotMatch\) when calling the DescribeKeyPairs operation( \(reached max retries: 0\))?: The request signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key and signing method\. Consult the service documentation for details\./,
    );
  });

  it('fails with AuthFailure with an unknown key', async () => {
    const r = await aws(['ec2', 'describe-key-pairs'], { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: KEY.secretAccessKey });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /\(AuthFailure\) when calling the DescribeKeyPairs operation( \(reached max retries: 0\))?: AWS was not able to validate the provided access credentials/);
  });
});
