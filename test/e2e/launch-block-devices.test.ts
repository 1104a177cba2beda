// RunInstances' BlockDeviceMapping end to end: the AWS CLI launches with a 30 GiB gp3 root and an
// extra encrypted volume; DescribeInstances and DescribeVolumes show both as asked, `lsblk` over
// real OpenSSH shows both disks at their sizes, and the extra disk takes a filesystem.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { waitUntilVolumeInUse, type EC2Client } from '@aws-sdk/client-ec2';
import type { TestServer } from '../helpers/server.js';
import { waitForState, type Images } from '../helpers/instances.js';
import { awsCli } from '../helpers/awscli.js';
import { requireTools } from '../helpers/tools.js';
import { startKeyedLaunchServer, type KeyedLaunchServer } from '../helpers/launch-fixture.js';
import { sshOutput } from '../helpers/ssh.js';
import { allowSsh } from '../helpers/network.js';

requireTools(['/usr/bin/ssh', '/usr/bin/aws'], 'the block device mapping tests');

let fx: KeyedLaunchServer;
let server: TestServer;
let client: EC2Client;
let img: Images;
let pem: string;

before(async () => {
  fx = await startKeyedLaunchServer('bdm', 'ec2lite-bdm-');
  ({ server, client, img, pem } = fx);
});
after(() => fx.close());

/** Every SSH launch of this file goes through here: port 22 opened as a user would (security groups). */
async function launch(args: string[]): Promise<string> {
  const run = await awsCli(server.url, ['ec2', 'run-instances', '--key-name', 'bdm', '--count', '1', '--output', 'json', ...args]);
  assert.equal(run.status, 0, run.stderr);
  const id = (JSON.parse(run.stdout) as { Instances: { InstanceId: string }[] }).Instances[0]!.InstanceId;
  await waitForState(client, id, 'running');
  await allowSsh(client, id);
  return id;
}

const ssh = (id: string, command: string) => sshOutput(server.url, id, command, { key: pem, knownHosts: fx.dir.file('known_hosts') });

describe('RunInstances BlockDeviceMapping (AWS CLI, OpenSSH)', () => {
  it('a 30 GiB gp3 root and an extra encrypted volume show in the API and in lsblk', async () => {
    const mappings = JSON.stringify([
      { DeviceName: '/dev/xvda', Ebs: { VolumeSize: 30, VolumeType: 'gp3', Iops: 4000, Throughput: 250, DeleteOnTermination: true } },
      { DeviceName: '/dev/sdf', Ebs: { VolumeSize: 20, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: false } },
    ]);
    const id = await launch(['--image-id', img.al2023, '--block-device-mappings', mappings]);

    const d = await awsCli(server.url, ['ec2', 'describe-instances', '--instance-ids', id, '--output', 'json']);
    const inst = (JSON.parse(d.stdout) as { Reservations: { Instances: { BlockDeviceMappings: { DeviceName: string; Ebs: { VolumeId: string; DeleteOnTermination: boolean } }[] }[] }[] }).Reservations[0]!.Instances[0]!;
    assert.deepEqual(inst.BlockDeviceMappings.map((m) => [m.DeviceName, m.Ebs.DeleteOnTermination]), [['/dev/xvda', true], ['/dev/sdf', false]]);

    const v = await awsCli(server.url, ['ec2', 'describe-volumes', '--filters', `Name=attachment.instance-id,Values=${id}`, '--output', 'json']);
    const vols = (JSON.parse(v.stdout) as { Volumes: { Size: number; VolumeType: string; Iops: number; Throughput: number; Encrypted: boolean; KmsKeyId?: string; Attachments: { Device: string }[] }[] }).Volumes;
    const root = vols.find((x) => x.Attachments[0]!.Device === '/dev/xvda')!;
    const extra = vols.find((x) => x.Attachments[0]!.Device === '/dev/sdf')!;
    assert.deepEqual([root.Size, root.VolumeType, root.Iops, root.Throughput, root.Encrypted], [30, 'gp3', 4000, 250, false]);
    assert.deepEqual([extra.Size, extra.VolumeType, extra.Encrypted], [20, 'gp3', true]);
    assert.match(extra.KmsKeyId!, /^arn:aws:kms:us-east-1:\d{12}:key\/[0-9a-f-]{36}$/);

    const lsblk = await ssh(id, 'lsblk');
    assert.match(lsblk, /^xvda +202:0 +0 +30G +0 disk *$/m);
    assert.match(lsblk, /^└─xvda1 .* 30G .* part \/$/m);
    assert.match(lsblk, /^xvdf +202:80 +0 +20G +0 disk *$/m);
    const imds = (path: string) =>
      ssh(id, `T=$(curl -s -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 60"); curl -s -H "X-aws-ec2-metadata-token: $T" http://169.254.169.254/latest/meta-data/${path}`);
    assert.equal(await imds('block-device-mapping/'), 'ami\nebs1\nroot');
    assert.equal(await imds('block-device-mapping/ebs1'), 'sdf');
    // the extra volume is blank: a filesystem goes on it as on AWS
    const fs = await ssh(id, 'sudo mkfs -t xfs /dev/xvdf >/dev/null && sudo mkdir -p /data && sudo mount /dev/xvdf /data && df -h /data | tail -1');
    assert.match(fs, /^\/dev\/xvdf .* \/data$/m);
  });

  it('an ephemeral0 mapping on a type with instance storage shows in the metadata', async () => {
    const id = await launch(['--image-id', img.al2023, '--instance-type', 'm1.small', '--block-device-mappings', '[{"DeviceName":"/dev/sdb","VirtualName":"ephemeral0"}]']);
    const out = await ssh(id, 'T=$(curl -s -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 60"); curl -s -H "X-aws-ec2-metadata-token: $T" http://169.254.169.254/latest/meta-data/block-device-mapping/ephemeral0');
    assert.equal(out, 'sdb');
  });

  it('ModifyInstanceAttribute BlockDeviceMapping changes DeleteOnTermination; termination keeps the volume, with the last writes on it', async () => {
    const id = await launch(['--image-id', img.al2023, '--block-device-mappings', '[{"DeviceName":"/dev/sdg","Ebs":{"VolumeSize":1}}]']);
    const m = await awsCli(server.url, ['ec2', 'modify-instance-attribute', '--instance-id', id, '--block-device-mappings', '[{"DeviceName":"/dev/sdg","Ebs":{"DeleteOnTermination":false}}]']);
    assert.equal(m.status, 0, m.stderr);
    // written just before termination, to a volume that outlives the instance: a helper instance reads it back
    await ssh(id, 'sudo mkfs -t xfs /dev/sdg && sudo mkdir /data && sudo mount /dev/sdg /data && echo written-before-terminate | sudo tee /data/last.txt');
    const a = await awsCli(server.url, ['ec2', 'describe-instance-attribute', '--instance-id', id, '--attribute', 'blockDeviceMapping', '--output', 'json']);
    const bdm = (JSON.parse(a.stdout) as { BlockDeviceMappings: { DeviceName: string; Ebs: { VolumeId: string; DeleteOnTermination: boolean } }[] }).BlockDeviceMappings;
    const sdg = bdm.find((x) => x.DeviceName === '/dev/sdg')!;
    assert.equal(sdg.Ebs.DeleteOnTermination, false);
    assert.equal(bdm.find((x) => x.DeviceName === '/dev/xvda')!.Ebs.DeleteOnTermination, true);
    await awsCli(server.url, ['ec2', 'terminate-instances', '--instance-ids', id]);
    await waitForState(client, id, 'terminated');
    const v = await awsCli(server.url, ['ec2', 'describe-volumes', '--volume-ids', sdg.Ebs.VolumeId, '--output', 'json']);
    assert.equal(v.status, 0, v.stderr);
    assert.equal((JSON.parse(v.stdout) as { Volumes: { State: string }[] }).Volumes[0]!.State, 'available');
    const helper = await launch(['--image-id', img.al2023]);
    assert.equal((await awsCli(server.url, ['ec2', 'attach-volume', '--volume-id', sdg.Ebs.VolumeId, '--instance-id', helper, '--device', '/dev/sdh'])).status, 0);
    await waitUntilVolumeInUse({ client, maxWaitTime: 60 }, { VolumeIds: [sdg.Ebs.VolumeId] });
    assert.equal(await ssh(helper, 'sudo mkdir /mnt/old && sudo mount /dev/sdh /mnt/old && cat /mnt/old/last.txt'), 'written-before-terminate\n');
  });

  it('a Nitro type (t3) shows NVMe disks; /dev/sdf and /dev/xvdf1 reach them as Amazon Linux links them', async () => {
    const src = await launch(['--image-id', img.al2023, '--instance-type', 't3.micro']);
    const id = await launch(['--image-id', img.al2023, '--instance-type', 't3.micro', '--block-device-mappings', '[{"DeviceName":"/dev/sdg","Ebs":{"VolumeSize":2}}]']);
    const lsblk = await ssh(id, 'lsblk');
    assert.match(lsblk, /^nvme0n1 +259:0 +0 +8G +0 disk *$/m);
    assert.match(lsblk, /^└─nvme0n1p1 +259:1 .* part \/$/m);
    assert.match(lsblk, /^nvme1n1 +259:2 +0 +2G +0 disk *$/m);
    assert.doesNotMatch(lsblk, /xvd/);
    assert.match(await ssh(id, 'df /'), /^\/dev\/nvme0n1p1 /m);
    // the lost-key recovery's commands on a Nitro helper instance: another root at /dev/sdf, mounted as /dev/xvdf1
    await awsCli(server.url, ['ec2', 'stop-instances', '--instance-ids', src]);
    await waitForState(client, src, 'stopped');
    const d = await awsCli(server.url, ['ec2', 'describe-instances', '--instance-ids', src, '--query', 'Reservations[0].Instances[0].BlockDeviceMappings[0].Ebs.VolumeId', '--output', 'text']);
    const vol = d.stdout.trim();
    assert.equal((await awsCli(server.url, ['ec2', 'detach-volume', '--volume-id', vol])).status, 0);
    await awsCli(server.url, ['ec2', 'wait', 'volume-available', '--volume-ids', vol]);
    const att = await awsCli(server.url, ['ec2', 'attach-volume', '--volume-id', vol, '--instance-id', id, '--device', '/dev/sdf']);
    assert.equal(att.status, 0, att.stderr);
    await awsCli(server.url, ['ec2', 'wait', 'volume-in-use', '--volume-ids', vol]);
    const out = await ssh(id, 'lsblk | grep -c nvme2n1; sudo mkdir -p /mnt/tempvol && sudo mount -o nouuid /dev/xvdf1 /mnt/tempvol && df /mnt/tempvol | tail -1 && ls /mnt/tempvol/home');
    assert.match(out, /^2$/m, 'nvme2n1 and its partition');
    assert.match(out, /^\/dev\/nvme2n1p1 .* \/mnt\/tempvol$/m);
    assert.match(out, /^ec2-user$/m);
  });
});
