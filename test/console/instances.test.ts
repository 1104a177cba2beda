// The seed's instance procedures in the web console, through the UI only, in Debian's Chromium:
// create a key pair (download), Launch instances with it, read the details pane, Connect's SSH
// client instructions followed literally with the real OpenSSH client, Instance state → Stop /
// Start (the page refreshes by itself while pending) and Terminate with its confirmation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import type { Page } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import { until, type Browser } from '../helpers/browser.js';
import { closeConsole, launchInWizard, navTo, openConsole, sshClientLines, tableRow } from '../helpers/console.js';
import { requireTools, runAsync, tempDir } from '../helpers/tools.js';
import { allowSsh } from '../helpers/network.js';

requireTools(['/usr/bin/ssh'], 'the console SSH test');

const dir = tempDir('ec2lite-console-');
let server: TestServer;
let browser: Browser;
let page: Page;
let instanceId = '';

before(async () => {
  ({ server, browser, page } = await openConsole({ instanceDelays: { start: 300, stop: 300, terminate: 300 } }));
});
after(async () => {
  await closeConsole({ browser, server });
  dir.cleanup();
});

const nav = (name: string) => navTo(page, name);
const instanceRow = () => tableRow(page, 'Instances', instanceId);

async function waitForState(state: string): Promise<void> {
  // No Refresh clicks: the page polls by itself while the instance is pending/stopping.
  await instanceRow().getByText(state, { exact: true }).waitFor({ timeout: 30_000 });
}

/** Follows Connect → SSH client: the chmod and ssh commands as shown, run in the download folder. */
async function connectAndRun(command: string): Promise<{ chmod: string; ssh: string; out: string }> {
  await nav('Instances');
  await page.getByRole('checkbox', { name: `Select ${instanceId}` }).check();
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.getByRole('heading', { name: 'Connect to instance' }).waitFor();
  const { chmod, ssh } = await sshClientLines(page);
  assert.equal(chmod, 'chmod 400 "console-ssh.pem"');
  const m = /^ssh -i "console-ssh\.pem"(?: -p (\d+))? ec2-user@(127\.\d+\.\d+\.\d+)$/.exec(ssh);
  assert.ok(m, `unexpected ssh line: ${ssh}`);
  const chmodRun = await runAsync('sh', ['-c', chmod], { cwd: dir.path });
  assert.equal(chmodRun.code, 0, chmodRun.stderr);
  // The shown command as is, plus options that keep the test non-interactive.
  const extra = ['-o', `UserKnownHostsFile=${dir.file('known_hosts')}`, '-o', 'StrictHostKeyChecking=no', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'LogLevel=ERROR'];
  const args = [...extra, '-i', 'console-ssh.pem', ...(m[1] ? ['-p', m[1]] : []), `ec2-user@${m[2]}`, command];
  await allowSsh(server.client(), instanceId);
  const r = await runAsync('/usr/bin/ssh', args, { cwd: dir.path });
  assert.equal(r.code, 0, r.stderr);
  return { chmod: chmod, ssh: ssh, out: r.stdout };
}

describe('console: Instances', () => {
  it('creates a key pair from the launch wizard ("Create new key pair") and launches an instance with it', async () => {
    instanceId = await launchInWizard(page, {
      name: 'web-1',
      ami: 'Amazon Linux 2023',
      more: async () => {
        await page.getByLabel('Instance type').selectOption('t3.micro');

        await page.getByRole('button', { name: 'Create new key pair' }).click();
        const dialog = page.getByRole('dialog', { name: 'Create key pair' });
        await dialog.getByLabel('Name', { exact: true }).fill('console-ssh');
        const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Create key pair' }).click()]);
        assert.equal(download.suggestedFilename(), 'console-ssh.pem');
        await download.saveAs(dir.file('console-ssh.pem'));
        await until('the new key selected', async () => (await page.getByLabel('Key pair name').inputValue()) === 'console-ssh');

        await page.getByLabel('Availability Zone').selectOption('us-east-1b');
        await page.getByText('Advanced details').click();
        await page.getByLabel('Metadata version').selectOption({ label: 'V1 and V2 (token optional)' });
      },
    });
    await waitForState('running');

    const described = await server.client().send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    const i = described.Reservations![0]!.Instances![0]!;
    assert.equal(i.KeyName, 'console-ssh');
    assert.equal(i.InstanceType, 't3.micro');
    assert.equal(i.Placement?.AvailabilityZone, 'us-east-1b');
    assert.equal(i.MetadataOptions?.HttpTokens, 'optional');
    assert.deepEqual(i.Tags, [{ Key: 'Name', Value: 'web-1' }]);
  });

  it('shows the details pane: AMI ID, Availability Zone, key pair name, root device name and type, block devices linking to volumes', async () => {
    await page.getByRole('checkbox', { name: `Select ${instanceId}` }).check();
    const details = page.getByRole('region', { name: `Details of ${instanceId}` });
    await details.waitFor();
    const described = (await server.client().send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations![0]!.Instances![0]!;
    const field = async (label: string) => (await details.locator('div.field').filter({ has: page.getByText(label, { exact: true }) }).locator('dd').textContent())?.trim();
    assert.equal(await field('AMI ID'), described.ImageId);
    assert.equal(await field('Availability Zone'), 'us-east-1b');
    assert.equal(await field('Key pair name'), 'console-ssh');
    assert.equal(await field('Root device name'), '/dev/xvda');
    assert.equal(await field('Root device type'), 'ebs');
    const volumeId = described.BlockDeviceMappings![0]!.Ebs!.VolumeId!;
    const link = details.getByRole('link', { name: volumeId });
    assert.equal(await link.getAttribute('href'), `#/Volumes/${volumeId}`);
    assert.equal((await instanceRow().getByRole('cell').nth(1).textContent())?.trim(), 'web-1');

    await page.evaluate(() => window.scrollTo(0, 0));
    const png = await page.screenshot();
    writeFileSync(new URL('../../../docs/console-instances.png', import.meta.url), png);

    // The volume link opens the Volumes page on that volume.
    await link.click();
    await page.getByRole('table', { name: 'Volumes' }).getByRole('row').filter({ hasText: volumeId }).getByText('in-use').waitFor();
  });

  it('Connect shows chmod 400 "NAME.pem" and ssh -i "NAME.pem" USER@ADDRESS, and they log in with OpenSSH', async () => {
    const { out } = await connectAndRun('whoami; cat ~/.ssh/authorized_keys');
    assert.match(out, /^ec2-user\nssh-rsa AAAA/);
  });

  it('Instance state → Stop instance, then Start instance: the page follows the states by itself; the login works again', async () => {
    await nav('Instances');
    await page.getByRole('checkbox', { name: `Select ${instanceId}` }).check();
    await page.getByRole('button', { name: 'Instance state' }).click();
    await page.getByRole('menuitem', { name: 'Stop instance' }).click();
    await waitForState('stopped');
    // A stopped instance cannot be connected to; Start instance is now enabled.
    assert.equal(await page.getByRole('button', { name: 'Connect' }).isDisabled(), true);
    await page.getByRole('button', { name: 'Instance state' }).click();
    await page.getByRole('menuitem', { name: 'Start instance' }).click();
    await waitForState('running');
    const { out } = await connectAndRun('echo back');
    assert.equal(out, 'back\n');
  });

  it('Instance state → Terminate instance asks for confirmation, then the instance ends terminated', async () => {
    await nav('Instances');
    await page.getByRole('checkbox', { name: `Select ${instanceId}` }).check();
    await page.getByRole('button', { name: 'Instance state' }).click();
    await page.getByRole('menuitem', { name: 'Terminate instance' }).click();
    const dialog = page.getByRole('dialog', { name: 'Terminate instance?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await dialog.count(), 0);
    const before = (await server.client().send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations![0]!.Instances![0]!;
    assert.equal(before.State?.Name, 'running');
    await page.getByRole('button', { name: 'Instance state' }).click();
    await page.getByRole('menuitem', { name: 'Terminate instance' }).click();
    await page.getByRole('dialog', { name: 'Terminate instance?' }).getByRole('button', { name: 'Terminate' }).click();
    await waitForState('terminated');
  });

  it('shows the API error with its code when a launch is refused (unknown key pair)', async () => {
    await nav('Instances');
    await page.getByRole('button', { name: 'Launch instances' }).click();
    await page.getByLabel('Availability Zone').selectOption('us-east-1a');
    // A key deleted elsewhere after the page listed it: AWS answers InvalidKeyPair.NotFound.
    await until('the key list', async () => (await page.getByLabel('Key pair name').locator('option').count()) > 1);
    await server.raw({ Action: 'DeleteKeyPair', Version: '2016-11-15', KeyName: 'console-ssh' });
    await page.getByLabel('Key pair name').selectOption('console-ssh');
    await page.getByRole('button', { name: 'Launch instance' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match((await alert.textContent())!, /^InvalidKeyPair\.NotFound: The key pair 'console-ssh' does not exist/);
  });

  it('disables Stop instance for an instance store-backed instance, whose details say Root device type instance-store', async () => {
    instanceId = await launchInWizard(page, { name: 'store-1', ami: 'instance-store' });
    await waitForState('running');
    await page.getByRole('checkbox', { name: `Select ${instanceId}` }).check();
    const details = page.getByRole('region', { name: `Details of ${instanceId}` });
    assert.equal((await details.locator('div.field').filter({ has: page.getByText('Root device type', { exact: true }) }).locator('dd').textContent())?.trim(), 'instance-store');
    await page.getByRole('button', { name: 'Instance state' }).click();
    assert.equal(await page.getByRole('menuitem', { name: 'Stop instance' }).isDisabled(), true);
    assert.equal(await page.getByRole('menuitem', { name: 'Reboot instance' }).isDisabled(), false);
    await page.keyboard.press('Escape');
  });
});
