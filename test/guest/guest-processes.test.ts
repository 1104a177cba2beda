// Guest worker processes seen from outside the server (issue 19, guest/worker-engine.ts): the
// server runs as its own process (`ec2lite serve`), its guests in child processes. One allocation
// that crosses a guest process's heap cap by far more than V8's leeway (the rehash of an awk array
// of a million entries) aborted the whole server when guests were worker threads; now it ends that
// guest process only — the server keeps its pid and answers, the other process's instance keeps
// its open session. A server killed with SIGKILL leaves no guest process behind, even one whose
// main thread a guest step holds. Real clients: the SDK and /usr/bin/ssh.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DescribeInstancesCommand, DescribeKeyPairsCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { GUEST_NICENESS } from '../../src/guest/worker-engine.js';
import { images, waitForState } from '../helpers/instances.js';
import { allowSsh } from '../helpers/network.js';
import { startServeNode, stopServeNode, type ServeNode } from '../helpers/serve-node.js';
import { WatchedSession } from '../helpers/watched-session.js';
import { sshProbe, type SshProbe } from '../helpers/ssh-probe.js';
import { requireTools, tempDir } from '../helpers/tools.js';

requireTools(['/usr/bin/ssh', '/usr/bin/ssh-keygen'], 'the guest process tests');

/**
 * Within every per-guest limit (awk holds up to a million elements), but its table's rehashes are
 * single allocations of tens of MB: with a 40 MiB heap cap the last one crosses the cap by more
 * than the 16 MB Node lets a worker thread overrun — in worker threads this aborted the server
 * (CALL_AND_RETRY_LAST), every time it was tried.
 */
const REHASH_BOMB = `awk 'BEGIN { for (i = 0; i < 1000000; i++) a[i] = i; print "built", length(a) }'`;

const ENGINE = fileURLToPath(new URL('../../src/guest/worker-engine.js', import.meta.url));
const dir = tempDir('ec2lite-guest-processes-');
let node: ServeNode;
let client: EC2Client;
let probe: SshProbe;

/** A process's state letter (R, S, Z…), or undefined once it is gone. */
function procState(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
  } catch {
    return undefined;
  }
}
/** A process's niceness (field 19 of /proc/<pid>/stat). */
const niceness = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
const gone = (pid: number) => {
  const s = procState(pid);
  return s === undefined || s === 'Z' || s === 'X';
};

/** The guest worker processes of a server: its live children running the worker entry. */
function guestProcesses(serverPid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, ppid] = stat.split(') ')[1]!.split(' ');
      if (Number(ppid) !== serverPid || state === 'Z') continue;
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('worker-entry.js')) pids.push(Number(name));
    } catch {
      // it ended while we looked
    }
  }
  return pids.sort((a, b) => a - b);
}

async function until(what: string, ok: () => boolean): Promise<void> {
  for (;;) {
    if (ok()) return;
    if (node.child.exitCode !== null || node.child.signalCode !== null) throw new Error(`the server ended (${node.child.signalCode ?? node.child.exitCode}) while waiting for ${what}:\n${node.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function launch(n: number): Promise<string[]> {
  const r = await client.send(new RunInstancesCommand({ ImageId: (await images(client)).al2023, MinCount: n, MaxCount: n, KeyName: probe.keyName }));
  const ids = r.Instances!.map((i) => i.InstanceId!);
  for (const id of ids) await waitForState(client, id, 'running');
  for (const id of ids) await allowSsh(client, id);
  return ids;
}

/** A long OpenSSH session whose output the test watches. */
const openSession = (id: string, command: string) => WatchedSession.open(node.url, id, command, { key: probe.keyPath, knownHosts: dir.file('known_hosts') });

describe('guest worker processes, from outside the server', { timeout: 600_000 }, () => {
  before(async () => {
    // a small heap cap, so that one guest within its own limits crosses it by one allocation
    node = await startServeNode('sqlite', { args: ['--ephemeral'], env: { EC2LITE_GUEST_PROCESSES: '2', EC2LITE_GUEST_HEAP_MB: '40', EC2LITE_GUEST_STALL_MS: '3000' } });
    client = new EC2Client({ endpoint: node.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 's' }, maxAttempts: 1 });
    probe = await sshProbe(client);
  });
  after(async () => {
    client?.destroy();
    await stopServeNode(node);
    probe?.cleanup();
    dir.cleanup();
  });

  it('one allocation far past a guest process heap cap ends that process only: same server pid, the API answers, the other process keeps its session', async () => {
    const [a, b] = (await launch(2)) as [string, string];
    const serverPid = node.child.pid!;
    await until('two guest processes', () => guestProcesses(serverPid).length === 2);
    const before = guestProcesses(serverPid);
    // guests' work yields the CPU to the API's process (worker-engine.ts, GUEST_NICENESS)
    for (const p of before) assert.equal(niceness(p), Math.min(19, niceness(serverPid) + GUEST_NICENESS), `guest process ${p}`);
    await probe.output(node.url, a, 'echo kept > ~/persisted');
    // two instances on two processes (the least loaded takes each): b's session is on the other one
    const held = await openSession(b, 'echo ready; read x; echo got $x');
    await held.until('ready');

    const bomb = await openSession(a, REHASH_BOMB);
    // the channel closed with the host (no exit status): OpenSSH reports 255
    assert.equal(await bomb.exited, 255, `the guest finished: ${bomb.out}`);
    assert.doesNotMatch(bomb.out, /built/);
    // exactly one process was replaced
    await until('the replacement process', () => {
      const now = guestProcesses(serverPid);
      return now.length === 2 && now.filter((p) => before.includes(p)).length === 1;
    });
    const ended = before.find((p) => !guestProcesses(serverPid).includes(p))!;
    assert.ok(gone(ended));
    const replacement = guestProcesses(serverPid).find((p) => !before.includes(p))!;
    assert.equal(niceness(replacement), Math.min(19, niceness(serverPid) + GUEST_NICENESS), 'the replacement is as nice');

    // the server process is the same and answers; the instance is running and boots again from its volume
    assert.equal(node.child.exitCode, null);
    assert.equal(node.child.signalCode, null);
    assert.equal(node.child.pid, serverPid);
    assert.ok((await client.send(new DescribeKeyPairsCommand({}))).KeyPairs!.some((k) => k.KeyName === probe.keyName));
    const r = await client.send(new DescribeInstancesCommand({ InstanceIds: [a] }));
    assert.equal(r.Reservations?.[0]?.Instances?.[0]?.State?.Name, 'running');
    assert.equal((await probe.output(node.url, a, 'cat ~/persisted')).trim(), 'kept');
    // V8's fatal message reached the server's log, prefixed with the process it came from
    assert.match(node.stderr(), new RegExp(`guest process \\d \\(pid ${ended}\\): .*heap`, 'i'));
    assert.match(node.stderr(), /guest process \d exited \(SIGABRT\): restarting its 1 instance\(s\)/);

    // the other process: its session still open and answering
    assert.ok(held.running);
    held.child.stdin.write('ok\n');
    assert.equal(await held.exited, 0);
    assert.match(held.out, /got ok/);
    assert.equal((await probe.output(node.url, b, 'echo b-ok')).trim(), 'b-ok');
  });

  it('a server killed with SIGKILL leaves no guest process behind', async () => {
    const serverPid = node.child.pid!;
    const children = guestProcesses(serverPid);
    assert.equal(children.length, 2);
    await stopServeNode(node, 'SIGKILL');
    // each exits as its IPC channel closes; reparented meanwhile, so found by pid
    for (const pid of children) while (!gone(pid)) await new Promise((r) => setTimeout(r, 50));
    for (const pid of children) assert.ok(gone(pid));
  });

  // the kernel's parent-death signal (setpriv), and the lifeline thread where setpriv is missing
  for (const lifeline of [false, true]) {
    it(`a guest process whose main thread a guest step holds still ends when its server is killed (${lifeline ? 'its lifeline thread' : 'PR_SET_PDEATHSIG'})`, async () => {
      // a stand-in server: the real engine with one process, its main thread held, its pid reported
      const parent = spawn(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { WorkerEngine } from ${JSON.stringify(ENGINE)};
           const engine = new WorkerEngine({}, { processes: 1, heapMb: 256, stallMs: 600000, lifeline: ${lifeline} });
           const up = setInterval(() => {
             const [s] = engine.describe();
             if (!s.up) return;
             clearInterval(up);
             engine.stallWorker(0);
             setTimeout(() => console.log('child', s.pid), 300);
           }, 20);`,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let out = '';
      parent.stdout.on('data', (d: Buffer) => (out += d.toString()));
      while (!/child \d+/.test(out)) {
        assert.equal(parent.exitCode, null, 'the stand-in server ended early');
        await new Promise((r) => setTimeout(r, 20));
      }
      const pid = Number(/child (\d+)/.exec(out)![1]);
      assert.match(readFileSync(`/proc/${pid}/cmdline`, 'utf8'), /worker-entry\.js/);
      // held: its main thread spins (state R) and sends no heartbeat
      assert.equal(procState(pid), 'R');
      const exited = new Promise((r) => parent.once('exit', r));
      parent.kill('SIGKILL');
      await exited;
      while (!gone(pid)) await new Promise((r) => setTimeout(r, 50));
      assert.ok(gone(pid));
    });
  }
});
