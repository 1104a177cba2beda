// Networking in the web console (issue 20), through the UI only, in Debian's Chromium: Your VPCs →
// Create VPC, Subnets → Create subnet, Security Groups → Create security group and Edit inbound
// rules (add an SSH rule, a custom rule, delete it again), each checked with the SDK; then Launch
// instances into the new subnet with "Create security group" / "Allow SSH traffic from Anywhere":
// the launch-wizard-N group is AWS's (name, description, rule), OpenSSH logs in because of that
// rule (and is refused once the rule is deleted in the editor), and the instance's Networking and
// Security tabs show the subnet, interface and rule. Last, the Delete actions remove it all.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { DescribeInstancesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import type { Page } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import { until, type Browser } from '../helpers/browser.js';
import { closeConsole, launchInWizard, navTo, openConsole, sshClientLines, tableRow } from '../helpers/console.js';
import { requireTools, runAsync, tempDir } from '../helpers/tools.js';

requireTools(['/usr/bin/ssh'], 'the console networking test');

const dir = tempDir('ec2lite-console-net-');
let server: TestServer;
let browser: Browser;
let page: Page;
let vpcId = '';
let subnetId = '';
let groupId = '';
let instanceId = '';
let wizardGroupId = '';

before(async () => {
  ({ server, browser, page } = await openConsole({ instanceDelays: { start: 200, stop: 200, terminate: 200 } }));
});
after(async () => {
  await closeConsole({ browser, server });
  dir.cleanup();
});

const flashText = async (re: RegExp): Promise<string> => {
  const f = page.getByText(re);
  await f.waitFor();
  return (await f.textContent())!;
};

/** The text of the field `label` (a <dt>/<dd> pair) inside `scope`. */
const field = async (scope: ReturnType<Page['getByRole']>, label: string) =>
  (await scope.locator('div.field').filter({ has: page.getByText(label, { exact: true }) }).locator('dd').textContent())?.trim();

/** The Connect page's ssh line run with OpenSSH (no rule is opened from the test: the wizard's rule must do it). */
async function sshAs(command: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  await navTo(page, 'Instances');
  await page.getByRole('checkbox', { name: `Select ${instanceId}` }).check();
  await page.getByRole('button', { name: 'Connect' }).click();
  const { chmod, ssh } = await sshClientLines(page);
  assert.equal(chmod, 'chmod 400 "net-key.pem"');
  assert.equal((await runAsync('sh', ['-c', chmod], { cwd: dir.path })).code, 0);
  const m = /^ssh -i "net-key\.pem"(?: -p (\d+))? ec2-user@(127\.\d+\.\d+\.\d+)$/.exec(ssh);
  assert.ok(m, `unexpected ssh line: ${ssh}`);
  const opts = ['-o', `UserKnownHostsFile=${dir.file('known_hosts')}`, '-o', 'StrictHostKeyChecking=no', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=10'];
  return runAsync('/usr/bin/ssh', [...opts, '-i', 'net-key.pem', ...(m[1] ? ['-p', m[1]] : []), `ec2-user@${m[2]}`, command], { cwd: dir.path });
}

describe('console: VPCs, subnets, security groups and the launch wizard\'s network settings', () => {
  it('Your VPCs → Create VPC makes a VPC with its Name tag', async () => {
    await navTo(page, 'Your VPCs');
    await page.getByRole('button', { name: 'Create VPC' }).click();
    await page.getByLabel('Name tag - optional').fill('console-vpc');
    await page.getByLabel('IPv4 CIDR').fill('10.20.0.0/16');
    await page.getByRole('button', { name: 'Create VPC' }).click();
    vpcId = /vpc-[0-9a-f]+/.exec(await flashText(/^You successfully created vpc-/))![0];
    const vpc = (await server.client().send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0]!;
    assert.equal(vpc.CidrBlock, '10.20.0.0/16');
    assert.deepEqual(vpc.Tags, [{ Key: 'Name', Value: 'console-vpc' }]);
    await tableRow(page, 'VPCs', vpcId).getByText('console-vpc').waitFor();
    // the default VPC is listed too, marked as such
    const defaults = (await server.client().send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs!;
    assert.equal(await tableRow(page, 'VPCs', defaults[0]!.VpcId!).getByRole('cell').nth(7).textContent(), 'Yes');
  });

  it('Subnets → Create subnet makes a subnet in that VPC and zone; the list shows its free addresses', async () => {
    await navTo(page, 'Subnets');
    await page.getByRole('button', { name: 'Create subnet' }).click();
    const vpcSelect = page.getByLabel('VPC ID');
    await until('the VPC list', async () => (await vpcSelect.locator('option').count()) > 1);
    await vpcSelect.selectOption(vpcId);
    await page.getByLabel('Subnet name').fill('console-subnet');
    await page.getByLabel('Availability Zone').selectOption('us-east-1c');
    await page.getByLabel('IPv4 subnet CIDR block').fill('10.20.1.0/24');
    await page.getByRole('button', { name: 'Create subnet' }).click();
    subnetId = /subnet-[0-9a-f]+/.exec(await flashText(/^You have successfully created 1 subnet: subnet-/))![0];
    const s = (await server.client().send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] }))).Subnets![0]!;
    assert.equal(s.VpcId, vpcId);
    assert.equal(s.CidrBlock, '10.20.1.0/24');
    assert.equal(s.AvailabilityZone, 'us-east-1c');
    assert.deepEqual(s.Tags, [{ Key: 'Name', Value: 'console-subnet' }]);
    const row = tableRow(page, 'Subnets', subnetId);
    await row.waitFor();
    assert.equal((await row.getByRole('cell').nth(6).textContent())?.trim(), '251'); // a /24 less AWS's 5 reserved
  });

  it('Security Groups → Create security group, then Edit inbound rules adds SSH from Anywhere-IPv4 (seen by the SDK)', async () => {
    await navTo(page, 'Security Groups');
    await page.getByRole('button', { name: 'Create security group' }).click();
    await page.getByLabel('Security group name').fill('console-web');
    await page.getByLabel('Description', { exact: true }).fill('web servers');
    const vpcSelect = page.getByLabel('VPC');
    await until('the VPC list', async () => (await vpcSelect.locator('option').count()) > 1);
    await vpcSelect.selectOption(vpcId);
    await page.getByRole('button', { name: 'Create security group' }).click();
    groupId = /sg-[0-9a-f]+/.exec(await flashText(/^Security group \(sg-[0-9a-f]+ \| console-web\) was created successfully/))![0];
    let g = (await server.client().send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups![0]!;
    assert.equal(g.VpcId, vpcId);
    assert.equal(g.Description, 'web servers');
    assert.deepEqual(g.IpPermissions, []);
    // the outbound rule every new group has (kept as it was: All traffic to 0.0.0.0/0)
    assert.deepEqual(g.IpPermissionsEgress?.map((p) => [p.IpProtocol, p.IpRanges?.map((r) => r.CidrIp)]), [['-1', ['0.0.0.0/0']]]);

    await page.getByRole('button', { name: 'Edit inbound rules' }).click();
    await page.getByRole('heading', { name: 'Edit inbound rules' }).waitFor();
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByLabel('Rule 1 type').selectOption('SSH');
    assert.equal(await page.getByLabel('Rule 1 port range').inputValue(), '22');
    await page.getByLabel('Rule 1 source type').selectOption('Anywhere-IPv4');
    assert.equal(await page.getByLabel('Rule 1 source', { exact: true }).inputValue(), '0.0.0.0/0');
    await page.getByLabel('Rule 1 description').fill('SSH from anywhere');
    await page.evaluate(() => window.scrollTo(0, 0));
    writeFileSync(new URL('../../../docs/console-security-groups.png', import.meta.url), await page.screenshot());
    await page.getByRole('button', { name: 'Save rules' }).click();
    await flashText(/^Inbound security group rules successfully modified/);
    const inbound = page.getByRole('table', { name: 'Inbound rules' });
    await inbound.getByRole('row').filter({ hasText: 'SSH from anywhere' }).waitFor();
    assert.match((await inbound.getByRole('row').nth(1).textContent())!, /SSHTCP220\.0\.0\.0\/0SSH from anywhere/);
    g = (await server.client().send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups![0]!;
    assert.deepEqual(g.IpPermissions, [
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'SSH from anywhere' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] },
    ]);
  });

  it('Edit inbound rules: a Custom TCP range from the group itself is added, changed, then deleted (Authorize, Modify, Revoke)', async () => {
    const permissions = async () => (await server.client().send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups![0]!.IpPermissions!;
    await page.getByRole('button', { name: 'Edit inbound rules' }).click();
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByLabel('Rule 2 port range').fill('8000 - 8080');
    await page.getByLabel('Rule 2 source', { exact: true }).fill(groupId);
    await page.getByRole('button', { name: 'Save rules' }).click();
    await flashText(/^Inbound security group rules successfully modified/);
    let custom = (await permissions()).find((p) => p.FromPort === 8000)!;
    assert.equal(custom.ToPort, 8080);
    assert.equal(custom.UserIdGroupPairs?.[0]?.GroupId, groupId);

    await page.getByRole('button', { name: 'Edit inbound rules' }).click();
    await until('the rules loaded', async () => (await page.getByLabel('Rule 2 port range').count()) === 1);
    await page.getByLabel('Rule 2 port range').fill('9000');
    await page.getByRole('button', { name: 'Save rules' }).click();
    await flashText(/^Inbound security group rules successfully modified/);
    custom = (await permissions()).find((p) => p.UserIdGroupPairs?.length)!;
    assert.deepEqual([custom.FromPort, custom.ToPort], [9000, 9000]);

    await page.getByRole('button', { name: 'Edit inbound rules' }).click();
    await until('the rules loaded', async () => (await page.getByLabel('Rule 2 port range').count()) === 1);
    await page.getByRole('button', { name: 'Delete rule 2' }).click();
    await page.getByRole('button', { name: 'Save rules' }).click();
    await flashText(/^Inbound security group rules successfully modified/);
    assert.deepEqual((await permissions()).map((p) => p.FromPort), [22]);
  });

  it('Edit outbound rules: All traffic replaced by HTTPS to Anywhere-IPv4 (Destination)', async () => {
    await page.getByRole('tab', { name: 'Outbound rules' }).click();
    await page.getByRole('button', { name: 'Edit outbound rules' }).click();
    await page.getByRole('heading', { name: 'Edit outbound rules' }).waitFor();
    await until('the rules loaded', async () => (await page.getByLabel('Rule 1 type').count()) === 1);
    assert.equal(await page.getByLabel('Rule 1 type').inputValue(), 'All traffic');
    await page.getByRole('button', { name: 'Delete rule 1' }).click();
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByLabel('Rule 1 type').selectOption('HTTPS');
    await page.getByLabel('Rule 1 destination type').selectOption('Anywhere-IPv4');
    await page.getByRole('button', { name: 'Save rules' }).click();
    await flashText(/^Outbound security group rules successfully modified/);
    const g = (await server.client().send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups![0]!;
    assert.deepEqual(
      g.IpPermissionsEgress?.map((p) => [p.IpProtocol, p.FromPort, p.ToPort, p.IpRanges?.map((r) => r.CidrIp)]),
      [['tcp', 443, 443, ['0.0.0.0/0']]],
    );
  });

  it('Launch instances into the subnet with "Create security group" / "Allow SSH traffic from Anywhere": launch-wizard-1 as AWS makes it', async () => {
    instanceId = await launchInWizard(page, {
      name: 'net-1',
      ami: 'Amazon Linux 2023',
      more: async () => {
        await page.getByRole('button', { name: 'Create new key pair' }).click();
        const dialog = page.getByRole('dialog', { name: 'Create key pair' });
        await dialog.getByLabel('Name', { exact: true }).fill('net-key');
        const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Create key pair' }).click()]);
        await download.saveAs(dir.file('net-key.pem'));
        await until('the new key selected', async () => (await page.getByLabel('Key pair name').inputValue()) === 'net-key');
        const vpc = page.getByLabel('VPC - required');
        await until('the VPC list', async () => (await vpc.locator('option').count()) > 1);
        await vpc.selectOption(vpcId);
        await until('the VPC\'s subnet chosen', async () => (await page.getByLabel('Subnet').inputValue()) === subnetId);
        // the subnet does not map public addresses by default; the wizard says so and we enable it
        assert.equal(await page.getByLabel('Auto-assign public IP').inputValue(), 'Disable');
        await page.getByLabel('Auto-assign public IP').selectOption('Enable');
        assert.equal(await page.getByRole('radio', { name: 'Create security group' }).isChecked(), true);
        assert.equal(await page.getByRole('checkbox', { name: 'Allow SSH traffic from Anywhere (0.0.0.0/0)' }).isChecked(), true);
      },
    });
    const i = (await server.client().send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations![0]!.Instances![0]!;
    assert.equal(i.SubnetId, subnetId);
    assert.equal(i.VpcId, vpcId);
    assert.equal(i.Placement?.AvailabilityZone, 'us-east-1c');
    assert.ok(i.PublicIpAddress, 'a public address (Auto-assign public IP: Enable)');
    assert.deepEqual(i.SecurityGroups?.map((g) => g.GroupName), ['launch-wizard-1']);
    wizardGroupId = i.SecurityGroups![0]!.GroupId!;
    const g = (await server.client().send(new DescribeSecurityGroupsCommand({ GroupIds: [wizardGroupId] }))).SecurityGroups![0]!;
    assert.match(g.Description!, /^launch-wizard-1 created \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(g.VpcId, vpcId);
    assert.deepEqual(
      g.IpPermissions?.map((p) => [p.IpProtocol, p.FromPort, p.ToPort, p.IpRanges?.map((r) => r.CidrIp)]),
      [['tcp', 22, 22, ['0.0.0.0/0']]],
    );
    await tableRow(page, 'Instances', instanceId).getByText('running', { exact: true }).waitFor({ timeout: 30_000 });
  });

  it('Subnets → Edit subnet settings enables auto-assign; the wizard then defaults to Enable, and "Select existing security group" launches with the chosen group', async () => {
    await navTo(page, 'Subnets');
    await page.getByRole('radio', { name: `Select ${subnetId}` }).check();
    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: 'Edit subnet settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit subnet settings' });
    await dialog.getByRole('checkbox', { name: 'Enable auto-assign public IPv4 address' }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await flashText(/^You have successfully changed subnet settings/);
    const s = (await server.client().send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] }))).Subnets![0]!;
    assert.equal(s.MapPublicIpOnLaunch, true);

    const second = await launchInWizard(page, {
      name: 'net-2',
      ami: 'Amazon Linux 2023',
      more: async () => {
        const vpc = page.getByLabel('VPC - required');
        await until('the VPC list', async () => (await vpc.locator('option').count()) > 1);
        await vpc.selectOption(vpcId);
        assert.equal(await page.getByLabel('Auto-assign public IP').inputValue(), 'Enable');
        await page.getByRole('radio', { name: 'Select existing security group' }).check();
        await page.getByLabel('Common security groups').selectOption(groupId);
      },
    });
    const i = (await server.client().send(new DescribeInstancesCommand({ InstanceIds: [second] }))).Reservations![0]!.Instances![0]!;
    assert.equal(i.SubnetId, subnetId);
    assert.deepEqual(i.SecurityGroups, [{ GroupId: groupId, GroupName: 'console-web' }]);
    assert.ok(i.PublicIpAddress);
    await server.client().send(new TerminateInstancesCommand({ InstanceIds: [second] }));
  });

  it('OpenSSH logs in through the wizard\'s rule; deleting the rule in Edit inbound rules refuses the next connection', async () => {
    const ok = await sshAs('whoami');
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, 'ec2-user\n');

    await page.goto(`${server.url}#/SecurityGroups/${wizardGroupId}/inbound`);
    await until('the rules loaded', async () => (await page.getByLabel('Rule 1 port range').count()) === 1);
    await page.getByRole('button', { name: 'Delete rule 1' }).click();
    await page.getByRole('button', { name: 'Save rules' }).click();
    await flashText(/^Inbound security group rules successfully modified/);
    const refused = await sshAs('whoami');
    assert.notEqual(refused.code, 0);
    assert.equal(refused.stdout, '');

    // and back, with the SSH preset
    await page.goto(`${server.url}#/SecurityGroups/${wizardGroupId}/inbound`);
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByLabel('Rule 1 type').selectOption('SSH');
    await page.getByLabel('Rule 1 source type').selectOption('Anywhere-IPv4');
    await page.getByRole('button', { name: 'Save rules' }).click();
    await flashText(/^Inbound security group rules successfully modified/);
    const again = await sshAs('echo back');
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, 'back\n');
  });

  it('the instance\'s Networking tab shows VPC, subnet, addresses and the interface; the Security tab the group and its rules', async () => {
    const i = (await server.client().send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations![0]!.Instances![0]!;
    await navTo(page, 'Instances');
    await page.getByRole('checkbox', { name: `Select ${instanceId}` }).check();
    const details = page.getByRole('region', { name: `Details of ${instanceId}` });
    await details.getByRole('tab', { name: 'Networking' }).click();
    const net = details.getByRole('region', { name: 'Networking details' });
    await net.waitFor();
    assert.equal(await field(net, 'VPC ID'), vpcId);
    assert.equal(await field(net, 'Subnet ID'), subnetId);
    assert.equal(await field(net, 'Public IPv4 address'), i.PublicIpAddress);
    assert.equal(await field(net, 'Private IPv4 addresses'), i.PrivateIpAddress);
    assert.match(i.PrivateIpAddress!, /^10\.20\.1\.\d+$/);
    const eni = i.NetworkInterfaces![0]!;
    const eniRow = net.getByRole('table', { name: 'Network interfaces' }).getByRole('row').filter({ hasText: eni.NetworkInterfaceId! });
    assert.match((await eniRow.textContent())!, new RegExp(`${i.PrivateIpAddress!.replace(/\./g, '\\.')}.*${eni.MacAddress}.*${subnetId}.*launch-wizard-1`));

    await details.getByRole('tab', { name: 'Security' }).click();
    const sec = details.getByRole('region', { name: 'Security details' });
    await sec.getByRole('link', { name: wizardGroupId }).waitFor();
    const inbound = sec.getByRole('table', { name: 'Inbound rules' });
    await inbound.getByRole('row').filter({ hasText: '0.0.0.0/0' }).waitFor();
    assert.match((await inbound.getByRole('row').nth(1).textContent())!, /^sgr-[0-9a-f]+SSHTCP220\.0\.0\.0\/0/);
    const outbound = sec.getByRole('table', { name: 'Outbound rules' });
    assert.match((await outbound.getByRole('row').nth(1).textContent())!, /All trafficAllAll0\.0\.0\.0\/0/);
  });

  it('Delete: a group in use is refused with AWS\'s error; after termination the group, subnet and VPC are deleted', async () => {
    await navTo(page, 'Security Groups');
    await page.getByRole('radio', { name: `Select ${wizardGroupId}` }).check();
    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: 'Delete security groups' }).click();
    let dialog = page.getByRole('dialog', { name: 'Delete security groups' });
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('alert').waitFor();
    assert.match((await dialog.getByRole('alert').textContent())!, /^DependencyViolation: /);
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await server.client().send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    await until('terminated', async () => (await server.client().send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations![0]!.Instances![0]!.State?.Name === 'terminated');

    for (const id of [wizardGroupId, groupId]) {
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.getByRole('radio', { name: `Select ${id}` }).check();
      await page.getByRole('button', { name: 'Actions' }).click();
      await page.getByRole('menuitem', { name: 'Delete security groups' }).click();
      await page.getByRole('dialog', { name: 'Delete security groups' }).getByRole('button', { name: 'Delete' }).click();
      await flashText(new RegExp(`^Successfully deleted security group: ${id}`));
    }

    await navTo(page, 'Subnets');
    await page.getByRole('radio', { name: `Select ${subnetId}` }).check();
    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: 'Delete subnet' }).click();
    dialog = page.getByRole('dialog', { name: 'Delete subnet' });
    assert.equal(await dialog.getByRole('button', { name: 'Delete' }).isDisabled(), true);
    await dialog.getByPlaceholder('delete').fill('delete');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await flashText(new RegExp(`^You successfully deleted ${subnetId}`));

    await navTo(page, 'Your VPCs');
    await page.getByRole('radio', { name: `Select ${vpcId}` }).check();
    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: 'Delete VPC' }).click();
    dialog = page.getByRole('dialog', { name: 'Delete VPC' });
    await dialog.getByPlaceholder('delete').fill('delete');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await flashText(new RegExp(`^You successfully deleted ${vpcId}`));
    assert.equal((await server.client().send(new DescribeVpcsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).Vpcs!.length, 0);
  });
});
