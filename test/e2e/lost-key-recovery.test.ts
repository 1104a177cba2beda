// The seed's "Connecting to your Linux instance if you lose your private key", step by step with
// Debian's /usr/bin/aws and the real OpenSSH client, including the mistakes AWS refuses along the
// way and a server restart in the middle; then the instance-store case, where it cannot be done.
// Runs on SQLite, or on PostgreSQL when EC2LITE_TEST_DATABASE_URL is set.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, rm, writeFile } from 'node:fs/promises';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { awsCli } from '../helpers/awscli.js';
import { requireTools, tempDir, type ProcessResult } from '../helpers/tools.js';
import { sshInstance, sshOutput } from '../helpers/ssh.js';
import { allowSshCli } from '../helpers/network.js';

requireTools(['/usr/bin/ssh', '/usr/bin/aws'], 'the lost-key recovery test');

const dir = tempDir('ec2lite-recovery-');
const data = tempDir('ec2lite-recovery-data-');
const OPTS = { ephemeral: false, dataDir: data.path, instanceDelays: { start: 50, stop: 50, terminate: 50 }, storageDelayMs: 50 };
let server: TestServer;
after(async () => {
  await server?.close();
  dir.cleanup();
  data.cleanup();
});

/** `aws ec2 …` that must succeed; JSON output parsed. */
async function aws(...args: string[]): Promise<any> {
  const r = await awsCli(server.url, ['ec2', ...args]);
  assert.equal(r.status, 0, `aws ec2 ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : undefined;
}

/** `aws ec2 …` that must fail with AWS's code and message, as the CLI prints them. */
async function awsFails(code: string, message: string, ...args: string[]): Promise<void> {
  const r = await awsCli(server.url, ['ec2', ...args]);
  assert.notEqual(r.status, 0, `aws ec2 ${args.join(' ')} should fail`);
  // e.g. "An error occurred (IncorrectState) when calling the DetachVolume operation (reached max retries: 0): Unable to …"
  assert.match(r.stderr, new RegExp(`An error occurred \\(${code.replace('.', '\\.')}\\) when calling the \\w+ operation( \\(reached max retries: \\d+\\))?: `));
  assert.ok(r.stderr.trimEnd().endsWith(message), `expected ${JSON.stringify(message)} in ${r.stderr}`);
}

async function createKey(name: string): Promise<string> {
  const r = await awsCli(server.url, ['ec2', 'create-key-pair', '--key-name', name, '--query', 'KeyMaterial', '--output', 'text']);
  assert.equal(r.status, 0, r.stderr);
  const path = dir.file(`${name}.pem`);
  await writeFile(path, r.stdout, { mode: 0o600 });
  await chmod(path, 0o400);
  return path;
}

/** Polls describe-* through the CLI until `ok` (bounded attempts, no timing threshold). */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 200; i++) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} never happened (last ${JSON.stringify(last)})`);
}

const instance = async (id: string) => (await aws('describe-instances', '--instance-ids', id)).Reservations[0].Instances[0];
const volume = async (id: string) => (await aws('describe-volumes', '--volume-ids', id)).Volumes[0];
const instanceState = (id: string, state: string) => until(() => instance(id), (i) => i.State.Name === state, `${id} ${state}`);
const volumeState = (id: string, state: string) => until(() => volume(id), (v) => v.State === state, `${id} ${state}`);

const sshTo = async (id: string, key: string, command: string): Promise<ProcessResult> => {
  await allowSshCli(server.url);
  return sshInstance(server.url, id, command, { key, knownHosts: dir.file('known_hosts') });
};

const sshOk = async (id: string, key: string, command: string): Promise<string> => {
  await allowSshCli(server.url);
  return sshOutput(server.url, id, command, { key, knownHosts: dir.file('known_hosts') });
};

describe('lost private key recovery (EBS-backed), as the AWS guide does it', () => {
  it('stop → temporary instance → move the root → new authorized_keys → move it back → log in with the new key', async () => {
    server = await startTestServer(OPTS);
    const images = await aws('describe-images', '--owners', 'amazon', '--filters', 'Name=name,Values=al2023-*');
    const ami: string = images.Images[0].ImageId;
    const lostKey = await createKey('my-key');
    const run = await aws('run-instances', '--image-id', ami, '--instance-type', 't3.micro', '--key-name', 'my-key', '--placement', 'AvailabilityZone=us-east-1b');
    const original: string = run.Instances[0].InstanceId;
    await instanceState(original, 'running');
    assert.equal(await sshOk(original, lostKey, 'echo precious > ~/data.txt && whoami'), 'ec2-user\n');

    // The private key is lost. Prerequisite: a new key pair (same name: delete the old one first).
    await rm(lostKey, { force: true });
    await aws('delete-key-pair', '--key-name', 'my-key');
    const newKey = await createKey('my-key');
    assert.notEqual((await sshTo(original, newKey, 'true')).code, 0, 'the new key does not open the instance yet');

    // Write down instance id, AMI, zone, root device name and root volume id.
    const info = await instance(original);
    assert.equal(info.RootDeviceType, 'ebs');
    const zone: string = info.Placement.AvailabilityZone;
    const rootDevice: string = info.RootDeviceName;
    const rootVolume: string = info.BlockDeviceMappings.find((m: any) => m.DeviceName === rootDevice).Ebs.VolumeId;
    assert.equal(rootDevice, '/dev/xvda');

    // A running instance's root cannot be detached, Force or not.
    const noDetach = `Unable to detach root volume '${rootVolume}' from instance '${original}'`;
    await awsFails('IncorrectState', noDetach, 'detach-volume', '--volume-id', rootVolume);
    await awsFails('IncorrectState', noDetach, 'detach-volume', '--volume-id', rootVolume, '--force');

    await aws('stop-instances', '--instance-ids', original);
    await instanceState(original, 'stopped');

    // Temporary instance: same AMI, same zone, tagged Name=Temporary, the new key.
    const tmp = await aws(
      'run-instances', '--image-id', ami, '--key-name', 'my-key', '--placement', `AvailabilityZone=${zone}`,
      '--tag-specifications', 'ResourceType=instance,Tags=[{Key=Name,Value=Temporary}]',
    );
    const temporary: string = tmp.Instances[0].InstanceId;
    await instanceState(temporary, 'running');
    const tagged = await aws('describe-instances', '--filters', 'Name=tag:Name,Values=Temporary', '--query', 'Reservations[].Instances[].InstanceId');
    assert.deepEqual(tagged, [temporary]);

    // Detach the original root; wait for available.
    const det = await aws('detach-volume', '--volume-id', rootVolume);
    assert.equal(det.State, 'detaching');
    await volumeState(rootVolume, 'available');
    await awsFails(
      'InvalidParameterValue',
      `Invalid value '${original}' for instanceId. Instance does not have a volume attached at root (${rootDevice})`,
      'start-instances', '--instance-ids', original,
    );

    // Attach it to the temporary instance as /dev/sdf (a partition number is not an EBS device name).
    await awsFails('InvalidParameterValue', 'Value (/dev/sdf1) for parameter device is invalid. /dev/sdf1 is not a valid EBS device name.',
      'attach-volume', '--volume-id', rootVolume, '--instance-id', temporary, '--device', '/dev/sdf1');
    const att = await aws('attach-volume', '--volume-id', rootVolume, '--instance-id', temporary, '--device', '/dev/sdf');
    assert.equal(att.State, 'attaching');
    await until(() => volume(rootVolume), (v) => v.Attachments[0]?.State === 'attached', 'attached');

    // On the temporary instance: find the device, mount the partition, copy the key file.
    const lsblk = await sshOk(temporary, newKey, 'lsblk');
    assert.match(lsblk, /^xvda +202:0 .* disk $/m);
    assert.match(lsblk, /^xvdf +202:80 .* disk $/m);
    assert.match(lsblk, /^└─xvdf1 +202:81 .* part $/m);
    await sshOk(temporary, newKey, 'sudo mkdir /mnt/tempvol');
    // Both roots come from one AMI: XFS refuses the duplicate UUID; -o nouuid mounts it.
    const plain = await sshTo(temporary, newKey, 'sudo mount /dev/xvdf1 /mnt/tempvol');
    assert.equal(plain.code, 32);
    assert.match(plain.stderr, /wrong fs type, bad option, bad superblock on \/dev\/xvdf1/);
    await sshOk(temporary, newKey, 'sudo mount -o nouuid /dev/xvdf1 /mnt/tempvol');
    assert.equal(await sshOk(temporary, newKey, 'cat /mnt/tempvol/home/ec2-user/data.txt'), 'precious\n');
    await sshOk(temporary, newKey, 'cp .ssh/authorized_keys /mnt/tempvol/home/ec2-user/.ssh/authorized_keys');
    const before = await sshOk(temporary, newKey, 'sudo ls -ln /mnt/tempvol/home/ec2-user/.ssh/authorized_keys');
    assert.match(before, /^-rw-------\. 1 1000 1000 /);
    // The optional sudo path of the guide: copy with sudo, check, restore the numeric owner.
    await sshOk(temporary, newKey, 'sudo cp .ssh/authorized_keys /mnt/tempvol/home/ec2-user/.ssh/authorized_keys');
    await sshOk(temporary, newKey, 'sudo chown 1000:1000 /mnt/tempvol/home/ec2-user/.ssh/authorized_keys');
    assert.match(await sshOk(temporary, newKey, 'sudo ls -ln /mnt/tempvol/home/ec2-user/.ssh'), / 1000 1000 .* authorized_keys$/m);
    // Unmount (not while a shell sits in it).
    const busy = await sshTo(temporary, newKey, 'cd /mnt/tempvol && sudo umount /mnt/tempvol');
    assert.equal(busy.code, 32);
    assert.equal(busy.stderr, 'umount: /mnt/tempvol: target is busy.\n');
    await sshOk(temporary, newKey, 'sudo umount /mnt/tempvol');

    await aws('detach-volume', '--volume-id', rootVolume);
    await volumeState(rootVolume, 'available');
    assert.doesNotMatch(await sshOk(temporary, newKey, 'lsblk'), /xvdf/);

    // The server restarts mid-procedure: nothing is lost.
    await server.close();
    server = await startTestServer(OPTS);

    // Reattached at another device name, the original cannot start; at its root device it can.
    await aws('attach-volume', '--volume-id', rootVolume, '--instance-id', original, '--device', '/dev/sdg');
    await awsFails('InvalidParameterValue', `Instance does not have a volume attached at root (${rootDevice})`, 'start-instances', '--instance-ids', original);
    await aws('detach-volume', '--volume-id', rootVolume);
    await volumeState(rootVolume, 'available');
    await aws('attach-volume', '--volume-id', rootVolume, '--instance-id', original, '--device', rootDevice);
    await aws('start-instances', '--instance-ids', original);
    const back = await instanceState(original, 'running');
    assert.deepEqual(
      back.BlockDeviceMappings.map((m: any) => [m.DeviceName, m.Ebs.VolumeId, m.Ebs.DeleteOnTermination]),
      [[rootDevice, rootVolume, false]],
    );
    assert.equal(await sshOk(original, newKey, 'cat data.txt && whoami'), 'precious\nec2-user\n');

    await aws('terminate-instances', '--instance-ids', temporary);
    await instanceState(temporary, 'terminated');
  });
});

describe('lost private key, instance-store-backed', () => {
  it('cannot be recovered: the instance cannot be stopped and has no EBS root to move', async () => {
    const images = await aws('describe-images', '--owners', 'amazon', '--filters', 'Name=root-device-type,Values=instance-store');
    const ami: string = images.Images[0].ImageId;
    await createKey('store-key');
    const run = await aws('run-instances', '--image-id', ami, '--key-name', 'store-key');
    const id: string = run.Instances[0].InstanceId;
    const info = await instanceState(id, 'running');
    assert.equal(info.RootDeviceType, 'instance-store');
    assert.deepEqual(info.BlockDeviceMappings, []);
    await awsFails('UnsupportedOperation', `The instance '${id}' does not have an 'ebs' root device type and cannot be stopped.`, 'stop-instances', '--instance-ids', id);
    assert.deepEqual((await aws('describe-volumes', '--filters', `Name=attachment.instance-id,Values=${id}`)).Volumes, []);
  });
});
