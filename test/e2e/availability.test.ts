// Availability under attack (issue 19), through the real clients: each attack runs in instance A
// over OpenSSH (or through the AWS CLI) and, while it runs, an API call and a fresh SSH login into
// instance B complete before the attack is told to stop; the attack then ends with its own result
// or error; the test process (which hosts the server) and its guest processes stay under an RSS
// bound; and a session held open in B all along is never cut (B was not stopped or rebooted). No
// timings are asserted: the attacks loop until a stop file appears, so "before the attack ends" is
// an ordering. Under the backtracking engine each of these iterations took from seconds to hours:
// the API call would never have come back. Part of the guest-abuse suite (test/e2e/guest-shell.test.ts).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { CreateKeyPairCommand, DescribeKeyPairsCommand, RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { images, waitForState } from '../helpers/instances.js';
import { awsCli } from '../helpers/awscli.js';
import { requireTools, runAsync, tempDir, type ProcessResult } from '../helpers/tools.js';
import { allowSsh } from '../helpers/network.js';

requireTools(['/usr/bin/ssh', '/usr/bin/aws'], 'the availability tests');

const dir = tempDir('ec2lite-avail-');
/** What the test process (server included) and its guest processes may hold at any point of an attack. */
const RSS_BOUND = 1536 * 1024 * 1024;

/** This process's resident bytes plus its children's (the server's guest processes, guest/worker-engine.ts). */
function serverRss(): number {
  let total = process.memoryUsage().rss;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (Number(readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) !== process.pid) continue;
      total += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${name}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    } catch {
      // it ended while we looked
    }
  }
  return total;
}
let server: TestServer;
let client: EC2Client;
let keyPath = '';
let imageId = '';
interface Target { id: string; host: string; port: number; user: string }
let a: Target;
let b: Target;

const sshArgs = (t: Target) => [
  '-o', `UserKnownHostsFile=${dir.file('known_hosts')}`, '-o', 'StrictHostKeyChecking=no', '-o', 'IdentitiesOnly=yes',
  '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', '-i', keyPath, '-p', String(t.port), `${t.user}@${t.host}`,
];
const ssh = (t: Target, command: string, input = ''): Promise<ProcessResult> => runAsync('/usr/bin/ssh', [...sshArgs(t), command], { input });

/** A command running in the background, its output so far, and its end. */
interface Running { child: ChildProcess; out: () => string; err: () => string; ended: Promise<number>; done: () => boolean }
function start(t: Target, command: string, stdinFrom?: ChildProcess): Running {
  const child = spawn('/usr/bin/ssh', [...sshArgs(t), command], { stdio: [stdinFrom ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  if (stdinFrom) stdinFrom.stdout!.pipe(child.stdin!).on('error', () => {});
  let out = '';
  let err = '';
  let finished = false;
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const ended = new Promise<number>((resolve) => child.on('close', (code) => ((finished = true), resolve(code ?? -1))));
  return { child, out: () => out, err: () => err, ended, done: () => finished };
}
async function until(what: string, r: Running, text: string): Promise<void> {
  while (!r.out().includes(text)) {
    if (r.done()) assert.fail(`${what} ended before printing ${text}: ${r.out()} ${r.err()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The one launch function of this file: port 22 opened as a user would (security groups). */
async function launch(userData?: string): Promise<Target> {
  const r = await client.send(new RunInstancesCommand({ ImageId: imageId, MinCount: 1, MaxCount: 1, KeyName: 'avail', ...(userData ? { UserData: Buffer.from(userData).toString('base64') } : {}) }));
  const id = r.Instances![0]!.InstanceId!;
  await waitForState(client, id, 'running');
  await allowSsh(client, id);
  const info = (await (await fetch(`${server.url}/_ec2lite/instances/${id}/ssh`)).json()) as { host: string; port: number; user: string };
  return { id, ...info };
}

before(async () => {
  server = await startTestServer();
  client = server.client();
  imageId = (await images(client)).al2023;
  const k = await client.send(new CreateKeyPairCommand({ KeyName: 'avail' }));
  keyPath = dir.file('avail.pem');
  await writeFile(keyPath, k.KeyMaterial!, { mode: 0o600 });
  a = await launch();
  b = await launch();
});
after(async () => {
  await server.close();
  dir.cleanup();
});

/**
 * Runs `attack` (a loop body) in A until told to stop; meanwhile the API and a login into B
 * complete, and B's long session stays up. Returns the attack's output after `finished`.
 */
async function underAttack(name: string, attack: string, stdinFrom?: ChildProcess): Promise<{ out: string; err: string; code: number }> {
  await ssh(a, 'rm -f /tmp/stop');
  await ssh(b, 'rm -f /tmp/stop-b');
  const held = start(b, 'echo ready; while [ ! -e /tmp/stop-b ]; do sleep 0.2; done; echo intact');
  await until('B session', held, 'ready');
  const attacker = start(a, `echo started; n=0; while [ ! -e /tmp/stop ]; do ${attack}; n=$((n+1)); done; echo "finished after $n"`, stdinFrom);
  await until(name, attacker, 'started');

  const keys = await client.send(new DescribeKeyPairsCommand({}));
  assert.ok(keys.KeyPairs!.some((k) => k.KeyName === 'avail'));
  const login = await ssh(b, 'echo in-b');
  assert.equal(login.stdout, 'in-b\n', login.stderr);
  assert.equal(attacker.done(), false, `${name}: the API call and B's login completed while the attack ran`);
  assert.ok(serverRss() < RSS_BOUND, `RSS ${serverRss()}`);

  const stop = await ssh(a, 'touch /tmp/stop && echo stopping');
  assert.equal(stop.stdout, 'stopping\n', 'A itself answers a new login during its own attack');
  const code = await attacker.ended;
  await ssh(b, 'touch /tmp/stop-b');
  assert.equal(await held.ended, 0);
  assert.equal(held.out(), 'ready\nintact\n', 'B was neither stopped nor rebooted');
  assert.match(attacker.out(), /finished after [1-9]\d*\n$/, `${name}: ${attacker.out()} ${attacker.err()}`);
  return { out: attacker.out(), err: attacker.err(), code };
}

describe('attacks that froze the server now leave it answering', { timeout: 600_000 }, () => {
  it('backtracking regexes in grep, sed, awk, expr and [[ =~ ]] (a 40-character line: hours for a backtracker)', async () => {
    const x = `x=$(printf 'a%.0s' {1..40})'!'`;
    const r = await underAttack('regex', `${x}; echo "$x" | grep -cE '^(a+)+$' >/tmp/g; echo "$x" | sed -E 's/^(a|aa)+$/X/' >/tmp/s; echo "$x" | awk '/^(a|a)*b/ { n++ } END { print n + 0 }' >/tmp/w; expr "$x" : '\\(a*a*a*a*a*a*b\\)' >/tmp/e; [[ $x =~ ^(a+)+b$ ]]; echo $? >/tmp/m`);
    assert.equal(r.code, 0);
    assert.equal((await ssh(a, 'cat /tmp/g /tmp/s /tmp/w /tmp/e /tmp/m')).stdout, `0\n${'a'.repeat(40)}!\n0\n\n1\n`);
  });

  it('a many-star glob against a 3,000-character value ([[ == ]], case, ${v##pat})', async () => {
    const r = await underAttack('glob', `y=$(printf 'a%.0s' {1..3000}); [[ $y == *a*a*a*a*a*b ]]; echo $? >/tmp/glob; case $y in *a*a*a*a*a*b) echo hit;; *) echo miss;; esac >>/tmp/glob; echo "\${#y} \${y##*a*a*a*a*b}" | wc -c >>/tmp/glob`);
    assert.equal(r.code, 0);
    assert.equal((await ssh(a, 'cat /tmp/glob')).stdout, '1\nmiss\n3006\n');
  });

  it('a brace expansion of ten million words fails as bash does when memory runs out', async () => {
    const r = await underAttack('brace expansion', `bash -c 'echo {1..100}{1..100}{1..100}{1..10} | wc -c' 2>/tmp/brace.err >/dev/null`);
    assert.equal(r.code, 0);
    assert.match((await ssh(a, 'cat /tmp/brace.err')).stdout, /xmalloc: cannot allocate/);
  });

  it('a full volume: every touch writes what a touch writes', async () => {
    const fill = await ssh(a, 'for i in 1 2 3 4 5 6; do sudo sh -c "head -c 8000000 /dev/urandom > /var/fill$i"; done; df -m / | tail -1');
    assert.equal(fill.code, 0, fill.stderr);
    const r = await underAttack('full volume', 'touch /tmp/t$((n % 20))');
    assert.equal(r.code, 0);
    // (how many touches ran depends on the machine's speed: each one left its file)
    const touches = Number(/finished after (\d+)/.exec(r.out)![1]);
    assert.equal((await ssh(a, 'sudo rm -f /var/fill*; ls /tmp/t* | wc -l')).stdout, `${Math.min(touches, 20)}\n`);
  });

  it('an endless stdin into a command that does not read it stays bounded (SSH flow control)', async () => {
    const yes = spawn('/usr/bin/yes', [Buffer.alloc(4000, 'x').toString()], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const r = await underAttack('stdin flood', 'sleep 0.1', yes);
      assert.equal(r.code, 0);
    } finally {
      yes.kill();
    }
  });

  it('a 14 MB script on a session\'s stdin is refused (no heap exhaustion); the session answers', async () => {
    await ssh(b, 'rm -f /tmp/stop-b');
    const held = start(b, 'echo ready; while [ ! -e /tmp/stop-b ]; do sleep 0.2; done; echo intact');
    await until('B session', held, 'ready');
    const feeder = spawn('/bin/sh', ['-c', 'yes "echo line" | head -c 14000000'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const r = start(a, 'bash', feeder);
    const code = await r.ended;
    feeder.kill();
    assert.equal(code, 2);
    assert.match(r.err(), /xmalloc: cannot allocate/);
    assert.ok(serverRss() < RSS_BOUND, `RSS ${serverRss()}`);
    assert.equal((await ssh(a, 'echo after')).stdout, 'after\n');
    await ssh(b, 'touch /tmp/stop-b');
    assert.equal(await held.ended, 0);
    assert.equal(held.out(), 'ready\nintact\n');
  });

  it('an 8 MB script file run by bash is refused as bash fails when memory runs out; A and B answer', async () => {
    const write = await ssh(a, "yes 'echo line' | head -c 7900000 > /tmp/big.sh; wc -c < /tmp/big.sh");
    assert.equal(write.stdout, '7900000\n', write.stderr);
    const r = await underAttack('8 MB script', 'bash /tmp/big.sh >/dev/null 2>/tmp/big.err; echo $? >/tmp/big.code');
    assert.equal(r.code, 0);
    assert.equal((await ssh(a, 'cat /tmp/big.code')).stdout, '2\n');
    assert.match((await ssh(a, 'cat /tmp/big.err')).stdout, /xmalloc: cannot allocate/);
  });

  it('1.5 GB piped into a command that does not read it: the client is held back, RSS stays bounded', async () => {
    const feed = spawn('/usr/bin/head', ['-c', '1500000000', '/dev/zero'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const sleeper = start(a, 'echo started; while [ ! -e /tmp/stop-sleep ]; do sleep 0.2; done; echo slept', feed);
      await until('stdin sleeper', sleeper, 'started');
      // while the 1.5 GB waits at the client: the API, a login into B, and the bound
      assert.ok((await client.send(new DescribeKeyPairsCommand({}))).KeyPairs!.length > 0);
      assert.equal((await ssh(b, 'echo in-b')).stdout, 'in-b\n');
      assert.ok(serverRss() < RSS_BOUND, `RSS ${serverRss()}`);
      assert.equal(sleeper.done(), false);
      await ssh(a, 'touch /tmp/stop-sleep');
      assert.equal(await sleeper.ended, 0);
      assert.equal(sleeper.out(), 'started\nslept\n');
      assert.ok(serverRss() < RSS_BOUND, `RSS ${serverRss()}`);
    } finally {
      feed.kill();
      await ssh(a, 'rm -f /tmp/stop-sleep');
    }
  });

  it('a DescribeKeyPairs filter value *a*a*a…b (the AWS CLI) answers at once, with another call beside it', async () => {
    await client.send(new CreateKeyPairCommand({ KeyName: 'a'.repeat(250), KeyType: 'ed25519' }));
    const [attack, other] = await Promise.all([
      awsCli(server.url, ['ec2', 'describe-key-pairs', '--filters', `Name=key-name,Values=${'*a'.repeat(12)}*b`, '--query', 'KeyPairs[].KeyName', '--output', 'json']),
      ssh(b, 'echo in-b'),
    ]);
    assert.equal(attack.status, 0, attack.stderr);
    assert.deepEqual(JSON.parse(attack.stdout), []);
    assert.equal(other.stdout, 'in-b\n');
    const hit = await awsCli(server.url, ['ec2', 'describe-key-pairs', '--filters', `Name=key-name,Values=${'*a'.repeat(12)}*`, '--query', 'KeyPairs[].KeyName', '--output', 'json']);
    assert.deepEqual(JSON.parse(hit.stdout), ['a'.repeat(250)]);
  });

  it('ImportKeyPair with a long run of blanks in the key text (the AWS CLI) is refused at once, with another call beside it', async () => {
    const file = dir.file('blanks.pub');
    await writeFile(file, `ssh-ed25519 ${' '.repeat(700_000)}x\n`);
    const [attack, other] = await Promise.all([
      awsCli(server.url, ['ec2', 'import-key-pair', '--key-name', 'blanks', '--public-key-material', `fileb://${file}`]),
      ssh(b, 'echo in-b'),
    ]);
    assert.notEqual(attack.status, 0);
    assert.match(attack.stderr, /InvalidKey\.Format|InvalidParameterValue/);
    assert.equal(other.stdout, 'in-b\n');
  });

  it('the same attacks in cloud-init bootcmd: the instance boots, logs the failures and answers', async () => {
    const c = await launch(['#cloud-config', 'bootcmd:', "  - echo {1..100}{1..100}{1..100}{1..10} | wc -c", "  - x=$(printf 'a%.0s' {1..40})'!'; echo \"$x\" | grep -cE '^(a+)+$'", ''].join('\n'));
    const r = await ssh(c, 'cloud-init status --wait >/dev/null; sudo cat /var/log/cloud-init-output.log');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /xmalloc: cannot allocate/);
    assert.equal((await ssh(b, 'echo in-b')).stdout, 'in-b\n');
  });
});
