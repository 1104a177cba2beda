// Instances across nodes: two (then three) `ec2lite serve` processes on one PostgreSQL database.
// Each running instance has one owning node (its lease); the SSH-info route answers from any node
// with the owner's endpoint; when the owner is killed with SIGKILL another node adopts its
// instances, with the same host key (known_hosts untouched) and the files written before; an
// action sent to a node that does not run the guest (StopInstances, AttachVolume) makes the owner hand it over.
// The real OpenSSH client logs in. Emulator-only.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  AttachVolumeCommand,
  CreateKeyPairCommand,
  CreateVolumeCommand,
  DescribeVolumesCommand,
  EC2Client,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { engines, freshSchemaUrl } from '../helpers/store-engines.js';
import { describe as describeInstance, images, waitForState } from '../helpers/instances.js';
import { eventually } from '../helpers/autoscaling.js';
import { requireTools, runAsync, tempDir, writePrivate } from '../helpers/tools.js';
import { startServeNode, stopServeNode, type ServeNode } from '../helpers/serve-node.js';
import { allowSsh } from '../helpers/network.js';

requireTools(['/usr/bin/ssh'], 'the instance lease tests');

const root = fileURLToPath(new URL('../../../', import.meta.url));
const postgres = engines().find((e) => e.name === 'postgres')!;
const dir = tempDir('ec2lite-leases-');

interface Node extends ServeNode { name: string; id: string }
interface SshInfo { host: string; port: number; user: string; node: string }

async function startNode(name: string, database: string): Promise<Node> {
  const node = await startServeNode(database, {
    env: {
      EC2LITE_RSA_POOL_SIZE: '1',
      EC2LITE_SSH_PORT: '0',
      EC2LITE_INSTANCE_LEASE_RENEW_MS: '100',
      EC2LITE_INSTANCE_LEASE_MS: '1500',
    },
  });
  const health = (await (await fetch(`${node.url}/_ec2lite/health`)).json()) as { instanceNode: string };
  return { ...node, name, id: health.instanceNode };
}

const stopNode = stopServeNode;

async function sshInfo(node: Node, instanceId: string): Promise<SshInfo | undefined> {
  const res = await fetch(`${node.url}/_ec2lite/instances/${instanceId}/ssh`);
  if (res.status === 404) return undefined;
  assert.equal(res.status, 200);
  return (await res.json()) as SshInfo;
}

const runningHere = async (node: Node) =>
  ((await (await fetch(`${node.url}/_ec2lite/health`)).json()) as { runningInstances: number }).runningInstances;

/** `ec2lite ssh ID` against `node`'s API: the command finds the endpoint through that node. */
function ec2liteSsh(node: Node, id: string, key: string, knownHosts: string, command: string) {
  return runAsync(process.execPath, [
    'dist/src/cli/main.js', 'ssh', id, '-i', key, '--endpoint', node.url, command,
    '--', '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR',
  ], { cwd: root });
}

/** OpenSSH with its own known_hosts; `accept-new` only the first time, then the key must match. */
function ssh(info: SshInfo, key: string, knownHosts: string, command: string, firstTime: boolean) {
  return runAsync('/usr/bin/ssh', [
    '-o', `UserKnownHostsFile=${knownHosts}`,
    '-o', `StrictHostKeyChecking=${firstTime ? 'accept-new' : 'yes'}`,
    '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=10',
    '-i', key, '-p', String(info.port), `${info.user}@${info.host}`, command,
  ]);
}

describe('instances owned across nodes on one PostgreSQL database', { skip: postgres.skip, timeout: 180_000 }, () => {
  let database: string;
  let a: Node;
  let b: Node;
  let c: Node | undefined;
  const clients: EC2Client[] = [];
  const ec2 = (n: Node) => {
    const client = new EC2Client({ endpoint: n.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 's' }, maxAttempts: 1 });
    clients.push(client);
    return client;
  };
  let key: string;
  let ids: string[] = [];
  const knownHosts = (id: string) => dir.file(`known_hosts_${id}`);
  const hostsBefore = new Map<string, string>();

  before(async () => {
    database = await freshSchemaUrl();
    [a, b] = await Promise.all([startNode('a', database), startNode('b', database)]);
    assert.notEqual(a.id, b.id);
  });
  after(async () => {
    for (const client of clients) client.destroy();
    await Promise.all([stopNode(a), stopNode(b), stopNode(c)]);
  });

  it('runs each instance on the node that launched it; the SSH-info route of the other node points there', async () => {
    const k = await ec2(a).send(new CreateKeyPairCommand({ KeyName: 'lease-key', KeyType: 'ed25519' }));
    key = writePrivate(dir.file('lease-key.pem'), k.KeyMaterial!);
    const img = await images(ec2(a));
    const r = await ec2(a).send(new RunInstancesCommand({ ImageId: img.al2023, MinCount: 2, MaxCount: 2, KeyName: 'lease-key' }));
    ids = r.Instances!.map((i) => i.InstanceId!);
    for (const id of ids) await waitForState(ec2(b), id, 'running');
    await allowSsh(ec2(a), ids[0]!);

    for (const id of ids) {
      const fromA = await sshInfo(a, id);
      const fromB = await sshInfo(b, id);
      assert.ok(fromA && fromB, `SSH info for ${id} on both nodes`);
      assert.equal(fromA.node, a.id);
      assert.deepEqual(fromB, fromA, 'node B answers with node A’s endpoint');
      const w = await ssh(fromB, key, knownHosts(id), `echo written-on-a-${id} > notes.txt && sudo sh -c 'echo root-${id} > /etc/motd-extra' && cat notes.txt`, true);
      assert.equal(w.code, 0, w.stderr);
      assert.equal(w.stdout.trim(), `written-on-a-${id}`);
      hostsBefore.set(id, await readFile(knownHosts(id), 'utf8'));
      assert.match(hostsBefore.get(id)!, /ssh-ed25519 /);
      const viaB = await ec2liteSsh(b, id, key, knownHosts(id), 'cat notes.txt');
      assert.equal(viaB.stdout, `written-on-a-${id}\n`, viaB.stderr);
    }
    assert.equal(await runningHere(a), 2);
    assert.equal(await runningHere(b), 0, 'node B runs none of them');
    assert.doesNotMatch(b.stderr(), /booted/, 'node B never booted a guest');
  });

  it('after SIGKILL of the owner, the other node adopts the instances with their disks and host keys', async () => {
    await stopNode(a, 'SIGKILL');
    for (const id of ids) {
      const info = await eventually(`${id} adopted by node B`, async () => {
        const i = await sshInfo(b, id);
        return i?.node === b.id ? i : undefined;
      });
      // Same key, verified against the known_hosts written while node A ran it (StrictHostKeyChecking=yes).
      const r = await ssh(info, key, knownHosts(id), `cat notes.txt /etc/motd-extra`, false);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `written-on-a-${id}\nroot-${id}\n`);
      assert.equal(await readFile(knownHosts(id), 'utf8'), hostsBefore.get(id), 'known_hosts unchanged');
      const viaB = await ec2liteSsh(b, id, key, knownHosts(id), 'hostname');
      assert.equal(viaB.code, 0, viaB.stderr);
      assert.match(viaB.stdout, /^ip-172-31-/);
    }
    assert.equal(await runningHere(b), 2);
    const d = await waitForState(ec2(b), ids[0]!, 'running');
    assert.equal(d.State!.Name, 'running', 'the instances stayed running through the takeover');
  });

  it('an action on a node that does not run the guest makes the owner hand it over', async () => {
    c = await startNode('c', database);
    assert.equal(await runningHere(c), 0, 'a new node takes nothing a live node owns');
    const [id] = ids;
    const before = await sshInfo(c, id!);
    assert.equal(before?.node, b.id);

    // Stop through node C: node B saves and hands the guest over; the instance stops.
    const stop = await ec2(c).send(new StopInstancesCommand({ InstanceIds: [id!] }));
    assert.equal(stop.StoppingInstances![0]!.PreviousState!.Name, 'running');
    await waitForState(ec2(b), id!, 'stopped');
    assert.equal(await runningHere(b), 1);
    assert.equal(await sshInfo(b, id!), undefined, 'a stopped instance has no endpoint');

    // Start through node C: it runs there now, with its disk and host key.
    await ec2(c).send(new StartInstancesCommand({ InstanceIds: [id!] }));
    await waitForState(ec2(b), id!, 'running');
    const info = await sshInfo(b, id!);
    assert.equal(info?.node, c.id, 'node B points to node C');
    const r = await ssh(info!, key, knownHosts(id!), 'cat notes.txt', false);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `written-on-a-${id}\n`);
    assert.equal(await runningHere(c), 1);
  });

  it('a volume hot-attached through another node appears in the guest, which moves to that node', async () => {
    const id = ids[1]!; // still on node B
    assert.equal((await sshInfo(c!, id))?.node, b.id);
    const zone = (await describeInstance(ec2(c!), id)).Placement!.AvailabilityZone!;
    const vol = await ec2(c!).send(new CreateVolumeCommand({ AvailabilityZone: zone, Size: 2 }));
    await eventually('volume available', async () => {
      const v = await ec2(c!).send(new DescribeVolumesCommand({ VolumeIds: [vol.VolumeId!] }));
      return v.Volumes![0]!.State === 'available' ? true : undefined;
    });
    await ec2(c!).send(new AttachVolumeCommand({ VolumeId: vol.VolumeId!, InstanceId: id, Device: '/dev/sdf' }));
    const info = await sshInfo(b, id);
    assert.equal(info?.node, c!.id, 'the node that served AttachVolume runs the guest now');
    const r = await ssh(info!, key, knownHosts(id), 'lsblk; cat notes.txt', false);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^xvdf +202:80 .* disk $/m);
    assert.match(r.stdout, new RegExp(`^written-on-a-${id}$`, 'm'));
    assert.equal(await runningHere(b), 0);
  });
});
