// Guest worker processes that fail (issue 19, guest/worker-engine.ts), through the real clients
// (the SDK, /usr/bin/ssh): a guest that builds a value past its process's V8 heap cap ends that
// process, not the server — the process is replaced, its instances boot again from their volumes,
// an instance on the other process keeps its open session, the API answers throughout (one
// allocation far past the cap: guest-processes.test.ts, with the server as its own process). A cloud-init bootcmd
// that ends its worker at every boot does it twice, not forever: the instance is then impaired
// (DescribeInstanceStatus), boots without its scripts and answers SSH, and the worker stays up.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeInstanceStatusCommand, DescribeInstancesCommand, DescribeKeyPairsCommand, RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { images, waitForState } from '../helpers/instances.js';
import { allowSsh } from '../helpers/network.js';
import { WatchedSession } from '../helpers/watched-session.js';
import { sshProbe, type SshProbe } from '../helpers/ssh-probe.js';
import { requireTools, tempDir } from '../helpers/tools.js';
import type { WorkerEngine } from '../../src/guest/worker-engine.js';

requireTools(['/usr/bin/ssh', '/usr/bin/ssh-keygen'], 'the guest worker failure tests');

/**
 * A value far past a small guest process heap, yet within every per-guest limit: awk holds up to a
 * million array elements and 64 MiB of their bytes; 450,000 elements of 100 bytes take over 64 MiB
 * of heap. The heap grows by small allocations (the strings).
 */
const HEAP_BOMB = `awk 'BEGIN { for (i = 0; i < 450000; i++) a[i] = sprintf("%100d", i); print "built", length(a) }'`;

let server: TestServer;
let client: EC2Client;
let probe: SshProbe;
let engine: WorkerEngine;
let a: string;
let b: string;
const dir = tempDir('ec2lite-worker-failures-');

/** The one place this file launches instances: running, port 22 open. */
async function launch(n: number, userData?: string): Promise<string[]> {
  const r = await client.send(
    new RunInstancesCommand({
      ImageId: (await images(client)).al2023,
      MinCount: n,
      MaxCount: n,
      KeyName: probe.keyName,
      ...(userData ? { UserData: Buffer.from(userData).toString('base64') } : {}),
    }),
  );
  const ids = r.Instances!.map((i) => i.InstanceId!);
  for (const id of ids) await waitForState(client, id, 'running');
  for (const id of ids) await allowSsh(client, id);
  return ids;
}

/** A long OpenSSH session whose output the test watches. */
const openSession = (id: string, command: string) => WatchedSession.open(server.url, id, command, { key: probe.keyPath, knownHosts: dir.file('known_hosts') });

const shardOf = (id: string) => engine.describe().find((s) => s.instances.includes(id))!;

async function failuresReach(index: number, count: number): Promise<void> {
  while (engine.describe()[index]!.failures < count) await new Promise((r) => setTimeout(r, 50));
}

async function state(id: string): Promise<string | undefined> {
  const r = await client.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  return r.Reservations?.[0]?.Instances?.[0]?.State?.Name;
}

async function instanceStatus(id: string) {
  const r = await client.send(new DescribeInstanceStatusCommand({ InstanceIds: [id] }));
  return r.InstanceStatuses?.[0];
}

describe('guest worker processes that fail', { timeout: 600_000 }, () => {
  before(async () => {
    // a small heap cap, so that one guest within its own limits can exhaust it
    server = await startTestServer({ guestProcesses: { processes: 2, heapMb: 64, stallMs: 3000 } });
    client = server.client();
    probe = await sshProbe(client);
    [a, b] = (await launch(2)) as [string, string];
    engine = await (server.app.engines[0] as unknown as { loaded(): Promise<WorkerEngine> }).loaded();
  });
  after(async () => {
    await server?.close();
    probe?.cleanup();
    dir.cleanup();
  });

  it('a guest building a huge value ends its process past the heap cap; the process restarts, the other process and the API are untouched', async () => {
    assert.notEqual(shardOf(a).index, shardOf(b).index);
    await probe.output(server.url, a, 'echo kept > ~/persisted');
    const held = await openSession(b, 'echo ready; read x; echo got $x');
    await held.until('ready');
    const sa = shardOf(a);
    const sb = shardOf(b);

    const bomb = await openSession(a, HEAP_BOMB);
    const code = await bomb.exited;
    // the channel closed with the host (no exit status): OpenSSH reports 255
    assert.equal(code, 255, `the guest finished: ${bomb.out}`);
    assert.doesNotMatch(bomb.out, /built/);
    await failuresReach(sa.index, sa.failures + 1);

    // the API answers; the instance is still running and boots again from its volume on a new worker
    assert.ok((await client.send(new DescribeKeyPairsCommand({}))).KeyPairs!.some((k) => k.KeyName === probe.keyName));
    assert.equal(await state(a), 'running');
    assert.equal((await probe.output(server.url, a, 'cat ~/persisted')).trim(), 'kept');
    assert.notEqual(shardOf(a).pid, sa.pid, 'a new process runs the instance');
    assert.equal(shardOf(a).lastExit, 'SIGABRT', 'V8 aborted the process at its heap cap');
    assert.equal((await instanceStatus(a))?.InstanceStatus?.Status, 'ok', 'one failure of a session is not a failed status check');

    // the other process: same pid, no failure, its session still open and answering
    assert.equal(shardOf(b).pid, sb.pid);
    assert.equal(shardOf(b).failures, sb.failures);
    assert.ok(held.running);
    held.child.stdin.write('ok\n');
    assert.equal(await held.exited, 0);
    assert.match(held.out, /got ok/);
    // the server (this test's own process) was never restarted: the same in-process app answers
    assert.equal((await fetch(`${server.url}/_ec2lite/health`)).status, 200);
  });

  it('a bootcmd that ends its process at every boot: after the second time the instance is impaired, boots without it, and the process stays up', async () => {
    const before = engine.describe().map((s) => s.failures);
    const [c] = (await launch(1, ['#cloud-config', 'bootcmd:', `  - ${HEAP_BOMB}`, ''].join('\n'))) as [string];
    const sc = shardOf(c);
    const other = engine.describe().find((s) => s.index !== sc.index)!;

    // the status check fails once the boot took the worker down twice
    let status = await instanceStatus(c);
    while (status?.InstanceStatus?.Status !== 'impaired') {
      await new Promise((r) => setTimeout(r, 100));
      status = await instanceStatus(c);
    }
    assert.equal(engine.describe()[sc.index]!.failures, before[sc.index]! + 2);
    assert.equal(status.InstanceState?.Name, 'running');
    assert.equal(status.SystemStatus?.Status, 'ok', 'the host is fine: only the instance check fails');
    assert.equal(status.InstanceStatus?.Details?.[0]?.Name, 'reachability');
    assert.equal(status.InstanceStatus?.Details?.[0]?.Status, 'failed');
    assert.ok(status.InstanceStatus?.Details?.[0]?.ImpairedSince instanceof Date);
    const filtered = await client.send(new DescribeInstanceStatusCommand({ Filters: [{ Name: 'instance-status.status', Values: ['impaired'] }] }));
    assert.deepEqual(filtered.InstanceStatuses?.map((s) => s.InstanceId), [c]);

    // it answers SSH; cloud-init says why its boot did not run, and the bomb never printed
    const log = await probe.output(server.url, c, 'cloud-init status; sudo cat /var/log/cloud-init-output.log');
    assert.match(log, /status: error/);
    assert.match(log, /a step of this boot ended the instance's host each time it ran/);
    assert.doesNotMatch(log, /built/);

    // the process was not taken down again (a login and a reboot of the same shard later), the other never
    await probe.output(server.url, c, 'echo again');
    assert.equal(engine.describe()[sc.index]!.failures, before[sc.index]! + 2);
    assert.equal(engine.describe()[other.index]!.failures, before[other.index]!);
    assert.equal((await probe.output(server.url, b, 'echo b-ok')).trim(), 'b-ok');
    assert.equal((await probe.output(server.url, a, 'echo a-ok')).trim(), 'a-ok');
    assert.equal(engine.describe()[sc.index]!.failures, before[sc.index]! + 2);
  });
});
