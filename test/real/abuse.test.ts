// crun (issue 24): abuse inside one real instance stays inside it. A fork bomb, a memory hog, a
// tmpfs filler and a CPU spin each run in one instance (a 1-vCPU t2.micro) while the API answers,
// another real instance's SSH login works and the same server keeps running; each meets its bound
// in the instance's own cgroup (pids limit hit, the hog alone OOM-killed, ENOSPC, CPU quota enforced).
// No timing thresholds: the bench (`npm run bench -- --only real`) prints the latencies.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { DescribeImagesCommand, DescribeInstancesCommand, ImportKeyPairCommand, RunInstancesCommand, type EC2Client, type _InstanceType } from '@aws-sdk/client-ec2';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitForState } from '../helpers/instances.js';
import { realImageCache } from '../helpers/real-images.js';
import { allowSsh } from '../helpers/network.js';
import { sshInstance, sshTarget } from '../helpers/ssh.js';
import { requireTools, runAsync, tempDir } from '../helpers/tools.js';

requireTools(['/usr/bin/ssh', '/usr/bin/ssh-keygen', '/usr/bin/crun'], 'the real-instance abuse tests');

const cache = realImageCache();
const dir = tempDir('ec2lite-real-abuse-');
const key = dir.file('id');
let server: TestServer;
let client: EC2Client;
let abuser: string;
let bystander: string;

async function launch(type: string): Promise<string> {
  const ami = (await client.send(new DescribeImagesCommand({ Owners: ['136693071363'] }))).Images![0]!.ImageId!;
  const r = await client.send(new RunInstancesCommand({ ImageId: ami, InstanceType: type as _InstanceType, MinCount: 1, MaxCount: 1, KeyName: 'k' }));
  const id = r.Instances![0]!.InstanceId!;
  await allowSsh(client, id);
  await waitForState(client, id, 'running');
  return id;
}

const ssh = (id: string, command: string) => sshInstance(server.url, id, command, { key, knownHosts: dir.file(`kh_${id}`), hostKeys: 'accept-new' });

/** Runs `command` in the abuser over OpenSSH in the background; resolves with its output when it ends. */
async function inBackground(command: string): Promise<Promise<string>> {
  const t = await sshTarget(server.url, abuser);
  const child = spawn('/usr/bin/ssh', [
    '-o', `UserKnownHostsFile=${dir.file(`kh_${abuser}`)}`, '-o', 'StrictHostKeyChecking=accept-new', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR',
    '-i', key, '-p', String(t.port), `${t.user}@${t.host}`, command,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('close', () => resolve(out)));
}

/** The instance's cgroup file under the controller: the engine puts every controller's cgroup under the server's memory cgroup path (v1), or the unified one (v2). */
function cgroupFile(instanceId: string, controller: string, file: string): string {
  const lines = readFileSync('/proc/self/cgroup', 'utf8').split('\n').map((l) => l.split(':'));
  const v1 = lines.find((f) => f[1]?.split(',').includes('memory'))?.[2];
  const v2 = lines.find((f) => f[0] === '0')?.[2];
  const candidates = [v1 !== undefined && `/sys/fs/cgroup/${controller}${v1}`, v2 !== undefined && `/sys/fs/cgroup${v2}`].filter((x): x is string => !!x);
  for (const base of candidates) {
    try {
      return readFileSync(`${base.replace(/\/+$/, '')}/ec2lite/${instanceId}/${file}`, 'utf8');
    } catch {
      // next
    }
  }
  throw new Error(`no ${controller} cgroup file ${file} for ${instanceId}`);
}

const field = (text: string, name: string): number => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);

/** What must hold while one instance misbehaves: the API answers, the other instance's SSH login works, the server is the same. */
async function othersUnaffected(): Promise<void> {
  const r = await client.send(new DescribeInstancesCommand({ InstanceIds: [abuser, bystander] }));
  const states = r.Reservations!.flatMap((x) => x.Instances!).map((i) => i.State!.Name);
  assert.deepEqual(states, ['running', 'running']);
  const login = await ssh(bystander, 'whoami');
  assert.equal(login.stdout, 'admin\n', login.stderr);
  const health = (await (await fetch(`${server.url}/_ec2lite/health`)).json()) as { status: string; runningInstances: number; instanceNode: string };
  assert.equal(health.status, 'ok');
  assert.equal(health.runningInstances, 2);
  assert.equal(health.instanceNode, node);
}

let node: string;

before(async () => {
  server = await startTestServer({ dataDir: dir.file('data'), realImages: ['debian-12'], imageCache: cache, instanceDelays: { start: 0, stop: 0, terminate: 0 } });
  client = server.client();
  assert.equal((await runAsync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key])).code, 0);
  await client.send(new ImportKeyPairCommand({ KeyName: 'k', PublicKeyMaterial: await readFile(`${key}.pub`) }));
  abuser = await launch('t2.micro');
  bystander = await launch('t3.micro');
  node = ((await (await fetch(`${server.url}/_ec2lite/health`)).json()) as { instanceNode: string }).instanceNode;
  // cloud-init done in both: what follows is the abuse alone.
  for (const id of [abuser, bystander]) await ssh(id, 'cloud-init status --wait >/dev/null');
});
after(async () => {
  await server.close();
  dir.cleanup();
});

// A hang fails its test instead of the whole run (an upper bound on a hung test, not a timing assertion).
const bounded = { timeout: 300_000 };

describe('abuse inside one real instance', () => {
  it('a fork bomb hits the pids limit; others unaffected; the instance recovers', bounded, async () => {
    const maxBefore = field(cgroupFile(abuser, 'pids', 'pids.events'), 'max');
    // Bounded: at most 2^13 forks (twice the pids limit), each process sleeps 20 s and waits for its children, so it ends by itself.
    // dash, not bash: bash retries a refused fork for seconds, which keeps the bomb alive much longer.
    const done = await inBackground("sh -c 'b() { [ $1 -lt 12 ] && { b $(($1+1)) & b $(($1+1)) & }; sleep 20; wait; }; b 0' 2>/dev/null; echo bomb-over");
    let max = maxBefore;
    for (let i = 0; i < 600 && max === maxBefore; i++) {
      await new Promise((r) => setTimeout(r, 100));
      max = field(cgroupFile(abuser, 'pids', 'pids.events'), 'max');
    }
    assert.ok(max > maxBefore, 'the instance reached its pids limit');
    assert.ok(Number(cgroupFile(abuser, 'pids', 'pids.current')) <= Number(cgroupFile(abuser, 'pids', 'pids.max')));
    await othersUnaffected();
    assert.match(await done, /bomb-over/);
    assert.equal((await ssh(abuser, 'echo alive')).stdout, 'alive\n');
  });

  it('a memory hog is OOM-killed alone; others unaffected', bounded, async () => {
    const killsBefore = field(cgroupFile(abuser, 'memory', 'memory.oom_control'), 'oom_kill');
    const r = await ssh(abuser, 'python3 -c "b = bytearray(3 * 1024**3)"; echo rc=$?');
    assert.match(r.stdout, /rc=137/, r.stderr);
    assert.ok(field(cgroupFile(abuser, 'memory', 'memory.oom_control'), 'oom_kill') > killsBefore);
    // The hog alone: the instance's PID 1 and the SSH session's shell survived it.
    assert.equal((await ssh(abuser, 'ps -o comm= 1')).stdout, 'tini\n');
    await othersUnaffected();
  });

  it('a filler meets ENOSPC on a bounded filesystem; others unaffected', bounded, async () => {
    const r = await ssh(abuser, 'head -c 200M /dev/zero > /dev/shm/fill; echo rc=$?; rm -f /dev/shm/fill');
    assert.match(r.stdout, /rc=1/);
    assert.match(r.stderr, /No space left on device/);
    await othersUnaffected();
  });

  it('a CPU spin runs under the instance type\'s vCPU quota; others unaffected', bounded, async () => {
    // One vCPU's quota per period (t2.micro), enforced while it spins (throttled whenever the host gives it more).
    assert.equal(Number(cgroupFile(abuser, 'cpu', 'cpu.cfs_quota_us')), Number(cgroupFile(abuser, 'cpu', 'cpu.cfs_period_us')));
    const before = field(cgroupFile(abuser, 'cpu', 'cpu.stat'), 'nr_periods');
    const done = await inBackground("timeout 15 sh -c 'while :; do :; done' & timeout 15 sh -c 'while :; do :; done' & wait; echo spin-over");
    await new Promise((r) => setTimeout(r, 1000));
    await othersUnaffected();
    assert.match(await done, /spin-over/);
    assert.ok(field(cgroupFile(abuser, 'cpu', 'cpu.stat'), 'nr_periods') > before, 'the quota was enforced over the spin');
  });
});
