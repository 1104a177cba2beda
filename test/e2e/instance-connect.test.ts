// EC2 Instance Connect end to end: `aws ec2-instance-connect send-ssh-public-key` and the SDK push a
// key; the real OpenSSH client logs in with it while it is valid (besides authorized_keys), the
// instance's metadata lists it under managed-ssh-keys/active-keys/<user>/; once the (test-moved)
// clock passes 60 s new logins are refused while an open session stays. AWS's exceptions, the
// serial console's answer, and tenancy (another account or region does not find the instance).
// The login through a pushed key runs on both guest engines (test/helpers/engine-variants.ts): the
// key reaches a real Debian instance's `admin` and its IMDS as it does the simulated `ec2-user`; the
// API's answers do not depend on the engine and run once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { CreateKeyPairCommand, RunInstancesCommand, StopInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import {
  EC2InstanceConnectClient,
  SendSerialConsoleSSHPublicKeyCommand,
  SendSSHPublicKeyCommand,
} from '@aws-sdk/client-ec2-instance-connect';
import { awsError, startTestServer, type TestServer } from '../helpers/server.js';
import { awsCli } from '../helpers/awscli.js';
import { waitForState } from '../helpers/instances.js';
import { sshInstance, sshOutput, sshTarget } from '../helpers/ssh.js';
import { requireTools, runAsync, tempDir, writePrivate } from '../helpers/tools.js';
import { allowSsh } from '../helpers/network.js';
import { bothEnginesServer, forEachEngine } from '../helpers/engine-variants.js';

requireTools(['/usr/bin/aws', '/usr/bin/ssh', '/usr/bin/ssh-keygen'], 'the EC2 Instance Connect tests');

const dir = tempDir('ec2lite-eic-');
let server: TestServer;
let ec2: EC2Client;
let offsetMs = 0;
let launchPem: string;
let al2023: string;

function eicClient(opts: { region?: string; accessKeyId?: string } = {}): EC2InstanceConnectClient {
  return new EC2InstanceConnectClient({
    endpoint: server.url,
    region: opts.region ?? 'us-east-1',
    credentials: { accessKeyId: opts.accessKeyId ?? 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
}

/** Every instance of this file is launched here (the lead adds security group rules in one place). */
async function launch(imageId = al2023): Promise<string> {
  const r = await ec2.send(
    new RunInstancesCommand({ ImageId: imageId, MinCount: 1, MaxCount: 1, KeyName: 'eic-launch', MetadataOptions: { HttpTokens: 'optional' } }),
  );
  const id = r.Instances![0]!.InstanceId!;
  await waitForState(ec2, id, 'running');
  await allowSsh(ec2, id); // port 22 open, as a user would before connecting
  return id;
}

async function keygen(name: string, type: string, bits?: number): Promise<{ path: string; pub: string }> {
  const path = dir.file(name);
  const r = await runAsync('/usr/bin/ssh-keygen', ['-q', '-t', type, ...(bits ? ['-b', String(bits)] : []), '-N', '', '-C', name, '-f', path]);
  assert.equal(r.code, 0, r.stderr);
  return { path, pub: (await readFile(`${path}.pub`, 'utf8')).trim() };
}

const login = (id: string, key: string, command: string, user?: string) => sshInstance(server.url, id, command, { key, knownHosts: dir.file('known_hosts'), user });

before(async () => {
  server = await startTestServer({
    login: { windowsPasswordDelayMs: 0, instanceConnectKeyLifetimeMs: 60_000, now: () => new Date(Date.now() + offsetMs) },
    ...bothEnginesServer(),
  });
  ec2 = server.client();
  const k = await ec2.send(new CreateKeyPairCommand({ KeyName: 'eic-launch' }));
  launchPem = writePrivate(dir.file('eic-launch.pem'), k.KeyMaterial!);
  const { images } = await import('../helpers/instances.js');
  al2023 = (await images(ec2)).al2023;
});

after(async () => {
  await server?.close();
  dir.cleanup();
});

forEachEngine('SendSSHPublicKey logs in', (engine) => {
  it('opens SSH for that user for 60 seconds (AWS CLI), shows the key in IMDS, keeps open sessions after expiry', async () => {
    const user = engine.user;
    const id = await launch(await engine.imageId(ec2));
    const key = await keygen(`${engine.name}-eic-rsa`, 'rsa', 3072);
    const refused = await login(id, key.path, 'whoami');
    assert.equal(refused.code, 255, 'not in authorized_keys: refused before the push');

    const cli = await awsCli(server.url, [
      'ec2-instance-connect', 'send-ssh-public-key', '--instance-id', id, '--instance-os-user', user,
      '--availability-zone', 'us-east-1a', '--ssh-public-key', `file://${key.path}.pub`, '--output', 'json',
    ]);
    assert.equal(cli.status, 0, cli.stderr);
    const answer = JSON.parse(cli.stdout) as { RequestId: string; Success: boolean };
    assert.equal(answer.Success, true);
    assert.match(answer.RequestId, /^[0-9a-f-]{36}$/);

    assert.equal((await sshOutput(server.url, id, 'whoami', { key: key.path, knownHosts: dir.file('known_hosts') })).trim(), user);
    // authorized_keys is untouched: the pushed key lives beside it
    const ak = await sshOutput(server.url, id, 'cat ~/.ssh/authorized_keys', { key: launchPem, knownHosts: dir.file('known_hosts') });
    assert.ok(!ak.includes(key.pub.split(' ')[1]!));
    // the instance's metadata shows it while valid, as the ec2-instance-connect agent reads it
    const listing = await sshOutput(server.url, id, 'curl -s http://169.254.169.254/latest/meta-data/managed-ssh-keys/active-keys/', { key: launchPem, knownHosts: dir.file('known_hosts') });
    assert.equal(listing.trim(), `${user}/`);
    const blob = await sshOutput(server.url, id, `curl -s http://169.254.169.254/latest/meta-data/managed-ssh-keys/active-keys/${user}/`, { key: launchPem, knownHosts: dir.file('known_hosts') });
    assert.ok(blob.includes(key.pub), blob);
    assert.match(blob, new RegExp(`#Instance=${id}\\n`));
    assert.match(blob, new RegExp(`#Request=${answer.RequestId}\\n`));
    // only that user: root does not get in with it
    assert.equal((await login(id, key.path, 'whoami', 'root')).code, 255);

    // a session opened while the key is valid...
    const t = await sshTarget(server.url, id);
    const session = spawn('/usr/bin/ssh', [
      '-o', `UserKnownHostsFile=${dir.file('known_hosts')}`, '-o', 'StrictHostKeyChecking=no', '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes',
      '-o', 'LogLevel=ERROR', '-i', key.path, '-p', String(t.port), `${user}@${t.host}`, 'echo ready; read x; echo still-$x',
    ], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    session.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const closed = new Promise<number | null>((r) => session.on('close', r));
    for (let i = 0; i < 400 && !out.includes('ready'); i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(out.includes('ready'), 'the session opened');

    // ...61 seconds later (the test moves the server's login clock): new logins refused, IMDS empty
    offsetMs += 61_000;
    const late = await login(id, key.path, 'whoami');
    assert.equal(late.code, 255);
    assert.match(late.stderr, /Permission denied/);
    const gone = await login(id, launchPem, `curl -s -o /dev/null -w "%{http_code}" http://169.254.169.254/latest/meta-data/managed-ssh-keys/active-keys/${user}/`);
    assert.equal(gone.stdout.trim(), '404');
    // the open session is still there
    session.stdin.end('here\n');
    assert.equal(await closed, 0);
    assert.match(out, /still-here/);
  });
});

describe('SendSSHPublicKey', () => {
  it('works from the SDK (ED25519 key), with AWS exceptions for bad input, state, zone, and throttling', async () => {
    const id = await launch();
    const client = eicClient();
    const key = await keygen('eic-ed', 'ed25519');
    const r = await client.send(new SendSSHPublicKeyCommand({ InstanceId: id, InstanceOSUser: 'ec2-user', SSHPublicKey: key.pub, AvailabilityZone: 'us-east-1a' }));
    assert.equal(r.Success, true);
    assert.equal(r.RequestId, r.$metadata.requestId);
    assert.equal((await sshOutput(server.url, id, 'whoami', { key: key.path, knownHosts: dir.file('known_hosts') })).trim(), 'ec2-user');

    const notFound = await awsError(() => client.send(new SendSSHPublicKeyCommand({ InstanceId: 'i-0123456789abcdef0', InstanceOSUser: 'ec2-user', SSHPublicKey: key.pub })));
    assert.deepEqual(notFound, { name: 'EC2InstanceNotFoundException', message: 'The specified instance was not found.', status: 400 });
    const malformed = await awsError(() => client.send(new SendSSHPublicKeyCommand({ InstanceId: 'mi-048afb7f6460a110d', InstanceOSUser: 'ec2-user', SSHPublicKey: key.pub })));
    assert.equal(malformed.name, 'InvalidArgsException');
    assert.equal(
      malformed.message,
      "1 validation error detected: Value 'mi-048afb7f6460a110d' at 'instanceId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^i-[a-f0-9]+$",
    );
    const zone = await awsError(() => client.send(new SendSSHPublicKeyCommand({ InstanceId: id, InstanceOSUser: 'ec2-user', SSHPublicKey: key.pub, AvailabilityZone: 'us-east-1b' })));
    assert.equal(zone.name, 'InvalidArgsException');
    const small = await keygen('eic-small', 'rsa', 1024);
    const tooSmall = await awsError(() => client.send(new SendSSHPublicKeyCommand({ InstanceId: id, InstanceOSUser: 'ec2-user', SSHPublicKey: small.pub })));
    assert.deepEqual(tooSmall, { name: 'InvalidArgsException', message: 'Invalid input parameter received for Illegal argument exception: RSA - SSH Public key is invalid', status: 400 });
    const ecdsa = await keygen('eic-ecdsa', 'ecdsa');
    const badType = await awsError(() => client.send(new SendSSHPublicKeyCommand({ InstanceId: id, InstanceOSUser: 'ec2-user', SSHPublicKey: ecdsa.pub })));
    assert.equal(badType.message, 'Invalid input parameter received for Illegal argument exception: SSH Public key is invalid');

    // the instance holds at most 20 unexpired keys: the next push is throttled (r above is one)
    for (let i = 0; i < 19; i++) await client.send(new SendSSHPublicKeyCommand({ InstanceId: id, InstanceOSUser: `user${i}`, SSHPublicKey: key.pub }));
    const throttled = await awsError(() => client.send(new SendSSHPublicKeyCommand({ InstanceId: id, InstanceOSUser: 'ec2-user', SSHPublicKey: key.pub })));
    assert.equal(throttled.name, 'ThrottlingException');
    offsetMs += 61_000; // all expired: pushes go through again
    assert.equal((await client.send(new SendSSHPublicKeyCommand({ InstanceId: id, InstanceOSUser: 'ec2-user', SSHPublicKey: key.pub }))).Success, true);

    // tenancy: another account or region does not find it
    const other = await awsError(() => eicClient({ accessKeyId: '111122223333' }).send(new SendSSHPublicKeyCommand({ InstanceId: id, InstanceOSUser: 'ec2-user', SSHPublicKey: key.pub })));
    assert.equal(other.name, 'EC2InstanceNotFoundException');
    const region = await awsError(() => eicClient({ region: 'eu-west-1' }).send(new SendSSHPublicKeyCommand({ InstanceId: id, InstanceOSUser: 'ec2-user', SSHPublicKey: key.pub })));
    assert.equal(region.name, 'EC2InstanceNotFoundException');

    // the serial console is off in every account
    const serial = await awsError(() => client.send(new SendSerialConsoleSSHPublicKeyCommand({ InstanceId: id, SSHPublicKey: key.pub })));
    assert.equal(serial.name, 'SerialConsoleAccessDisabledException');
    assert.match(serial.message, /^Your account is not authorized to use the EC2 Serial Console\./);

    // a stopped instance
    await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await waitForState(ec2, id, 'stopped');
    const stopped = await awsError(() => client.send(new SendSSHPublicKeyCommand({ InstanceId: id, InstanceOSUser: 'ec2-user', SSHPublicKey: key.pub })));
    assert.equal(stopped.name, 'EC2InstanceStateInvalidException');
    client.destroy();
  });

  it('answers raw JSON as AWS JSON 1.1 does (__type, x-amzn-ErrorType), unknown targets included', async () => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEC2InstanceConnectService.SendSSHPublicKey' },
      body: JSON.stringify({ InstanceId: 'i-0123456789abcdef0', InstanceOSUser: 'ec2-user' }),
    });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('content-type'), 'application/x-amz-json-1.1');
    const body = (await res.json()) as { __type: string; Message: string };
    assert.equal(body.__type, 'InvalidArgsException');
    assert.equal(body.Message, "1 validation error detected: Value null at 'sSHPublicKey' failed to satisfy constraint: Member must not be null");
    const unknown = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEC2InstanceConnectService.Nope' },
      body: '{}',
    });
    assert.equal(((await unknown.json()) as { __type: string }).__type, 'UnknownOperationException');
  });
});
