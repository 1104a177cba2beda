// The guest shell through the real OpenSSH client: the constructs scripts use
// (checked against what bash prints), scripts run by path through their
// shebang, stdin reaching commands, the Terraform remote-exec / Packer /
// Ansible command patterns, and abuse (endless loops, recursion, `yes`, a
// file-appending loop) that must leave the API and other instances answering.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import { CreateKeyPairCommand, DescribeKeyPairsCommand, RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { images, waitForState } from '../helpers/instances.js';
import { requireTools, runAsync, tempDir, type ProcessResult } from '../helpers/tools.js';
import { allowSsh } from '../helpers/network.js';

requireTools(['/usr/bin/ssh', '/usr/bin/scp', '/bin/bash'], 'the guest shell tests');

const dir = tempDir('ec2lite-shell-');
let server: TestServer;
let client: EC2Client;
let keyPath = '';
interface Target { host: string; port: number; user: string; knownHosts: string }
let a: Target;
let b: Target;

const common = (t: Target) => ['-o', `UserKnownHostsFile=${t.knownHosts}`, '-o', 'StrictHostKeyChecking=accept-new', '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', '-i', keyPath];

function ssh(t: Target, command: string, opts: { input?: string; tty?: boolean } = {}): Promise<ProcessResult> {
  return runAsync('/usr/bin/ssh', [...common(t), ...(opts.tty ? ['-tt'] : []), '-p', String(t.port), `${t.user}@${t.host}`, command], { input: opts.input ?? '' });
}

function sshBackground(t: Target, command: string): ChildProcess {
  return spawn('/usr/bin/ssh', [...common(t), '-p', String(t.port), `${t.user}@${t.host}`, command], { stdio: ['pipe', 'ignore', 'ignore'] });
}

/** The same script under the host's real bash, for comparison. */
async function bash(script: string): Promise<ProcessResult> {
  const home = dir.file('bash-home');
  await runAsync('/bin/mkdir', ['-p', home]);
  return runAsync('/bin/bash', ['-c', `cd ${home} && ${script}`]);
}

async function launch(keyName: string, imageId: string): Promise<Target> {
  const r = await client.send(new RunInstancesCommand({ ImageId: imageId, MinCount: 1, MaxCount: 1, KeyName: keyName }));
  const id = r.Instances![0]!.InstanceId!;
  await waitForState(client, id, 'running');
  await allowSsh(client, id);
  const res = await fetch(`${server.url}/_ec2lite/instances/${id}/ssh`);
  const info = (await res.json()) as { host: string; port: number; user: string };
  return { ...info, knownHosts: dir.file(`known_hosts_${id}`) };
}

before(async () => {
  server = await startTestServer({ instanceDelays: { start: 20, stop: 20, terminate: 20 } });
  client = server.client();
  const img = await images(client);
  const k = await client.send(new CreateKeyPairCommand({ KeyName: 'shell' }));
  keyPath = dir.file('shell.pem');
  await writeFile(keyPath, k.KeyMaterial!, { mode: 0o600 });
  await chmod(keyPath, 0o600);
  a = await launch('shell', img.al2023);
  b = await launch('shell', img.al2023);
});

after(async () => {
  await server.close();
  dir.cleanup();
});

/** Scripts whose stdout and exit status must equal real bash's. */
const SAME_AS_BASH = [
  'if false; then echo a; elif true; then echo b; else echo c; fi',
  'for i in 1 2 3; do printf "%s," $i; done; echo',
  'i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; until [ $i -le 0 ]; do i=$((i-1)); done; echo $i',
  'case x.tar.gz in *.zip) echo zip;; *.tar.*) echo tar;; esac',
  'f() { local v=$1; echo "in:$v:$#"; return 4; }; function g { f "$@"; }; g "a b" c; echo $?',
  '(cd / && pwd); { echo one; echo two; } | wc -l',
  'echo $(echo a $(echo b)) `echo c` "$(( (2 + 3) * 4 ))"',
  'v=/srv/app/file.tar.gz; echo ${v%.*} ${v%%.*} ${v#*/} ${v##*/} ${v/app/www} ${#v} ${u:-dflt} ${w:=set} $w ${v:+alt}',
  'set -- a "b c"; echo $# "$@" "$*"; shift; echo $1',
  'v=val; cat <<EOF\n$v x\nEOF\ncat <<\'EOF\'\n$v y\nEOF\ncat <<< "here"; cat <<-END\n\tindented $v\n\tEND',
  'ls /nonexistent 2>/dev/null; echo $?; echo to-err 2>&1 >/dev/null',
  'set -e; false || echo handled; if false; then :; fi; false; echo never',
  'set -o pipefail; false | true; echo $?',
  'trap "echo exiting" EXIT; echo body; exit 3',
  'while getopts ab: o -a -b val; do echo "$o=${OPTARG:-}"; done',
  'printf "k1 v1\\nk2 v2\\n" | while read -r k v; do echo "$v=$k"; done; IFS=: read -r x y <<< "p:q:r"; echo "$x|$y"',
  'eval "n=\\$((6*7))"; echo $n; command -v nosuch; echo $?; type cd',
  '[[ abc == a* && -n x ]] && echo yes; [ 2 -gt 1 ] && test -d / && echo dir; ! true; echo $?',
  'nosuchcommand; echo $?; x=$(exit 5); echo $?',
  'for ((i=0; i<3; i++)); do echo -n $i; done; echo; (( 3 > 2 )) && echo arith',
  'echo {a,b}.txt {1..3}; set -u; echo ${unset_var-ok}',
  'yes | head -2; seq 3 | tr "\\n" " "; echo; echo abc | sha256sum',
  // arrays
  'a=(x "y z" w); a+=(v); a[7]=u; unset "a[1]"; printf "<%s>" "${a[@]}"; echo " ${#a[@]} ${!a[@]} ${a[-1]} $a"; IFS=,; echo "${a[*]}"',
  'declare -A m=([host]=db [port]=5432); m[user]=admin; for k in host port user; do echo "$k=${m[$k]}"; done; echo ${#m[@]}; unset "m[port]"; echo ${#m[@]}',
  'f() { local -a xs=("$@"); local n=${#xs[@]}; echo "$n:${xs[0]}:${xs[@]:1}"; }; f "a b" c d; read -ra p <<< "1 2  3"; echo ${#p[@]} $(( p[0] + p[2] ))',
  'printf "l1\\nl2\\n" > mf; mapfile -t ls < mf; echo "${ls[@]}"; v=ls; echo ${!v}; [[ v1.22 =~ ^v([0-9]+)\\.([0-9]+)$ ]] && echo "${BASH_REMATCH[1]}-${BASH_REMATCH[2]}"',
  // awk, against the host's GNU awk
  "printf 'k1 5\\nk2 7\\nk1 3\\n' | awk '{ s[$1] += $2; n++ } END { for (k in s) printf \"%s=%d\\n\", k, s[k] | \"sort\"; close(\"sort\"); print n, length(s) }'",
  "printf 'root:x:0:0\\nbob:x:1000:1000\\n' | awk -F: -v min=1000 'BEGIN { OFS = \"|\" } $3 >= min { $2 = toupper($1); print; next } /^root/ { print \"admin\", NR }'",
  "awk 'function f(n) { return n < 2 ? n : f(n-1) + f(n-2) } BEGIN { s = \"a-b-c\"; n = split(s, p, \"-\"); gsub(/-/, \"+\", s); print f(15), n, p[3], s, substr(s, 2, 3), index(s, \"c\"), length(s); if (match(\"key=val\", /=.*/)) print RSTART, RLENGTH; exit 4 }'; echo $?",
  "printf 'a b c\\n\\nd e\\n' | awk 'NF { $1 = $1; NF = 2; print NR \": \" $0 } !NF { print \"blank\" } END { printf \"%5.1f|%-4s|%03d\\n\", 3.14159, \"x\", 7 }'",
];

describe('the guest shell over OpenSSH', () => {
  for (const script of SAME_AS_BASH) {
    it(`runs like bash: ${script.split('\n')[0]!.slice(0, 70)}`, async () => {
      const [guest, real] = await Promise.all([ssh(a, script), bash(script)]);
      assert.equal(guest.stdout, real.stdout, `stderr: ${guest.stderr}`);
      assert.equal(guest.code, real.code);
    });
  }

  it("runs Ansible's first command", async () => {
    const r = await ssh(a, '( umask 77 && mkdir -p "` echo ~/.ansible/tmp `"&& mkdir "` echo ~/.ansible/tmp/ansible-tmp-1-2 `" && echo ansible-tmp-1-2="` echo ~/.ansible/tmp/ansible-tmp-1-2 `" )');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'ansible-tmp-1-2=/home/ec2-user/.ansible/tmp/ansible-tmp-1-2\n');
    const mode = await ssh(a, 'stat -c %a ~/.ansible/tmp/ansible-tmp-1-2');
    assert.equal(mode.stdout, '700\n');
  });

  it('runs scripts by path through their shebang, and refuses files without the execute bit', async () => {
    const local = dir.file('provision.sh');
    await writeFile(local, '#!/bin/sh -e\necho "running $0 as $(whoami) with VAR=$VAR"\nfalse\necho unreachable\n');
    const cp = await runAsync('/usr/bin/scp', [...common(a), '-P', String(a.port), local, `${a.user}@${a.host}:/tmp/script_1.sh`]);
    assert.equal(cp.code, 0, cp.stderr);
    const denied = await ssh(a, '/tmp/script_1.sh');
    assert.equal(denied.code, 126);
    assert.match(denied.stderr, /\/tmp\/script_1\.sh: Permission denied/);
    // Packer's shell provisioner
    const packer = await ssh(a, "chmod +x /tmp/script_1.sh; VAR='v' /tmp/script_1.sh");
    assert.equal(packer.stdout, 'running /tmp/script_1.sh as ec2-user with VAR=v\n');
    assert.equal(packer.code, 1);
    // Terraform's remote-exec: chmod 0777, then the path, under a tty
    await ssh(a, "printf '#!/usr/bin/env bash\\necho terraform $((1+1))\\n' > /tmp/terraform_1.sh");
    const tf = await ssh(a, 'chmod 0777 /tmp/terraform_1.sh && /tmp/terraform_1.sh', { tty: true });
    assert.equal(tf.stdout, 'terraform 2\r\n');
    assert.equal(tf.code, 0);
    const sh = await ssh(a, 'sh -c \'echo $0-$1\' me arg; bash -c "exit 7"; echo $?; ls -l /bin/sh | cut -c1-10');
    assert.equal(sh.stdout, 'me-arg\n7\n-rwxr-xr-x\n');
  });

  it('serves the legacy scp protocol in both directions (scp -O: the remote runs scp -t / scp -f)', async () => {
    const src = dir.file('tree');
    await runAsync('/bin/mkdir', ['-p', `${src}/sub`]);
    await writeFile(`${src}/a.sh`, '#!/bin/sh\necho legacy-scp\n', { mode: 0o750 });
    await writeFile(`${src}/sub/b.txt`, 'bee\n');
    const scp = (...args: string[]) => runAsync('/usr/bin/scp', ['-O', ...common(a), '-P', String(a.port), ...args]);
    const up = await scp(`${src}/a.sh`, `${a.user}@${a.host}:/tmp/terraform_2.sh`);
    assert.equal(up.code, 0, up.stderr);
    const tree = await scp('-r', '-p', src, `${a.user}@${a.host}:/tmp/`);
    assert.equal(tree.code, 0, tree.stderr);
    const seen = await ssh(a, '/tmp/terraform_2.sh; stat -c %a /tmp/terraform_2.sh; find /tmp/tree | sort; cat /tmp/tree/sub/b.txt');
    assert.equal(seen.stdout, 'legacy-scp\n750\n/tmp/tree\n/tmp/tree/a.sh\n/tmp/tree/sub\n/tmp/tree/sub/b.txt\nbee\n', seen.stderr);
    const back = dir.file('back');
    await runAsync('/bin/mkdir', ['-p', back]);
    const down = await scp('-r', `${a.user}@${a.host}:/tmp/tree`, back);
    assert.equal(down.code, 0, down.stderr);
    const listing = await runAsync('/bin/sh', ['-c', `cd ${back} && find . | sort && cat tree/sub/b.txt`]);
    assert.equal(listing.stdout, '.\n./tree\n./tree/a.sh\n./tree/sub\n./tree/sub/b.txt\nbee\n');
    const denied = await scp(`${src}/a.sh`, `${a.user}@${a.host}:/root/x`);
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /\/root\/x: Permission denied/);
    const missing = await scp(`${a.user}@${a.host}:/nonexistent`, back);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /\/nonexistent: No such file or directory/);
  });

  it("gives the client's stdin to commands, scripts and shells", async () => {
    const cat = await ssh(a, 'cat > /tmp/in.txt && wc -l < /tmp/in.txt', { input: 'one\ntwo\n' });
    assert.equal(cat.stdout, '2\n', cat.stderr);
    const tee = await ssh(a, 'sudo tee /root/owned >/dev/null && sudo stat -c %U /root/owned', { input: 'x\n' });
    assert.equal(tee.stdout, 'root\n', tee.stderr);
    const loop = await ssh(a, 'n=0; while read -r line; do n=$((n+1)); echo "$n:$line"; done', { input: 'a\nb\n' });
    assert.equal(loop.stdout, '1:a\n2:b\n');
    const script = await ssh(a, 'bash -s', { input: 'echo from-stdin $((2*21))\nexit 3\n' });
    assert.equal(script.stdout, 'from-stdin 42\n');
    assert.equal(script.code, 3);
    await ssh(a, 'echo "echo via-redirect" > /tmp/s.sh');
    const redirected = await ssh(a, 'sh < /tmp/s.sh');
    assert.equal(redirected.stdout, 'via-redirect\n');
  });

  it('on a PTY: stdin reaches the command until Ctrl-D, and Ctrl-C stops an endless loop', async () => {
    const p = spawn('/usr/bin/ssh', [...common(a), '-tt', '-p', String(a.port), `${a.user}@${a.host}`], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    p.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    let exitCode: number | null | undefined;
    const closed = new Promise((resolve) => p.on('close', (c) => resolve((exitCode = c))));
    const waitFor = async (re: RegExp) => {
      for (let i = 0; i < 1500 && !re.test(out) && exitCode === undefined; i++) await new Promise((r) => setTimeout(r, 20));
      assert.match(out, re, `ssh exit ${exitCode}: ${out}`);
      const o = out;
      out = '';
      return o;
    };
    try {
      await waitFor(/\]\$ $/);
      p.stdin!.write('cat > /tmp/typed.txt\r');
      await new Promise((r) => setTimeout(r, 100));
      p.stdin!.write('typed line\r');
      await new Promise((r) => setTimeout(r, 100));
      p.stdin!.write('\x04');
      await waitFor(/\]\$ $/);
      p.stdin!.write('cat /tmp/typed.txt\r');
      assert.match(await waitFor(/\]\$ $/), /typed line\r\n/);
      p.stdin!.write('while true; do :; done\r');
      await new Promise((r) => setTimeout(r, 300));
      p.stdin!.write('\x03');
      await waitFor(/\^C\r\n.*\]\$ $/s);
      p.stdin!.write('echo status=$?\r');
      assert.match(await waitFor(/\]\$ $/), /status=130/);
      p.stdin!.write('exit\r');
      await closed;
    } finally {
      p.kill();
    }
  });

  it('bounds runaway recursion and variables with Linux-like failures', async () => {
    const rec = await ssh(a, 'f() { f; }; f; echo unreachable');
    assert.equal(rec.code, 139);
    assert.match(rec.stderr, /Segmentation fault/);
    assert.doesNotMatch(rec.stdout, /unreachable/);
    const big = await ssh(a, 'x=0123456789; while true; do x="$x$x"; done');
    assert.equal(big.code, 2);
    assert.match(big.stderr, /cannot allocate/);
    const file = await ssh(a, 'printf "%065536d" 0 > /tmp/chunk; while true; do cat /tmp/chunk >> /tmp/grow; done');
    assert.equal(file.code, 153);
    assert.match(file.stderr, /File size limit exceeded/);
    assert.equal((await ssh(a, 'rm -f /tmp/grow && echo cleaned')).stdout, 'cleaned\n');
  });
});

/** DescribeKeyPairs latencies (ms) while something else runs: 40 calls, p99 reported (not asserted). */
async function apiP99(): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t0 = performance.now();
    const r = await client.send(new DescribeKeyPairsCommand({}));
    times.push(performance.now() - t0);
    assert.ok(r.KeyPairs!.some((k) => k.KeyName === 'shell'));
  }
  times.sort((x, y) => x - y);
  return times[Math.min(times.length - 1, Math.ceil(times.length * 0.99) - 1)]!;
}

describe('abuse in one instance leaves the server and other instances answering', () => {
  const abuses: [string, string][] = [
    ['an endless loop', 'while true; do :; done'],
    ['runaway output', 'yes'],
    ['a file-appending loop', 'while true; do echo line >> /tmp/abuse.log; done'],
    ['a busy pipeline', 'yes | while read -r l; do :; done'],
    ['an endless awk loop', "awk 'BEGIN { while (1) {} }'"],
  ];
  it('baseline: DescribeKeyPairs with every guest idle', async () => {
    const p99 = await apiP99();
    console.log(`# DescribeKeyPairs p99 with guests idle: ${p99.toFixed(1)} ms`);
  });

  for (const [name, command] of abuses) {
    it(`${name}: API and another instance answer; disconnecting stops it`, async () => {
      const abuser = sshBackground(a, command);
      const exited = new Promise((resolve) => abuser.on('close', resolve));
      try {
        // the abuse is running once instance A's shell is busy; B and the API must still answer
        const other = await ssh(b, 'echo alive; for i in 1 2 3; do echo $i; done');
        assert.equal(other.stdout, 'alive\n1\n2\n3\n');
        const p99 = await apiP99();
        console.log(`# DescribeKeyPairs p99 during ${name}: ${p99.toFixed(1)} ms`);
      } finally {
        abuser.kill('SIGTERM');
        await exited;
      }
      // the instance that was abused answers again
      const again = await ssh(a, 'echo back');
      assert.equal(again.stdout, 'back\n');
    });
  }

  it('a disconnected client stops its command (the appending loop no longer grows the file)', async () => {
    await ssh(a, 'rm -f /tmp/stop.log');
    const abuser = sshBackground(a, 'while true; do echo x >> /tmp/stop.log; done');
    const exited = new Promise((resolve) => abuser.on('close', resolve));
    // wait until the loop has written something
    for (let i = 0; i < 200; i++) {
      if ((await ssh(a, 'test -s /tmp/stop.log && echo yes')).stdout === 'yes\n') break;
    }
    abuser.kill('SIGTERM');
    await exited;
    const first = (await ssh(a, 'wc -c < /tmp/stop.log')).stdout;
    await ssh(b, 'sleep 0.3');
    const second = (await ssh(a, 'wc -c < /tmp/stop.log')).stdout;
    assert.equal(second, first);
    assert.ok(Number(first) > 0);
  });
});
