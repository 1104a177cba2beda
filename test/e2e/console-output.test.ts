// GetConsoleOutput as AWS's "verify the instance fingerprint" step uses it: `aws ec2 get-console-output`
// shows the SSH host key blocks cloud-init writes to the console, and they are the key the
// instance's SSH endpoint presents (ssh-keyscan, ssh-keygen -l), so a known_hosts made from the
// console output lets `ssh -o StrictHostKeyChecking=yes` log in; while the instance runs, its
// guest's own cloud-init output (user data's output) is what the console shows. On both engines.
// Nothing while pending; Windows says "Windows is Ready to use" once booted; AWS's errors for bad ids and DryRun.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { CreateKeyPairCommand, DescribeImagesCommand, GetConsoleOutputCommand, RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { awsError, startTestServer, type TestServer } from '../helpers/server.js';
import { images, waitForState } from '../helpers/instances.js';
import { awsCli } from '../helpers/awscli.js';
import { allowSsh } from '../helpers/network.js';
import { requireTools, runAsync, tempDir, writePrivate } from '../helpers/tools.js';
import { bothEnginesServer, forEachEngine } from '../helpers/engine-variants.js';

requireTools(['/usr/bin/aws', '/usr/bin/ssh', '/usr/bin/ssh-keyscan', '/usr/bin/ssh-keygen'], 'the console output tests');

const dir = tempDir('ec2lite-console-output-');
let server: TestServer;
let client: EC2Client;

before(async () => {
  server = await startTestServer({ ...bothEnginesServer(), instanceDelays: { start: 0, stop: 0, terminate: 0 } });
  client = server.client();
});
after(async () => {
  await server.close();
  dir.cleanup();
});

/** The lines between `-----BEGIN <what>-----` and its END, without cloud-init's syslog prefix. */
function block(text: string, what: string): string[] {
  const lines = text.split('\n').map((l) => l.replace(/^<\d+>\w{3} [ \d]\d \d\d:\d\d:\d\d cloud-init: /, ''));
  const from = lines.indexOf(`-----BEGIN ${what}-----`);
  const to = lines.indexOf(`-----END ${what}-----`);
  assert.ok(from >= 0 && to > from, `a ${what} block in the console output:\n${text}`);
  return lines.slice(from + 1, to);
}

forEachEngine('GetConsoleOutput: the host key before the first login', (engine) => {
  it('shows the key the SSH endpoint presents; a known_hosts made from it logs in with strict host key checking', async () => {
    const key = await client.send(new CreateKeyPairCommand({ KeyName: `console-${engine.name}` }));
    const pem = writePrivate(dir.file(`console-${engine.name}.pem`), key.KeyMaterial!);
    const run = await client.send(
      new RunInstancesCommand({
        ImageId: await engine.imageId(client),
        MinCount: 1,
        MaxCount: 1,
        KeyName: `console-${engine.name}`,
        UserData: Buffer.from('#!/bin/sh\necho "user data says hello on the console"\n').toString('base64'),
      }),
    );
    const id = run.Instances![0]!.InstanceId!;
    await waitForState(client, id, 'running');
    await allowSsh(client, id);

    const cli = await awsCli(server.url, ['ec2', 'get-console-output', '--instance-id', id, '--query', 'Output', '--output', 'text']);
    assert.equal(cli.status, 0, cli.stderr);
    const [fingerprint] = block(cli.stdout, 'SSH HOST KEY FINGERPRINTS');
    const [keyLine] = block(cli.stdout, 'SSH HOST KEY KEYS');
    assert.match(keyLine!, /^ssh-ed25519 AAAA\S+ root@ip-172-31-\d+-\d+$/);

    const t = (await (await fetch(`${server.url}/_ec2lite/instances/${id}/ssh`)).json()) as { host: string; port: number; user: string };
    const scan = await runAsync('/usr/bin/ssh-keyscan', ['-t', 'ed25519', '-p', String(t.port), t.host]);
    assert.equal(scan.code, 0, scan.stderr);
    const scanned = scan.stdout.split('\n').find((l) => l.includes('ssh-ed25519'))!;
    assert.equal(scanned.split(' ')[2], keyLine!.split(' ')[1], 'the console shows the key the endpoint presents');
    const listed = await runAsync('/usr/bin/ssh-keygen', ['-l', '-f', '-'], { input: `${scanned}\n` });
    assert.equal(fingerprint!.split(' ')[1], listed.stdout.split(' ')[1], `${fingerprint} vs ${listed.stdout}`);
    assert.match(fingerprint!, /^256 SHA256:[A-Za-z0-9+/]{43} root@ip-172-31-\d+-\d+ \(ED25519\)$/);

    // the user's known_hosts from the console output alone, then a strict login
    const knownHosts = dir.file(`known_hosts_${engine.name}`);
    const hostField = t.port === 22 ? t.host : `[${t.host}]:${t.port}`;
    writeFileSync(knownHosts, `${hostField} ${keyLine!.split(' ').slice(0, 2).join(' ')}\n`);
    const login = await runAsync('/usr/bin/ssh', ['-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', '-i', pem, '-p', String(t.port), `${t.user}@${t.host}`, 'whoami']);
    assert.equal(login.stdout, `${engine.user}\n`, login.stderr);

    // the guest's own boot log, as EC2's console shows it: the user data's output, once it has run
    let text = '';
    for (let i = 0; i < 300 && !text.includes('user data says hello on the console'); i++) {
      text = Buffer.from((await client.send(new GetConsoleOutputCommand({ InstanceId: id }))).Output ?? '', 'base64').toString();
      if (!text.includes('user data says hello on the console')) await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(text, /^user data says hello on the console$/m);
    assert.match(text, /^Cloud-init v\. \S+ running 'modules:final'/m);
    assert.deepEqual(block(text, 'SSH HOST KEY KEYS'), [keyLine], 'the host key, once');
    assert.deepEqual(block(text, 'SSH HOST KEY FINGERPRINTS'), [fingerprint], 'its fingerprint, after the boot too');
    assert.doesNotMatch(text, /socket \/dev\/log/);
    assert.equal(text.split('-----BEGIN SSH HOST KEY KEYS-----').length, 2);
  });
});

describe('GetConsoleOutput', () => {
  it('has no output while the instance is pending; the SDK gets the instance id and a timestamp', async () => {
    const slow = await startTestServer({ instanceDelays: { start: 3_600_000, stop: 0, terminate: 0 } });
    try {
      const c = slow.client();
      const run = await c.send(new RunInstancesCommand({ ImageId: (await images(c)).al2023, MinCount: 1, MaxCount: 1 }));
      const id = run.Instances![0]!.InstanceId!;
      const out = await c.send(new GetConsoleOutputCommand({ InstanceId: id }));
      assert.equal(out.InstanceId, id);
      assert.equal(out.Output, undefined);
      assert.ok(out.Timestamp instanceof Date);
    } finally {
      await slow.close();
    }
  });

  it('Windows: "Windows is Ready to use" once the instance has booted, not before', async () => {
    const windowsAmi = async (c: EC2Client) =>
      (await c.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'platform', Values: ['windows'] }] }))).Images![0]!.ImageId!;
    const launchWindows = async (s: TestServer) => {
      const c = s.client();
      await c.send(new CreateKeyPairCommand({ KeyName: 'win' }));
      const id = (await c.send(new RunInstancesCommand({ ImageId: await windowsAmi(c), MinCount: 1, MaxCount: 1, KeyName: 'win' }))).Instances![0]!.InstanceId!;
      await waitForState(c, id, 'running');
      return Buffer.from((await c.send(new GetConsoleOutputCommand({ InstanceId: id }))).Output ?? '', 'base64').toString();
    };
    const ready = await startTestServer({ login: { windowsPasswordDelayMs: 0, instanceConnectKeyLifetimeMs: 60_000 } });
    const booting = await startTestServer({ login: { windowsPasswordDelayMs: 3_600_000, instanceConnectKeyLifetimeMs: 60_000 } });
    try {
      assert.match(await launchWindows(ready), /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\dZ: Windows is Ready to use\r$/m);
      const early = await launchWindows(booting);
      assert.doesNotMatch(early, /Windows is Ready to use/);
      assert.doesNotMatch(early, /SSH HOST KEY/);
    } finally {
      await ready.close();
      await booting.close();
    }
  });

  it('refuses a malformed or unknown instance id and answers DryRun as AWS does', async () => {
    const malformed = await awsError(() => client.send(new GetConsoleOutputCommand({ InstanceId: 'i-nope' })));
    assert.equal(malformed.name, 'InvalidInstanceID.Malformed');
    const unknown = await awsError(() => client.send(new GetConsoleOutputCommand({ InstanceId: 'i-0123456789abcdef0' })));
    assert.equal(unknown.name, 'InvalidInstanceID.NotFound');
    assert.equal(unknown.message, "The instance ID 'i-0123456789abcdef0' does not exist");
    const run = await client.send(new RunInstancesCommand({ ImageId: (await images(client)).al2023, MinCount: 1, MaxCount: 1 }));
    const dry = await awsError(() => client.send(new GetConsoleOutputCommand({ InstanceId: run.Instances![0]!.InstanceId!, DryRun: true })));
    assert.equal(dry.name, 'DryRunOperation');
  });
});
