// Instances → Actions → Get Windows password in Chromium: the private key uploaded as a file, then
// pasted (PKCS#8 and OpenSSH forms of it), decrypts the password in the page — the same one the
// AWS CLI decrypts with --priv-launch-key — and no request the page makes carries the key.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateKeyPairCommand, DescribeImagesCommand, RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { Page, Request } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Browser } from '../helpers/browser.js';
import { awsCli } from '../helpers/awscli.js';
import { closeConsole, navTo, openConsole } from '../helpers/console.js';
import { waitForState } from '../helpers/instances.js';
import { requireTools, runAsync, tempDir, writePrivate } from '../helpers/tools.js';

requireTools(['/usr/bin/aws', '/usr/bin/openssl', '/usr/bin/ssh-keygen'], 'the Windows password page test');

const dir = tempDir('ec2lite-console-win-');
let server: TestServer;
let browser: Browser;
let page: Page;
let client: EC2Client;
const requests: { url: string; body: string }[] = [];

before(async () => {
  ({ server, browser, page } = await openConsole({ login: { windowsPasswordDelayMs: 0, instanceConnectKeyLifetimeMs: 60_000 } }));
  client = server.client();
  // Every request the page makes, with its body: the key must be in none of them.
  page.on('request', (r: Request) => requests.push({ url: r.url(), body: r.postData() ?? '' }));
});
after(async () => {
  await closeConsole({ browser, server });
  dir.cleanup();
});

/** Every instance of this file is launched here (the lead adds security group rules in one place). */
async function launchWindows(keyName: string): Promise<string> {
  const ami = (await client.send(new DescribeImagesCommand({ Filters: [{ Name: 'platform', Values: ['windows'] }] }))).Images![0]!.ImageId!;
  const r = await client.send(new RunInstancesCommand({ ImageId: ami, MinCount: 1, MaxCount: 1, KeyName: keyName }));
  const id = r.Instances![0]!.InstanceId!;
  await waitForState(client, id, 'running');
  return id;
}

async function openPasswordPage(id: string): Promise<void> {
  await navTo(page, 'Instances');
  await page.getByRole('button', { name: 'Refresh' }).click(); // launched through the SDK meanwhile
  await page.getByRole('checkbox', { name: `Select ${id}` }).check();
  await page.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name: 'Get Windows password' }).click();
  await page.getByRole('heading', { name: 'Get Windows password' }).waitFor();
}

const shownPassword = async (): Promise<string> =>
  (await page.getByRole('region', { name: 'Windows password' }).locator('code').textContent({ timeout: 20_000 }))!.trim();

describe('console: Get Windows password', () => {
  it('decrypts in the page with an uploaded or pasted key, and never sends the key', async () => {
    const k = await client.send(new CreateKeyPairCommand({ KeyName: 'win-console' }));
    const pem = writePrivate(dir.file('win-console.pem'), k.KeyMaterial!);
    const id = await launchWindows('win-console');

    const cli = await awsCli(server.url, ['ec2', 'get-password-data', '--instance-id', id, '--priv-launch-key', pem, '--output', 'text', '--query', 'PasswordData']);
    assert.equal(cli.status, 0, cli.stderr);
    const expected = cli.stdout.trim();
    assert.match(expected, /^[\x21-\x7e]{32}$/);

    // 1. Upload private key file (the .pem CreateKeyPair gave)
    await openPasswordPage(id);
    await page.getByText('win-console', { exact: true }).waitFor(); // the key pair's name, once the page has loaded it
    await page.getByLabel('Upload private key file').setInputFiles(pem);
    await page.getByRole('button', { name: 'Decrypt password' }).click();
    assert.equal(await shownPassword(), expected);
    await page.getByText('Administrator', { exact: true }).waitFor();

    // 2. Pasted, as PKCS#8 ("BEGIN PRIVATE KEY")
    const pkcs8 = await runAsync('/usr/bin/openssl', ['pkey', '-in', pem]);
    assert.match(pkcs8.stdout, /BEGIN PRIVATE KEY/);
    await openPasswordPage(id);
    await page.getByLabel('Private key contents').fill(pkcs8.stdout);
    await page.getByRole('button', { name: 'Decrypt password' }).click();
    assert.equal(await shownPassword(), expected);

    // 3. Pasted, as an OpenSSH private key (ssh-keygen -p rewrites the file in that format)
    const openssh = writePrivate(dir.file('win-console-openssh'), k.KeyMaterial!);
    assert.equal((await runAsync('/usr/bin/ssh-keygen', ['-q', '-p', '-N', '', '-P', '', '-f', openssh])).code, 0);
    const opensshText = dir.readText('win-console-openssh');
    assert.match(opensshText, /BEGIN OPENSSH PRIVATE KEY/);
    await openPasswordPage(id);
    await page.getByLabel('Private key contents').fill(opensshText);
    await page.getByRole('button', { name: 'Decrypt password' }).click();
    assert.equal(await shownPassword(), expected);

    // another key pair's key: refused in the page
    const other = await client.send(new CreateKeyPairCommand({ KeyName: 'not-this-one' }));
    await openPasswordPage(id);
    await page.getByLabel('Private key contents').fill(other.KeyMaterial!);
    await page.getByRole('button', { name: 'Decrypt password' }).click();
    await page.getByText(/wrong key pair/).waitFor();

    // No request carried any piece of any of these keys
    const secrets = [k.KeyMaterial!, pkcs8.stdout, opensshText, other.KeyMaterial!].flatMap((text) =>
      text.split('\n').filter((line) => line.length >= 40 && !line.startsWith('-----')),
    );
    assert.ok(secrets.length > 40);
    assert.ok(requests.some((r) => r.body.includes('Action=GetPasswordData')), 'the page asked the API for the encrypted password');
    for (const r of requests) {
      const seen = decodeURIComponent(r.url) + '\n' + decodeURIComponent(r.body.replace(/\+/g, ' '));
      assert.ok(!/PRIVATE KEY/.test(seen), `key header sent to ${r.url}`);
      for (const s of secrets) assert.ok(!seen.includes(s) && !r.body.includes(encodeURIComponent(s)), `key material sent to ${r.url}`);
    }
    // nor is it kept in web storage
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    assert.ok(!stored.includes('PRIVATE KEY'));
  });

  it("says the password is not available yet before the instance has booted", async () => {
    const slow = await startTestServer({ login: { windowsPasswordDelayMs: 3_600_000, instanceConnectKeyLifetimeMs: 60_000 } });
    try {
      const c = slow.client();
      const k = await c.send(new CreateKeyPairCommand({ KeyName: 'early' }));
      const ami = (await c.send(new DescribeImagesCommand({ Filters: [{ Name: 'platform', Values: ['windows'] }] }))).Images![0]!.ImageId!;
      const id = (await c.send(new RunInstancesCommand({ ImageId: ami, MinCount: 1, MaxCount: 1, KeyName: 'early' }))).Instances![0]!.InstanceId!;
      await waitForState(c, id, 'running');
      const p = await browser.context.newPage();
      await p.goto(`${slow.url}/#/Instances/${id}/password`);
      await p.getByLabel('Private key contents').fill(k.KeyMaterial!);
      await p.getByRole('button', { name: 'Decrypt password' }).click();
      await p.getByText(/^Password not available yet\./).waitFor();
      assert.equal(await p.getByRole('region', { name: 'Windows password' }).count(), 0);
      await p.close();
    } finally {
      await slow.close();
    }
  });
});
