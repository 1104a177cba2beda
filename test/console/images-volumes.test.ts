// Volumes, Snapshots and AMIs in the web console, through the UI only: Volumes → Actions → Create
// snapshot (listed on Snapshots), Instances → Actions → Create image (listed on AMIs until
// available), AMIs → Actions → Copy AMI to another Region and Edit AMI permissions. The SDK only
// reads what the UI did.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeImageAttributeCommand, DescribeImagesCommand, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import type { Page } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import type { Browser } from '../helpers/browser.js';
import { closeConsole, launchInWizard, navTo, openConsole, tableRow } from '../helpers/console.js';

let server: TestServer;
let browser: Browser;
let page: Page;
let instanceId = '';
let imageId = '';

before(async () => {
  ({ server, browser, page } = await openConsole({ instanceDelays: { start: 100, stop: 100, terminate: 100 }, storageDelayMs: 100 }));
});
after(() => closeConsole({ browser, server }));

const nav = (name: string) => navTo(page, name);
const flashText = async (re: RegExp) => {
  const f = page.getByText(re);
  await f.waitFor();
  return (await f.textContent())!;
};

describe('console: volumes, snapshots and images', () => {
  it('Volumes → Actions → Create snapshot; the snapshot shows on the Snapshots page', async () => {
    instanceId = await launchInWizard(page, { name: 'image-source', ami: 'Amazon Linux 2023' });
    await tableRow(page, 'Instances', instanceId).getByText('running', { exact: true }).waitFor();

    const described = (await server.client().send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations![0]!.Instances![0]!;
    const volumeId = described.BlockDeviceMappings![0]!.Ebs!.VolumeId!;
    await nav('Volumes');
    await page.getByRole('radio', { name: `Select ${volumeId}` }).check();
    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: 'Create snapshot' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create snapshot' });
    await dialog.getByLabel('Description').fill('before the change');
    await dialog.getByRole('button', { name: 'Create snapshot' }).click();
    const snapshotId = /snap-[0-9a-f]+/.exec(await flashText(/^Successfully created snapshot snap-/))![0];
    await nav('Snapshots');
    const row = page.getByRole('table', { name: 'Snapshots' }).getByRole('row').filter({ hasText: snapshotId });
    await row.getByText(volumeId).waitFor();
    await row.getByText('before the change').waitFor();
  });

  it('Instances → Actions → Create image; AMIs lists it and follows it to available', async () => {
    await nav('Instances');
    await page.getByRole('checkbox', { name: `Select ${instanceId}` }).check();
    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: 'Create image' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create image' });
    await dialog.getByLabel('Image name').fill('my-golden-image');
    await dialog.getByLabel('Reboot instance').uncheck();
    await dialog.getByRole('button', { name: 'Create image' }).click();
    imageId = /ami-[0-9a-f]+/.exec(await flashText(/^Successfully created image ami-/))![0];
    await nav('AMIs');
    await page.getByLabel('Show').selectOption('self');
    const row = page.getByRole('table', { name: 'AMIs' }).getByRole('row').filter({ hasText: imageId });
    await row.getByText('my-golden-image').waitFor();
    await row.getByText('available', { exact: true }).waitFor({ timeout: 30_000 });
  });

  it('AMIs → Edit AMI permissions shares the image with an account', async () => {
    await page.getByRole('radio', { name: `Select ${imageId}` }).check();
    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: 'Edit AMI permissions' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit AMI permissions' });
    await dialog.getByLabel('AWS account ID').fill('111122223333');
    await dialog.getByRole('button', { name: 'Share AMI' }).click();
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText(`Saved the permissions of ${imageId}`).waitFor();
    const attr = await server.client().send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission' }));
    assert.deepEqual(attr.LaunchPermissions, [{ UserId: '111122223333' }]);
  });

  it('AMIs → Copy AMI to another Region: the copy is in that Region', async () => {
    await page.getByRole('radio', { name: `Select ${imageId}` }).check();
    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: 'Copy AMI' }).click();
    const dialog = page.getByRole('dialog', { name: 'Copy AMI' });
    await dialog.getByLabel('Destination Region').selectOption('eu-west-1');
    await dialog.getByRole('button', { name: 'Copy AMI' }).click();
    const copyId = /as (ami-[0-9a-f]+)/.exec(await flashText(/^Copying ami-/))![1]!;
    await page.getByRole('combobox', { name: 'Region' }).selectOption('eu-west-1');
    await page.getByLabel('Show').selectOption('self');
    await page.getByRole('table', { name: 'AMIs' }).getByRole('row').filter({ hasText: copyId }).getByText('my-golden-image').waitFor();
    const there = await server.client({ region: 'eu-west-1' }).send(new DescribeImagesCommand({ ImageIds: [copyId] }));
    assert.equal(there.Images![0]!.Name, 'my-golden-image');
  });
});
