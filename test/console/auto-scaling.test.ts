// Launch Templates and Auto Scaling Groups in the web console: a group made through the API shows
// on its page with its instances (details) and its Activity history; the template on Launch
// Templates. The pages only read (Describe*), through the public Auto Scaling Query API.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateLaunchTemplateCommand } from '@aws-sdk/client-ec2';
import { CreateAutoScalingGroupCommand, DescribeScalingActivitiesCommand } from '@aws-sdk/client-auto-scaling';
import type { Page } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import { until, type Browser } from '../helpers/browser.js';
import { navTo, openConsole } from '../helpers/console.js';
import { autoScalingClient, destroyAutoScalingClients, FAST_AUTOSCALING } from '../helpers/autoscaling.js';
import { images } from '../helpers/instances.js';

let server: TestServer;
let browser: Browser;
let page: Page;

before(async () => {
  ({ server, browser, page } = await openConsole({ autoScaling: FAST_AUTOSCALING, instanceDelays: { start: 100, stop: 100, terminate: 100 } }, { goto: false }));
});
after(async () => {
  await browser?.close();
  destroyAutoScalingClients();
  await server?.close();
});

const nav = (name: string) => navTo(page, name);

describe('console: Launch Templates and Auto Scaling Groups', () => {
  it('lists the launch template and the group; the details show its instances and Activity its launches', async () => {
    const ec2 = server.client();
    const img = await images(ec2);
    await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'web-template', LaunchTemplateData: { ImageId: img.al2023, InstanceType: 't3.micro' } }));
    const asg = autoScalingClient(server.url);
    await asg.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: 'web-asg',
        LaunchTemplate: { LaunchTemplateName: 'web-template', Version: '$Latest' },
        MinSize: 1,
        MaxSize: 3,
        DesiredCapacity: 2,
        AvailabilityZones: ['us-east-1a', 'us-east-1b'],
      }),
    );

    await page.goto(server.url);
    await nav('Launch Templates');
    await page.getByRole('table', { name: 'Launch Templates' }).getByRole('cell', { name: 'web-template', exact: true }).waitFor();

    await nav('Auto Scaling Groups');
    const row = page.getByRole('table', { name: 'Auto Scaling Groups' }).getByRole('row').filter({ hasText: 'web-asg' });
    await row.getByRole('cell', { name: 'web-template', exact: true }).waitFor();
    await page.getByRole('radio', { name: 'Select web-asg' }).check();
    const details = page.getByRole('region', { name: 'Details of web-asg' });
    // The page polls while the group is below its desired capacity: two InService instances appear.
    const members = details.getByRole('table', { name: 'Group instances' }).getByRole('row').filter({ hasText: 'InService' });
    await until('two InService members', async () => (await members.count()) === 2);

    await details.getByRole('tab', { name: 'Activity' }).click();
    const history = details.getByRole('table', { name: 'Activity history' });
    await history.getByText(/^Launching a new EC2 instance: i-/).first().waitFor();
    const activities = (await asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'web-asg' }))).Activities!;
    await until('every activity listed', async () => (await history.locator('tbody tr').count()) === activities.length);
    for (const a of activities) await history.getByText(a.Description!, { exact: true }).waitFor();
    assert.ok(activities.length >= 2);
  });
});
