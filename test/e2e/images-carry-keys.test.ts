// The seed: an AMI made from an instance carries its public key. CreateImage → RunInstances in
// the same region, CopyImage → another region, and launch permission → another account: each new
// instance opens with the ORIGINAL private key (its authorized_keys came in the image) and with
// the new launch key, which first boot appended. Real OpenSSH client, /usr/bin/aws for the steps.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, writeFile } from 'node:fs/promises';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { awsCli } from '../helpers/awscli.js';
import { requireTools, tempDir } from '../helpers/tools.js';
import { sshOutput } from '../helpers/ssh.js';
import { allowSshCli } from '../helpers/network.js';
import { bothEnginesServer, forEachEngine } from '../helpers/engine-variants.js';

requireTools(['/usr/bin/ssh', '/usr/bin/aws'], 'the image tests');

const dir = tempDir('ec2lite-images-');
let server: TestServer;
before(async () => {
  server = await startTestServer({ instanceDelays: { start: 50, stop: 50, terminate: 50 }, storageDelayMs: 50, ...bothEnginesServer() });
});
after(async () => {
  await server.close();
  dir.cleanup();
});

/** Each engine's suite has accounts of its own: the same names, apart. */
const ACCOUNTS = { simulated: { OWNER: '111122223333', FRIEND: '444455556666' }, real: { OWNER: '111122220002', FRIEND: '444455550002' } };

/** `aws ec2 …` as an account (12-digit access key id) in a region; JSON parsed. */
async function aws(account: string, region: string, ...args: string[]): Promise<any> {
  const r = await awsCli(server.url, ['ec2', ...args], { AWS_ACCESS_KEY_ID: account, AWS_DEFAULT_REGION: region });
  assert.equal(r.status, 0, `aws ec2 ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : undefined;
}

async function createKey(account: string, region: string, name: string): Promise<string> {
  const material = (await aws(account, region, 'create-key-pair', '--key-name', name)).KeyMaterial as string;
  const path = dir.file(`${account}-${region}-${name}.pem`);
  await writeFile(path, material, { mode: 0o600 });
  await chmod(path, 0o400);
  return path;
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} never happened`);
}

async function runningInstance(account: string, region: string, ami: string, key: string): Promise<string> {
  const id: string = (await aws(account, region, 'run-instances', '--image-id', ami, '--key-name', key)).Instances[0].InstanceId;
  await until(async () => (await aws(account, region, 'describe-instances', '--instance-ids', id)).Reservations[0].Instances[0].State.Name, (s) => s === 'running', `${id} running`);
  await allowSshCli(server.url, { AWS_ACCESS_KEY_ID: account, AWS_DEFAULT_REGION: region });
  return id;
}

async function imageAvailable(account: string, region: string, ami: string): Promise<void> {
  await until(async () => (await aws(account, region, 'describe-images', '--image-ids', ami)).Images[0].State, (s) => s === 'available', `${ami} available`);
}

const sshOk = (id: string, key: string, command: string): Promise<string> =>
  sshOutput(server.url, id, command, { key, knownHosts: dir.file('known_hosts') });

forEachEngine('images carry the public key', (engine) => {
  const { OWNER, FRIEND } = ACCOUNTS[engine.name];
  let original = '';
  let originalKey = '';
  let ami = '';

  it('CreateImage of a running instance; an instance of the image opens with the original key and its own', async () => {
    const builtin = (await aws(OWNER, 'us-east-1', 'describe-images', '--owners', engine.image.owner, '--filters', `Name=name,Values=${engine.image.nameFilter}`)).Images[0].ImageId;
    originalKey = await createKey(OWNER, 'us-east-1', 'original');
    original = await runningInstance(OWNER, 'us-east-1', builtin, 'original');
    await sshOk(original, originalKey, 'echo baked-in > ~/marker');
    ami = (await aws(OWNER, 'us-east-1', 'create-image', '--instance-id', original, '--name', 'with-my-key', '--description', 'carries original')).ImageId;
    // NoReboot was not given: the instance restarted for the image and kept its files
    await imageAvailable(OWNER, 'us-east-1', ami);
    assert.equal(await sshOk(original, originalKey, 'cat ~/marker'), 'baked-in\n');

    const mine = await aws(OWNER, 'us-east-1', 'describe-images', '--owners', 'self');
    assert.deepEqual(mine.Images.map((i: any) => i.ImageId), [ami]);

    const secondKey = await createKey(OWNER, 'us-east-1', 'second');
    const clone = await runningInstance(OWNER, 'us-east-1', ami, 'second');
    assert.equal(await sshOk(clone, originalKey, 'cat ~/marker'), 'baked-in\n');
    assert.equal(await sshOk(clone, secondKey, 'whoami'), `${engine.user}\n`);
    const lines = (await sshOk(clone, secondKey, 'cat ~/.ssh/authorized_keys')).trim().split('\n');
    assert.deepEqual(lines.map((l) => l.split(' ').pop()), ['original', 'second']);
    // the clone's own volume: writing there leaves the original's alone
    await sshOk(clone, secondKey, 'echo changed > ~/marker');
    assert.equal(await sshOk(original, originalKey, 'cat ~/marker'), 'baked-in\n');
  });

  it('CopyImage into another region: an instance there opens with the original key', async () => {
    const copy = (await aws(OWNER, 'eu-west-1', 'copy-image', '--source-image-id', ami, '--source-region', 'us-east-1', '--name', 'with-my-key-eu')).ImageId;
    await imageAvailable(OWNER, 'eu-west-1', copy);
    await createKey(OWNER, 'eu-west-1', 'eu-key');
    const there = await runningInstance(OWNER, 'eu-west-1', copy, 'eu-key');
    assert.equal((await aws(OWNER, 'eu-west-1', 'describe-instances', '--instance-ids', there)).Reservations[0].Instances[0].Placement.AvailabilityZone, 'eu-west-1a');
    assert.equal(await sshOk(there, originalKey, 'cat ~/marker'), 'baked-in\n');
  });

  it('shared with another account: refused before the grant, then it launches and opens with the original key', async () => {
    await createKey(FRIEND, 'us-east-1', 'friend');
    const before = await awsCli(server.url, ['ec2', 'run-instances', '--image-id', ami, '--key-name', 'friend'], { AWS_ACCESS_KEY_ID: FRIEND });
    assert.notEqual(before.status, 0);
    assert.match(before.stderr, new RegExp(`\\(AuthFailure\\).*Not authorized for images: \\[${ami}\\]`));
    await aws(OWNER, 'us-east-1', 'modify-image-attribute', '--image-id', ami, '--launch-permission', `Add=[{UserId=${FRIEND}}]`);
    const attr = await aws(OWNER, 'us-east-1', 'describe-image-attribute', '--image-id', ami, '--attribute', 'launchPermission');
    assert.deepEqual(attr.LaunchPermissions, [{ UserId: FRIEND }]);
    const shared = await aws(FRIEND, 'us-east-1', 'describe-images', '--executable-users', 'self');
    assert.deepEqual(shared.Images.map((i: any) => [i.ImageId, i.OwnerId]), [[ami, OWNER]]);
    const theirs = await runningInstance(FRIEND, 'us-east-1', ami, 'friend');
    assert.equal(await sshOk(theirs, originalKey, 'cat ~/marker'), 'baked-in\n');
  });
});
