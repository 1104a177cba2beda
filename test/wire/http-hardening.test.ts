// The HTTP surface against browsers and sloppy signatures (issue 19), with the real clients:
// Chromium (a page of another origin posts a form, loads an <img> with ?Action=, fetches; a page
// reached through a rebinding DNS name), curl (SigV4 with UNSIGNED-PAYLOAD, a foreign Host) and
// /usr/bin/aws (control characters in a tag value; the CLI keeps working in strict mode).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CreateKeyPairCommand, DescribeKeyPairsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { writeCredentials } from '../../src/auth/credentials-file.js';
import { canonicalRequest, credentialScope, formatAmzDate, sha256Hex, signature, signingKey, stringToSign } from '../../src/protocol/sigv4.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { CHROMIUM } from '../helpers/browser.js';
import { awsCli } from '../helpers/awscli.js';
import { runAsync, tempDir } from '../helpers/tools.js';

const names = async (ec2: EC2Client) => ((await ec2.send(new DescribeKeyPairsCommand({}))).KeyPairs ?? []).map((k) => k.KeyName).sort();

describe('browsers: cross-site API calls and DNS rebinding are refused; the console keeps working', () => {
  let server: TestServer;
  let attacker: Server;
  let attackerUrl: string;
  let browser: Browser;
  before(async () => {
    server = await startTestServer();
    const api = server.url;
    // a page of another origin (another port of this machine: same site, other origin)
    attacker = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><title>attacker</title>
<img src="${api}/?Action=CreateKeyPair&KeyName=via-img&Version=2016-11-15">
<script>
  fetch('${api}/', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Action=CreateKeyPair&KeyName=via-fetch&Version=2016-11-15' }).finally(() => document.title = 'fetched');
</script>
<form id="f" method="POST" action="${api}/"><input name="Action" value="CreateKeyPair"><input name="KeyName" value="via-form"><input name="Version" value="2016-11-15"></form>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', `--host-resolver-rules=MAP rebind.test 127.0.0.1`],
    });
  });
  after(async () => {
    await browser?.close();
    attacker?.close();
    await server?.close();
  });

  it('a page of another origin cannot create a key pair by form POST, <img> GET or fetch; the same page of this origin can call the API', async () => {
    const page = await browser.newPage();
    await page.goto(attackerUrl);
    await page.waitForFunction(() => document.title === 'fetched');
    const [answer] = await Promise.all([page.waitForNavigation(), page.evaluate(() => (document.getElementById('f') as HTMLFormElement).submit())]);
    assert.equal(answer!.status(), 403);
    assert.match(await page.content(), /cross-site request refused|cross-origin request refused/);
    assert.deepEqual(await names(server.client()), [], 'no key pair was created');

    // the console's own origin: its page calls the API with fetch (Origin = this server)
    await page.goto(server.url);
    const status = await page.evaluate(async () => {
      const r = await fetch('/', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=CreateKeyPair&KeyName=same-origin&Version=2016-11-15' });
      return r.status;
    });
    assert.equal(status, 200);
    assert.deepEqual(await names(server.client()), ['same-origin']);
    await page.close();
  });

  it('a page reached through a DNS name that resolves here (rebinding) gets 421 for the console and the API', async () => {
    const page = await browser.newPage();
    const port = new URL(server.url).port;
    const r = await page.goto(`http://rebind.test:${port}/`);
    assert.equal(r!.status(), 421);
    const api = await page.goto(`http://rebind.test:${port}/?Action=DescribeKeyPairs&Version=2016-11-15`);
    assert.equal(api!.status(), 421);
    await page.close();
    // curl (no browser headers) by any name keeps working: the CLI and SDKs are never judged
    const curl = await runAsync('/usr/bin/curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--resolve', `rebind.test:${port}:127.0.0.1`, `http://rebind.test:${port}/?Action=DescribeKeyPairs&Version=2016-11-15`]);
    assert.equal(curl.stdout, '200');
    const posing = await runAsync('/usr/bin/curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-A', 'Mozilla/5.0', '--resolve', `rebind.test:${port}:127.0.0.1`, `http://rebind.test:${port}/`]);
    assert.equal(posing.stdout, '421');
  });
});

describe('strict mode: SigV4 as AWS checks it, and values XML cannot carry', () => {
  const dir = tempDir('ec2lite-hardening-');
  const KEY = { accessKeyId: 'AKIAHARDENING0000001', secretAccessKey: 'hardening/secret/key/0000000000000000000', accountId: '111122223333' };
  let server: TestServer;
  before(async () => {
    const credentialsFile = join(dir.path, 'credentials.json');
    writeCredentials(credentialsFile, [KEY]);
    server = await startTestServer({ auth: 'strict', credentialsFile });
  });
  after(async () => {
    await server?.close();
    dir.cleanup();
  });

  const curlSigned = (body: string, extra: string[] = []) =>
    runAsync('/usr/bin/curl', [
      '-s', '-w', '\n%{http_code}', '--aws-sigv4', 'aws:amz:us-east-1:ec2', '--user', `${KEY.accessKeyId}:${KEY.secretAccessKey}`,
      '-H', 'content-type: application/x-www-form-urlencoded; charset=utf-8', ...extra, '--data-binary', body, `${server.url}/`,
    ]);

  it('curl signing the real body is accepted; the same request signed with UNSIGNED-PAYLOAD is refused', async () => {
    const ok = await curlSigned('Action=DescribeKeyPairs&Version=2016-11-15');
    assert.match(ok.stdout, /\n200$/, ok.stdout);
    const unsigned = await curlSigned('Action=CreateKeyPair&KeyName=unsigned&Version=2016-11-15', ['-H', 'x-amz-content-sha256: UNSIGNED-PAYLOAD']);
    assert.match(unsigned.stdout, /\n403$/);
    assert.match(unsigned.stdout, /<Code>SignatureDoesNotMatch<\/Code>/);
    const sdk = new EC2Client({ endpoint: server.url, region: 'us-east-1', credentials: KEY, maxAttempts: 1 });
    assert.deepEqual(await names(sdk), []);
    sdk.destroy();
  });

  it('a signature whose SignedHeaders leave out host is refused (curl sends it), as AWS refuses it', async () => {
    const body = 'Action=CreateKeyPair&KeyName=hostless&Version=2016-11-15';
    const amzDate = formatAmzDate(new Date());
    const date = amzDate.slice(0, 8);
    const contentType = 'application/x-www-form-urlencoded; charset=utf-8';
    const scope = credentialScope(date, 'us-east-1', 'ec2');
    // a correct signature over content-type and x-amz-date only: the body and date are covered, the host is not
    const canonical = canonicalRequest({ method: 'POST', uri: '/', query: '', headers: [['content-type', contentType], ['x-amz-date', amzDate]], payloadHash: sha256Hex(body) });
    const sig = signature(signingKey(KEY.secretAccessKey, date, 'us-east-1', 'ec2'), stringToSign(amzDate, scope, canonical));
    const r = await runAsync('/usr/bin/curl', [
      '-s', '-w', '\n%{http_code}', '-H', `content-type: ${contentType}`, '-H', `x-amz-date: ${amzDate}`,
      '-H', `authorization: AWS4-HMAC-SHA256 Credential=${KEY.accessKeyId}/${scope}, SignedHeaders=content-type;x-amz-date, Signature=${sig}`,
      '--data-binary', body, `${server.url}/`,
    ]);
    assert.match(r.stdout, /\n403$/);
    assert.match(r.stdout, /<Code>SignatureDoesNotMatch<\/Code><Message>'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization\.<\/Message>/);
    const sdk = new EC2Client({ endpoint: server.url, region: 'us-east-1', credentials: KEY, maxAttempts: 1 });
    assert.ok(!(await names(sdk)).includes('hostless'));
    sdk.destroy();
  });

  it('a tag value with a control character is refused with InvalidParameterValue; the CLI still works', async () => {
    const env = { AWS_ACCESS_KEY_ID: KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: KEY.secretAccessKey };
    const sdk = new EC2Client({ endpoint: server.url, region: 'us-east-1', credentials: KEY, maxAttempts: 1 });
    const id = (await sdk.send(new CreateKeyPairCommand({ KeyName: 'tagged' }))).KeyPairId!;
    sdk.destroy();
    const bad = await awsCli(server.url, ['ec2', 'create-tags', '--resources', id, '--tags', '[{"Key":"k","Value":"a\\u0001b"}]'], env);
    assert.notEqual(bad.status, 0);
    // EC2's form (src/errors/character-set-messages.ts); the value echoed with U+FFFD in place of the control
    assert.match(bad.stderr, /\(InvalidParameterValue\) when calling the CreateTags operation.*: Value \(a\uFFFDb\) for parameter Tag\.1\.Value is invalid\. Control characters are not supported\./);
    // a key name is printable ASCII: EC2's own text for characters outside it
    const key = await awsCli(server.url, ['ec2', 'create-key-pair', '--key-name', 'bad\u0007name'], env);
    assert.notEqual(key.status, 0);
    assert.match(key.stderr, /\(InvalidParameterValue\) when calling the CreateKeyPair operation.*: Value \(bad\uFFFDname\) for parameter keyName is invalid\. Character sets beyond ASCII are not supported\./);
    // an image description (a public AMI's broke every account's describe-images): refused before anything is made
    const ami = (await awsCli(server.url, ['ec2', 'describe-images', '--filters', 'Name=name,Values=al2023-*', '--query', 'Images[0].ImageId', '--output', 'text'], env)).stdout.trim();
    const copy = await awsCli(server.url, ['ec2', 'copy-image', '--source-image-id', ami, '--source-region', 'us-east-1', '--name', 'copied', '--description', 'x\u001by'], env);
    assert.notEqual(copy.status, 0);
    assert.match(copy.stderr, /\(InvalidParameterValue\) when calling the CopyImage operation.*: Value \(x\uFFFDy\) for parameter Description is invalid\. Control characters are not supported\./);
    const images = await awsCli(server.url, ['ec2', 'describe-images', '--owners', 'self', '--query', 'length(Images)', '--output', 'text'], env);
    assert.equal(images.stdout, '0\n');
    const tabbed = await awsCli(server.url, ['ec2', 'create-key-pair', '--key-name', 'bad\tname'], env);
    assert.match(tabbed.stderr, /Value \(bad\tname\) for parameter keyName is invalid\. Character sets beyond ASCII are not supported\./);
    const group = await awsCli(server.url, ['ec2', 'create-security-group', '--group-name', 'g', '--description', 'a\u0001b'], env);
    assert.match(group.stderr, /\(InvalidParameterValue\) when calling the CreateSecurityGroup operation.*: Value \(a\uFFFDb\) for parameter GroupDescription is invalid\. Character sets beyond ASCII are not supported\./);
    const good = await awsCli(server.url, ['ec2', 'create-tags', '--resources', id, '--tags', '[{"Key":"k","Value":"a\\tb"}]'], env);
    assert.equal(good.status, 0, good.stderr);
    const listed = await awsCli(server.url, ['ec2', 'describe-key-pairs', '--query', 'KeyPairs[0].Tags[0].Value', '--output', 'text'], env);
    assert.equal(listed.stdout, 'a\tb\n');
  });
});
