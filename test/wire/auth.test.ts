// Strict-mode authentication on the wire: raw SigV4 requests built here (header and presigned),
// each error as EC2 answers it, and the SDK with a right and a wrong key.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DescribeKeyPairsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { writeCredentials } from '../../src/auth/credentials-file.js';
import { startTestServer, awsError, type TestServer } from '../helpers/server.js';
import { send, sign, type SignOptions } from '../helpers/sigv4-client.js';
import { tempDir } from '../helpers/tools.js';

const KEY = { accessKeyId: 'AKIAWIRETEST00000001', secretAccessKey: 'wire/secret+key0000000000000000000000000', accountId: '111122223333' };
const TEMP = { accessKeyId: 'ASIAWIRETEST00000002', secretAccessKey: 'temp-secret', accountId: '111122223333', sessionToken: 'session-token-value' };
const SDM =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const MIN = 60_000;

let server: TestServer;
let host: string;
const dir = tempDir();
before(async () => {
  const credentialsFile = join(dir.path, 'credentials.json');
  writeCredentials(credentialsFile, [KEY, TEMP]);
  server = await startTestServer({ auth: 'strict', credentialsFile });
  host = new URL(server.url).host;
});
after(async () => {
  await server.close();
  dir.cleanup();
});

const signed = (o: Partial<SignOptions> = {}) =>
  sign({ accessKeyId: KEY.accessKeyId, secretAccessKey: KEY.secretAccessKey, region: 'us-east-1', date: new Date(), host, ...o });
const call = async (o: Partial<SignOptions> = {}) => send(server.url, await signed(o));

describe('strict auth on the wire', () => {
  it('reports strict mode in the health endpoint', async () => {
    assert.equal(server.app.auth, 'strict');
    const res = await fetch(`${server.url}/_ec2lite/health`);
    assert.equal((await res.json()).auth, 'strict');
  });

  it('accepts a correctly signed header request and a presigned GET', async () => {
    const ok = await call();
    assert.equal(ok.status, 200, ok.body);
    assert.match(ok.body, /<DescribeKeyPairsResponse/);
    const pre = await call({ method: 'GET', body: '', query: { Action: 'DescribeKeyPairs', Version: '2016-11-15' }, expiresIn: 300 });
    assert.equal(pre.status, 200, pre.body);
  });

  it('tampered body → 403 SignatureDoesNotMatch', async () => {
    const req = await signed();
    const res = await send(server.url, { ...req, body: Buffer.from('Action=DescribeKeyPairs&Version=2016-11-15&KeyName.1=x') });
    assert.deepEqual([res.status, res.code, res.message], [403, 'SignatureDoesNotMatch', SDM]);
    assert.match(res.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Response><Errors><Error><Code>SignatureDoesNotMatch<\/Code>/);
  });

  it('tampered signed header (Host) → 403 SignatureDoesNotMatch', async () => {
    const req = await signed();
    const res = await send(server.url, { ...req, headers: { ...req.headers, host: host.replace('127.0.0.1', 'localhost') } });
    assert.deepEqual([res.status, res.code, res.message], [403, 'SignatureDoesNotMatch', SDM]);
  });

  it('tampered content-type → 403 SignatureDoesNotMatch', async () => {
    const req = await signed();
    const res = await send(server.url, { ...req, headers: { ...req.headers, 'content-type': 'application/x-www-form-urlencoded' } });
    assert.deepEqual([res.status, res.code, res.message], [403, 'SignatureDoesNotMatch', SDM]);
  });

  it('wrong secret → 403 SignatureDoesNotMatch', async () => {
    const res = await call({ secretAccessKey: 'not-the-secret' });
    assert.deepEqual([res.status, res.code, res.message], [403, 'SignatureDoesNotMatch', SDM]);
  });

  it('unknown access key → 401 AuthFailure', async () => {
    const res = await call({ accessKeyId: 'AKIAUNKNOWN000000000' });
    assert.deepEqual([res.status, res.code, res.message], [401, 'AuthFailure', 'AWS was not able to validate the provided access credentials']);
  });

  it('date 16 minutes old or ahead → 400 RequestExpired', async () => {
    for (const skew of [-16 * MIN, 16 * MIN]) {
      const res = await call({ date: new Date(Date.now() + skew) });
      assert.deepEqual([res.status, res.code, res.message], [400, 'RequestExpired', 'Request has expired.']);
    }
    assert.equal((await call({ date: new Date(Date.now() - 14 * MIN) })).status, 200);
  });

  it('presigned URL past its expiry → 400 RequestExpired', async () => {
    const res = await call({ method: 'GET', body: '', query: { Action: 'DescribeKeyPairs', Version: '2016-11-15' }, date: new Date(Date.now() - 2 * MIN), expiresIn: 60 });
    assert.deepEqual([res.status, res.code, res.message], [400, 'RequestExpired', 'Request has expired.']);
  });

  it('session token: missing or wrong → 401 AuthFailure; present → 200', async () => {
    const temp = { accessKeyId: TEMP.accessKeyId, secretAccessKey: TEMP.secretAccessKey };
    assert.equal((await call({ ...temp, sessionToken: TEMP.sessionToken })).status, 200);
    const missing = await call(temp);
    assert.deepEqual([missing.status, missing.code], [401, 'AuthFailure']);
    const wrong = await call({ ...temp, sessionToken: 'forged' });
    assert.deepEqual([wrong.status, wrong.code], [401, 'AuthFailure']);
    // A signed token header stripped in transit cannot pass either.
    const req = await signed({ ...temp, sessionToken: TEMP.sessionToken });
    const { ['x-amz-security-token']: _t, ...headers } = req.headers;
    const stripped = await send(server.url, { ...req, headers });
    assert.deepEqual([stripped.status, stripped.code], [401, 'AuthFailure']);
  });

  it('no credentials → 400 MissingParameter AWSAccessKeyId', async () => {
    const res = await server.raw({ Action: 'DescribeKeyPairs', Version: '2016-11-15' });
    const code = /<Code>([^<]*)<\/Code><Message>([^<]*)<\/Message>/.exec(res.body);
    assert.deepEqual([res.status, code?.[1], code?.[2]], [400, 'MissingParameter', 'The request must contain the parameter AWSAccessKeyId']);
  });

  it('malformed Authorization header → 401 AuthFailure with the parser text', async () => {
    const req = await signed();
    const auth = String(req.headers.authorization).replace(/, SignedHeaders=[^,]+/, '');
    const res = await send(server.url, { ...req, headers: { ...req.headers, authorization: auth } });
    assert.deepEqual([res.status, res.code, res.message], [401, 'AuthFailure', `Authorization header requires 'SignedHeaders' parameter. Authorization=${auth}`]);
  });

  it('credential scoped to another service → 403 SignatureDoesNotMatch', async () => {
    const res = await call({ service: 's3' });
    assert.deepEqual([res.status, res.code, res.message], [403, 'SignatureDoesNotMatch', "Credential should be scoped to correct service: 'ec2'. "]);
  });

  it('auth is checked before the action: an unauthenticated unknown action is still AuthFailure', async () => {
    const res = await call({ accessKeyId: 'AKIAUNKNOWN000000000', body: 'Action=NoSuchThing&Version=2016-11-15' });
    assert.equal(res.code, 'AuthFailure');
  });

  it('the AWS SDK works with the configured key and fails with a wrong secret', async () => {
    const client = (secretAccessKey: string) =>
      new EC2Client({ endpoint: server.url, region: 'eu-central-1', credentials: { accessKeyId: KEY.accessKeyId, secretAccessKey }, maxAttempts: 1 });
    const good = client(KEY.secretAccessKey);
    const bad = client('wrong');
    try {
      assert.deepEqual((await good.send(new DescribeKeyPairsCommand({}))).KeyPairs, []);
      const err = await awsError(() => bad.send(new DescribeKeyPairsCommand({})));
      assert.deepEqual([err.name, err.status, err.message], ['SignatureDoesNotMatch', 403, SDM]);
    } finally {
      good.destroy();
      bad.destroy();
    }
  });
});
