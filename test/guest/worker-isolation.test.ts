// Guests off the API's process (issue 19, guest/worker-engine.ts): instances sharded over guest
// worker processes. A guest that spins forever in its SSH session does not stop the API or another
// instance's OpenSSH login; a process that stalls or dies is replaced like a failed host — its
// instances boot again from their persisted volumes (still `running`, a new login works) and the
// instances of other processes keep their sessions. Real clients: the SDK and /usr/bin/ssh.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AssociateIamInstanceProfileCommand, DescribeInstancesCommand, RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { images, waitForState } from '../helpers/instances.js';
import { allowSsh } from '../helpers/network.js';
import { WatchedSession } from '../helpers/watched-session.js';
import { sshProbe, type SshProbe } from '../helpers/ssh-probe.js';
import { requireTools, tempDir } from '../helpers/tools.js';
import type { WorkerEngine } from '../../src/guest/worker-engine.js';

requireTools(['/usr/bin/ssh', '/usr/bin/ssh-keygen'], 'the guest worker tests');

let server: TestServer;
let client: EC2Client;
let probe: SshProbe;
let engine: WorkerEngine;
let a: string;
let b: string;
const dir = tempDir('ec2lite-workers-');

/** The one place this file launches instances: `n` of them, running. */
async function launch(n: number): Promise<string[]> {
  const r = await client.send(new RunInstancesCommand({ ImageId: (await images(client)).al2023, MinCount: n, MaxCount: n, KeyName: probe.keyName }));
  const ids = r.Instances!.map((i) => i.InstanceId!);
  for (const id of ids) await waitForState(client, id, 'running');
  // security groups (issue 20): port 22 opened as a user would before logging in
  for (const id of ids) await allowSsh(client, id);
  return ids;
}

/** A long OpenSSH session whose output the test watches. */
const openSession = (id: string, command: string) => WatchedSession.open(server.url, id, command, { key: probe.keyPath, knownHosts: dir.file('known_hosts') });

const shardOf = (id: string) => engine.describe().find((s) => s.instances.includes(id))!;

async function replaced(index: number, failuresBefore: number): Promise<void> {
  while (engine.describe()[index]!.failures === failuresBefore) await new Promise((r) => setTimeout(r, 50));
}

async function state(id: string): Promise<string | undefined> {
  const r = await client.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  return r.Reservations?.[0]?.Instances?.[0]?.State?.Name;
}

describe('simulated guests in guest worker processes', () => {
  before(async () => {
    server = await startTestServer({ guestProcesses: { processes: 2, heapMb: 256, stallMs: 3000 } });
    client = server.client();
    probe = await sshProbe(client);
    [a, b] = await launch(2) as [string, string];
    engine = (await (server.app.engines[0] as unknown as { loaded(): Promise<WorkerEngine> }).loaded());
  });
  after(async () => {
    await server?.close();
    probe?.cleanup();
    dir.cleanup();
  });

  it('places the two instances on different processes', () => {
    assert.notEqual(shardOf(a).index, shardOf(b).index);
    assert.ok(shardOf(a).pid !== undefined && shardOf(a).pid !== shardOf(b).pid);
  });

  it('an endless loop in one session: the API answers and another instance logs in before it ends', async () => {
    const attack = await openSession(a, 'echo started; while :; do :; done');
    await attack.until('started');
    assert.equal(await state(b), 'running');
    assert.equal((await probe.output(server.url, b, 'echo alive')).trim(), 'alive');
    // both answered while the loop still ran
    assert.ok(attack.running, 'the attack ended before the other login completed');
    attack.child.kill();
    await attack.exited;
    // the looping instance itself still serves new logins
    assert.equal((await probe.output(server.url, a, 'echo a-ok')).trim(), 'a-ok');
  });

  it('a step that never returns: after the stall timeout its process is killed (SIGKILL, preempted) and its instances reboot; the other keeps its session', async () => {
    await probe.output(server.url, a, 'echo kept > ~/persisted');
    const other = await openSession(b, 'echo ready; read x; echo got $x');
    await other.until('ready');
    const mine = await openSession(a, 'echo ready; read x; echo got $x');
    await mine.until('ready');
    const sa = shardOf(a);
    const sb = shardOf(b);
    // the process's main thread spins without yielding: no heartbeat, no message handled
    engine.stallWorker(sa.index);
    await replaced(sa.index, sa.failures);
    // it could not have exited on its own: the server killed it
    while (engine.describe()[sa.index]!.lastExit === undefined) await new Promise((r) => setTimeout(r, 50));
    assert.equal(engine.describe()[sa.index]!.lastExit, 'SIGKILL');
    assert.throws(() => process.kill(sa.pid!, 0), { code: 'ESRCH' });
    // its instance rebooted (its session closed with the host: ssh's 255) and boots from its volume
    assert.equal(await mine.exited, 255);
    assert.doesNotMatch(mine.out, /got/);
    assert.equal(await state(a), 'running');
    assert.equal((await probe.output(server.url, a, 'cat ~/persisted')).trim(), 'kept');
    assert.notEqual(shardOf(a).pid, sa.pid, 'a new process runs the instance');
    // the other process was never touched: same pid, its open session still answers
    assert.equal(shardOf(b).pid, sb.pid);
    assert.equal(shardOf(b).failures, sb.failures);
    assert.ok(other.running);
    other.child.stdin.write('ok\n');
    assert.equal(await other.exited, 0);
    assert.match(other.out, /got ok/);
  });

  it('a process that dies (killed, as over its heap cap) brings its instances back; other processes untouched', async () => {
    const sa = shardOf(a);
    const sb = shardOf(b);
    await engine.killWorker(sb.index);
    await replaced(sb.index, sb.failures);
    assert.equal(await state(b), 'running');
    assert.equal((await probe.output(server.url, b, 'echo back')).trim(), 'back');
    assert.equal(shardOf(a).pid, sa.pid);
    assert.equal(shardOf(a).failures, sa.failures);
    assert.equal((await probe.output(server.url, a, 'cat ~/persisted')).trim(), 'kept');
  });

  it('an IAM instance profile associated while running shows in the guest process\'s metadata, and after a host failure', async () => {
    const iamInfo = async () =>
      JSON.parse(
        await probe.output(
          server.url,
          a,
          'T=$(curl -s -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 60"); curl -s -H "X-aws-ec2-metadata-token: $T" http://169.254.169.254/latest/meta-data/iam/info',
        ),
      ) as Record<string, string>;
    await client.send(new AssociateIamInstanceProfileCommand({ InstanceId: a, IamInstanceProfile: { Name: 'worker-role' } }));
    assert.match((await iamInfo())['InstanceProfileArn']!, /:instance-profile\/worker-role$/);
    const sa = shardOf(a);
    await engine.killWorker(sa.index);
    await replaced(sa.index, sa.failures);
    assert.match((await iamInfo())['InstanceProfileArn']!, /:instance-profile\/worker-role$/);
  });
});
