// `npm run bench`: figures for the API, instances and images, printed, never asserted. The server runs as a
// child process started as the `ec2lite` command starts it (its #! line's environment, app/heap.ts)
// so that its RSS is its own and what users get; requests go over keep-alive HTTP.
//   npm run bench [-- --database postgres://… (an empty database) | sqlite (a file in EC2LITE_DATA_DIR)] [-- --only create-rsa,import]
//   [--instances 1000,4000,10000] [--soak 10m [--soak-instances N] [--soak-ssh N]] [--results FILE] [--compare FILE]
//   npm run bench -- --compare moto [--rounds 3] [--compare-instances 1000] [--compare-keys 5000]: side by side with moto (bench/compare.ts)
//   --server PATH: bench another build's dist/src/cli/main.js (before/after figures)
// Every phase records its figures; they are printed as one table at the end (docs/scaling.md).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'node:http';
import { START_ENV } from '../src/app/heap.js';
import { writeCredentials } from '../src/auth/credentials-file.js';
import { opensshPublicKeyLine, sshPublicBlob } from '../src/keys/index.js';
import { generateRsaPkcs1 } from '../src/keys/rsa-components.js';
import { parseDuration, soak } from './soak.js';
import {
  canonicalRequest,
  credentialScope,
  formatAmzDate,
  sha256Hex,
  signature,
  signingKey,
  stringToSign,
} from '../src/protocol/sigv4.js';

const { values: args } = parseArgs({
  options: {
    database: { type: 'string' },
    only: { type: 'string' },
    'extra-args': { type: 'string' },
    /** Write this run's figures (JSON) here. */
    results: { type: 'string' },
    /** Print the figures of this earlier results file beside this run's; `moto`: run side by side with moto (bench/compare.ts). */
    compare: { type: 'string' },
    /** --compare moto: interleaved rounds (default 3), instances and key pairs of the fills (default 1000, 5000). */
    rounds: { type: 'string' },
    'compare-instances': { type: 'string' },
    'compare-keys': { type: 'string' },
    /** The ec2lite entry point to bench (default dist/src/cli/main.js), e.g. an earlier build for before/after figures. */
    server: { type: 'string' },
    /** Running-instance counts for the capacity curve, e.g. 1000,4000,10000 (default 200). */
    instances: { type: 'string' },
    /** Load and soak for this long (e.g. 10m); only this phase runs. */
    soak: { type: 'string' },
    'soak-instances': { type: 'string' },
    'soak-ssh': { type: 'string' },
    /** Node flags for the server processes, e.g. "--max-semi-space-size=2". */
    'server-node-flags': { type: 'string' },
    /** Instances of the network phase (default 1000, over 20 subnets and 50 security groups). */
    'network-instances': { type: 'string' },
    /** Real instances the real-capacity phase launches and holds idle (default 500; run with --only real-capacity). */
    'real-instances': { type: 'string' },
  },
});
const only = args.only ? new Set(args.only.split(',')) : undefined;
const wanted = (name: string) => !only || only.has(name);

interface Server {
  url: string;
  child: ChildProcess;
  startedMs: number;
}

async function startServer(extra: string[] = [], dataDir?: string, logFile?: string): Promise<Server> {
  const started = performance.now();
  const argv = [...(args['server-node-flags']?.split(' ').filter(Boolean) ?? []), args.server ?? 'dist/src/cli/main.js', 'serve', '--port', '0', ...(logFile ? [] : ['--quiet']), ...extra];
  if (args.database) argv.push('--database', args.database);
  else if (dataDir) argv.push('--data-dir', dataDir);
  else argv.push('--ephemeral');
  // (a log file: the server's own log, for a phase that reports what went wrong)
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', logFile ? openSync(logFile, 'w') : 'inherit'], env: { ...process.env, ...START_ENV } });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  // Cold start ends at the first API answer, not at the log line.
  await call(url, { Action: 'DescribeKeyPairs' });
  return { url, child, startedMs: performance.now() - started };
}

async function stopServer(s: Server): Promise<void> {
  s.child.kill('SIGTERM');
  await new Promise((r) => s.child.once('exit', r));
}

/** CPU time (user + system) a process has used, in ms: less sensitive to a loaded machine than rates. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

/** The server's pid and its direct children's (its guest processes, guest/worker-engine.ts). */
function processTree(pid: number): number[] {
  const pids = [pid];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (Number(readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === pid) pids.push(Number(name));
    } catch {
      // it ended while we looked
    }
  }
  return pids;
}

/**
 * The server's resident memory, its guest processes included: a sum of each process's VmRSS, so
 * pages they share (Node's own code) count once per process (treePssMb splits them).
 */
function rssMb(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) / 1024, 0);
}

/**
 * The resident memory of the server's processes as a whole: the distinct physical pages mapped by
 * any of them (/proc/<pid>/pagemap, which shows frame numbers to root only), so Node's code, mapped
 * by the server and by each guest process, counts once — what one process's RSS means, for a tree.
 * Undefined when frame numbers are hidden (not root).
 */
function residentMb(pid: number): number | undefined {
  const frames = new Set<bigint>();
  const entries = Buffer.alloc(8 * 4096);
  for (const p of processTree(pid)) {
    let fd: number | undefined;
    try {
      fd = openSync(`/proc/${p}/pagemap`, 'r');
      let range: [number, number] | undefined;
      for (const line of readFileSync(`/proc/${p}/smaps`, 'utf8').split('\n')) {
        const m = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
        if (m) {
          range = [parseInt(m[1]!, 16) / 4096, parseInt(m[2]!, 16) / 4096];
          continue;
        }
        // only mappings with resident pages (V8 reserves gigabytes it never touches)
        const rss = /^Rss:\s+(\d+) kB/.exec(line);
        if (!rss || !range || rss[1] === '0') continue;
        for (let page = range[0]; page < range[1]; page += 4096) {
          const n = Math.min(4096, range[1] - page);
          const got = readSync(fd, entries, 0, n * 8, page * 8);
          for (let i = 0; i < got / 8; i++) {
            const v = entries.readBigUInt64LE(i * 8);
            if (!(v >> 63n)) continue; // not present
            const frame = v & ((1n << 55n) - 1n);
            if (frame === 0n) return undefined; // hidden: not root
            frames.add(frame);
          }
        }
      }
    } catch {
      // it ended while we looked
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  return (frames.size * 4096) / 1048576;
}

/** The same processes' proportional set size (pssMb each): shared pages split between the processes sharing them. */
function treePssMb(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + pssMb(p), 0);
}

/**
 * Each phase uses its own region (the credential scope chooses it) so the 5,000 limit applies per
 * phase. The signature is well formed but not computed: the server runs in open mode, which checks
 * the shape (a date header, a scope date matching it, service ec2) and not the signature.
 */
const scope = (region: string, amzDate: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIDBENCH/${amzDate.slice(0, 8)}/${region}/ec2/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${'0'.repeat(64)}`;

async function call(url: string, params: Record<string, string>): Promise<{ status: number; body: string; serverMs: number }> {
  const { Region = 'us-east-1', ...rest } = params;
  params = rest;
  const amzDate = formatAmzDate(new Date());
  const body = new URLSearchParams({ Version: '2016-11-15', ...params }).toString();
  const target = new URL(url);
  // node:http with a keep-alive agent: the client shares the machine's two cores with the
  // server, and costs less of them than fetch.
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        method: 'POST',
        path: '/',
        agent,
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          'content-length': Buffer.byteLength(body),
          'x-amz-date': amzDate,
          authorization: scope(Region, amzDate),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const timing = /dur=([0-9.]+)/.exec(String(res.headers['server-timing'] ?? ''));
          resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString(), serverMs: timing ? Number(timing[1]) : NaN });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 32 });

// ---- figures: every phase records what it measured; main() prints them as one table at the end ----

interface Figure {
  value: number;
  unit: string;
  /** 'higher' when more is better (rates), 'lower' for times and sizes. */
  better: 'higher' | 'lower';
  note?: string;
}
const figures = new Map<string, Figure>();
function record(name: string, value: number, unit: string, better: Figure['better'], note?: string): void {
  figures.set(name, { value, unit, better, note });
}

function printTable(previous: Record<string, Figure> | undefined): void {
  const fmt = (f: Figure | undefined) => (f ? `${f.value >= 100 ? f.value.toFixed(0) : f.value.toFixed(f.value >= 10 ? 1 : 2)} ${f.unit}` : '—');
  const rows = [...figures].map(([name, f]) => {
    const prev = previous?.[name];
    let change = '';
    if (prev && prev.value > 0) {
      const ratio = f.value / prev.value;
      const better = f.better === 'higher' ? ratio >= 1 : ratio <= 1;
      change = `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(0)}% ${better ? '' : '(worse)'}`.trim();
    }
    return [name, fmt(f), previous ? fmt(prev) : undefined, previous ? change : undefined, f.note ?? ''].filter((c) => c !== undefined) as string[];
  });
  const header = previous ? ['figure', 'this run', 'previous', 'change', 'note'] : ['figure', 'this run', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log('');
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

interface Run {
  ops: number;
  seconds: number;
  latencies: number[];
  serverMs: number[];
  errors: number;
}

/** Runs `count` requests with `concurrency` in flight; `make(i)` gives each one's parameters. */
async function load(url: string, count: number, concurrency: number, make: (i: number) => Record<string, string>): Promise<Run> {
  const latencies: number[] = [];
  const serverMs: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        const r = await call(url, make(i));
        latencies.push(performance.now() - t);
        serverMs.push(r.serverMs);
        if (r.status !== 200) errors++;
      }
    }),
  );
  return { ops: count, seconds: (performance.now() - started) / 1000, latencies, serverMs, errors };
}

function report(name: string, run: Run, server: Server, note = ''): void {
  const lat = [...run.latencies].sort((a, b) => a - b);
  const srv = run.serverMs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  const line = [
    name.padEnd(34),
    `${(run.ops / run.seconds).toFixed(0).padStart(6)} ops/s`,
    `p50 ${pct(lat, 50).toFixed(2).padStart(7)} ms`,
    `p99 ${pct(lat, 99).toFixed(2).padStart(7)} ms`,
    srv.length ? `server p50 ${pct(srv, 50).toFixed(2)} ms` : '',
    `RSS ${rssMb(server.child.pid!).toFixed(0)} MB`,
    run.errors ? `ERRORS ${run.errors}` : '',
    note,
  ];
  console.log(line.filter(Boolean).join('  '));
  record(`${name}, rate`, run.ops / run.seconds, 'ops/s', 'higher');
  record(`${name}, p50`, pct(lat, 50), 'ms', 'lower');
  record(`${name}, p99`, pct(lat, 99), 'ms', 'lower');
  if (run.errors) record(`${name}, errors`, run.errors, '', 'lower');
}

async function waitForPool(url: string, size: number): Promise<void> {
  for (;;) {
    const health = (await (await fetch(`${url}/_ec2lite/health`)).json()) as { rsaPool: number };
    if (health.rsaPool >= size) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** CPU milliseconds per key of ec2lite's generator, run here on the bench's thread. */
function ownCpuPerKey(count: number): number {
  const before = process.cpuUsage();
  for (let i = 0; i < count; i++) generateRsaPkcs1(2048);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / count;
}

async function poolAvailable(url: string): Promise<number> {
  return ((await (await fetch(`${url}/_ec2lite/health`)).json()) as { rsaPool: number }).rsaPool;
}

/**
 * RSA-2048 keygen of the peer's engine: OpenSSL through Python's `cryptography`, one process as moto
 * runs it (and two processes, one per core, for the machine's total). Without it, `openssl genrsa`.
 */
async function referenceRsaRate(): Promise<{ name: string; rate: number; note: string } | undefined> {
  const script = [
    'import sys, time',
    'from cryptography.hazmat.primitives.asymmetric import rsa',
    'from cryptography.hazmat.backends.openssl import backend',
    'n = int(sys.argv[1]); t = time.perf_counter(); c = time.process_time()',
    'for _ in range(n): rsa.generate_private_key(public_exponent=65537, key_size=2048)',
    'print(n / (time.perf_counter() - t), (time.process_time() - c) / n * 1000, backend.openssl_version_text(), __import__("cryptography").__version__)',
  ].join('\n');
  const py = (count: number) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const p = spawn('python3', ['-c', script, String(count)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      p.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      p.on('error', () => resolve({ code: -1, out }));
      p.on('close', (code) => resolve({ code, out }));
    });
  const one = await py(30);
  if (one.code === 0) {
    const [rate, cpuMs, ...rest] = one.out.trim().split(' ');
    const engine = rest.join(' ');
    // CPU time per key: what the engines cost, whatever else loads the machine.
    const ours = ownCpuPerKey(12);
    console.log(`${'CPU time per RSA-2048 key'.padEnd(34)}  ec2lite ${ours.toFixed(1)} ms, Python cryptography ${Number(cpuMs).toFixed(1)} ms`);
    record('CPU per RSA key, ec2lite', ours, 'ms', 'lower');
    record('CPU per RSA key, Python cryptography', Number(cpuMs), 'ms', 'lower', engine);
    const both = await Promise.all([py(30), py(30)]);
    const total = both.reduce((sum, r) => sum + Number(r.out.split(' ')[0]), 0);
    console.log(`${'reference: Python cryptography'.padEnd(34)}  ${Number(rate).toFixed(1)} keys/s in one process (as moto), ${total.toFixed(1)} keys/s in two  (${engine})`);
    record('reference: Python cryptography, 2 processes', total, 'keys/s', 'higher');
    return { name: 'Python cryptography, 1 process', rate: Number(rate), note: engine };
  }
  console.log(`${'reference: Python cryptography'.padEnd(34)}  absent (python3 -c 'import cryptography' failed); openssl genrsa instead`);
  const count = 10;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    await new Promise<void>((resolve, reject) => {
      const p = spawn('openssl', ['genrsa', '2048'], { stdio: ['ignore', 'ignore', 'ignore'] });
      p.on('error', reject);
      p.on('close', () => resolve());
    });
  }
  return { name: 'openssl genrsa 2048', rate: count / ((performance.now() - started) / 1000), note: 'one process per key' };
}

async function main(): Promise<void> {
  if (args.soak) return soakPhase();
  console.log(`ec2lite bench — node ${process.version}, ${availableParallelism()} cores, store ${args.database ? (/^postgres/.test(args.database) ? 'postgres' : `${args.database} (file)`) : 'sqlite (memory)'}`);

  if (wanted('cold-start')) {
    const starts: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = await startServer();
      starts.push(s.startedMs);
      await stopServer(s);
    }
    starts.sort((a, b) => a - b);
    console.log(`${'cold start → first answer'.padEnd(34)}  p50 ${pct(starts, 50).toFixed(0)} ms  max ${starts.at(-1)!.toFixed(0)} ms (5 starts)`);
  }

  const poolSize = 16;
  const server = await startServer(['--rsa-pool-size', String(poolSize)]);
  const idle = rssMb(server.child.pid!);
  console.log(`${'server RSS idle'.padEnd(34)}  ${idle.toFixed(0)} MB`);

  if (wanted('create-rsa')) {
    await waitForPool(server.url, poolSize);
    const warm = await load(server.url, poolSize, 1, (i) => ({ Action: 'CreateKeyPair', KeyName: `warm-${i}` }));
    report('CreateKeyPair rsa (pool warm)', warm, server, `${poolSize} sequential`);
    // Refill: from what is left after the warm run to full, on the pool's worker threads.
    const left = await poolAvailable(server.url);
    const refillStarted = performance.now();
    await waitForPool(server.url, poolSize);
    const refill = (poolSize - left) / ((performance.now() - refillStarted) / 1000);
    console.log(`${'RSA pool refill'.padEnd(34)}  ${refill.toFixed(1)} keys/s  (${poolSize - left} keys, server otherwise idle)`);
    record('RSA pool refill', refill, 'keys/s', 'higher');
    // The reference, measured now, with the pool full and its threads idle.
    const reference = await referenceRsaRate();
    await waitForPool(server.url, poolSize);
    // Sustained: drain the pool first, then only freshly generated keys are measured.
    await load(server.url, poolSize, 4, (i) => ({ Action: 'CreateKeyPair', KeyName: `drain-${i}` }));
    const sustained = await load(server.url, 80, 4, (i) => ({ Action: 'CreateKeyPair', KeyName: `sustained-${i}` }));
    const rate = sustained.ops / sustained.seconds;
    report(
      'CreateKeyPair rsa (sustained)',
      sustained,
      server,
      reference ? `= ${(rate / reference.rate).toFixed(2)}× ${reference.name} (${reference.rate.toFixed(1)}/s)` : '',
    );
    if (reference) record(`reference: ${reference.name}`, reference.rate, 'keys/s', 'higher', reference.note);
  }
  if (wanted('create-ed25519')) {
    report('CreateKeyPair ed25519', await load(server.url, 2000, 8, (i) => ({ Region: 'eu-west-1', Action: 'CreateKeyPair', KeyName: `ed-${i}`, KeyType: 'ed25519' })), server);
  }
  // What users import most: an OpenSSH public key line, as ssh-keygen writes it.
  const material = Buffer.from(`${opensshPublicKeyLine(sshPublicBlob(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey), 'me@laptop')}\n`).toString('base64');
  if (wanted('import')) {
    report('ImportKeyPair rsa', await load(server.url, 3000, 16, (i) => ({ Region: 'eu-west-2', Action: 'ImportKeyPair', KeyName: `imp-${i}`, PublicKeyMaterial: material })), server);
  }
  if (wanted('describe')) {
    // Fill one region to the 5,000 limit, then describe it whole.
    const Region = 'ap-south-1';
    await load(server.url, 5000, 16, (i) => ({ Region, Action: 'ImportKeyPair', KeyName: `fill-${i}`, PublicKeyMaterial: material }));
    const count = (await call(server.url, { Region, Action: 'DescribeKeyPairs' })).body.split('<item>').length - 1;
    report(`DescribeKeyPairs (${count} keys)`, await load(server.url, 50, 1, () => ({ Region, Action: 'DescribeKeyPairs' })), server);
    report('DescribeKeyPairs by name', await load(server.url, 2000, 8, (i) => ({ Region, Action: 'DescribeKeyPairs', 'KeyName.1': `fill-${i % 1000}` })), server);
  }
  if (wanted('delete')) {
    report('DeleteKeyPair', await load(server.url, 3000, 16, (i) => ({ Region: 'eu-west-2', Action: 'DeleteKeyPair', KeyName: `imp-${i}` })), server);
  }
  await stopServer(server);

  if (wanted('memory')) await memoryPhase(material);
  if (wanted('auth')) await authCost();
  if (wanted('instances') || wanted('ssh-login') || wanted('guest-abuse') || wanted('availability') || wanted('capacity')) await instancePhases();
  if (wanted('usable')) await usablePhase();
  if (wanted('images')) await imagePhases();
  // crun (issue 24): real instances, when this host can run them (root, crun, a built image).
  if (wanted('real')) await realPhase();
  if (wanted('real')) await realSystemdPhase();
  // minutes long: only when named (--only real-capacity)
  if (only?.has('real-capacity')) await realCapacityPhase(Number(args['real-instances'] ?? 500));
  if (wanted('network')) await networkPhase();
}

// ---- networking (issue 20): describes over 1,000 instances in 20 subnets and 50 groups; the
// security group and network ACL check per new SSH connection (time to the SSH banner, enforced vs off) ----
async function networkPhase(): Promise<void> {
  const total = Number(args['network-instances'] ?? 1000);
  const region = 'eu-west-1';
  const server = await startServer(['--instance-delay-ms', '0', '--vpc-limit', '10']);
  try {
    const images = await call(server.url, { Region: region, Action: 'DescribeImages', 'Filter.1.Name': 'name', 'Filter.1.Value.1': 'al2023-*' });
    const imageId = xmlValues(images.body, 'imageId')[0]!;
    const vpcId = xmlValues((await call(server.url, { Region: region, Action: 'CreateVpc', CidrBlock: '10.60.0.0/16' })).body, 'vpcId')[0]!;
    const zones = ['a', 'b', 'c'];
    const subnets: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await call(server.url, { Region: region, Action: 'CreateSubnet', VpcId: vpcId, CidrBlock: `10.60.${i}.0/24`, AvailabilityZone: `${region}${zones[i % 3]}` });
      subnets.push(xmlValues(r.body, 'subnetId')[0]!);
    }
    const groups: string[] = [];
    for (let i = 0; i < 50; i++) {
      const r = await call(server.url, { Region: region, Action: 'CreateSecurityGroup', GroupName: `g${i}`, GroupDescription: 'bench', VpcId: vpcId });
      const id = xmlValues(r.body, 'groupId')[0]!;
      groups.push(id);
      await call(server.url, { Region: region, Action: 'AuthorizeSecurityGroupIngress', GroupId: id, IpProtocol: 'tcp', FromPort: '22', ToPort: '22', CidrIp: '0.0.0.0/0' });
    }
    const started = performance.now();
    const ids: string[] = [];
    const perSubnet = Math.ceil(total / subnets.length);
    for (let s = 0; s < subnets.length && ids.length < total; s++) {
      const count = Math.min(perSubnet, total - ids.length);
      // Each launch of the subnet spread over the groups: one request per (subnet, group slice).
      for (let k = 0; k < count; k += 10) {
        const n = Math.min(10, count - k);
        const r = await call(server.url, { Region: region, Action: 'RunInstances', ImageId: imageId, MinCount: String(n), MaxCount: String(n), SubnetId: subnets[s]!, 'SecurityGroupId.1': groups[(s * 5 + k / 10) % 50]! });
        if (r.status !== 200) throw new Error(r.body);
        ids.push(...xmlValues(r.body, 'instanceId'));
      }
    }
    console.log(`${'network: launch'.padEnd(34)}  ${ids.length} instances in ${subnets.length} subnets, ${groups.length} groups: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    report(`DescribeSecurityGroups (${groups.length + 2} groups)`, await load(server.url, 200, 4, () => ({ Region: region, Action: 'DescribeSecurityGroups' })), server);
    report('DescribeSecurityGroups by group-id', await load(server.url, 500, 4, (i) => ({ Region: region, Action: 'DescribeSecurityGroups', 'GroupId.1': groups[i % 50]! })), server);
    report('DescribeSubnets (20 + default)', await load(server.url, 200, 4, () => ({ Region: region, Action: 'DescribeSubnets' })), server);
    report(`DescribeInstances all (${ids.length}, with networks)`, await load(server.url, 20, 1, () => ({ Region: region, Action: 'DescribeInstances' })), server);
    report('DescribeInstances instance.group-id', await load(server.url, 50, 2, (i) => ({ Region: region, Action: 'DescribeInstances', 'Filter.1.Name': 'instance.group-id', 'Filter.1.Value.1': groups[i % 50]! })), server);
    report('DescribeInstances subnet-id', await load(server.url, 50, 2, (i) => ({ Region: region, Action: 'DescribeInstances', 'Filter.1.Name': 'subnet-id', 'Filter.1.Value.1': subnets[i % 20]! })), server);

    // The check per new connection: connect → SSH banner, with the check and without.
    const banner = async (host: string, port: number) => {
      const { connect } = await import('node:net');
      const t = performance.now();
      await new Promise<void>((resolve, reject) => {
        const socket = connect(port, host);
        socket.once('data', () => (socket.destroy(), resolve()));
        socket.once('error', reject);
      });
      return performance.now() - t;
    };
    // The check at its fullest: the first subnet behind a custom ACL of 20 inbound entries (19 that
    // do not match before the allow) and the reply allowed out; the first group also allows tcp/22
    // from a prefix list of 100 entries (its rules come after the 0.0.0.0/0 one, so the list is read).
    const acl = xmlValues((await call(server.url, { Region: region, Action: 'CreateNetworkAcl', VpcId: vpcId })).body, 'networkAclId')[0]!;
    for (let n = 1; n <= 19; n++)
      await call(server.url, { Region: region, Action: 'CreateNetworkAclEntry', NetworkAclId: acl, RuleNumber: String(n), Protocol: '6', RuleAction: 'deny', Egress: 'false', CidrBlock: `10.${n}.0.0/16`, 'PortRange.From': '22', 'PortRange.To': '22' });
    await call(server.url, { Region: region, Action: 'CreateNetworkAclEntry', NetworkAclId: acl, RuleNumber: '100', Protocol: '6', RuleAction: 'allow', Egress: 'false', CidrBlock: '0.0.0.0/0', 'PortRange.From': '22', 'PortRange.To': '22' });
    await call(server.url, { Region: region, Action: 'CreateNetworkAclEntry', NetworkAclId: acl, RuleNumber: '100', Protocol: '6', RuleAction: 'allow', Egress: 'true', CidrBlock: '0.0.0.0/0', 'PortRange.From': '1024', 'PortRange.To': '65535' });
    const acls = (await call(server.url, { Region: region, Action: 'DescribeNetworkAcls', 'Filter.1.Name': 'association.subnet-id', 'Filter.1.Value.1': subnets[0]! })).body;
    const assoc = /<networkAclAssociationId>([^<]+)<\/networkAclAssociationId>\s*<networkAclId>[^<]+<\/networkAclId>\s*<subnetId>([^<]+)<\/subnetId>/g;
    const assocId = [...acls.matchAll(assoc)].find((m) => m[2] === subnets[0])?.[1];
    if (!assocId) throw new Error('no ACL association for the first subnet');
    await call(server.url, { Region: region, Action: 'ReplaceNetworkAclAssociation', AssociationId: assocId, NetworkAclId: acl });
    const entries = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [[`Entry.${i + 1}.Cidr`, `172.${16 + (i >> 6)}.${(i % 64) * 4}.0/22`]]).flat());
    const pl = xmlValues((await call(server.url, { Region: region, Action: 'CreateManagedPrefixList', PrefixListName: 'bench', MaxEntries: '100', AddressFamily: 'IPv4', ...entries })).body, 'prefixListId')[0]!;
    await call(server.url, { Region: region, Action: 'AuthorizeSecurityGroupIngress', GroupId: groups[0]!, 'IpPermissions.1.IpProtocol': 'tcp', 'IpPermissions.1.FromPort': '22', 'IpPermissions.1.ToPort': '22', 'IpPermissions.1.PrefixListIds.1.PrefixListId': pl });
    const target = (await (await fetch(`${server.url}/_ec2lite/instances/${ids[0]}/ssh`)).json()) as { host: string; port: number };
    const times = async (host: string, port: number) => {
      const out: number[] = [];
      for (let i = 0; i < 300; i++) out.push(await banner(host, port));
      return out.sort((a, b) => a - b);
    };
    const enforced = await times(target.host, target.port);
    const off = await startServer(['--instance-delay-ms', '0', '--security-groups', 'off']);
    try {
      const r = await call(off.url, { Region: region, Action: 'RunInstances', ImageId: imageId, MinCount: '1', MaxCount: '1' });
      const id = xmlValues(r.body, 'instanceId')[0]!;
      await waitRunning(off.url, region, [id]);
      const t2 = (await (await fetch(`${off.url}/_ec2lite/instances/${id}/ssh`)).json()) as { host: string; port: number };
      const open = await times(t2.host, t2.port);
      console.log(`${'SSH connect → banner'.padEnd(34)}  enforced p50 ${pct(enforced, 50).toFixed(2)} ms, off p50 ${pct(open, 50).toFixed(2)} ms (300 connections, ${ids.length} instances)`);
      record('SSH connect → banner, groups enforced, p50', pct(enforced, 50), 'ms', 'lower');
      record('SSH connect → banner, groups off, p50', pct(open, 50), 'ms', 'lower');
      record('security group check per connection', pct(enforced, 50) - pct(open, 50), 'ms', 'lower', 'p50 difference');
    } finally {
      await stopServer(off);
    }
  } finally {
    await stopServer(server);
  }
}

/** Samples a process's RSS every 10 ms while `work` runs; returns the peak. */
async function peakRss<T>(pid: number, work: () => Promise<T>): Promise<{ peak: number; result: T }> {
  let peak = rssMb(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 10);
  try {
    const result = await work();
    return { peak: Math.max(peak, rssMb(pid)), result };
  } finally {
    clearInterval(timer);
  }
}

/**
 * RSS of a fresh server holding 5,000 key pairs, through repeated 5,000-key DescribeKeyPairs with
 * and without IncludePublicKey, one and four at a time (target: at most 100 MB).
 */
async function memoryPhase(material: string): Promise<void> {
  const server = await startServer();
  try {
    const Region = 'sa-east-1';
    const fillCpu = cpuMs(server.child.pid!);
    await load(server.url, 5000, 16, (i) => ({ Region, Action: 'ImportKeyPair', KeyName: `mem-${i}`, PublicKeyMaterial: material }));
    const importCpu = (cpuMs(server.child.pid!) - fillCpu) / 5000;
    console.log(`${'ImportKeyPair server CPU'.padEnd(34)}  ${importCpu.toFixed(2)} ms each (5,000, 16 in flight)`);
    record('ImportKeyPair, server CPU each', importCpu, 'ms', 'lower');
    const filled = rssMb(server.child.pid!);
    const { peak } = await peakRss(server.child.pid!, async () => {
      for (const concurrency of [1, 4]) {
        for (const withKeys of [false, true]) {
          const cpuBefore = cpuMs(server.child.pid!);
          const run = await load(server.url, 20 * concurrency, concurrency, () => ({ Region, Action: 'DescribeKeyPairs', ...(withKeys ? { IncludePublicKey: 'true' } : {}) }));
          const cpuEach = (cpuMs(server.child.pid!) - cpuBefore) / run.ops;
          const name = `DescribeKeyPairs 5,000${withKeys ? ' +public keys' : ''} (${concurrency})`;
          report(name, run, server, `server CPU ${cpuEach.toFixed(0)} ms each`);
          record(`${name}, server CPU each`, cpuEach, 'ms', 'lower');
        }
      }
    });
    const after = rssMb(server.child.pid!);
    console.log(`${'RSS with 5,000 key pairs'.padEnd(34)}  ${filled.toFixed(0)} MB after filling, peak ${peak.toFixed(0)} MB during 120 describes, ${after.toFixed(0)} MB after (target ≤ 100 MB)`);
    record('RSS peak, 5,000-key describes', peak, 'MB', 'lower', 'target ≤ 100 MB');
  } finally {
    await stopServer(server);
  }
}

/**
 * The cost of SigV4 verification: the same correctly signed DescribeKeyPairs (one signature,
 * reused while it is fresh) against a server in open mode and one in strict mode.
 */
async function authCost(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ec2lite-bench-'));
  const credentials = join(dir, 'credentials.json');
  const key = { accessKeyId: 'AKIABENCH00000000001', secretAccessKey: 'bench/secret+key000000000000000000000000', accountId: '123456789012' };
  writeCredentials(credentials, [key]);
  const rates: Record<string, number> = {};
  try {
    for (const mode of ['open', 'strict']) {
      const server = await startServer(['--auth', mode, '--credentials', credentials]);
      const headers = signedHeaders(server.url, key, 'Action=DescribeKeyPairs&Version=2016-11-15');
      const send = async () => {
        const res = await fetch(server.url, { method: 'POST', headers, body: 'Action=DescribeKeyPairs&Version=2016-11-15' });
        await res.text();
        return res.status;
      };
      for (let i = 0; i < 200; i++) await send(); // warm up
      const latencies: number[] = [];
      let errors = 0;
      let next = 0;
      const count = 10_000;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next++ < count) {
            const t = performance.now();
            if ((await send()) !== 200) errors++;
            latencies.push(performance.now() - t);
          }
        }),
      );
      const run: Run = { ops: count, seconds: (performance.now() - started) / 1000, latencies, serverMs: [], errors };
      rates[mode] = run.ops / run.seconds;
      report(`DescribeKeyPairs signed, --auth ${mode}`, run, server);
      await stopServer(server);
    }
    console.log(`${'strict vs open'.padEnd(34)}  ${((rates.strict! / rates.open!) * 100).toFixed(0)}% of open-mode throughput`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Header-form SigV4 for one POST, built with ec2lite's own primitives (the tests check them against the SDK). */
function signedHeaders(url: string, key: { accessKeyId: string; secretAccessKey: string }, body: string): Record<string, string> {
  const host = new URL(url).host;
  const amzDate = formatAmzDate(new Date());
  const date = amzDate.slice(0, 8);
  const contentType = 'application/x-www-form-urlencoded; charset=utf-8';
  const canonical = canonicalRequest({
    method: 'POST',
    uri: '/',
    query: '',
    headers: [['content-type', contentType], ['host', host], ['x-amz-date', amzDate]],
    payloadHash: sha256Hex(body),
  });
  const sig = signature(signingKey(key.secretAccessKey, date, 'us-east-1', 'ec2'), stringToSign(amzDate, credentialScope(date, 'us-east-1', 'ec2'), canonical));
  return {
    'content-type': contentType,
    'x-amz-date': amzDate,
    authorization: `AWS4-HMAC-SHA256 Credential=${key.accessKeyId}/${credentialScope(date, 'us-east-1', 'ec2')}, SignedHeaders=content-type;host;x-amz-date, Signature=${sig}`,
  };
}

// ---- instances: RunInstances → running, SSH login latency, running instances per process ----

const xmlValues = (body: string, tag: string): string[] => [...body.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]!);

async function waitRunning(url: string, region: string, ids: string[]): Promise<void> {
  for (let i = 0; i < 20_000; i++) {
    const r = await call(url, { Region: region, Action: 'DescribeInstances', 'Filter.1.Name': 'instance-state-name', 'Filter.1.Value.1': 'running' });
    const running = new Set(xmlValues(r.body, 'instanceId'));
    if (ids.every((id) => running.has(id))) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('instances did not reach running');
}

/** `n` DescribeKeyPairs round trips one after another, in ms (the API's latency while something else goes on). */
async function apiLatencies(url: string, region: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await call(url, { Region: region, Action: 'DescribeKeyPairs' });
    out.push(performance.now() - t);
  }
  return out;
}

/** OpenSSH's arguments for a login to an instance's endpoint with the bench's key (no host key checks, no prompts), then `command` if given. */
function openSshArgs(pem: string, e: { host: string; port: number; user: string }, command?: string): string[] {
  const args = ['-i', pem, '-p', String(e.port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', `${e.user}@${e.host}`];
  return command === undefined ? args : [...args, command];
}

function sshOnce(args: string[]): Promise<{ ms: number; out: string; code: number | null }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const p = spawn('ssh', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let first = 0;
    p.stdout!.on('data', (d: Buffer) => {
      if (!first) first = performance.now();
      out += d.toString();
    });
    p.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ ms: (first || performance.now()) - started, out, code }));
  });
}

async function instancePhases(): Promise<void> {
  const server = await startServer(['--instance-delay-ms', '0']);
  const dir = mkdtempSync(join(tmpdir(), 'ec2lite-bench-'));
  try {
    const region = 'us-west-2';
    const images = await call(server.url, { Region: region, Action: 'DescribeImages', 'Filter.1.Name': 'name', 'Filter.1.Value.1': 'al2023-*' });
    const imageId = xmlValues(images.body, 'imageId')[0]!;
    const key = await call(server.url, { Region: region, Action: 'CreateKeyPair', KeyName: 'bench' });
    // Security groups refuse SSH until a rule allows it (README quick start).
    await call(server.url, { Region: region, Action: 'AuthorizeSecurityGroupIngress', GroupName: 'default', IpProtocol: 'tcp', FromPort: '22', ToPort: '22', CidrIp: '0.0.0.0/0' });
    const pem = join(dir, 'bench.pem');
    const material = /<keyMaterial>([\s\S]*?)<\/keyMaterial>/.exec(key.body)![1]!;
    writeFileSync(pem, material, { mode: 0o600 });
    const run = async (count: number, subnetId?: string) => {
      const r = await call(server.url, { Region: region, Action: 'RunInstances', ImageId: imageId, MinCount: '1', MaxCount: String(count), KeyName: 'bench', ...(subnetId ? { SubnetId: subnetId } : {}) });
      if (r.status !== 200) throw new Error(r.body);
      return xmlValues(r.body, 'instanceId');
    };

    if (wanted('instances')) {
      const latencies: number[] = [];
      for (let i = 0; i < 30; i++) {
        const t = performance.now();
        const [id] = await run(1);
        for (let n = 0; n < 10_000 && (await call(server.url, { Region: region, Action: 'DescribeInstances', 'InstanceId.1': id! })).body.indexOf('<name>running</name>') === -1; n++);
        latencies.push(performance.now() - t);
      }
      latencies.sort((a, b) => a - b);
      record('RunInstances → running, p50', pct(latencies, 50), 'ms', 'lower');
      console.log(`${'RunInstances → running'.padEnd(34)}  p50 ${pct(latencies, 50).toFixed(1)} ms  p99 ${pct(latencies, 99).toFixed(1)} ms  (30 launches, default delays)`);
    }

    if (wanted('ssh-login')) {
      const [id] = await run(1);
      await waitRunning(server.url, region, [id!]);
      const info = (await (await fetch(`${server.url}/_ec2lite/instances/${id}/ssh`)).json()) as { host: string; port: number; user: string };
      const args = openSshArgs(pem, info, 'whoami');
      const times: number[] = [];
      for (let i = 0; i < 60; i++) {
        const r = await sshOnce(args);
        if (r.out !== 'ec2-user\n') throw new Error(`ssh failed: ${r.out}`);
        if (i >= 5) times.push(r.ms); // the first few warm the server's JIT
      }
      times.sort((a, b) => a - b);
      record('ssh login → first output, p50', pct(times, 50), 'ms', 'lower');
      record('ssh login → first output, p99', pct(times, 99), 'ms', 'lower');
      console.log(`${'ssh login → first output'.padEnd(34)}  p50 ${pct(times, 50).toFixed(1)} ms  p99 ${pct(times, 99).toFixed(1)} ms  (55 logins, RSA key, spawn to first byte of whoami)`);
      // A command on an open connection (OpenSSH multiplexing): channel open → exec → output → exit,
      // the path a guest engine off the API's thread adds its hops to.
      const ctl = join(dir, 'ctl');
      const master = spawn('ssh', ['-M', '-S', ctl, '-N', ...args.slice(0, -1)], { stdio: 'ignore' });
      for (let n = 0; n < 500 && (await sshOnce(['-S', ctl, '-O', 'check', 'x'])).code !== 0; n++) await new Promise((r) => setTimeout(r, 20));
      const commands: number[] = [];
      for (let i = 0; i < 60; i++) {
        const t = performance.now();
        const r = await sshOnce(['-S', ctl, 'x', 'echo hi']);
        if (r.out !== 'hi\n') throw new Error(`ssh command failed: ${r.out}`);
        if (i >= 5) commands.push(performance.now() - t);
      }
      // Output throughput through the guest's session bridge: 32 MB of `yes` lines, counted at the client.
      const rates: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        let err = '';
        const bytes = await new Promise<number>((resolve, reject) => {
          const p = spawn('ssh', ['-S', ctl, 'x', 'yes 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde | head -c 32000000'], { stdio: ['ignore', 'pipe', 'pipe'] });
          let n = 0;
          p.stdout!.on('data', (d: Buffer) => (n += d.length));
          p.stderr!.on('data', (d: Buffer) => (err += d.toString()));
          p.on('error', reject);
          p.on('close', () => resolve(n));
        });
        if (bytes !== 32_000_000) throw new Error(`ssh throughput: got ${bytes} bytes: ${err}`);
        rates.push(bytes / 1e6 / ((performance.now() - t) / 1000));
      }
      master.kill();
      rates.sort((a, b) => a - b);
      record('ssh output throughput, median of 3', rates[1]!, 'MB/s', 'higher');
      console.log(`${'ssh output throughput'.padEnd(34)}  ${rates[1]!.toFixed(1)} MB/s median (3 × 32 MB of yes lines through head, over ControlMaster)`);
      commands.sort((a, b) => a - b);
      record('ssh command on an open connection, p50', pct(commands, 50), 'ms', 'lower');
      record('ssh command on an open connection, p99', pct(commands, 99), 'ms', 'lower');
      console.log(`${'ssh command (open connection)'.padEnd(34)}  p50 ${pct(commands, 50).toFixed(1)} ms  p99 ${pct(commands, 99).toFixed(1)} ms  (55 × echo over ControlMaster, spawn to exit)`);
    }

    if (wanted('guest-abuse')) {
      // the API's p99 while one instance's guest runs an abusive command over a real ssh session
      const [id] = await run(1);
      await waitRunning(server.url, region, [id!]);
      const info = (await (await fetch(`${server.url}/_ec2lite/instances/${id}/ssh`)).json()) as { host: string; port: number; user: string };
      const sshArgs = openSshArgs(pem, info);
      const p99 = async () => {
        const times = await apiLatencies(server.url, region, 200);
        times.sort((a, b) => a - b);
        return `p50 ${pct(times, 50).toFixed(1)} ms  p99 ${pct(times, 99).toFixed(1)} ms`;
      };
      console.log(`${'DescribeKeyPairs, guests idle'.padEnd(34)}  ${await p99()}`);
      for (const [name, command] of [
        ['endless loop', 'while true; do :; done'],
        ['yes', 'yes'],
        ['runaway recursion', 'while true; do bash -c "f() { f; }; f"; done'],
        ['file-appending loop', 'while true; do echo line >> /tmp/abuse.log; done'],
      ] as const) {
        const child = spawn('/usr/bin/ssh', [...sshArgs, command], { stdio: ['pipe', 'ignore', 'ignore'] });
        const closed = new Promise((r) => child.on('close', r));
        await new Promise((r) => setTimeout(r, 300));
        console.log(`${`DescribeKeyPairs during ${name}`.padEnd(34)}  ${await p99()}`);
        child.kill('SIGTERM');
        await closed;
      }
    }

    if (wanted('availability')) {
      // issue 19: the API's p50/p99 and another instance's SSH login while instance A runs each
      // attack that used to freeze the server (docs/security.md), against the idle baseline.
      const [idA, idB] = await run(2);
      await waitRunning(server.url, region, [idA!, idB!]);
      const target = async (id: string) => (await (await fetch(`${server.url}/_ec2lite/instances/${id}/ssh`)).json()) as { host: string; port: number; user: string };
      const [ta, tb] = [await target(idA!), await target(idB!)];
      const measure = async (label: string) => {
        const api = await apiLatencies(server.url, region, 200);
        const logins: number[] = [];
        for (let i = 0; i < 10; i++) logins.push((await sshOnce(openSshArgs(pem, tb, 'whoami'))).ms);
        api.sort((a, b) => a - b);
        logins.sort((a, b) => a - b);
        const rss = rssMb(server.child.pid!);
        const pss = treePssMb(server.child.pid!);
        record(`API p99 ${label}`, pct(api, 99), 'ms', 'lower');
        record(`SSH login p50 ${label}`, pct(logins, 50), 'ms', 'lower');
        console.log(`${label.padEnd(34)}  API p50 ${pct(api, 50).toFixed(1)} ms  p99 ${pct(api, 99).toFixed(1)} ms  other login p50 ${pct(logins, 50).toFixed(0)} ms  RSS ${rss.toFixed(0)} MB (PSS ${pss.toFixed(0)} MB)`);
      };
      await measure('idle');
      const loop = (body: string) => `n=0; while [ ! -e /tmp/stop ]; do ${body}; n=$((n+1)); done`;
      const attacks: [string, string][] = [
        ['regex (grep/sed/awk/=~)', loop(`x=$(printf 'a%.0s' {1..40})'!'; echo "$x" | grep -cE '^(a+)+$' >/dev/null; echo "$x" | sed -E 's/^(a|aa)+$/X/' >/dev/null; [[ $x =~ ^(a+)+b$ ]]`)],
        ['glob *a*a*a*a*a*b, 3000 chars', loop(`y=$(printf 'a%.0s' {1..3000}); [[ $y == *a*a*a*a*a*b ]]`)],
        ['brace expansion 10^7 words', loop(`bash -c 'echo {1..100}{1..100}{1..100}{1..10}' >/dev/null 2>&1`)],
        ['touch on a nearly full volume', `for i in 1 2 3 4 5 6; do sudo sh -c "head -c 8000000 /dev/urandom > /var/fill$i"; done; ${loop('touch /tmp/t$((n % 20))')}; sudo rm -f /var/fill*`],
      ];
      for (const [label, command] of attacks) {
        await sshOnce(openSshArgs(pem, ta, 'rm -f /tmp/stop'));
        const child = spawn('/usr/bin/ssh', openSshArgs(pem, ta, command), { stdio: ['ignore', 'ignore', 'ignore'] });
        const closed = new Promise((r) => child.on('close', r));
        await new Promise((r) => setTimeout(r, 500));
        await measure(`during ${label}`);
        await sshOnce(openSshArgs(pem, ta, 'touch /tmp/stop'));
        await closed;
      }
    }

    if (wanted('capacity')) {
      // The curve: running instances → RSS, launch time, SSH login p50, a full DescribeInstances.
      // Default 200; `--instances 1000,4000,10000` for the big sizes.
      const sizes = (args.instances ?? '200').split(',').map(Number).sort((a, b) => a - b);
      const subnets = xmlValues((await call(server.url, { Region: region, Action: 'DescribeSubnets', 'Filter.1.Name': 'default-for-az', 'Filter.1.Value.1': 'true' })).body, 'subnetId');
      const before = rssMb(server.child.pid!);
      const ids: string[] = [];
      console.log(`${'instances curve'.padEnd(34)}  RSS ${before.toFixed(0)} MB before any`);
      for (const size of sizes) {
        const launchStarted = performance.now();
        // spread over the default subnets (one /20 per zone: 4,091 addresses each), as 10,000 need
        while (ids.length < size) ids.push(...(await run(Math.min(100, size - ids.length), subnets[(ids.length / 100) % subnets.length])));
        await waitRunning(server.url, region, ids.slice(-100));
        const launchSeconds = (performance.now() - launchStarted) / 1000;
        const logins: number[] = [];
        for (let i = 0; i < 10; i++) {
          const id = ids[Math.floor(Math.random() * ids.length)]!;
          const info = (await (await fetch(`${server.url}/_ec2lite/instances/${id}/ssh`)).json()) as { host: string; port: number; user: string };
          const login = await sshOnce(openSshArgs(pem, info, 'whoami'));
          if (login.out !== 'ec2-user\n') throw new Error(`ssh into ${id} failed: ${login.out}`);
          logins.push(login.ms);
        }
        logins.sort((a, b) => a - b);
        const describeStarted = performance.now();
        const all = await call(server.url, { Region: region, Action: 'DescribeInstances' });
        const describeMs = performance.now() - describeStarted;
        const described = all.body.split('<instanceId>').length - 1;
        // What a client at this size does instead: one page, and one instance by a filter.
        const pageStarted = performance.now();
        const page = await call(server.url, { Region: region, Action: 'DescribeInstances', MaxResults: '100' });
        const pageMs = performance.now() - pageStarted;
        if (page.body.split('<instanceId>').length - 1 !== Math.min(100, size)) throw new Error('DescribeInstances MaxResults=100 answered another count');
        const oneId = ids[Math.floor(Math.random() * ids.length)]!;
        const filteredStarted = performance.now();
        const one = await call(server.url, { Region: region, Action: 'DescribeInstances', 'Filter.1.Name': 'instance-id', 'Filter.1.Value.1': oneId });
        const filteredMs = performance.now() - filteredStarted;
        if (!one.body.includes(`<instanceId>${oneId}</instanceId>`)) throw new Error(`DescribeInstances by instance-id filter missed ${oneId}`);
        const health = (await (await fetch(`${server.url}/_ec2lite/health`)).json()) as { runningInstances: number };
        const rss = rssMb(server.child.pid!);
        const pss = treePssMb(server.child.pid!);
        console.log(
          `${`  ${size} instances`.padEnd(34)}  ${health.runningInstances} running  RSS ${rss.toFixed(0)} MB (PSS ${pss.toFixed(0)} MB) (${((rss - before) / size).toFixed(3)} MB each)  launch ${launchSeconds.toFixed(1)} s cumulative  ssh login p50 ${pct(logins, 50).toFixed(0)} ms  DescribeInstances of ${described}: ${describeMs.toFixed(0)} ms, a page of 100: ${pageMs.toFixed(0)} ms, one by filter: ${filteredMs.toFixed(0)} ms`,
        );
        record(`${size} instances: RSS`, rss, 'MB', 'lower');
        record(`${size} instances: PSS`, pss, 'MB', 'lower');
        record(`${size} instances: ssh login p50`, pct(logins, 50), 'ms', 'lower');
        record(`${size} instances: DescribeInstances all`, describeMs, 'ms', 'lower');
        record(`${size} instances: DescribeInstances MaxResults=100`, pageMs, 'ms', 'lower');
        record(`${size} instances: DescribeInstances by instance-id filter`, filteredMs, 'ms', 'lower');
      }
    }
  } finally {
    await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- images: CreateImage, RunInstances from an image, bytes stored per extra instance ----

/** Bytes of volume contents stored (block_data): on the bench's SQLite file, or its PostgreSQL database. */
async function storedBytes(dataDir: string, where: string, params: string[]): Promise<{ rows: number; bytes: number }> {
  if (args.database && /^postgres/.test(args.database)) {
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: args.database });
    await client.connect();
    try {
      let n = 0;
      const sql = where.replace(/\?/g, () => `$${++n}`);
      const r = await client.query(`SELECT count(*) AS rows, coalesce(sum(octet_length(data)), 0) AS bytes FROM block_data WHERE ${sql}`, params);
      return { rows: Number(r.rows[0].rows), bytes: Number(r.rows[0].bytes) };
    } finally {
      await client.end();
    }
  }
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(join(dataDir, 'ec2lite.sqlite'), { readonly: true });
  try {
    const r = db.prepare(`SELECT count(*) AS rows, coalesce(sum(length(CAST(data AS BLOB))), 0) AS bytes FROM block_data WHERE ${where}`).get(...params) as { rows: number; bytes: number };
    return r;
  } finally {
    db.close();
  }
}

async function imagePhases(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ec2lite-bench-images-'));
  const server = await startServer(['--instance-delay-ms', '0', '--storage-delay-ms', '0'], dataDir);
  try {
    const region = 'ca-central-1';
    const images = await call(server.url, { Region: region, Action: 'DescribeImages', 'Filter.1.Name': 'name', 'Filter.1.Value.1': 'al2023-*' });
    const builtin = xmlValues(images.body, 'imageId')[0]!;
    const run = async (imageId: string, count: number) => {
      const r = await call(server.url, { Region: region, Action: 'RunInstances', ImageId: imageId, MinCount: '1', MaxCount: String(count) });
      if (r.status !== 200) throw new Error(r.body);
      return xmlValues(r.body, 'instanceId');
    };
    const [source] = await run(builtin, 1);
    await waitRunning(server.url, region, [source!]);
    const createMs: number[] = [];
    let imageId = '';
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      const r = await call(server.url, { Region: region, Action: 'CreateImage', InstanceId: source!, Name: `bench-${i}`, NoReboot: 'true' });
      if (r.status !== 200) throw new Error(r.body);
      imageId = xmlValues(r.body, 'imageId')[0]!;
      for (let n = 0; n < 10_000 && (await call(server.url, { Region: region, Action: 'DescribeImages', 'ImageId.1': imageId })).body.indexOf('<imageState>available</imageState>') === -1; n++);
      createMs.push(performance.now() - t);
    }
    createMs.sort((a, b) => a - b);
    console.log(`${'CreateImage → available'.padEnd(34)}  p50 ${pct(createMs, 50).toFixed(1)} ms  p99 ${pct(createMs, 99).toFixed(1)} ms  (20 images of a running instance, NoReboot, storage delay 0)`);

    const launchMs: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      const [id] = await run(imageId, 1);
      for (let n = 0; n < 10_000 && (await call(server.url, { Region: region, Action: 'DescribeInstances', 'InstanceId.1': id! })).body.indexOf('<name>running</name>') === -1; n++);
      launchMs.push(performance.now() - t);
    }
    launchMs.sort((a, b) => a - b);
    console.log(`${'RunInstances from image → running'.padEnd(34)}  p50 ${pct(launchMs, 50).toFixed(1)} ms  p99 ${pct(launchMs, 99).toFixed(1)} ms  (30 launches of a CreateImage AMI, start delay 0)`);

    const snapshotId = /<snapshotId>([^<]+)<\/snapshotId>/.exec((await call(server.url, { Region: region, Action: 'DescribeImages', 'ImageId.1': imageId })).body)![1]!;
    const before = await storedBytes(dataDir, 'base = ?', [snapshotId]);
    const extra = 200;
    const ids: string[] = [];
    while (ids.length < extra) ids.push(...(await run(imageId, Math.min(50, extra - ids.length))));
    await waitRunning(server.url, region, ids);
    const after = await storedBytes(dataDir, 'base = ?', [snapshotId]);
    const { imageTemplate } = await import('../src/guest/images.js');
    const fullCopy = Buffer.byteLength(JSON.stringify(imageTemplate('al2023').rootSnapshot()));
    const perInstance = (after.bytes - before.bytes) / (after.rows - before.rows);
    console.log(
      `${'bytes stored per extra instance'.padEnd(34)}  ${perInstance.toFixed(0)} B each over ${after.rows - before.rows} instances of one image (a full copy of its root would be ${fullCopy} B: ${(fullCopy / perInstance).toFixed(0)}× more)`,
    );
  } finally {
    await stopServer(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Time to a usable instance as a user gets it: `aws ec2 run-instances`, `aws ec2 wait
 * instance-running`, then `ssh … whoami`; idle, and with both cores kept busy by two spinning
 * processes. Also counts the waiter's polls (1 = it never slept its 15 s interval).
 */
async function usablePhase(): Promise<void> {
  const server = await startServer();
  const dir = mkdtempSync(join(tmpdir(), 'ec2lite-bench-'));
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'AKIDBENCH',
    AWS_SECRET_ACCESS_KEY: 'x',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const cli = (args: string[]) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
      const p = spawn('aws', ['--endpoint-url', server.url, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      p.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      p.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      p.on('error', reject);
      p.on('close', (code) => resolve({ code, out, err }));
    });
  try {
    const images = await call(server.url, { Action: 'DescribeImages', 'Filter.1.Name': 'name', 'Filter.1.Value.1': 'al2023-*' });
    const imageId = xmlValues(images.body, 'imageId')[0]!;
    const key = await call(server.url, { Action: 'CreateKeyPair', KeyName: 'usable' });
    const pem = join(dir, 'usable.pem');
    writeFileSync(pem, /<keyMaterial>([\s\S]*?)<\/keyMaterial>/.exec(key.body)![1]!, { mode: 0o600 });
    for (const loaded of [false, true]) {
      const spinners = loaded ? [0, 1].map(() => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' })) : [];
      try {
        const totals: number[] = [];
        let polls = 0;
        const rounds = 3;
        for (let i = 0; i < rounds; i++) {
          const t = performance.now();
          const run = await cli(['ec2', 'run-instances', '--image-id', imageId, '--key-name', 'usable', '--count', '1', '--query', 'Instances[0].InstanceId', '--output', 'text']);
          if (run.code !== 0) throw new Error(run.err);
          const id = run.out.trim();
          const wait = await cli(['--debug', 'ec2', 'wait', 'instance-running', '--instance-ids', id]);
          if (wait.code !== 0) throw new Error(wait.err.slice(-500));
          polls += (wait.err.match(/OperationModel\(name=DescribeInstances\)/g) ?? []).length;
          const info = (await (await fetch(`${server.url}/_ec2lite/instances/${id}/ssh`)).json()) as { host: string; port: number; user: string };
          const login = await sshOnce(openSshArgs(pem, info, 'whoami'));
          if (login.out !== 'ec2-user\n') throw new Error(`ssh failed: ${login.out}`);
          totals.push(performance.now() - t);
        }
        totals.sort((a, b) => a - b);
        // What two CLI invocations cost by themselves here: the floor of the sequence above.
        const floorStarted = performance.now();
        await cli(['ec2', 'describe-key-pairs', '--output', 'text']);
        await cli(['ec2', 'describe-key-pairs', '--output', 'text']);
        const floor = performance.now() - floorStarted;
        const label = `aws run → wait running → ssh${loaded ? ' (busy)' : ''}`;
        console.log(`${label.padEnd(34)}  p50 ${pct(totals, 50).toFixed(0)} ms  max ${totals.at(-1)!.toFixed(0)} ms  (${rounds} rounds, ${(polls / rounds).toFixed(1)} waiter polls each; two bare aws calls take ${floor.toFixed(0)} ms${loaded ? '; both cores kept busy by 2 spinning processes' : ''})`);
        record(`${label}, two bare aws calls`, floor, 'ms', 'lower');
        record(`${label}, p50`, pct(totals, 50), 'ms', 'lower');
        record(`${label}, waiter polls`, polls / rounds, '', 'lower');
      } finally {
        for (const s of spinners) s.kill('SIGKILL');
      }
    }
  } finally {
    await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `--soak DURATION`: see bench/soak.ts. Two nodes when the store is PostgreSQL. */
async function soakPhase(): Promise<void> {
  const postgres = /^postgres/.test(args.database ?? '');
  const servers = [await startServer()];
  if (postgres) servers.push(await startServer());
  const dir = mkdtempSync(join(tmpdir(), 'ec2lite-soak-'));
  try {
    const region = 'us-west-1';
    const url = servers[0]!.url;
    const images = await call(url, { Region: region, Action: 'DescribeImages', 'Filter.1.Name': 'name', 'Filter.1.Value.1': 'al2023-*' });
    const imageId = xmlValues(images.body, 'imageId')[0]!;
    const key = await call(url, { Region: region, Action: 'CreateKeyPair', KeyName: 'soak' });
    const pem = join(dir, 'soak.pem');
    writeFileSync(pem, /<keyMaterial>([\s\S]*?)<\/keyMaterial>/.exec(key.body)![1]!, { mode: 0o600 });
    const result = await soak(
      {
        nodes: servers.map((s) => ({ url: s.url, pid: s.child.pid! })),
        seconds: parseDuration(args.soak!),
        instances: Number(args['soak-instances'] ?? 1000),
        sshSessions: Number(args['soak-ssh'] ?? 100),
        apiConcurrency: 8,
        pem,
        imageId,
        keyName: 'soak',
        region,
      },
      { call, sshOnce, rssMb, xmlValues },
    );
    const all = result.minutes.flatMap((m) => m.api);
    record('soak: errors', result.errors, '', 'lower');
    record('soak: lost acknowledged writes', result.lostWrites, '', 'lower');
    record('soak: API p99 (whole run)', pct([...all].sort((a, b) => a - b), 99), 'ms', 'lower');
    const ssh = result.minutes.flatMap((m) => m.ssh).sort((a, b) => a - b);
    record('soak: SSH login p99 (whole run)', pct(ssh, 99), 'ms', 'lower');
    record('soak: RSS max', Math.max(...result.minutes.flatMap((m) => m.rss)), 'MB', 'lower', `${servers.length} node(s)`);
  } finally {
    for (const s of servers) await stopServer(s);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function mainWithTable(): Promise<void> {
  if (args.compare === 'moto') {
    const { compareWithMoto } = await import('./compare.js');
    console.log(`ec2lite bench --compare moto — node ${process.version}, ${availableParallelism()} cores, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
    return compareWithMoto(
      {
        call,
        xmlValues,
        rssMb,
        residentMb,
        pssMb: treePssMb,
        startEc2lite: async () => {
          const s = await startServer();
          return { url: s.url, pid: s.child.pid!, startedMs: s.startedMs, stop: () => stopServer(s) };
        },
        realReady,
      },
      { rounds: Number(args.rounds ?? 3), instances: Number(args['compare-instances'] ?? 1000), keys: Number(args['compare-keys'] ?? 5000) },
    );
  }
  const previous = args.compare ? (JSON.parse(readFileSync(args.compare, 'utf8')) as { figures: Record<string, Figure> }).figures : undefined;
  try {
    await main();
  } finally {
    printTable(previous);
    if (args.results) {
      writeFileSync(args.results, JSON.stringify({ date: new Date().toISOString(), node: process.version, store: args.database ?? 'sqlite (memory)', figures: Object.fromEntries(figures) }, null, 2) + '\n');
      console.log(`figures written to ${args.results}`);
    }
  }
}

mainWithTable()
  .finally(() => agent.destroy())
  .catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

// ---- crun (issue 24): real instances ----------------------------------------------------------

/** The instance's cgroup directory under the memory controller (v1) or the unified hierarchy (v2). */
function instanceCgroup(instanceId: string): string | undefined {
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const [, controllers, path] = line.split(':');
    const base = controllers?.split(',').includes('memory') ? `/sys/fs/cgroup/memory${path}` : controllers === '' ? `/sys/fs/cgroup${path}` : undefined;
    if (!base) continue;
    const dir = `${base.replace(/\/+$/, '')}/ec2lite/${instanceId}`;
    try {
      readFileSync(`${dir}/cgroup.procs`);
      return dir;
    } catch {
      // next
    }
  }
  return undefined;
}

/** An instance's memory in MB: anonymous (rss) and everything charged (page cache and kernel objects included). */
function instanceMemory(instanceId: string): { rss: number; charged: number } | undefined {
  const dir = instanceCgroup(instanceId);
  if (!dir) return undefined;
  const stat = readFileSync(`${dir}/memory.stat`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(stat)?.[1] ?? NaN);
  const rss = Number.isNaN(field('total_rss')) ? field('anon') : field('total_rss');
  let charged: number;
  try {
    charged = Number(readFileSync(`${dir}/memory.usage_in_bytes`, 'utf8'));
  } catch {
    charged = Number(readFileSync(`${dir}/memory.current`, 'utf8'));
  }
  return { rss: rss / 1e6, charged: charged / 1e6 };
}

const instanceProcesses = (instanceId: string): number => {
  const dir = instanceCgroup(instanceId);
  return dir ? readFileSync(`${dir}/cgroup.procs`, 'utf8').trim().split('\n').filter(Boolean).length : 0;
};

/** Proportional set size of a process (shared pages split among their users), in MB. */
function pssMb(pid: number): number {
  try {
    return Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))![1]) / 1024;
  } catch {
    return 0;
  }
}

/** Why this host cannot run the real-instance phases (root, crun, the built debian-12 image), or undefined. */
async function realUnfit(): Promise<string | undefined> {
  const { hostUnfit } = await import('../src/engines/crun/host.js');
  const { ImageCache, defaultImageCache } = await import('../src/engines/crun/images.js');
  return hostUnfit() ?? (new ImageCache(defaultImageCache()).manifest('debian-12') ? undefined : 'image debian-12 not in the image cache (EC2LITE_IMAGE_CACHE; ec2lite images build debian-12)');
}

/**
 * What every real-instance phase starts with on its server: Debian's image id, a key pair named
 * `keyName` (its private key in `dir`, 0600) and SSH open on the default group, as a user opens it.
 */
async function realSetup(url: string, region: string, dir: string, keyName: string): Promise<{ imageId: string; material: string; pem: string }> {
  const imageId = xmlValues((await call(url, { Region: region, Action: 'DescribeImages', 'Owner.1': '136693071363' })).body, 'imageId')[0]!;
  const key = await call(url, { Region: region, Action: 'CreateKeyPair', KeyName: keyName });
  // Security groups refuse SSH until a rule allows it (README quick start).
  await call(url, { Region: region, Action: 'AuthorizeSecurityGroupIngress', GroupName: 'default', IpProtocol: 'tcp', FromPort: '22', ToPort: '22', CidrIp: '0.0.0.0/0' });
  const material = /<keyMaterial>([\s\S]*?)<\/keyMaterial>/.exec(key.body)![1]!;
  const pem = join(dir, `${keyName}.pem`);
  writeFileSync(pem, material, { mode: 0o600 });
  return { imageId, material, pem };
}

/**
 * The comparison's real-engine row: RunInstances of a debian-12 instance under crun → the first
 * `ssh … whoami` that answers, p50 of 5. Needs root, crun and a built image (EC2LITE_IMAGE_CACHE).
 */
async function realReady(): Promise<{ ms: number; note: string } | { skipped: string }> {
  const why = await realUnfit();
  if (why) {
    console.log(`real: RunInstances → SSH ready not measured: ${why}`);
    return { skipped: why };
  }
  const dir = mkdtempSync(join(tmpdir(), 'ec2lite-bench-real-'));
  const server = await startServer(['--real-images', 'debian-12'], join(dir, 'data'));
  try {
    const region = 'us-east-1';
    const { imageId, pem } = await realSetup(server.url, region, dir, 'bench');
    const ready: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const r = await call(server.url, { Region: region, Action: 'RunInstances', ImageId: imageId, MinCount: '1', MaxCount: '1', KeyName: 'bench', InstanceType: 't3.nano' });
      if (r.status !== 200) throw new Error(r.body);
      const id = xmlValues(r.body, 'instanceId')[0]!;
      const e = (await (await fetch(`${server.url}/_ec2lite/instances/${id}/ssh`)).json()) as { host: string; port: number; user: string };
      const sshArgs = openSshArgs(pem, e, 'whoami');
      let answered = false;
      for (let n = 0; n < 300 && !answered; n++) {
        answered = (await sshOnce(sshArgs)).out === 'admin\n';
        if (!answered) await new Promise((res) => setTimeout(res, 20));
      }
      if (!answered) throw new Error(`${id}: no SSH login`);
      ready.push(performance.now() - t);
    }
    ready.sort((a, b) => a - b);
    return { ms: pct(ready, 50), note: '5 launches, crun, OpenSSH whoami; ec2lite only' };
  } finally {
    await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function realPhase(): Promise<void> {
  const why = await realUnfit();
  if (why) {
    console.log(`${'real instances (crun)'.padEnd(34)}  not measured: ${why}`);
    return;
  }
  const { default: ssh2 } = await import('ssh2');
  const dir = mkdtempSync(join(tmpdir(), 'ec2lite-bench-real-'));
  const server = await startServer(['--instance-delay-ms', '0', '--real-images', 'debian-12'], join(dir, 'data'));
  try {
    const region = 'us-east-1';
    const { imageId, material, pem } = await realSetup(server.url, region, dir, 'bench');
    const launch = async () => {
      const r = await call(server.url, { Region: region, Action: 'RunInstances', ImageId: imageId, MinCount: '1', MaxCount: '1', KeyName: 'bench', InstanceType: 't3.nano' });
      if (r.status !== 200) throw new Error(r.body);
      return xmlValues(r.body, 'instanceId')[0]!;
    };
    const endpoint = async (id: string) => (await (await fetch(`${server.url}/_ec2lite/instances/${id}/ssh`)).json()) as { host: string; port: number; user: string };
    const sshArgs = (e: { host: string; port: number; user: string }) => openSshArgs(pem, e, 'whoami');

    // RunInstances → the first `ssh … whoami` that answers (the OpenSSH client's own start and handshake included).
    const ready: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      const id = await launch();
      ids.push(id);
      const e = await endpoint(id);
      // (refused until cloud-init's init stage has run: seconds, so many attempts)
      for (let n = 0; n < 1500; n++) {
        const r = await sshOnce(sshArgs(e));
        if (r.out === 'admin\n') break;
        await new Promise((res) => setTimeout(res, 20));
      }
      ready.push(performance.now() - t);
      // The next launch starts on a quiet machine: this one's config and final stages (new Python
      // processes, ~0.5 s of CPU) would otherwise run beside the next boot on two cores.
      await sshOnce(openSshArgs(pem, e, 'cloud-init status --wait >/dev/null'));
    }
    ready.sort((a, b) => a - b);
    record('real: RunInstances → SSH-ready, p50', pct(ready, 50), 'ms', 'lower', '10 launches, crun + tini, OpenSSH whoami');
    console.log(`${'real: RunInstances → SSH-ready'.padEnd(34)}  p50 ${pct(ready, 50).toFixed(0)} ms  p99 ${pct(ready, 99).toFixed(0)} ms`);

    // Exec round trip over one SSH connection (what Ansible's pipelining and scripts pay per command).
    const e = await endpoint(ids[0]!);
    const conn = new ssh2.Client();
    await new Promise<void>((resolve, reject) => {
      conn.once('ready', () => resolve()).once('error', reject);
      conn.connect({ host: e.host, port: e.port, username: e.user, privateKey: material });
    });
    // ssh2's client leaves Nagle on: each exec then waited ~40 ms for the server's delayed ACK
    // (p50 64 ms, of which the instance's part was 6). Interactive clients set TCP_NODELAY.
    conn.setNoDelay(true);
    const execs: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t = performance.now();
      await new Promise<void>((resolve, reject) =>
        conn.exec('true', (err, ch) => {
          if (err) return reject(err);
          ch.on('close', () => resolve()).resume();
        }),
      );
      execs.push(performance.now() - t);
    }
    conn.end();
    execs.sort((a, b) => a - b);
    record('real: exec round trip over SSH, p50', pct(execs, 50), 'ms', 'lower', 'ssh2 client, one connection: crun exec /bin/bash -c true');
    console.log(`${'real: exec round trip over SSH'.padEnd(34)}  p50 ${pct(execs, 50).toFixed(1)} ms  p99 ${pct(execs, 99).toFixed(1)} ms  (40 execs on one connection)`);
    // The same through OpenSSH's multiplexing (Ansible's ControlPersist): one `ssh` process per command.
    const ctl = join(dir, 'ctl');
    const master = spawn('ssh', ['-M', '-S', ctl, '-N', ...openSshArgs(pem, e)], { stdio: 'ignore' });
    for (let n = 0; n < 500 && (await sshOnce(['-S', ctl, '-O', 'check', 'x'])).code !== 0; n++) await new Promise((r) => setTimeout(r, 20));
    const muxed: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t = performance.now();
      const r = await sshOnce(['-S', ctl, 'x', 'true']);
      if (r.code !== 0) throw new Error(`ssh -S … true failed: ${r.out}`);
      muxed.push(performance.now() - t);
    }
    master.kill();
    muxed.sort((a, b) => a - b);
    record('real: exec round trip, OpenSSH ControlMaster, p50', pct(muxed, 50), 'ms', 'lower', 'ssh -S ctl x true: client start included');
    console.log(`${'real: exec round trip (OpenSSH mux)'.padEnd(34)}  p50 ${pct(muxed, 50).toFixed(1)} ms  p99 ${pct(muxed, 99).toFixed(1)} ms  (40 commands, ssh process start included)`);

    // Idle memory: let cloud-init finish, then each instance's cgroup (its processes and kernel
    // objects) and the per-instance helpers outside it (crun's monitor, slirp4netns).
    for (let i = ids.length; i < 20; i++) ids.push(await launch());
    // Idle: cloud-init done, only tini and its sleep left in each instance (bounded wait).
    for (let i = 0; i < 600 && ids.some((id) => instanceProcesses(id) > 2); i++) await new Promise((r) => setTimeout(r, 500));
    const mem = ids.map(instanceMemory).filter((x): x is { rss: number; charged: number } => !!x);
    const rss = mem.map((m) => m.rss).sort((a, b) => a - b);
    const charged = mem.map((m) => m.charged).sort((a, b) => a - b);
    const helpers = readFileSync(`/proc/${server.child.pid}/task/${server.child.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
    // Per instance: crun's monitor; per VPC (shared by its instances): slirp4netns and the relay, as the IMDS relay is per server.
    const comm = (p: number) => readFileSync(`/proc/${p}/comm`, 'utf8').trim();
    const helperMb = helpers.reduce((sum, p) => sum + pssMb(p), 0) / ids.length;
    const sharedMb = helpers.filter((p) => comm(p) !== 'crun').reduce((sum, p) => sum + pssMb(p), 0);
    console.log(`${'real: shared helpers'.padEnd(34)}  ${sharedMb.toFixed(1)} MB PSS (VPC relay + slirp4netns per VPC, IMDS relay per server), counted in the per-instance figure below`);
    const perInstance = pct(rss, 50) + helperMb;
    const available = Number(/MemAvailable:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) / 1024;
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
    record('real: idle memory per instance', perInstance, 'MB', 'lower', `processes ${pct(rss, 50).toFixed(2)} MB + crun monitor and slirp4netns ${helperMb.toFixed(2)} MB PSS; cgroup charge incl. page cache p50 ${pct(charged, 50).toFixed(1)} MB`);
    record('real: idle instances that fit (estimate)', Math.floor(available / perInstance), 'instances', 'higher', `MemAvailable ${available.toFixed(0)} MB / per-instance figure; load ${load}`);
    console.log(
      `${'real: idle memory per instance'.padEnd(34)}  ${perInstance.toFixed(2)} MB (processes ${pct(rss, 50).toFixed(2)} MB, helpers ${helperMb.toFixed(2)} MB PSS; ` +
        `charged incl. page cache ${pct(charged, 50).toFixed(1)} MB); ${Math.floor(available / perInstance)} would fit in MemAvailable ${available.toFixed(0)} MB (load ${load})`,
    );

    // Abuse inside one instance (a 1-vCPU t2.micro): the API's latency and another instance's SSH
    // login while it runs (test/real/abuse.test.ts asserts the bounds; this prints the figures).
    const abuseRun = await call(server.url, { Region: region, Action: 'RunInstances', ImageId: imageId, MinCount: '1', MaxCount: '1', KeyName: 'bench', InstanceType: 't2.micro' });
    const abuser = xmlValues(abuseRun.body, 'instanceId')[0]!;
    const [ea, eb] = [await endpoint(abuser), await endpoint(ids[1]!)];
    for (let n = 0; n < 100 && (await sshOnce(sshArgs(ea))).out !== 'admin\n'; n++) await new Promise((res) => setTimeout(res, 50));
    const during = async (label: string) => {
      const api = await apiLatencies(server.url, region, 100);
      const logins: number[] = [];
      for (let i = 0; i < 5; i++) logins.push((await sshOnce(sshArgs(eb))).ms);
      api.sort((a, b) => a - b);
      logins.sort((a, b) => a - b);
      record(`real: API p99 ${label}`, pct(api, 99), 'ms', 'lower');
      record(`real: other instance SSH login p50 ${label}`, pct(logins, 50), 'ms', 'lower');
      console.log(`${`real: ${label}`.padEnd(34)}  API p50 ${pct(api, 50).toFixed(1)} ms  p99 ${pct(api, 99).toFixed(1)} ms  other instance's login p50 ${pct(logins, 50).toFixed(0)} ms`);
    };
    await during('idle');
    for (const [label, command] of [
      ['during a fork bomb', "sh -c 'b() { [ $1 -lt 12 ] && { b $(($1+1)) & b $(($1+1)) & }; sleep 20; wait; }; b 0' 2>/dev/null"],
      ['during a memory hog', 'python3 -c "b = bytearray(3 * 1024**3)"'],
      ['during a tmpfs filler', 'head -c 200M /dev/zero > /dev/shm/fill; rm -f /dev/shm/fill'],
      ['during a CPU spin', "timeout 20 sh -c 'while :; do :; done' & timeout 20 sh -c 'while :; do :; done' & wait"],
    ] as const) {
      const child = spawn('/usr/bin/ssh', openSshArgs(pem, ea, command), { stdio: ['ignore', 'ignore', 'ignore'] });
      const closed = new Promise((r) => child.on('close', r));
      await new Promise((r) => setTimeout(r, 500));
      await during(label);
      await closed;
    }
  } finally {
    await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Real instances held idle at once (issue 24's "500 idle real instances"): launched in batches of
 * 25, each one's cloud-init run to its end; then the memory they hold (their cgroups' charges, the
 * per-instance crun monitors and shared helpers by PSS, the server), logins into a sample of them,
 * the API's latency with all of them up, and, after terminating them all, what is left behind
 * (crun processes, loop devices, cgroups): nothing, or the phase fails.
 */
async function realCapacityPhase(count: number): Promise<void> {
  const why = await realUnfit();
  if (why) throw new Error(`real-capacity: ${why}`);
  const dir = mkdtempSync(join(tmpdir(), 'ec2lite-bench-capacity-'));
  const memAvailable = () => Number(/MemAvailable:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) / 1024;
  const loops = () => execFileSync('losetup', ['-a'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(dir)).length;
  const availableBefore = memAvailable();
  const logFile = join(tmpdir(), `ec2lite-bench-capacity-${process.pid}.log`);
  const server = await startServer(['--instance-delay-ms', '0', '--real-images', 'debian-12'], join(dir, 'data'), logFile);
  console.log(`${'real-capacity'.padEnd(34)}  server log: ${logFile}`);
  const region = 'us-east-1';
  const ids: string[] = [];
  try {
    const { imageId, pem } = await realSetup(server.url, region, dir, 'capacity');

    const launchStarted = performance.now();
    const batches: number[] = [];
    while (ids.length < count) {
      const n = Math.min(25, count - ids.length);
      const t = performance.now();
      const r = await call(server.url, { Region: region, Action: 'RunInstances', ImageId: imageId, MinCount: String(n), MaxCount: String(n), KeyName: 'capacity', InstanceType: 't3.nano' });
      if (r.status !== 200) throw new Error(`RunInstances after ${ids.length}: ${r.body.slice(0, 500)}`);
      const batch = xmlValues(r.body, 'instanceId');
      ids.push(...batch);
      batches.push(performance.now() - t);
      // a steady launch, not a storm: the next batch once this one's cloud-init runs are over (bounded)
      for (let i = 0; i < 240 && batch.some((id) => instanceProcesses(id) > 2); i++) await new Promise((r) => setTimeout(r, 500));
      if (ids.length % 100 === 0) console.log(`${'real-capacity'.padEnd(34)}  ${ids.length} launched, ${((performance.now() - launchStarted) / 1000).toFixed(0)} s`);
    }
    const launchS = (performance.now() - launchStarted) / 1000;
    // idle: each one's cloud-init has ended (tini and its sleep left), bounded
    const settleStarted = performance.now();
    for (let i = 0; i < 1800 && ids.some((id) => instanceProcesses(id) > 2); i++) await new Promise((r) => setTimeout(r, 500));
    const busy = ids.filter((id) => instanceProcesses(id) > 2).length;
    const settleS = (performance.now() - settleStarted) / 1000;
    const running = (await call(server.url, { Region: region, Action: 'DescribeInstances', 'Filter.1.Name': 'instance-state-name', 'Filter.1.Value.1': 'running' })).body.split('<instanceId>').length - 1;

    const mem = ids.map(instanceMemory).filter((x): x is { rss: number; charged: number } => !!x);
    const chargedSum = mem.reduce((a, m) => a + m.charged, 0);
    const rssSum = mem.reduce((a, m) => a + m.rss, 0);
    const helpers = readFileSync(`/proc/${server.child.pid}/task/${server.child.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
    const comm = (p: number) => readFileSync(`/proc/${p}/comm`, 'utf8').trim();
    const monitors = helpers.filter((p) => comm(p) === 'crun');
    const helperPss = helpers.reduce((a, p) => a + pssMb(p), 0);
    const serverRss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))![1]) / 1024;
    const serverPss = pssMb(server.child.pid!);
    const fds = readdirSync(`/proc/${server.child.pid}/fd`).length;

    // a sample of 20 spread over the launch order, each through its own endpoint with OpenSSH
    const logins: number[] = [];
    for (let i = 0; i < 20; i++) {
      const id = ids[Math.floor((i * ids.length) / 20)]!;
      const e = (await (await fetch(`${server.url}/_ec2lite/instances/${id}/ssh`)).json()) as { host: string; port: number; user: string };
      const state = () => call(server.url, { Region: region, Action: 'DescribeInstances', 'InstanceId.1': id }).then((d) => /<instanceState>[\s\S]*?<\/instanceState>|<stateReason>[\s\S]*?<\/stateReason>/g.exec(d.body)?.join(' '));
      if (!e.port) throw new Error(`login to ${id} (${i + 1} of the sample): no SSH endpoint; ${await state()}; server log: ${logFile}`);
      const r = await sshOnce(openSshArgs(pem, e, 'whoami'));
      if (r.out !== 'admin\n') throw new Error(`login to ${id} (${i + 1} of the sample): ${r.out}; ${await state()}; server log: ${logFile}`);
      logins.push(r.ms);
    }
    const api = await apiLatencies(server.url, region, 100);
    logins.sort((a, b) => a - b);
    api.sort((a, b) => a - b);
    const perInstance = (chargedSum + helperPss) / mem.length;
    record(`real-capacity: instances running at once`, running, 'instances', 'higher', `${count} launched in batches of 25 (t3.nano); ${busy} still busy after ${settleS.toFixed(0)} s`);
    record(`real-capacity: launch, cumulative`, launchS, 's', 'lower', `RunInstances ×25 p50 ${pct([...batches].sort((a, b) => a - b), 50).toFixed(0)} ms`);
    record(`real-capacity: memory per idle instance`, perInstance, 'MB', 'lower', `cgroup charge incl. page cache ${(chargedSum / mem.length).toFixed(2)} MB (processes ${(rssSum / mem.length).toFixed(2)}) + crun monitors and shared helpers ${(helperPss / mem.length).toFixed(2)} MB PSS`);
    record(`real-capacity: MemAvailable used`, availableBefore - memAvailable(), 'MB', 'lower', `before ${availableBefore.toFixed(0)} MB; server RSS ${serverRss.toFixed(0)} MB (PSS ${serverPss.toFixed(0)}), ${fds} fds, ${monitors.length} crun monitors`);
    record(`real-capacity: SSH login p50 (20 of them)`, pct(logins, 50), 'ms', 'lower');
    record(`real-capacity: API p99 with all of them up`, pct(api, 99), 'ms', 'lower');
    console.log(
      `${'real-capacity'.padEnd(34)}  ${running} running (${busy} busy), launched in ${launchS.toFixed(0)} s, idle after ${settleS.toFixed(0)} s more; ` +
        `${perInstance.toFixed(2)} MB each (charge ${(chargedSum / mem.length).toFixed(2)}, processes ${(rssSum / mem.length).toFixed(2)}, helpers ${(helperPss / mem.length).toFixed(2)} PSS); ` +
        `MemAvailable ${availableBefore.toFixed(0)} → ${memAvailable().toFixed(0)} MB; server RSS ${serverRss.toFixed(0)} MB, ${fds} fds; login p50 ${pct(logins, 50).toFixed(0)} ms; API p99 ${pct(api, 99).toFixed(1)} ms`,
    );

    // all of them go; nothing of them stays
    const endStarted = performance.now();
    for (let i = 0; i < ids.length; i += 100) {
      const params: Record<string, string> = { Region: region, Action: 'TerminateInstances' };
      ids.slice(i, i + 100).forEach((id, j) => (params[`InstanceId.${j + 1}`] = id));
      const r = await call(server.url, params);
      if (r.status !== 200) throw new Error(`TerminateInstances: ${r.body.slice(0, 300)}`);
    }
    for (let i = 0; i < 1200; i++) {
      const left = (await call(server.url, { Region: region, Action: 'DescribeInstances', 'Filter.1.Name': 'instance-state-name', 'Filter.1.Value.1': 'shutting-down' })).body.includes('<instanceId>');
      if (!left && ids.every((id) => !instanceCgroup(id))) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const endS = (performance.now() - endStarted) / 1000;
    const kids = readFileSync(`/proc/${server.child.pid}/task/${server.child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    const leftMonitors = kids.filter((p) => comm(p) === 'crun').length;
    const leftCgroups = ids.filter((id) => instanceCgroup(id)).length;
    const leftLoops = loops();
    record(`real-capacity: terminate all`, endS, 's', 'lower', `left: ${leftMonitors} crun monitors, ${leftCgroups} cgroups, ${leftLoops} loop devices`);
    console.log(`${'real-capacity: terminate all'.padEnd(34)}  ${endS.toFixed(1)} s; left behind: ${leftMonitors} crun monitors, ${leftCgroups} cgroups, ${leftLoops} loop devices`);
    if (leftMonitors || leftCgroups || leftLoops) throw new Error('real-capacity: terminated instances left processes, cgroups or loop devices behind');
  } finally {
    await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Real instances with systemd as PID 1 (serve --real-init systemd): RunInstances → SSH ready (cloud-init's
 * own units gate it) and idle memory per instance once systemd reports running.
 */
async function realSystemdPhase(): Promise<void> {
  if (await realUnfit()) return; // realPhase said why
  const dir = mkdtempSync(join(tmpdir(), 'ec2lite-bench-systemd-'));
  const server = await startServer(['--instance-delay-ms', '0', '--real-images', 'debian-12', '--real-init', 'systemd'], join(dir, 'data'));
  try {
    const region = 'us-east-1';
    const { imageId, pem } = await realSetup(server.url, region, dir, 'bench');
    const ssh = async (id: string, command: string) => {
      const e = (await (await fetch(`${server.url}/_ec2lite/instances/${id}/ssh`)).json()) as { host: string; port: number; user: string };
      return sshOnce(openSshArgs(pem, e, command));
    };
    const ready: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const r = await call(server.url, { Region: region, Action: 'RunInstances', ImageId: imageId, MinCount: '1', MaxCount: '1', KeyName: 'bench', InstanceType: 't3.nano' });
      const id = xmlValues(r.body, 'instanceId')[0]!;
      ids.push(id);
      for (let n = 0; n < 1500 && (await ssh(id, 'whoami')).out !== 'admin\n'; n++) await new Promise((res) => setTimeout(res, 20));
      ready.push(performance.now() - t);
    }
    ready.sort((a, b) => a - b);
    record('real (systemd): RunInstances → SSH-ready, p50', pct(ready, 50), 'ms', 'lower', '5 launches, crun + systemd, OpenSSH whoami');
    console.log(`${'real (systemd): RunInstances → SSH'.padEnd(34)}  p50 ${pct(ready, 50).toFixed(0)} ms  p99 ${pct(ready, 99).toFixed(0)} ms`);
    for (const id of ids) await ssh(id, 'systemctl is-system-running --wait; cloud-init status --wait');
    await new Promise((res) => setTimeout(res, 2000));
    const mem = ids.map(instanceMemory).filter((x): x is { rss: number; charged: number } => !!x);
    const rss = mem.map((m) => m.rss).sort((a, b) => a - b);
    const charged = mem.map((m) => m.charged).sort((a, b) => a - b);
    record('real (systemd): idle memory per instance', pct(rss, 50), 'MB', 'lower', `processes (systemd, journald, …); cgroup charge incl. page cache p50 ${pct(charged, 50).toFixed(1)} MB`);
    console.log(`${'real (systemd): idle memory'.padEnd(34)}  processes ${pct(rss, 50).toFixed(2)} MB per instance; charged incl. page cache ${pct(charged, 50).toFixed(1)} MB`);
  } finally {
    await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
  }
}
