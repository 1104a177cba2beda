import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateKeyPairCommand,
  CreateTagsCommand,
  DescribeInstancesCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type EC2Client,
  type Filter,
} from '@aws-sdk/client-ec2';
import { awsError, startTestServer, type TestServer } from '../helpers/server.js';
import { images, waitForState, type Images } from '../helpers/instances.js';

let server: TestServer;
let client: EC2Client;
let img: Images;
/** a: al2023 + key + tags; b, c: one reservation of Ubuntu t3.micro in zone b; d: instance-store, terminated. */
const ids: Record<'a' | 'b' | 'c' | 'd', string> = { a: '', b: '', c: '', d: '' };
let reservationBC = '';

before(async () => {
  server = await startTestServer({ instanceDelays: { start: 20, stop: 20, terminate: 20 } });
  client = server.client();
  img = await images(client);
  await client.send(new CreateKeyPairCommand({ KeyName: 'dev', KeyType: 'ed25519' }));
  const a = await client.send(
    new RunInstancesCommand({
      ImageId: img.al2023,
      MinCount: 1,
      MaxCount: 1,
      KeyName: 'dev',
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'alpha' }, { Key: 'team', Value: 'web' }] }],
    }),
  );
  ids.a = a.Instances![0]!.InstanceId!;
  const bc = await client.send(
    new RunInstancesCommand({ ImageId: img.ubuntu, MinCount: 2, MaxCount: 2, InstanceType: 't3.micro', Placement: { AvailabilityZone: 'us-east-1b' } }),
  );
  reservationBC = bc.ReservationId!;
  ids.b = bc.Instances![0]!.InstanceId!;
  ids.c = bc.Instances![1]!.InstanceId!;
  ids.d = (await client.send(new RunInstancesCommand({ ImageId: img.instanceStore, MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
  for (const id of [ids.a, ids.b, ids.c, ids.d]) await waitForState(client, id, 'running');
  await client.send(new TerminateInstancesCommand({ InstanceIds: [ids.d] }));
  await waitForState(client, ids.d, 'terminated');
  await client.send(new CreateTagsCommand({ Resources: [ids.b], Tags: [{ Key: 'team', Value: 'data' }] }));
});
after(() => server.close());

async function idsFor(Filters: Filter[]): Promise<string[]> {
  const r = await client.send(new DescribeInstancesCommand({ Filters }));
  return r.Reservations!.flatMap((x) => x.Instances!.map((i) => i.InstanceId!)).sort();
}
const sorted = (...xs: string[]) => [...xs].sort();

describe('DescribeInstances', () => {
  it('lists every instance, terminated ones included, grouped by reservation', async () => {
    const r = await client.send(new DescribeInstancesCommand({}));
    assert.equal(r.Reservations!.length, 3);
    const bc = r.Reservations!.find((x) => x.ReservationId === reservationBC)!;
    assert.deepEqual(bc.Instances!.map((i) => i.InstanceId), [ids.b, ids.c]);
    assert.deepEqual(bc.Instances!.map((i) => i.AmiLaunchIndex), [0, 1]);
    assert.ok(r.Reservations!.every((x) => /^[0-9]{12}$/.test(x.OwnerId!)));
  });

  it('returns the full instance item', async () => {
    const i = (await client.send(new DescribeInstancesCommand({ InstanceIds: [ids.a] }))).Reservations![0]!.Instances![0]!;
    assert.equal(i.KeyName, 'dev');
    assert.deepEqual(i.State, { Code: 16, Name: 'running' });
    assert.equal(i.InstanceType, 'm1.small');
    assert.equal(i.ImageId, img.al2023);
    assert.equal(i.Architecture, 'x86_64');
    assert.equal(i.VirtualizationType, 'hvm');
    assert.equal(i.Hypervisor, 'xen');
    assert.equal(i.RootDeviceType, 'ebs');
    assert.equal(i.RootDeviceName, '/dev/xvda');
    assert.ok(i.LaunchTime instanceof Date && !Number.isNaN(i.LaunchTime.getTime()));
    assert.deepEqual(i.Placement, { AvailabilityZone: 'us-east-1a', GroupName: '', Tenancy: 'default' });
    assert.match(i.PublicIpAddress!, /^127\./);
    assert.equal(i.PublicDnsName, `ec2-${i.PublicIpAddress!.replace(/\./g, '-')}.compute-1.amazonaws.com`);
    assert.match(i.PrivateDnsName!, /^ip-172-31-\d+-\d+\.ec2\.internal$/);
    const ebs = i.BlockDeviceMappings![0]!;
    assert.equal(ebs.DeviceName, '/dev/xvda');
    assert.equal(ebs.Ebs!.Status, 'attached');
    assert.equal(ebs.Ebs!.DeleteOnTermination, true);
    assert.ok(ebs.Ebs!.AttachTime instanceof Date);
    // AL2023 (ImdsSupport v2.0): IMDSv2 only, hop limit 2, as AWS launches it.
    assert.deepEqual(i.MetadataOptions, {
      State: 'applied',
      HttpTokens: 'required',
      HttpPutResponseHopLimit: 2,
      HttpEndpoint: 'enabled',
      HttpProtocolIpv6: 'disabled',
      InstanceMetadataTags: 'disabled',
    });
    assert.deepEqual(i.Tags, [{ Key: 'Name', Value: 'alpha' }, { Key: 'team', Value: 'web' }]);
  });

  it('shows a terminated instance with its state reason and no addresses or volumes', async () => {
    const d = (await client.send(new DescribeInstancesCommand({ InstanceIds: [ids.d] }))).Reservations![0]!.Instances![0]!;
    assert.deepEqual(d.State, { Code: 48, Name: 'terminated' });
    assert.equal(d.StateReason!.Code, 'Client.UserInitiatedShutdown');
    assert.match(d.StateTransitionReason!, /^User initiated \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\)$/);
    assert.equal(d.PublicIpAddress, undefined);
    assert.equal(d.RootDeviceType, 'instance-store');
    assert.deepEqual(d.BlockDeviceMappings, []);
  });

  it('filters by id, state, key, image, type, zone, addresses, device type and tags', async () => {
    const a = (await client.send(new DescribeInstancesCommand({ InstanceIds: [ids.a] }))).Reservations![0]!.Instances![0]!;
    assert.deepEqual(await idsFor([{ Name: 'instance-id', Values: [ids.a, ids.c] }]), sorted(ids.a, ids.c));
    assert.deepEqual(await idsFor([{ Name: 'instance-state-name', Values: ['terminated'] }]), [ids.d]);
    assert.deepEqual(await idsFor([{ Name: 'instance-state-code', Values: ['16'] }]), sorted(ids.a, ids.b, ids.c));
    assert.deepEqual(await idsFor([{ Name: 'key-name', Values: ['dev'] }]), [ids.a]);
    assert.deepEqual(await idsFor([{ Name: 'image-id', Values: [img.ubuntu] }]), sorted(ids.b, ids.c));
    assert.deepEqual(await idsFor([{ Name: 'instance-type', Values: ['t3.*'] }]), sorted(ids.b, ids.c));
    assert.deepEqual(await idsFor([{ Name: 'availability-zone', Values: ['us-east-1b'] }]), sorted(ids.b, ids.c));
    assert.deepEqual(await idsFor([{ Name: 'ip-address', Values: [a.PublicIpAddress!] }]), [ids.a]);
    assert.deepEqual(await idsFor([{ Name: 'private-ip-address', Values: [a.PrivateIpAddress!] }]), [ids.a]);
    assert.deepEqual(await idsFor([{ Name: 'root-device-type', Values: ['instance-store'] }]), [ids.d]);
    assert.deepEqual(await idsFor([{ Name: 'tag:team', Values: ['web', 'data'] }]), sorted(ids.a, ids.b));
    assert.deepEqual(await idsFor([{ Name: 'tag:Name', Values: ['alp*'] }]), [ids.a]);
    assert.deepEqual(await idsFor([{ Name: 'tag-key', Values: ['team'] }]), sorted(ids.a, ids.b));
    // filters are ANDed
    assert.deepEqual(
      await idsFor([
        { Name: 'image-id', Values: [img.ubuntu] },
        { Name: 'tag-key', Values: ['team'] },
      ]),
      [ids.b],
    );
    // ids and filters together
    const r = await client.send(new DescribeInstancesCommand({ InstanceIds: [ids.a, ids.b], Filters: [{ Name: 'instance-type', Values: ['m1.small'] }] }));
    assert.deepEqual(r.Reservations!.flatMap((x) => x.Instances!.map((i) => i.InstanceId)), [ids.a]);
  });

  it('refuses an unknown filter', async () => {
    const e = await awsError(() => client.send(new DescribeInstancesCommand({ Filters: [{ Name: 'colour', Values: ['x'] }] })));
    assert.equal(e.name, 'InvalidParameterValue');
    assert.equal(e.message, "The filter 'colour' is invalid");
  });

  it('refuses missing and malformed ids', async () => {
    const one = await awsError(() => client.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })));
    assert.equal(one.name, 'InvalidInstanceID.NotFound');
    assert.equal(one.message, "The instance ID 'i-0123456789abcdef0' does not exist");
    const two = await awsError(() => client.send(new DescribeInstancesCommand({ InstanceIds: [ids.a, 'i-0123456789abcdef0', 'i-0123456789abcdef1'] })));
    assert.equal(two.message, "The instance IDs 'i-0123456789abcdef0, i-0123456789abcdef1' do not exist");
    const bad = await awsError(() => client.send(new DescribeInstancesCommand({ InstanceIds: ['web-1'] })));
    assert.equal(bad.name, 'InvalidInstanceID.Malformed');
    assert.equal(bad.message, 'Invalid id: "web-1"');
  });

  it('is scoped to the region', async () => {
    const eu = await server.client({ region: 'eu-west-1' }).send(new DescribeInstancesCommand({}));
    assert.deepEqual(eu.Reservations, []);
    const e = await awsError(() => server.client({ region: 'eu-west-1' }).send(new DescribeInstancesCommand({ InstanceIds: [ids.a] })));
    assert.equal(e.name, 'InvalidInstanceID.NotFound');
  });

  it('paginates with MaxResults and NextToken', async () => {
    for (let i = 0; i < 2; i++) await client.send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 1, MaxCount: 1 }));
    const first = await client.send(new DescribeInstancesCommand({ MaxResults: 5 }));
    const firstIds = first.Reservations!.flatMap((x) => x.Instances!.map((i) => i.InstanceId!));
    assert.equal(firstIds.length, 5);
    assert.ok(first.NextToken);
    const second = await client.send(new DescribeInstancesCommand({ MaxResults: 5, NextToken: first.NextToken }));
    const secondIds = second.Reservations!.flatMap((x) => x.Instances!.map((i) => i.InstanceId!));
    assert.equal(secondIds.length, 1);
    assert.equal(second.NextToken, undefined);
    assert.equal(new Set([...firstIds, ...secondIds]).size, 6);
    const small = await awsError(() => client.send(new DescribeInstancesCommand({ MaxResults: 4 })));
    assert.equal(small.name, 'InvalidParameterValue');
    const combo = await awsError(() => client.send(new DescribeInstancesCommand({ MaxResults: 5, InstanceIds: [ids.a] })));
    assert.equal(combo.name, 'InvalidParameterCombination');
  });

  it('answers DryRun with DryRunOperation', async () => {
    const e = await awsError(() => client.send(new DescribeInstancesCommand({ DryRun: true })));
    assert.equal(e.name, 'DryRunOperation');
    assert.equal(e.status, 412);
  });
});

describe('DescribeInstances pages of filtered instances (filters applied by the store, or in memory for wildcards)', () => {
  it('walks every match once, in launch order, grouped by reservation on each page', async () => {
    const eu = server.client({ region: 'eu-central-1' });
    const euImages = await images(eu);
    const launch = async (count: number, env: string) => {
      const r = await eu.send(
        new RunInstancesCommand({ ImageId: euImages.al2023, MinCount: count, MaxCount: count, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'env', Value: env }] }] }),
      );
      return { reservationId: r.ReservationId!, ids: r.Instances!.map((i) => i.InstanceId!) };
    };
    const r1 = await launch(7, 'paged');
    await launch(4, 'other');
    const r3 = await launch(3, 'paged');
    const expected = [...r1.ids, ...r3.ids];

    const walk = async (Filters: Filter[]) => {
      const pages: { reservations: [string, string[]][] }[] = [];
      let NextToken: string | undefined;
      do {
        const page = await eu.send(new DescribeInstancesCommand({ Filters, MaxResults: 5, NextToken }));
        pages.push({ reservations: page.Reservations!.map((r) => [r.ReservationId!, r.Instances!.map((i) => i.InstanceId!)]) });
        NextToken = page.NextToken;
        assert.ok(pages.length <= 5, 'pagination ends');
      } while (NextToken);
      return pages;
    };
    const exact = await walk([
      { Name: 'tag:env', Values: ['paged'] },
      { Name: 'instance-state-name', Values: ['pending', 'running'] },
    ]);
    assert.deepEqual(
      exact.map((p) => p.reservations.flatMap(([, list]) => list)),
      [expected.slice(0, 5), expected.slice(5, 10)],
    );
    // The second page holds the end of the first reservation and all of the third, each under its own id.
    assert.deepEqual(exact[1]!.reservations, [
      [r1.reservationId, r1.ids.slice(5)],
      [r3.reservationId, r3.ids],
    ]);
    // A wildcard value is matched in memory; the pages are the same.
    const wild = await walk([{ Name: 'tag:env', Values: ['pag*'] }]);
    assert.deepEqual(wild.map((p) => p.reservations), exact.map((p) => p.reservations));
    // Mixed: an exact filter in the store, a wildcard one and a field the store does not know in memory.
    const mixed = await walk([
      { Name: 'tag:env', Values: ['paged'] },
      { Name: 'instance-id', Values: ['i-*'] },
      { Name: 'root-device-type', Values: ['ebs'] },
    ]);
    assert.deepEqual(mixed.flatMap((p) => p.reservations.flatMap(([, list]) => list)), expected);
    const none = await eu.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:env', Values: ['nowhere'] }], MaxResults: 5 }));
    assert.deepEqual(none.Reservations, []);
    assert.equal(none.NextToken, undefined);
    await eu.send(new TerminateInstancesCommand({ InstanceIds: [...expected, ...(await walk([{ Name: 'tag:env', Values: ['other'] }])).flatMap((p) => p.reservations.flatMap(([, l]) => l))] }));
  });
});

