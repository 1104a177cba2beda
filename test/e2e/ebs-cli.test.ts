// EBS with Debian's /usr/bin/aws and the real OpenSSH client: encryption by default and an
// encrypted data volume, a detach while the guest has it mounted (busy until unmounted), ModifyVolume
// growing a disk the guest then grows into (lsblk, growpart-free ext4 resize2fs), snapshots shared
// with another account and copied to another Region.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, writeFile } from 'node:fs/promises';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { awsCli } from '../helpers/awscli.js';
import { requireTools, tempDir } from '../helpers/tools.js';
import { sshOutput } from '../helpers/ssh.js';
import { allowSshCli } from '../helpers/network.js';

requireTools(['/usr/bin/ssh', '/usr/bin/aws'], 'the EBS CLI test');

const dir = tempDir('ec2lite-ebs-cli-');
let server: TestServer;
before(async () => {
  server = await startTestServer({ instanceDelays: { start: 30, stop: 30, terminate: 30 }, storageDelayMs: 30 });
});
after(async () => {
  await server?.close();
  dir.cleanup();
});

async function aws(...args: string[]): Promise<any> {
  const r = await awsCli(server.url, args);
  assert.equal(r.status, 0, `aws ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : undefined;
}

async function awsFails(code: string, message: string, ...args: string[]): Promise<void> {
  const r = await awsCli(server.url, args);
  assert.notEqual(r.status, 0, `aws ${args.join(' ')} should fail`);
  assert.match(r.stderr, new RegExp(`An error occurred \\(${code.replace('.', '\\.')}\\) when calling the \\w+ operation`));
  assert.ok(r.stderr.trimEnd().endsWith(message), `expected ${JSON.stringify(message)} in ${r.stderr}`);
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 200; i++) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 40));
  }
  throw new Error(`${what} never happened (last ${JSON.stringify(last)})`);
}

const volume = async (id: string) => (await aws('ec2', 'describe-volumes', '--volume-ids', id)).Volumes[0];

/** Launches one instance with a new key pair; returns its id and the key file. */
async function launch(): Promise<{ id: string; key: string }> {
  const r = await awsCli(server.url, ['ec2', 'create-key-pair', '--key-name', 'ebs', '--query', 'KeyMaterial', '--output', 'text']);
  assert.equal(r.status, 0, r.stderr);
  const key = dir.file('ebs.pem');
  await writeFile(key, r.stdout, { mode: 0o600 });
  await chmod(key, 0o400);
  const ami = (await aws('ec2', 'describe-images', '--owners', 'amazon', '--filters', 'Name=name,Values=al2023-*')).Images[0].ImageId;
  // A Xen type: the guest names /dev/sdf xvdf (Nitro types see NVMe disks: launch-block-devices' tests).
  const run = await aws('ec2', 'run-instances', '--image-id', ami, '--instance-type', 't2.micro', '--key-name', 'ebs', '--placement', 'AvailabilityZone=us-east-1a');
  const id: string = run.Instances[0].InstanceId;
  await allowSshCli(server.url); // security groups refuse tcp/22 until a rule allows it
  await until(() => aws('ec2', 'describe-instances', '--instance-ids', id), (d) => d.Reservations[0].Instances[0].State.Name === 'running', 'running');
  return { id, key };
}

describe('EBS with the AWS CLI', () => {
  it('encryption by default, an encrypted volume in the guest, a busy detach, a grown disk', async () => {
    assert.deepEqual(await aws('ec2', 'get-ebs-encryption-by-default'), { EbsEncryptionByDefault: false }); // Debian's CLI predates SseType
    assert.deepEqual(await aws('ec2', 'enable-ebs-encryption-by-default'), { EbsEncryptionByDefault: true });
    assert.deepEqual(await aws('ec2', 'get-ebs-default-kms-key-id'), { KmsKeyId: 'alias/aws/ebs' });
    await awsFails('InvalidParameterDependency', 'The parameter KmsKeyId requires the parameter Encrypted to be set.',
      'ec2', 'create-volume', '--availability-zone', 'us-east-1a', '--size', '2', '--kms-key-id', 'alias/mine');
    const created = await aws('ec2', 'create-volume', '--availability-zone', 'us-east-1a', '--size', '2', '--volume-type', 'gp3');
    assert.equal(created.Encrypted, true);
    assert.match(created.KmsKeyId, /^arn:aws:kms:us-east-1:000000000000:key\//);
    await aws('ec2', 'disable-ebs-encryption-by-default');
    const vol: string = created.VolumeId;
    await until(() => volume(vol), (v) => v.State === 'available', 'available');

    const { id, key } = await launch();
    const ssh = (cmd: string) => sshOutput(server.url, id, cmd, { key, knownHosts: dir.file('known_hosts') });
    await aws('ec2', 'attach-volume', '--volume-id', vol, '--instance-id', id, '--device', '/dev/sdf');
    await until(() => volume(vol), (v) => v.Attachments[0]?.State === 'attached', 'attached');
    assert.match(await ssh('lsblk'), /^xvdf +202:80 +0 +2G +0 disk $/m);
    await ssh('sudo mkfs -t ext4 /dev/xvdf >/dev/null && sudo mkdir /data && sudo mount /dev/xvdf /data && echo kept | sudo tee /data/f >/dev/null');

    // ModifyVolume: the guest sees the larger disk at once; the filesystem grows with resize2fs.
    const mod = await aws('ec2', 'modify-volume', '--volume-id', vol, '--size', '4');
    assert.equal(mod.VolumeModification.ModificationState, 'modifying');
    assert.equal(mod.VolumeModification.TargetSize, 4);
    assert.match(await ssh('lsblk'), /^xvdf +202:80 +0 +4G +0 disk \/data$/m);
    assert.match(await ssh('df -h /data'), /\/dev\/xvdf +2\.0G/);
    assert.match(await ssh('sudo resize2fs /dev/xvdf 2>&1'), /The filesystem on \/dev\/xvdf is now 1048576 \(4k\) blocks long\./);
    assert.match(await ssh('df -h /data'), /\/dev\/xvdf +4\.0G/);
    await until(
      () => aws('ec2', 'describe-volumes-modifications', '--volume-ids', vol),
      (r) => r.VolumesModifications[0].ModificationState === 'completed',
      'modification completed',
    );

    // Detaching a mounted volume: the call answers detaching, the attachment stays busy until umount.
    const det = await aws('ec2', 'detach-volume', '--volume-id', vol);
    assert.equal(det.State, 'detaching');
    await new Promise((r) => setTimeout(r, 100));
    const busy = await volume(vol);
    assert.equal(busy.State, 'in-use');
    assert.equal(busy.Attachments[0].State, 'busy');
    assert.equal(await ssh('cat /data/f'), 'kept\n');
    await ssh('sudo umount /data');
    await until(() => volume(vol), (v) => v.State === 'available', 'available after umount');
    assert.doesNotMatch(await ssh('lsblk'), /xvdf/);
  });

  it('snapshots: shared with another account, copied to another Region, made from an instance', async () => {
    const v = await aws('ec2', 'create-volume', '--availability-zone', 'us-east-1a', '--size', '1');
    await until(() => volume(v.VolumeId), (x) => x.State === 'available', 'available');
    const snap = await aws('ec2', 'create-snapshot', '--volume-id', v.VolumeId);
    await until(() => aws('ec2', 'describe-snapshots', '--snapshot-ids', snap.SnapshotId), (r) => r.Snapshots[0].State === 'completed', 'completed');
    await aws('ec2', 'modify-snapshot-attribute', '--snapshot-id', snap.SnapshotId, '--attribute', 'createVolumePermission', '--operation-type', 'add', '--user-ids', '111122223333');
    assert.deepEqual(await aws('ec2', 'describe-snapshot-attribute', '--snapshot-id', snap.SnapshotId, '--attribute', 'createVolumePermission'), {
      CreateVolumePermissions: [{ UserId: '111122223333' }],
      SnapshotId: snap.SnapshotId,
    });
    const other = await awsCli(server.url, ['ec2', 'create-volume', '--availability-zone', 'us-east-1a', '--snapshot-id', snap.SnapshotId], { AWS_ACCESS_KEY_ID: '111122223333' });
    assert.equal(other.status, 0, other.stderr);
    assert.equal(JSON.parse(other.stdout).SnapshotId, snap.SnapshotId);
    await aws('ec2', 'reset-snapshot-attribute', '--snapshot-id', snap.SnapshotId, '--attribute', 'createVolumePermission');

    const copy = await aws('ec2', 'copy-snapshot', '--region', 'eu-west-1', '--source-region', 'us-east-1', '--source-snapshot-id', snap.SnapshotId, '--encrypted');
    const copied = (await aws('ec2', 'describe-snapshots', '--region', 'eu-west-1', '--snapshot-ids', copy.SnapshotId)).Snapshots[0];
    assert.equal(copied.Encrypted, true);
    assert.match(copied.KmsKeyId, /^arn:aws:kms:eu-west-1:000000000000:key\//);

    const inst = (await aws('ec2', 'describe-instances', '--filters', 'Name=instance-state-name,Values=running')).Reservations[0].Instances[0];
    const set = await aws('ec2', 'create-snapshots', '--instance-specification', `InstanceId=${inst.InstanceId}`, '--description', 'nightly');
    assert.equal(set.Snapshots.length, 1);
    assert.equal(set.Snapshots[0].Description, 'nightly');
  });

  it('Multi-Attach: an io2 volume on two Nitro instances; a Xen type refused', async () => {
    const ami = (await aws('ec2', 'describe-images', '--owners', 'amazon', '--filters', 'Name=name,Values=al2023-*')).Images[0].ImageId;
    const run = async (type: string, count: string) =>
      (await aws('ec2', 'run-instances', '--image-id', ami, '--instance-type', type, '--count', count, '--placement', 'AvailabilityZone=us-east-1a')).Instances.map((i: any) => i.InstanceId as string);
    const nitro = await run('m5.large', '2');
    const [xen] = await run('t2.micro', '1');
    await until(() => aws('ec2', 'describe-instances', '--instance-ids', ...nitro, xen!), (d) => d.Reservations.flatMap((r: any) => r.Instances).every((i: any) => i.State.Name === 'running'), 'running');
    const v = await aws('ec2', 'create-volume', '--availability-zone', 'us-east-1a', '--size', '4', '--volume-type', 'io2', '--iops', '1000', '--multi-attach-enabled');
    assert.equal(v.MultiAttachEnabled, true);
    await until(() => volume(v.VolumeId), (x) => x.State === 'available', 'available');
    for (const id of nitro) await aws('ec2', 'attach-volume', '--volume-id', v.VolumeId, '--instance-id', id, '--device', '/dev/sdf');
    await until(() => volume(v.VolumeId), (x) => x.Attachments.length === 2 && x.Attachments.every((a: any) => a.State === 'attached'), 'attached twice');
    await awsFails(
      'UnsupportedOperation',
      'The instance type t2.micro does not support Multi-Attach enabled volumes. Use an instance built on the Nitro System.',
      'ec2', 'attach-volume', '--volume-id', v.VolumeId, '--instance-id', xen!, '--device', '/dev/sdf',
    );
    await awsFails(
      'InvalidParameterDependency',
      'The parameter MultiAttachEnabled requires the parameter VolumeType to be set.',
      'ec2', 'create-volume', '--availability-zone', 'us-east-1a', '--size', '4', '--volume-type', 'gp3', '--multi-attach-enabled',
    );
  });
});
