// The console against a strict-mode server: it asks for an access key and secret, keeps them in
// the tab's sessionStorage only, signs every request with SigV4 in the browser (Web Crypto) and
// never sends the secret itself; a wrong secret shows AWS's SignatureDoesNotMatch.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DescribeKeyPairsCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { Page } from 'playwright-core';
import { writeCredentials } from '../../src/auth/credentials-file.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launchBrowser, type Browser } from '../helpers/browser.js';
import { tempDir } from '../helpers/tools.js';

const KEY = { accessKeyId: 'AKIACONSOLETEST00001', secretAccessKey: 'console/secret+key000000000000000000000', accountId: '111122223333' };

const dir = tempDir('ec2lite-console-strict-');
let server: TestServer;
let browser: Browser;
let page: Page;
const sent: string[] = [];

before(async () => {
  const credentialsFile = join(dir.path, 'credentials.json');
  writeCredentials(credentialsFile, [KEY]);
  server = await startTestServer({ auth: 'strict', credentialsFile });
  browser = await launchBrowser();
  page = browser.page;
  page.on('request', (r) => sent.push(`${r.url()}\n${JSON.stringify(r.headers())}\n${r.postData() ?? ''}`));
});
after(async () => {
  await browser?.close();
  await server?.close();
  dir.cleanup();
});

async function signIn(secret: string): Promise<void> {
  await page.getByLabel('Access key ID').fill(KEY.accessKeyId);
  await page.getByLabel('Secret access key').fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('console: strict mode', () => {
  it('asks to sign in instead of showing pages', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await page.getByRole('table').count(), 0);
  });

  it('shows a wrong secret as SignatureDoesNotMatch and stays on the sign-in form', async () => {
    await signIn('not-the-secret');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match((await alert.textContent())!, /^SignatureDoesNotMatch: The request signature we calculated does not match/);
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  });

  it('signs in with the right key, then every action is signed for that account', async () => {
    await signIn(KEY.secretAccessKey);
    await page.getByRole('navigation', { name: 'Navigation' }).getByRole('link', { name: 'Key Pairs', exact: true }).click();
    await page.getByRole('button', { name: 'Create key pair' }).click();
    await page.getByLabel('Name', { exact: true }).fill('strict-key');
    await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Create key pair' }).click()]);
    await page.getByRole('cell', { name: 'strict-key', exact: true }).waitFor();
    // The same key through the SDK sees it: the browser's signatures were verified, in that account.
    const sdk = new EC2Client({ endpoint: server.url, region: 'us-east-1', credentials: KEY, maxAttempts: 1 });
    const keys = await sdk.send(new DescribeKeyPairsCommand({}));
    sdk.destroy();
    assert.deepEqual(keys.KeyPairs!.map((k) => k.KeyName), ['strict-key']);
  });

  it('keeps the key in this tab’s sessionStorage only and never sends the secret', async () => {
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    assert.match(await page.evaluate(() => JSON.stringify({ ...sessionStorage })), /AKIACONSOLETEST00001/);
    const withSecret = sent.filter((s) => s.includes(KEY.secretAccessKey) || s.includes(encodeURIComponent(KEY.secretAccessKey)));
    assert.deepEqual(withSecret, []);
    assert.ok(sent.some((s) => s.includes(`Credential=${KEY.accessKeyId}/`)), 'requests carry SigV4 Authorization headers');
    // A reload in the same tab stays signed in; a new tab asks again.
    await page.reload();
    await page.getByRole('cell', { name: 'strict-key', exact: true }).waitFor();
    const other = await browser.context.newPage();
    await other.goto(server.url);
    await other.getByRole('heading', { name: 'Sign in' }).waitFor();
    await other.close();
  });

  it('Sign out forgets the key', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('ec2lite.credentials')), null);
  });
});
