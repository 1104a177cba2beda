// The console terminal in Chromium: Instances → Connect → EC2 Instance Connect (user prefilled) →
// Connect opens the terminal page in a new tab with a live shell: `whoami` answers ec2-user, sudo
// reads the launch key from authorized_keys, resizing the window changes `stty size`, vi edits a
// file, Paste types the clipboard, closing the tab ends the SSH session. The WebSocket refuses another Origin, and a
// presigned query of another account does not reach the instance; an idle session ends. Before port
// 22 is open in the instance's security group the page says the connection was refused. The live
// shell is checked on both guest engines (test/helpers/engine-variants.ts): a simulated Amazon Linux
// instance and a real Debian one (user admin, Debian's vi).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { CreateKeyPairCommand, CreateSecurityGroupCommand, RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { Page } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import { startTestServer } from '../helpers/server.js';
import { join } from 'node:path';
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { writeCredentials } from '../../src/auth/credentials-file.js';
import { until, type Browser } from '../helpers/browser.js';
import { closeConsole, navTo, openConsole } from '../helpers/console.js';
import { images, waitForState } from '../helpers/instances.js';
import { allowSsh } from '../helpers/network.js';
import { requireTools, runAsync, tempDir, writePrivate } from '../helpers/tools.js';
import { bothEnginesServer, forEachEngine } from '../helpers/engine-variants.js';

requireTools(['/usr/bin/ssh-keygen'], 'the console terminal test');

const dir = tempDir('ec2lite-console-term-');
let server: TestServer;
let browser: Browser;
let page: Page;
let client: EC2Client;

before(async () => {
  ({ server, browser, page } = await openConsole(bothEnginesServer()));
  client = server.client();
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
});
after(async () => {
  await closeConsole({ browser, server });
  dir.cleanup();
});

/**
 * Every instance of this file is launched here, port 22 opened as a user would (security groups;
 * the console terminal connects from 127.0.0.1) unless `openSsh` is false.
 */
async function launch(c: EC2Client, keyName?: string, openSsh = true, imageId?: string, groupId?: string): Promise<string> {
  const r = await c.send(
    new RunInstancesCommand({ ImageId: imageId ?? (await images(c)).al2023, MinCount: 1, MaxCount: 1, KeyName: keyName, ...(groupId ? { SecurityGroupIds: [groupId] } : {}) }),
  );
  const id = r.Instances![0]!.InstanceId!;
  await waitForState(c, id, 'running');
  if (openSsh) await allowSsh(c, id);
  return id;
}

/** The terminal's rows as text. */
const rows = (term: Page): Promise<string[]> => term.locator('.xterm-rows > div').allTextContents();

/** Types a command line and waits for a row that `expect` accepts (after the ones already there). */
async function runLine(term: Page, line: string, expect: (row: string) => boolean): Promise<string> {
  const before = (await rows(term)).join('\n');
  await term.keyboard.type(line);
  await term.keyboard.press('Enter');
  return until(`output of ${line}`, async () => {
    const now = await rows(term);
    return now.join('\n') !== before && now.map((r) => r.trim()).find(expect);
  });
}

/**
 * A raw WebSocket handshake to the terminal route; resolves with the status and what came back
 * (when the server closes, or as soon as the text matches `enough`).
 */
function rawUpgrade(port: number, query: string, origin: string, enough?: RegExp, host = `127.0.0.1:${port}`): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path: `/_ec2lite/terminal?${query}`,
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64'), origin, host },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('upgrade', (res, socket, head: Buffer) => {
      let text = head.toString('latin1');
      socket.on('data', (d: Buffer) => {
        text += d.toString('latin1');
        if (enough?.test(text)) socket.destroy();
      });
      socket.on('close', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A syntactically valid presigned query (open mode does not verify the signature). */
const presigned = (instanceId: string, accessKeyId: string) => {
  const date = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return new URLSearchParams({
    InstanceId: instanceId,
    User: 'ec2-user',
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${accessKeyId}/${date.slice(0, 8)}/us-east-1/ec2-instance-connect/aws4_request`,
    'X-Amz-Date': date,
    'X-Amz-Expires': '60',
    'X-Amz-SignedHeaders': 'host',
    'X-Amz-Signature': '0'.repeat(64),
  }).toString();
};

forEachEngine('console: EC2 Instance Connect terminal', (engine) => {
  it('opens a live shell as the default user; sudo, resize, paste; closing the tab ends the session', async () => {
    const k = await client.send(new CreateKeyPairCommand({ KeyName: `term-key-${engine.name}` }));
    const pem = writePrivate(dir.file(`term-key-${engine.name}.pem`), k.KeyMaterial!);
    const launchKey = (await runAsync('/usr/bin/ssh-keygen', ['-y', '-f', pem])).stdout.trim().split(' ')[1]!;
    // a security group of its own: the other engine's run opened port 22 on the default group
    const group = await client.send(new CreateSecurityGroupCommand({ GroupName: `term-${engine.name}`, Description: 'console terminal' }));
    const id = await launch(client, `term-key-${engine.name}`, false, await engine.imageId(client), group.GroupId);

    // a fresh console: nothing the other engine's run selected stays selected
    await page.goto(server.url);
    await navTo(page, 'Instances');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByRole('checkbox', { name: `Select ${id}` }).check();
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('heading', { name: 'Connect to instance' }).waitFor();
    assert.equal(await page.getByRole('tab', { name: 'EC2 Instance Connect' }).getAttribute('aria-selected'), 'true');
    const eic = page.getByRole('region', { name: 'EC2 Instance Connect' });
    await until('the prefilled user', async () => (await eic.getByLabel('Username').inputValue()) === engine.user);

    // Port 22 not open yet: the instance's security group refuses the connection, and the page says so.
    const [refused] = await Promise.all([browser.context.waitForEvent('page'), eic.getByRole('button', { name: 'Connect' }).click()]);
    await until('the security group refusal', async () =>
      /security groups allow inbound SSH \(TCP port 22\)/.test((await rows(refused)).join('').replace(/\s+/g, ' ')),
    );
    assert.match((await rows(refused)).join('').replace(/\s+/g, ' '), /Failed to connect to your instance: the connection to [\d.]+ port \d+ was (refused|closed)/);
    await refused.getByRole('status').getByText('Disconnected').waitFor();
    await refused.close();
    await allowSsh(client, id);

    const [term] = await Promise.all([browser.context.waitForEvent('page'), eic.getByRole('button', { name: 'Connect' }).click()]);
    await term.getByRole('status').getByText('Connected').waitFor({ timeout: 30_000 });
    assert.ok(!term.url().includes('X-Amz-Signature'), 'the signature leaves the address bar');
    await term.locator('.xterm').click();

    assert.equal(await runLine(term, 'whoami', (r) => r === engine.user), engine.user);
    await runLine(term, `sudo cat /home/${engine.user}/.ssh/authorized_keys`, (r) => r.includes(launchKey.slice(0, 30)));
    const joined = (await rows(term)).join('');
    assert.ok(joined.includes(launchKey.slice(0, 200)), 'the launch key, as authorized_keys holds it');

    // resize: the pty follows the window
    const size1 = await runLine(term, 'stty size', (r) => /^\d+ \d+$/.test(r));
    await term.setViewportSize({ width: 700, height: 420 });
    const size2 = await runLine(term, 'stty size', (r) => /^\d+ \d+$/.test(r) && r !== size1);
    const [r1, c1] = size1.split(' ').map(Number);
    const [r2, c2] = size2.split(' ').map(Number);
    assert.ok(r2! < r1! && c2! < c1!, `${size1} → ${size2}`);

    // a full-screen editor: vi takes the keyboard raw in the browser terminal too (Debian's vi, in
    // Vi-compatible mode, says [New File] where Amazon Linux's says [New])
    await runLine(term, 'vi /tmp/from-console.txt', (r) => /^"\/tmp\/from-console\.txt" \[New( File)?\]/.test(r));
    // vim shows the file message while it reads the file, before its first full redraw: wait for that
    await until('vi to draw its empty-buffer lines', async () => (await rows(term)).some((r) => r.trim() === '~'));
    await term.keyboard.type('ifrom the console');
    await term.keyboard.press('Escape');
    await term.keyboard.type(':wq');
    await term.keyboard.press('Enter');
    await until('vi to leave its screen', async () => !(await rows(term)).some((r) => r.trim() === '~'));
    assert.equal(await runLine(term, 'cat /tmp/from-console.txt', (r) => r === 'from the console'), 'from the console');

    // paste: the Paste button types the clipboard
    await term.evaluate(() => navigator.clipboard.writeText('echo pasted-from-clipboard'));
    await term.getByRole('button', { name: 'Paste' }).click();
    await until('the pasted line', async () => (await rows(term)).some((r) => r.includes('$ echo pasted-from-clipboard')));
    await term.locator('.xterm').click();
    await term.keyboard.press('Enter');
    await until('pasted command output', async () => (await rows(term)).some((r) => r.trim() === 'pasted-from-clipboard'));
    // copy: select a word (double-click) and Copy puts it on the clipboard
    const box = (await term.locator('.xterm-rows > div', { hasText: /^pasted-from-clipboard\s*$/ }).first().boundingBox())!;
    await term.mouse.dblclick(box.x + 10, box.y + box.height / 2);
    await term.getByRole('button', { name: 'Copy' }).click();
    assert.match(await term.evaluate(() => navigator.clipboard.readText()), /pasted/);

    // the session is a real one on the guest; closing the tab ends it
    const sessions = () => server.app.runtime.sshSessions(id) ?? -1;
    assert.ok(sessions() >= 1);
    await term.close();
    await until('the SSH session to end', async () => sessions() === 0);
  });
});

describe('console: the terminal route', () => {
  it('refuses another Origin and does not reach another account’s instance', async () => {
    const port = Number(new URL(server.url).port);
    const id = await launch(client);
    const foreign = await rawUpgrade(port, presigned(id, 'EC2LITECONSOLE'), 'http://evil.example');
    assert.equal(foreign.status, 403);
    // refused by the server's browser guard (src/http/browser-guard.ts) before the terminal sees it
    assert.match(foreign.text, /cross-origin request refused \(Origin: http:\/\/evil\.example\)/);
    // DNS rebinding: a page of a name the server does not answer to, Origin and Host alike (avail, issue 19)
    const rebound = await rawUpgrade(port, presigned(id, 'EC2LITECONSOLE'), `http://rebind.example:${port}`, undefined, `rebind.example:${port}`);
    assert.equal(rebound.status, 421);
    assert.match(rebound.text, /host 'rebind\.example:\d+' is not a name this server answers to/);
    const otherAccount = await rawUpgrade(port, presigned(id, '111122223333'), `http://127.0.0.1:${port}`);
    assert.equal(otherAccount.status, 101);
    assert.match(otherAccount.text, /EC2InstanceNotFoundException/);
    const wrongScope = await rawUpgrade(port, presigned(id, 'EC2LITECONSOLE').replace('ec2-instance-connect', 'ec2'), `http://127.0.0.1:${port}`);
    assert.equal(wrongScope.status, 403);
  });

  it('a size and keys sent the moment the socket opens reach the shell (before its channel is open)', async () => {
    const id = await launch(client);
    const url = `${server.url.replace(/^http/, 'ws')}/_ec2lite/terminal?${presigned(id, 'EC2LITECONSOLE')}`;
    // Chromium's own WebSocket from the console's origin, as the terminal page opens it
    const seen = await page.evaluate(
      (u) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(u);
          ws.binaryType = 'arraybuffer';
          let text = '';
          const stop = setTimeout(() => resolve(text), 30_000);
          ws.onopen = () => {
            ws.send(JSON.stringify({ type: 'resize', cols: 123, rows: 45 }));
            ws.send(new TextEncoder().encode('stty size\r'));
          };
          ws.onmessage = (e) => {
            text += typeof e.data === 'string' ? e.data : new TextDecoder().decode(e.data as ArrayBuffer);
            if (/\n45 123\r?\n/.test(text)) {
              clearTimeout(stop);
              ws.close();
              resolve(text);
            }
          };
          ws.onclose = () => resolve(text);
        }),
      url,
    );
    assert.match(seen, /\n45 123\r?\n/, seen);
  });

  it('ends an idle session', async () => {
    const s = await startTestServer({ login: { windowsPasswordDelayMs: 0, instanceConnectKeyLifetimeMs: 60_000, terminalIdleMs: 1500 } });
    try {
      const c = s.client();
      await c.send(new CreateKeyPairCommand({ KeyName: 'idle' }));
      const id = await launch(c, 'idle');
      const port = Number(new URL(s.url).port);
      const r = await rawUpgrade(port, presigned(id, 'EC2LITECONSOLE'), `http://127.0.0.1:${port}`);
      assert.equal(r.status, 101);
      assert.match(r.text, /Session ended: no input/);
    } finally {
      await s.close();
    }
  });
});

/** The SDK's own signer (not ours), presigning the terminal's GET as the console does. */
class Sha256 {
  private readonly h;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    const bytes = (d: string | ArrayBuffer | ArrayBufferView) => (typeof d === 'string' ? d : ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(d));
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
    this.bytes = bytes;
  }
  private readonly bytes: (d: string | ArrayBuffer | ArrayBufferView) => string | Uint8Array;
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(this.bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  reset(): void {}
}

async function sdkPresigned(port: number, instanceId: string, creds: { accessKeyId: string; secretAccessKey: string }): Promise<string> {
  const signer = new SignatureV4({ credentials: creds, region: 'us-east-1', service: 'ec2-instance-connect', sha256: Sha256 });
  const signed = await signer.presign(
    { method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port, path: '/_ec2lite/terminal', query: { InstanceId: instanceId, User: 'ec2-user' }, headers: { host: `127.0.0.1:${port}` } },
    { expiresIn: 60 },
  );
  return new URLSearchParams(signed.query as Record<string, string>).toString();
}

describe('console terminal: strict mode', () => {
  it('opens only with a valid signature of the instance owner', async () => {
    const dir2 = tempDir('ec2lite-term-strict-');
    const KEY = { accessKeyId: 'AKIATERMSTRICT000001', secretAccessKey: 'term/strict+secret0000000000000000000000', accountId: '123456789012' };
    const credentialsFile = join(dir2.path, 'credentials.json');
    writeCredentials(credentialsFile, [KEY]);
    const s = await startTestServer({ auth: 'strict', credentialsFile });
    try {
      const c = s.client({ accessKeyId: KEY.accessKeyId });
      (c.config as { credentials: unknown }).credentials = async () => KEY;
      await c.send(new CreateKeyPairCommand({ KeyName: 'strict' }));
      const id = await launch(c, 'strict');
      const port = Number(new URL(s.url).port);
      const origin = `http://127.0.0.1:${port}`;
      const good = await rawUpgrade(port, await sdkPresigned(port, id, KEY), origin, /\$ /);
      assert.equal(good.status, 101);
      assert.match(good.text, /ec2-user@/);
      const bad = await rawUpgrade(port, await sdkPresigned(port, id, { ...KEY, secretAccessKey: 'wrong' }), origin);
      assert.equal(bad.status, 403);
      assert.match(bad.text, /SignatureDoesNotMatch/);
      const unsigned = await rawUpgrade(port, `InstanceId=${id}&User=ec2-user`, origin);
      assert.equal(unsigned.status, 403);

      // the console signed in with the key: its own presigned WebSocket is accepted
      const p = await browser.context.newPage();
      await p.goto(s.url);
      await p.getByLabel('Access key ID').fill(KEY.accessKeyId);
      await p.getByLabel('Secret access key').fill(KEY.secretAccessKey);
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.goto(`${s.url}/#/Instances/${id}/connect`);
      const eic = p.getByRole('region', { name: 'EC2 Instance Connect' });
      await until('the prefilled user', async () => (await eic.getByLabel('Username').inputValue()) === 'ec2-user');
      const [term] = await Promise.all([browser.context.waitForEvent('page'), eic.getByRole('button', { name: 'Connect' }).click()]);
      await term.getByRole('status').getByText('Connected').waitFor({ timeout: 30_000 });
      await term.locator('.xterm').click();
      assert.equal(await runLine(term, 'whoami', (r) => r === 'ec2-user'), 'ec2-user');
      await term.close();
      await p.close();
    } finally {
      await s.close();
      dir2.cleanup();
    }
  });
});
