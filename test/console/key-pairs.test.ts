// The seed's key pair procedures in the web console, through the UI only, in Debian's Chromium:
// create (RSA/.pem, ED25519/.ppk) with the downloads checked by openssl, puttygen and ssh-keygen
// against the Fingerprint column; import pasted and from a file (Browse); a bad key's
// InvalidKey.Format; tags; the filter; delete with the typed confirmation. The API is only read
// (SDK) to check what the UI did.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { DescribeKeyPairsCommand } from '@aws-sdk/client-ec2';
import type { Page } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import { until, type Browser } from '../helpers/browser.js';
import { closeConsole, openConsole } from '../helpers/console.js';
import { opensslDigest, run, sshKeygen, tempDir } from '../helpers/tools.js';

const dir = tempDir('ec2lite-console-');
let server: TestServer;
let browser: Browser;
let page: Page;

before(async () => {
  ({ server, browser, page } = await openConsole({}, { goto: false }));
});
after(async () => {
  await closeConsole({ browser, server });
  dir.cleanup();
});

/** The row of the Key pairs table holding `name` in its Name cell. */
const row = (name: string) => page.getByRole('table', { name: 'Key pairs' }).getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
const fingerprintOf = async (name: string) => (await row(name).locator('td.fingerprint').textContent())!.trim();

async function openKeyPairs(): Promise<void> {
  await page.getByRole('navigation', { name: 'Navigation' }).getByRole('link', { name: 'Key Pairs', exact: true }).click();
  await page.getByRole('heading', { name: /^Key pairs/ }).waitFor();
}

/** Create key pair through the form; returns the downloaded file's name and path. */
async function createKeyPair(name: string, type: 'RSA' | 'ED25519', format: '.pem' | '.ppk'): Promise<{ fileName: string; path: string }> {
  await openKeyPairs();
  await page.getByRole('button', { name: 'Create key pair' }).click();
  await page.getByRole('heading', { name: 'Create key pair' }).waitFor();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('radio', { name: type, exact: true }).check();
  await page.getByRole('radio', { name: format, exact: true }).check();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Create key pair' }).click()]);
  const path = dir.file(download.suggestedFilename());
  await download.saveAs(path);
  await row(name).waitFor();
  return { fileName: download.suggestedFilename(), path };
}

describe('console: Key Pairs', () => {
  it('serves the console at / with the navigation pane, the Region selector and the account', async () => {
    await page.goto(server.url);
    const nav = page.getByRole('navigation', { name: 'Navigation' });
    for (const link of ['Instances', 'Key Pairs', 'Volumes', 'Snapshots', 'AMIs', 'Launch Templates', 'Auto Scaling Groups']) {
      assert.equal(await nav.getByRole('link', { name: link, exact: true }).count(), 1, link);
    }
    assert.equal(await page.getByRole('combobox', { name: 'Region' }).inputValue(), 'us-east-1');
    await page.getByText('Account 000000000000').waitFor();
    // The API on the same URL is untouched: GET /?Action=… and POST / still answer XML.
    const res = await server.raw({ Action: 'DescribeKeyPairs', Version: '2016-11-15' }, { method: 'GET' });
    assert.match(res.body, /<DescribeKeyPairsResponse/);
  });

  it('creates an RSA key pair as .pem: NAME.pem downloads at once and openssl gives the Fingerprint column (SHA-1 of PKCS#8)', async () => {
    const { fileName, path } = await createKeyPair('console-rsa', 'RSA', '.pem');
    assert.equal(fileName, 'console-rsa.pem');
    const pem = readFileSync(path, 'utf8');
    assert.match(pem, /^-----BEGIN RSA PRIVATE KEY-----\n/);
    const sha1 = opensslDigest(run('sh', ['-c', `openssl pkcs8 -in '${path}' -inform PEM -outform DER -topk8 -nocrypt | openssl sha1 -c`]));
    assert.equal(await fingerprintOf('console-rsa'), sha1);
    assert.equal((await row('console-rsa').getByRole('cell').nth(2).textContent())?.trim(), 'rsa');
    await page.getByText('Successfully created key pair console-rsa').waitFor();
  });

  it('creates an ED25519 key pair as .ppk: puttygen reads NAME.ppk and its key has the Fingerprint column (SHA-256)', async () => {
    const { fileName, path } = await createKeyPair('console-ed', 'ED25519', '.ppk');
    assert.equal(fileName, 'console-ed.ppk');
    assert.match(readFileSync(path, 'utf8'), /^PuTTY-User-Key-File-[23]: ssh-ed25519\n/);
    const pub = dir.file('console-ed.pub');
    run('puttygen', [path, '-O', 'public-openssh', '-o', pub]);
    const sha256 = run('ssh-keygen', ['-l', '-E', 'sha256', '-f', pub]).split(' ')[1]!.replace(/^SHA256:/, '');
    // EC2 shows the base64 with its padding; ssh-keygen leaves the padding off.
    assert.equal(await fingerprintOf('console-ed'), `${sha256}=`);
  });

  it('keeps no private key in the page: nothing in sessionStorage or localStorage', async () => {
    const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }));
    assert.doesNotMatch(stored, /PRIVATE KEY|PuTTY|Private-Lines/);
  });

  it('shows a duplicate name as AWS does: InvalidKeyPair.Duplicate with its message', async () => {
    await openKeyPairs();
    await page.getByRole('button', { name: 'Create key pair' }).click();
    await page.getByLabel('Name', { exact: true }).fill('console-rsa');
    await page.getByRole('button', { name: 'Create key pair' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match((await alert.textContent())!, /InvalidKeyPair\.Duplicate: The keypair 'console-rsa' already exists\./);
  });

  it('imports a pasted public key (ED25519): the Fingerprint column is ssh-keygen’s SHA-256', async () => {
    const key = sshKeygen(dir.path, 'pasted', 'ed25519');
    await openKeyPairs();
    await page.getByRole('button', { name: 'Import key pair' }).click();
    await page.getByLabel('Name', { exact: true }).fill('console-pasted');
    await page.getByLabel('Public key contents').fill(key.pub.toString());
    await page.getByRole('button', { name: 'Import key pair' }).click();
    await row('console-pasted').waitFor();
    const sha256 = run('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${key.path}.pub`]).split(' ')[1]!.replace(/^SHA256:/, '');
    assert.equal(await fingerprintOf('console-pasted'), `${sha256}=`);
  });

  it('imports an RSA public key file chosen with Browse: the Fingerprint column is openssl’s MD5 of the public key', async () => {
    const key = sshKeygen(dir.path, 'from-file', 'rsa', 2048);
    await openKeyPairs();
    await page.getByRole('button', { name: 'Import key pair' }).click();
    await page.getByLabel('Browse').setInputFiles(`${key.path}.pub`);
    const read = await until('the chosen file in the textarea', async () => (await page.getByLabel('Public key contents').inputValue()).trim());
    assert.equal(read, key.pub.toString().trim());
    await page.getByLabel('Name', { exact: true }).fill('console-file');
    await page.getByRole('button', { name: 'Import key pair' }).click();
    await row('console-file').waitFor();
    const md5 = opensslDigest(run('sh', ['-c', `ssh-keygen -e -m PKCS8 -f '${key.path}.pub' | openssl pkey -pubin -outform DER | openssl md5 -c`]));
    assert.equal(await fingerprintOf('console-file'), md5);
  });

  it('shows a bad public key as InvalidKey.Format with AWS’s message', async () => {
    await openKeyPairs();
    await page.getByRole('button', { name: 'Import key pair' }).click();
    await page.getByLabel('Name', { exact: true }).fill('console-bad');
    await page.getByLabel('Public key contents').fill('ssh-rsa this-is-not-a-key');
    await page.getByRole('button', { name: 'Import key pair' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match((await alert.textContent())!, /^InvalidKey\.Format: /);
    const keys = await server.client().send(new DescribeKeyPairsCommand({}));
    assert.ok(!keys.KeyPairs!.some((k) => k.KeyName === 'console-bad'));
  });

  it('adds a tag with Actions → Manage tags, and the filter box narrows the table', async () => {
    await openKeyPairs();
    await page.getByRole('checkbox', { name: 'Select console-pasted' }).check();
    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: 'Manage tags' }).click();
    const dialog = page.getByRole('dialog', { name: 'Manage tags' });
    await dialog.getByRole('button', { name: 'Add new tag' }).click();
    await dialog.getByLabel('Tag 1 key').fill('team');
    await dialog.getByLabel('Tag 1 value').fill('blue');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await row('console-pasted').getByRole('cell', { name: 'team=blue' }).waitFor();
    const keys = await server.client().send(new DescribeKeyPairsCommand({ KeyNames: ['console-pasted'] }));
    assert.deepEqual(keys.KeyPairs![0]!.Tags, [{ Key: 'team', Value: 'blue' }]);

    await page.getByRole('searchbox', { name: 'Filter key pairs' }).fill('team=blue');
    assert.equal(await page.getByRole('table', { name: 'Key pairs' }).locator('tbody tr').count(), 1);
    await page.getByRole('searchbox', { name: 'Filter key pairs' }).fill('');
    assert.equal(await page.getByRole('table', { name: 'Key pairs' }).locator('tbody tr').count(), 4);
    await page.getByRole('checkbox', { name: 'Select console-pasted' }).uncheck();
  });

  it('saves a screenshot of the Key Pairs page (docs/console-key-pairs.png)', async () => {
    await openKeyPairs();
    await page.getByRole('checkbox', { name: 'Select console-rsa' }).check();
    const png = await page.screenshot({ fullPage: false });
    writeFileSync(new URL('../../../docs/console-key-pairs.png', import.meta.url), png);
    await page.getByRole('checkbox', { name: 'Select console-rsa' }).uncheck();
    assert.ok(png.length > 1000);
  });

  it('deletes a key pair after "Delete" is typed into the confirmation field', async () => {
    await openKeyPairs();
    await page.getByRole('checkbox', { name: 'Select console-rsa' }).check();
    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog');
    const confirm = dialog.getByRole('button', { name: 'Delete', exact: true });
    assert.equal(await confirm.isDisabled(), true);
    await dialog.getByLabel(/type Delete/).fill('delete');
    assert.equal(await confirm.isDisabled(), true, 'the confirmation is case-sensitive');
    await dialog.getByLabel(/type Delete/).fill('Delete');
    await confirm.click();
    await page.getByText('Successfully deleted key pair console-rsa').waitFor();
    assert.equal(await row('console-rsa').count(), 0);
    const keys = await server.client().send(new DescribeKeyPairsCommand({}));
    assert.deepEqual(keys.KeyPairs!.map((k) => k.KeyName).sort(), ['console-ed', 'console-file', 'console-pasted']);
  });

  it('changes Region: key pairs belong to one region', async () => {
    await openKeyPairs();
    await page.getByRole('combobox', { name: 'Region' }).selectOption('eu-west-1');
    await page.getByText('No key pairs to display').waitFor();
    await page.getByRole('combobox', { name: 'Region' }).selectOption('us-east-1');
    await row('console-ed').waitFor();
  });
});
