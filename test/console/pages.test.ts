// The console's shell: served beside the API on one address, self-contained (no other origin is
// ever asked for anything), keyboard usable, and the pages of features this server may not have
// yet follow what the API answers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launchBrowser, type Browser } from '../helpers/browser.js';
import { send, sign } from '../helpers/sigv4-client.js';

let server: TestServer;
let browser: Browser;
let page: Page;
const foreign: string[] = [];

before(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  page = browser.page;
  // Offline: anything not from the server itself is refused and recorded.
  await browser.context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(server.url) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
    foreign.push(url);
    return route.abort();
  });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

describe('console: serving and shell', () => {
  it('serves the page at GET / and its bundle under /console/, while GET /?Action= and POST / stay the API', async () => {
    const index = await fetch(`${server.url}/`);
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(index.headers.get('content-security-policy')!, /default-src 'none'; script-src 'self'/);
    const html = await index.text();
    assert.deepEqual([...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]), ['/console/app.css', '/console/app.js']);
    const js = await fetch(`${server.url}/console/app.js`);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    const bundle = Buffer.from(await js.arrayBuffer());
    assert.ok(bundle.length < 300 * 1024, `bundle is ${bundle.length} bytes`);
    assert.doesNotMatch(bundle.toString(), /https?:\/\/(?!www\.w3\.org)/, 'the bundle loads nothing from elsewhere');
    const again = await fetch(`${server.url}/console/app.js`, { headers: { 'if-none-match': js.headers.get('etag')! } });
    assert.equal(again.status, 304);
    assert.equal((await fetch(`${server.url}/console/nope.js`)).status, 404);

    const apiGet = await server.raw({ Action: 'DescribeKeyPairs', Version: '2016-11-15' }, { method: 'GET' });
    assert.match(apiGet.body, /^<\?xml[^]*<DescribeKeyPairsResponse/);
    const apiPost = await server.raw({ Version: '2016-11-15' });
    assert.match(apiPost.body, /<Code>MissingAction<\/Code>/);
  });

  it('works offline: no request leaves the server’s origin', async () => {
    await page.goto(server.url);
    for (const link of ['Instances', 'Key Pairs', 'Volumes', 'Snapshots', 'AMIs', 'Launch Templates', 'Auto Scaling Groups']) {
      await page.getByRole('navigation', { name: 'Navigation' }).getByRole('link', { name: link, exact: true }).click();
      await page.getByRole('heading', { level: 1 }).waitFor();
    }
    assert.deepEqual(foreign, []);
  });

  it('is usable from the keyboard: Tab reaches the navigation, Enter follows a link, Enter opens the Actions menu and Escape closes it (focus back on its button), Enter submits a form', async () => {
    await page.goto(`${server.url}/#/Instances`);
    await page.getByRole('heading', { level: 1, name: /^Instances/ }).waitFor();
    const keyPairs = page.getByRole('link', { name: 'Key Pairs', exact: true });
    let reached = false;
    for (let i = 0; i < 20 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await keyPairs.evaluate((el) => el === document.activeElement);
    }
    assert.ok(reached, 'Tab reaches the Key Pairs link');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /^Key pairs/ }).waitFor();
    await page.getByRole('button', { name: 'Actions' }).focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu', { name: 'Actions' });
    await menu.waitFor();
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('button', { name: 'Actions' }).evaluate((el) => el === document.activeElement), true);
    // The create form is reachable and submittable without a mouse.
    await page.getByRole('button', { name: 'Create key pair' }).focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('Name', { exact: true }).focus();
    await page.keyboard.type('typed-key');
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    assert.equal(download.suggestedFilename(), 'typed-key.pem');
  });

  for (const [link, action, params] of [
    ['Snapshots', 'DescribeSnapshots', { 'Owner.1': 'self' }],
    ['Launch Templates', 'DescribeLaunchTemplates', {}],
  ] as const) {
    it(`${link}: a list when the server answers ${action}, else "not available yet"`, async () => {
      const api = await server.raw({ Action: action, Version: '2016-11-15', ...params });
      await page.getByRole('navigation', { name: 'Navigation' }).getByRole('link', { name: link, exact: true }).click();
      if (/<Code>InvalidAction<\/Code>/.test(api.body)) {
        await page.getByText(`${link} are not available yet on this server`).waitFor();
      } else {
        assert.equal(api.status, 200, api.body);
        await page.getByRole('table', { name: link }).waitFor();
      }
    });
  }

  it('Auto Scaling Groups: a list when the server speaks Auto Scaling, else "not available yet"', async () => {
    const signed = await sign({
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'secret',
      region: 'us-east-1',
      service: 'autoscaling',
      date: new Date(),
      host: new URL(server.url).host,
      body: 'Action=DescribeAutoScalingGroups&Version=2011-01-01',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    });
    const api = await send(server.url, signed);
    await page.getByRole('navigation', { name: 'Navigation' }).getByRole('link', { name: 'Auto Scaling Groups', exact: true }).click();
    if (api.status === 200) await page.getByRole('table', { name: 'Auto Scaling Groups' }).waitFor();
    else await page.getByText('Auto Scaling Groups are not available yet on this server').waitFor();
  });

  it('AMIs lists the images DescribeImages answers', async () => {
    const api = await server.raw({ Action: 'DescribeImages', Version: '2016-11-15' });
    const ids = [...api.body.matchAll(/<imageId>(ami-[0-9a-f]+)<\/imageId>/g)].map((m) => m[1]!);
    assert.ok(ids.length > 0);
    await page.getByRole('navigation', { name: 'Navigation' }).getByRole('link', { name: 'AMIs', exact: true }).click();
    const table = page.getByRole('table', { name: 'AMIs' });
    for (const id of ids) await table.getByRole('cell', { name: id, exact: true }).waitFor();
  });
});
