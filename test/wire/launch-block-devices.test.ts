// RunInstances BlockDeviceMapping validation, as EC2 answers it (each error's evidence is beside its
// text in src/actions/block-device-mappings.ts), and what a valid launch stores.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateImageCommand, DescribeVolumesCommand, RunInstancesCommand, type BlockDeviceMapping, type EC2Client } from '@aws-sdk/client-ec2';
import { awsError, type TestServer } from '../helpers/server.js';
import { waitForState, type Images } from '../helpers/instances.js';
import { startLaunchServer } from '../helpers/launch-fixture.js';

let server: TestServer;
let client: EC2Client;
let img: Images;
before(async () => ({ server, client, img } = await startLaunchServer()));
after(() => server.close());

const run = (mappings: BlockDeviceMapping[], over: Record<string, unknown> = {}) =>
  client.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1, BlockDeviceMappings: mappings, ...over }));

async function volumesOf(id: string) {
  const v = await client.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [id] }] }));
  return new Map(v.Volumes!.map((x) => [x.Attachments![0]!.Device!, x]));
}

describe('RunInstances BlockDeviceMapping', () => {
  const cases: [string, BlockDeviceMapping[], string, RegExp][] = [
    ['missing device name', [{ Ebs: { VolumeSize: 1 } }], 'InvalidBlockDeviceMapping', /^Missing device name$/],
    ['trailing digit', [{ DeviceName: '/dev/sde1', Ebs: { VolumeSize: 1 } }], 'InvalidBlockDeviceMapping', /^Invalid device name \/dev\/sde1$/],
    ['not a device', [{ DeviceName: '/dev/foo', Ebs: { VolumeSize: 1 } }], 'InvalidBlockDeviceMapping', /^Invalid device name \/dev\/foo$/],
    ['root smaller than its snapshot', [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 4 } }], 'InvalidBlockDeviceMapping', /^Volume of size 4GB is smaller than {2}snapshot 'snap-[0-9a-f]{17}', expect size >= 8GB$/],
    ['no size, no snapshot', [{ DeviceName: '/dev/sdf', Ebs: { VolumeType: 'gp3' } }], 'InvalidBlockDeviceMapping', /^Either snapshot ID or volume size must be provided for: \/dev\/sdf$/],
    ['gp2 with throughput', [{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 10, VolumeType: 'gp2', Throughput: 200 } }], 'InvalidBlockDeviceMapping', /^throughput cannot be specified with the volumeType of device '\/dev\/sdf'$/],
    ['gp2 with iops', [{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 10, VolumeType: 'gp2', Iops: 300 } }], 'InvalidParameterCombination', /^The parameter iops is not supported for gp2 volumes\.$/],
    ['gp3 iops per GiB', [{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 20, VolumeType: 'gp3', Iops: 15000 } }], 'InvalidParameterValue', /^Iops to volume size ratio of 750\.000000 is too high; maximum is 500$/],
    ['gp3 throughput per iops', [{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 100, VolumeType: 'gp3', Throughput: 1000 } }], 'InvalidParameterValue', /^Throughput \(MiBps\) to iops ratio of 0\.333333 is too high; maximum is 0\.250000 MiBps per iops$/],
    ['io1 iops range', [{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 100, VolumeType: 'io1', Iops: 50 } }], 'InvalidParameterValue', /^Volume iops of 50 is too low; valid range is 100-64000\.$/],
    ['size range', [{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 20000, VolumeType: 'gp2' } }], 'InvalidParameterValue', /out of range for gp2; valid sizes are 1-16384GiB/],
    ['one device twice', [{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 1 } }, { DeviceName: '/dev/sdf', Ebs: { VolumeSize: 2 } }], 'InvalidBlockDeviceMapping', /^The device 'sdf' is used in more than one block-device mapping$/],
    ['two names of one disk', [{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 1 } }, { DeviceName: '/dev/xvdf', Ebs: { VolumeSize: 1 } }], 'InvalidBlockDeviceMapping', /^The device '\/dev\/xvdf' and the device '\/dev\/sdf' name the same disk/],
    ['KmsKeyId without Encrypted', [{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 1, KmsKeyId: 'alias/mine' } }], 'InvalidParameterDependency', /KmsKeyId requires the parameter Encrypted/],
    ['bad virtual name', [{ DeviceName: '/dev/sdb', VirtualName: 'scratch' }], 'InvalidBlockDeviceMapping', /^Invalid virtual name scratch$/],
    ['unknown snapshot', [{ DeviceName: '/dev/sdf', Ebs: { SnapshotId: 'snap-0123456789abcdef0' } }], 'InvalidSnapshot.NotFound', /snap-0123456789abcdef0/],
  ];
  for (const [name, mappings, code, message] of cases) {
    it(`refuses ${name} with ${code}`, async () => {
      const e = await awsError(() => run(mappings));
      assert.equal(e.name, code);
      assert.match(e.message, message);
      assert.equal(e.status, 400);
    });
  }

  it('stores types, IOPS, throughput, encryption and DeleteOnTermination; NoDevice and ephemeral names', async () => {
    const r = await run(
      [
        { DeviceName: '/dev/xvda', Ebs: { VolumeSize: 12, VolumeType: 'io2', Iops: 1000, DeleteOnTermination: false } },
        { DeviceName: '/dev/sdf', Ebs: { VolumeSize: 5, Encrypted: true, KmsKeyId: 'arn:aws:kms:us-east-1:000000000000:key/mine' } },
        { DeviceName: '/dev/sdg', NoDevice: '' },
        { DeviceName: '/dev/sdb', VirtualName: 'ephemeral0' },
      ],
      { InstanceType: 'm1.small' },
    );
    const id = r.Instances![0]!.InstanceId!;
    await waitForState(client, id, 'running');
    const v = await volumesOf(id);
    assert.deepEqual([...v.keys()].sort(), ['/dev/sdf', '/dev/xvda']);
    const root = v.get('/dev/xvda')!;
    assert.deepEqual([root.Size, root.VolumeType, root.Iops, root.Attachments![0]!.DeleteOnTermination], [12, 'io2', 1000, false]);
    const extra = v.get('/dev/sdf')!;
    assert.deepEqual([extra.Size, extra.VolumeType, extra.Iops, extra.Encrypted, extra.KmsKeyId], [5, 'gp2', 100, true, 'arn:aws:kms:us-east-1:000000000000:key/mine']);
    assert.equal(extra.Attachments![0]!.DeleteOnTermination, true);
  });

  it("an image's extra volume can be resized at launch and removed with NoDevice", async () => {
    const src = await run([{ DeviceName: '/dev/sdh', Ebs: { VolumeSize: 2 } }]);
    const srcId = src.Instances![0]!.InstanceId!;
    await waitForState(client, srcId, 'running');
    const { ImageId } = await client.send(new CreateImageCommand({ InstanceId: srcId, Name: 'with-data', NoReboot: true }));
    const small = await awsError(() => run([{ DeviceName: '/dev/sdh', Ebs: { VolumeSize: 1 } }], { ImageId }));
    assert.match(small.message, /^Volume of size 1GB is smaller than {2}snapshot 'snap-[0-9a-f]{17}', expect size >= 2GB$/);
    const bigger = await run([{ DeviceName: '/dev/sdh', Ebs: { VolumeSize: 3 } }], { ImageId });
    assert.equal((await volumesOf(bigger.Instances![0]!.InstanceId!)).get('/dev/sdh')!.Size, 3);
    const none = await run([{ DeviceName: '/dev/sdh', NoDevice: '' }], { ImageId });
    assert.deepEqual([...(await volumesOf(none.Instances![0]!.InstanceId!)).keys()], ['/dev/xvda']);
  });
});
