import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authenticate, type RequestToAuthenticate } from './authenticate.js';
import type { CredentialLookup } from '../auth/credentials-file.js';
import { Ec2Error } from '../errors/ec2-error.js';
import { sign } from '../../test/helpers/sigv4-client.js';
import { canonicalRequest, credentialScope, sha256Hex, signature, signingKey, stringToSign } from './sigv4.js';

const AKID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN_AKID = 'ASIAIOSFODNN7EXAMPLE';
const TOKEN = 'FwoGZXIvYXdzEXAMPLETOKEN//+==';
const T0 = new Date('2024-05-06T07:08:09Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const MIN = 60_000;

const credentials: CredentialLookup = {
  find: (id) =>
    id === AKID
      ? { secretAccessKey: SECRET, accountId: '111122223333' }
      : id === TOKEN_AKID
        ? { secretAccessKey: SECRET, accountId: '444455556666', sessionToken: TOKEN }
        : undefined,
};
const strict = (req: RequestToAuthenticate, now = T0) => authenticate(req, { mode: 'strict', credentials, now });
const open = (req: RequestToAuthenticate, now = T0) => authenticate(req, { mode: 'open', now });
const signed = (o: Partial<Parameters<typeof sign>[0]> = {}) =>
  sign({ accessKeyId: AKID, secretAccessKey: SECRET, region: 'eu-west-1', date: T0, ...o });

const SDM =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const fails = (fn: () => unknown, code: string, status: number, message?: string | RegExp) =>
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Ec2Error, String(e));
    assert.equal(e.code, code);
    assert.equal(e.status, status);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });

test('strict: a header-signed request from a known key gives its account and the scope region', async () => {
  assert.deepEqual(strict(await signed()), { accountId: '111122223333', region: 'eu-west-1', accessKeyId: AKID });
});

test('strict: a presigned request (POST body and GET query) verifies', async () => {
  assert.equal(strict(await signed({ expiresIn: 300 })).accountId, '111122223333');
  const get = await signed({ method: 'GET', body: '', query: { Action: 'DescribeKeyPairs', Version: '2016-11-15', 'KeyName.1': 'a b+c' }, expiresIn: 60 });
  assert.match(get.rawQuery, /X-Amz-Signature=/);
  assert.equal(strict(get).region, 'eu-west-1');
});

test('strict: a GET with parameters in the query and an Authorization header verifies', async () => {
  const req = await signed({ method: 'GET', body: '', query: { Action: 'DescribeKeyPairs', 'Filter.1.Name': 'tag:Owner' } });
  assert.equal(strict(req).accountId, '111122223333');
});

test('strict: tampered body → 403 SignatureDoesNotMatch with AWS text', async () => {
  const req = await signed();
  fails(() => strict({ ...req, body: Buffer.from('Action=DeleteKeyPair&Version=2016-11-15&KeyName=x') }), 'SignatureDoesNotMatch', 403, SDM);
});

test('strict: tampered signed header fails; an added unsigned header does not', async () => {
  const req = await signed();
  fails(() => strict({ ...req, headers: { ...req.headers, 'content-type': 'text/plain' } }), 'SignatureDoesNotMatch', 403, SDM);
  fails(() => strict({ ...req, headers: { ...req.headers, host: 'evil.example:80' } }), 'SignatureDoesNotMatch', 403);
  assert.equal(strict({ ...req, headers: { ...req.headers, 'user-agent': 'x' } }).accountId, '111122223333');
});

test('strict: header value whitespace differences are canonicalised away', async () => {
  const req = await signed();
  const ct = `  ${req.headers['content-type']!.replace(' ', '   ')} `;
  assert.equal(strict({ ...req, headers: { ...req.headers, 'content-type': ct } }).accountId, '111122223333');
});

test('strict: tampered query parameter of a presigned request fails', async () => {
  const req = await signed({ method: 'GET', body: '', query: { Action: 'DescribeKeyPairs' }, expiresIn: 60 });
  fails(() => strict({ ...req, rawQuery: req.rawQuery.replace('DescribeKeyPairs', 'DeleteKeyPair') }), 'SignatureDoesNotMatch', 403);
});

test('strict: wrong secret → 403 SignatureDoesNotMatch (header and presigned)', async () => {
  const hdr = await signed({ secretAccessKey: 'wrong' });
  fails(() => strict(hdr), 'SignatureDoesNotMatch', 403, SDM);
  const pre = await signed({ secretAccessKey: 'wrong', expiresIn: 60 });
  fails(() => strict(pre), 'SignatureDoesNotMatch', 403, SDM);
});

test('strict: unknown access key → 401 AuthFailure', async () => {
  const req = await signed({ accessKeyId: 'AKIANOTKNOWN00000000' });
  fails(() => strict(req), 'AuthFailure', 401, 'AWS was not able to validate the provided access credentials');
});

test('strict: ±15 minutes of skew is accepted, one second more is RequestExpired', async () => {
  const req = await signed();
  assert.ok(strict(req, at(15 * MIN)));
  assert.ok(strict(req, at(-15 * MIN)));
  fails(() => strict(req, at(15 * MIN + 1000)), 'RequestExpired', 400, 'Request has expired.');
  fails(() => strict(req, at(-15 * MIN - 1000)), 'RequestExpired', 400, 'Request has expired.');
});

test('strict: presigned URL valid until X-Amz-Expires, then RequestExpired', async () => {
  const req = await signed({ expiresIn: 3600 });
  assert.ok(strict(req, at(3600 * 1000)));
  fails(() => strict(req, at(3600 * 1000 + 1000)), 'RequestExpired', 400);
  fails(() => strict(req, at(-16 * MIN)), 'RequestExpired', 400); // signed too far in the future
});

test('strict: session tokens must be present and equal when the key has one, absent otherwise', async () => {
  const withToken = (o: object = {}) => signed({ accessKeyId: TOKEN_AKID, sessionToken: TOKEN, ...o });
  assert.equal(strict(await withToken()).accountId, '444455556666');
  assert.equal(strict(await withToken({ expiresIn: 60 })).accountId, '444455556666');
  const missing = await signed({ accessKeyId: TOKEN_AKID });
  fails(() => strict(missing), 'AuthFailure', 401);
  const wrong = await withToken({ sessionToken: 'other-token' });
  fails(() => strict(wrong), 'AuthFailure', 401);
  const unexpected = await signed({ sessionToken: TOKEN });
  fails(() => strict(unexpected), 'AuthFailure', 401);
});

test('strict: a header named in SignedHeaders but not sent (e.g. the token) fails the signature', async () => {
  const req = await signed({ headers: { 'x-amz-security-token': 'unused' } });
  const { ['x-amz-security-token']: _drop, ...rest } = req.headers;
  assert.match(String(req.headers.authorization), /x-amz-security-token/);
  fails(() => strict({ ...req, headers: rest }), 'SignatureDoesNotMatch', 403);
});

test('both modes: a scope for another service is rejected with the scope message', async () => {
  const req = await signed({ service: 's3' });
  const msg = "Credential should be scoped to correct service: 'ec2'. ";
  fails(() => strict(req), 'SignatureDoesNotMatch', 403, msg);
  fails(() => open(req), 'SignatureDoesNotMatch', 403, msg);
  const pre = await signed({ service: 's3', expiresIn: 60 });
  fails(() => open(pre), 'SignatureDoesNotMatch', 403, msg);
});

test('both modes: malformed Authorization headers get EC2 AuthFailure with the parser text', async () => {
  const req = await signed();
  const auth = String(req.headers.authorization);
  const withAuth = (a: string, extra: Record<string, string | undefined> = {}) => ({ ...req, headers: { ...req.headers, authorization: a, ...extra } });
  const noSig = auth.replace(/, Signature=[0-9a-f]+/, '');
  for (const mode of [strict, open]) {
    fails(() => mode(withAuth(noSig)), 'AuthFailure', 401, `Authorization header requires 'Signature' parameter. Authorization=${noSig}`);
    fails(
      () => mode(withAuth('Bearer x=y', { 'x-amz-date': undefined })),
      'AuthFailure',
      401,
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=Bearer x=y",
    );
    const spaced = auth.replace(`Credential=${AKID}/`, `Credential=${AKID} /`);
    fails(() => mode(withAuth(spaced)), 'AuthFailure', 401, new RegExp(`^'/20240506/eu-west-1/ec2/aws4_request' not a valid key=value pair \\(missing equal-sign\\) in Authorization header: 'AWS4-HMAC-SHA256 .*'\\.$`));
    const four = auth.replace('/eu-west-1/', '/');
    fails(() => mode(withAuth(four)), 'AuthFailure', 401, `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${AKID}/20240506/ec2/aws4_request'`);
    fails(() => mode(withAuth(auth.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512'))), 'AuthFailure', 401);
    fails(() => mode(withAuth(auth, { 'x-amz-date': '2024-05-06T07:08:09Z' })), 'AuthFailure', 401);
    fails(() => mode(withAuth(auth.replace('/20240506/', '/20240505/'))), 'SignatureDoesNotMatch', 403, SDM);
    fails(() => mode(withAuth(auth.replace('/eu-west-1/', '/EU West/'))), 'AuthFailure', 401); // space splits the token
  }
});

test('both modes: incomplete presigned parameters are rejected', async () => {
  const req = await signed({ expiresIn: 60 });
  for (const mode of [strict, open]) {
    fails(() => mode({ ...req, rawQuery: req.rawQuery.replace(/&?X-Amz-SignedHeaders=[^&]*/, '') }), 'AuthFailure', 401);
    fails(() => mode({ ...req, rawQuery: req.rawQuery.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=604801') }), 'AuthFailure', 401);
  }
});

test('unsigned requests: open mode is us-east-1/000000000000, strict mode answers MissingParameter', () => {
  const req: RequestToAuthenticate = { method: 'POST', path: '/', rawQuery: '', headers: { host: 'x' }, body: Buffer.from('Action=DescribeKeyPairs') };
  assert.deepEqual(open(req), { accountId: '000000000000', region: 'us-east-1' });
  fails(() => strict(req), 'MissingParameter', 400, 'The request must contain the parameter AWSAccessKeyId');
});

test('open: signatures are not verified; a 12-digit key id is the account', async () => {
  assert.deepEqual(open(await signed({ accessKeyId: '123456789012', secretAccessKey: 'anything', region: 'ap-south-1' })), {
    accountId: '123456789012',
    region: 'ap-south-1',
    accessKeyId: '123456789012',
  });
  const other = await signed({ accessKeyId: 'test', secretAccessKey: 'test' });
  assert.equal(open({ ...other, body: Buffer.from('tampered') }, at(60 * MIN)).accountId, '000000000000');
});

test('strict: X-Amz-Content-Sha256 must be the body\'s hash; UNSIGNED-PAYLOAD does not hold for EC2 (issue 19)', async () => {
  const body = 'Action=DescribeKeyPairs&Version=2016-11-15';
  const declared = await signed({ headers: { 'x-amz-content-sha256': sha256Hex(body) } });
  assert.ok(strict(declared));
  fails(() => strict({ ...declared, body: Buffer.from(`${body}&x=1`) }), 'SignatureDoesNotMatch', 403);
  const unsigned = await signed({ headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
  fails(() => strict({ ...unsigned, body: Buffer.from('anything') }), 'SignatureDoesNotMatch', 403, SDM);
  fails(() => strict(unsigned), 'SignatureDoesNotMatch', 403, SDM);
});

test('strict: host must be among the signed headers (issue 19)', async () => {
  const req = await signed();
  const auth = String(req.headers.authorization).replace(/SignedHeaders=([^,]*)/, (_m, list: string) => `SignedHeaders=${list.split(';').filter((h) => h !== 'host').join(';')}`);
  fails(() => strict({ ...req, headers: { ...req.headers, authorization: auth } }), 'SignatureDoesNotMatch', 403, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
});

test('strict: a Date header may stand in for X-Amz-Date', () => {
  const body = 'Action=DescribeKeyPairs&Version=2016-11-15';
  const headers = { host: 'localhost:4566', date: T0.toUTCString() };
  const cr = canonicalRequest({
    method: 'POST',
    uri: '/',
    query: '',
    headers: [['date', headers.date], ['host', headers.host]],
    payloadHash: sha256Hex(body),
  });
  const sig = signature(signingKey(SECRET, '20240506', 'us-west-2', 'ec2'), stringToSign('20240506T070809Z', credentialScope('20240506', 'us-west-2', 'ec2'), cr));
  const authorization = `AWS4-HMAC-SHA256 Credential=${AKID}/20240506/us-west-2/ec2/aws4_request, SignedHeaders=date;host, Signature=${sig}`;
  const req = { method: 'POST', path: '/', rawQuery: '', headers: { ...headers, authorization }, body: Buffer.from(body) };
  assert.equal(strict(req).region, 'us-west-2');
});

test('strict: repeated headers are joined with commas when rawHeaders are given', async () => {
  const req = await signed({ headers: { 'x-custom': 'a,b' } });
  const rawHeaders = Object.entries(req.headers).flatMap(([k, v]) => (k === 'x-custom' ? ['X-Custom', 'a', 'x-custom', ' b'] : [k, String(v)]));
  assert.ok(strict({ ...req, headers: { ...req.headers, 'x-custom': 'a, b' }, rawHeaders }));
});
