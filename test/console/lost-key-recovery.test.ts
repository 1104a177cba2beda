// The seed's "Connecting to Your Linux Instance if You Lose Your Private Key" in the web console,
// through the UI only: the details pane (instance ID, AMI ID, zone, root device, its volume),
// Instance state → Stop, a Temporary instance launched in the same zone with a new key pair,
// Volumes → Actions → Detach volume (Yes, Detach) / Attach volume, the Connect page's ssh line to
// mount the volume and copy authorized_keys, then back, Start, and the new key logs in.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import { until, type Browser } from '../helpers/browser.js';
import { closeConsole, launchInWizard, navTo, openConsole, sshClientLines, tableRow } from '../helpers/console.js';
import { requireTools, runAsync, tempDir, type ProcessResult } from '../helpers/tools.js';
import { allowSsh } from '../helpers/network.js';

requireTools(['/usr/bin/ssh'], 'the console lost-key recovery test');

const dir = tempDir('ec2lite-console-recovery-');
let server: TestServer;
let browser: Browser;
let page: Page;
let lastSshLine = '';

before(async () => {
  ({ server, browser, page } = await openConsole({ instanceDelays: { start: 100, stop: 100, terminate: 100 }, storageDelayMs: 100 }));
});
after(async () => {
  await closeConsole({ browser, server });
  dir.cleanup();
});

const nav = (name: string) => navTo(page, name);
const instanceRow = (id: string) => tableRow(page, 'Instances', id);
const volumeRow = (id: string) => tableRow(page, 'Volumes', id);

async function selectOnly(id: string): Promise<void> {
  await nav('Instances');
  await instanceRow(id).waitFor();
  for (const box of await page.getByRole('table', { name: 'Instances' }).getByRole('checkbox').all()) await box.uncheck();
  await page.getByRole('checkbox', { name: `Select ${id}` }).check();
}

/** Launch instances with the wizard; a new key pair is made there when `newKey` is given. */
async function launch(opts: { name: string; zone?: string; keyName?: string; newKey?: string }): Promise<string> {
  const id = await launchInWizard(page, {
    name: opts.name,
    ami: 'Amazon Linux 2023',
    more: async () => {
      if (opts.newKey) {
        await page.getByRole('button', { name: 'Create new key pair' }).click();
        const dialog = page.getByRole('dialog', { name: 'Create key pair' });
        await dialog.getByLabel('Name', { exact: true }).fill(opts.newKey);
        const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Create key pair' }).click()]);
        await download.saveAs(dir.file(download.suggestedFilename()));
        await until('the new key selected', async () => (await page.getByLabel('Key pair name').inputValue()) === opts.newKey);
      } else if (opts.keyName) {
        await until('the key list', async () => (await page.getByLabel('Key pair name').locator('option').count()) > 1);
        await page.getByLabel('Key pair name').selectOption(opts.keyName);
      }
      if (opts.zone) await page.getByLabel('Availability Zone').selectOption(opts.zone);
    },
  });
  await instanceRow(id).getByText('running', { exact: true }).waitFor({ timeout: 30_000 });
  return id;
}

/** Connect → the ssh line shown, run with `command` (known_hosts kept apart, no prompts). */
async function connect(id: string, command: string, keyFile?: string): Promise<ProcessResult> {
  await selectOnly(id);
  await page.getByRole('button', { name: 'Connect' }).click();
  const { chmod, ssh } = await sshClientLines(page);
  lastSshLine = ssh;
  const chmodRun = await runAsync('sh', ['-c', keyFile ? `chmod 400 "${keyFile}"` : chmod], { cwd: dir.path });
  assert.equal(chmodRun.code, 0, chmodRun.stderr);
  const m = /^ssh -i "([^"]+)"(?: -p (\d+))? (\S+)$/.exec(ssh)!;
  const extra = ['-o', `UserKnownHostsFile=${dir.file('known_hosts')}`, '-o', 'StrictHostKeyChecking=no', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'LogLevel=ERROR'];
  await allowSsh(server.client(), id);
  return runAsync('/usr/bin/ssh', [...extra, '-i', keyFile ?? m[1]!, ...(m[2] ? ['-p', m[2]] : []), m[3]!, command], { cwd: dir.path });
}

async function connectOk(id: string, command: string): Promise<string> {
  const r = await connect(id, command);
  assert.equal(r.code, 0, `${command}: ${r.stderr}`);
  return r.stdout;
}

async function connectOk2(id: string, command: string, keyFile: string): Promise<string> {
  const r = await connect(id, command, keyFile);
  assert.equal(r.code, 0, `${command}: ${r.stderr}`);
  return r.stdout;
}

async function instanceState(id: string, item: string, state: string): Promise<void> {
  await selectOnly(id);
  await page.getByRole('button', { name: 'Instance state' }).click();
  await page.getByRole('menuitem', { name: item }).click();
  await instanceRow(id).getByText(state, { exact: true }).waitFor({ timeout: 30_000 });
}

async function volumeAction(volumeId: string, item: string): Promise<void> {
  await nav('Volumes');
  await page.getByRole('radio', { name: `Select ${volumeId}` }).check();
  await page.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

describe('console: lost private key recovery (EBS-backed), as the seed does it', () => {
  it('stop → Temporary instance → move the root volume → new authorized_keys → move it back → Start → the new key logs in', async () => {
    const original = await launch({ name: 'original', zone: 'us-east-1b', newKey: 'lost-key' });
    assert.equal(await connectOk(original, 'echo precious > ~/data.txt && whoami'), 'ec2-user\n');
    await rm(dir.file('lost-key.pem'), { force: true }); // the private key is lost

    // From the details pane: instance ID, AMI ID, Availability Zone, root device and its volume.
    await selectOnly(original);
    const details = page.getByRole('region', { name: `Details of ${original}` });
    const field = async (label: string) => (await details.locator('div.field').filter({ has: page.getByText(label, { exact: true }) }).locator('dd').textContent())!.trim();
    assert.equal(await field('Root device type'), 'ebs');
    const zone = await field('Availability Zone');
    const rootDevice = await field('Root device name');
    assert.equal(rootDevice, '/dev/xvda');
    const rootVolume = (await details.getByRole('table', { name: 'Block devices' }).getByRole('row').filter({ hasText: rootDevice }).getByRole('link').textContent())!.trim();
    assert.match(rootVolume, /^vol-[0-9a-f]+$/);

    await instanceState(original, 'Stop instance', 'stopped');
    // A Temporary instance in the same zone, with a new key pair made in the wizard.
    const temporary = await launch({ name: 'Temporary', zone, newKey: 'new-key' });

    // Volumes → the original root: Detach volume → Yes, Detach; wait for available (no Refresh needed).
    await volumeAction(rootVolume, 'Detach volume');
    await page.getByRole('dialog', { name: 'Detach volume' }).getByRole('button', { name: 'Yes, Detach' }).click();
    await volumeRow(rootVolume).getByText('available', { exact: true }).waitFor({ timeout: 30_000 });

    // Attach volume → the temporary instance as /dev/sdf.
    await volumeAction(rootVolume, 'Attach volume');
    const attach = page.getByRole('dialog', { name: 'Attach volume' });
    await until('instances in the zone', async () => (await attach.getByLabel('Instance').locator('option').count()) > 0);
    await attach.getByLabel('Instance').selectOption(temporary);
    await attach.getByLabel('Device name').fill('/dev/sdf');
    await attach.getByRole('button', { name: 'Attach' }).click();
    await volumeRow(rootVolume).getByText('in-use', { exact: true }).waitFor({ timeout: 30_000 });

    // On the temporary instance: mount the partition, copy authorized_keys, unmount.
    assert.match(await connectOk(temporary, 'lsblk'), /^└─xvdf1 /m);
    await connectOk(
      temporary,
      'sudo mkdir /mnt/tempvol && sudo mount -o nouuid /dev/xvdf1 /mnt/tempvol && cp .ssh/authorized_keys /mnt/tempvol/home/ec2-user/.ssh/authorized_keys && sudo umount /mnt/tempvol',
    );

    // Back: Detach volume, Attach volume to the original as /dev/xvda, Start instance.
    await volumeAction(rootVolume, 'Detach volume');
    await page.getByRole('dialog', { name: 'Detach volume' }).getByRole('button', { name: 'Yes, Detach' }).click();
    await volumeRow(rootVolume).getByText('available', { exact: true }).waitFor({ timeout: 30_000 });
    await volumeAction(rootVolume, 'Attach volume');
    const back = page.getByRole('dialog', { name: 'Attach volume' });
    await until('instances in the zone', async () => (await back.getByLabel('Instance').locator('option').count()) > 1);
    await back.getByLabel('Instance').selectOption(original);
    await back.getByLabel('Device name').fill(rootDevice);
    await back.getByRole('button', { name: 'Attach' }).click();
    await volumeRow(rootVolume).getByText('in-use', { exact: true }).waitFor({ timeout: 30_000 });

    await instanceState(original, 'Start instance', 'running');
    // Connect still names lost-key.pem (the key pair it was launched with, as on AWS); the seed
    // says to connect "using the private key file for your new key pair".
    assert.equal(await connectOk2(original, 'whoami; cat ~/data.txt', 'new-key.pem'), 'ec2-user\nprecious\n');
    assert.match(lastSshLine, /^ssh -i "lost-key\.pem" /);
  });
});
