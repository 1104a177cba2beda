// `npm run bench`: figures for the API, instances and images, printed, never asserted. The server runs as a
// child process (as users run it) so that its RSS is its own; requests go over keep-alive HTTP.
//   npm run bench [-- --database postgres://… (an empty database) | sqlite (a file in EC2LITE_DATA_DIR)] [-- --only create-rsa,import]
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPair, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'node:http';
import { writeCredentials } from '../src/auth/credentials-file.js';
import { opensshPublicKeyLine, sshPublicBlob } from '../src/keys/index.js';
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
  options: { database: { type: 'string' }, only: { type: 'string' }, 'extra-args': { type: 'string' } },
});
const only = args.only ? new Set(args.only.split(',')) : undefined;
const wanted = (name: string) => !only || only.has(name);

interface Server {
  url: string;
  child: ChildProcess;
  startedMs: number;
}

async function startServer(extra: string[] = [], dataDir?: string): Promise<Server> {
  const started = performance.now();
  const argv = ['dist/src/cli/main.js', 'serve', '--port', '0', '--quiet', ...extra];
  if (args.database) argv.push('--database', args.database);
  else if (dataDir) argv.push('--data-dir', dataDir);
  else argv.push('--ephemeral');
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
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

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
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
}

async function waitForPool(url: string, size: number): Promise<void> {
  for (;;) {
    const health = (await (await fetch(`${url}/_ec2lite/health`)).json()) as { rsaPool: number };
    if (health.rsaPool >= size) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function baselineRsaRate(count: number): Promise<number> {
  const parallel = availableParallelism();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next++ < count) {
        await new Promise((resolve, reject) =>
          generateKeyPair('rsa', { modulusLength: 2048 }, (err) => (err ? reject(err) : resolve(undefined))),
        );
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
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
    await waitForPool(server.url, poolSize); // the pool's refill would compete with the baseline
    const baseline = await baselineRsaRate(60);
    await waitForPool(server.url, poolSize);
    const sustained = await load(server.url, 60 + poolSize, 4, (i) => ({ Action: 'CreateKeyPair', KeyName: `sustained-${i}` }));
    const rate = sustained.ops / sustained.seconds;
    report('CreateKeyPair rsa (sustained)', sustained, server, `= ${((rate / baseline) * 100).toFixed(0)}% of generateKeyPair alone (${baseline.toFixed(1)}/s)`);
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

  if (wanted('auth')) await authCost();
  if (wanted('instances') || wanted('ssh-login') || wanted('guest-abuse') || wanted('capacity')) await instancePhases();
  if (wanted('images')) await imagePhases();
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
    const pem = join(dir, 'bench.pem');
    const material = /<keyMaterial>([\s\S]*?)<\/keyMaterial>/.exec(key.body)![1]!;
    writeFileSync(pem, material, { mode: 0o600 });
    const run = async (count: number) => {
      const r = await call(server.url, { Region: region, Action: 'RunInstances', ImageId: imageId, MinCount: '1', MaxCount: String(count), KeyName: 'bench' });
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
      console.log(`${'RunInstances → running'.padEnd(34)}  p50 ${pct(latencies, 50).toFixed(1)} ms  p99 ${pct(latencies, 99).toFixed(1)} ms  (30 launches, start delay 0; default delay adds 500 ms)`);
    }

    if (wanted('ssh-login')) {
      const [id] = await run(1);
      await waitRunning(server.url, region, [id!]);
      const info = (await (await fetch(`${server.url}/_ec2lite/instances/${id}/ssh`)).json()) as { host: string; port: number; user: string };
      const args = ['-i', pem, '-p', String(info.port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', `${info.user}@${info.host}`, 'whoami'];
      const times: number[] = [];
      for (let i = 0; i < 60; i++) {
        const r = await sshOnce(args);
        if (r.out !== 'ec2-user\n') throw new Error(`ssh failed: ${r.out}`);
        if (i >= 5) times.push(r.ms); // the first few warm the server's JIT
      }
      times.sort((a, b) => a - b);
      console.log(`${'ssh login → first output'.padEnd(34)}  p50 ${pct(times, 50).toFixed(1)} ms  p99 ${pct(times, 99).toFixed(1)} ms  (55 logins, RSA key, spawn to first byte of whoami)`);
    }

    if (wanted('guest-abuse')) {
      // the API's p99 while one instance's guest runs an abusive command over a real ssh session
      const [id] = await run(1);
      await waitRunning(server.url, region, [id!]);
      const info = (await (await fetch(`${server.url}/_ec2lite/instances/${id}/ssh`)).json()) as { host: string; port: number; user: string };
      const sshArgs = ['-i', pem, '-p', String(info.port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', `${info.user}@${info.host}`];
      const p99 = async () => {
        const times: number[] = [];
        for (let i = 0; i < 200; i++) {
          const t = performance.now();
          await call(server.url, { Region: region, Action: 'DescribeKeyPairs' });
          times.push(performance.now() - t);
        }
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

    if (wanted('capacity')) {
      const target = 200;
      const before = rssMb(server.child.pid!);
      const ids: string[] = [];
      while (ids.length < target) ids.push(...(await run(Math.min(50, target - ids.length))));
      await waitRunning(server.url, region, ids);
      const health = (await (await fetch(`${server.url}/_ec2lite/health`)).json()) as { runningInstances: number };
      const last = ids.at(-1)!;
      const info = (await (await fetch(`${server.url}/_ec2lite/instances/${last}/ssh`)).json()) as { host: string; port: number; user: string };
      const login = await sshOnce(['-i', pem, '-p', String(info.port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', `${info.user}@${info.host}`, 'whoami']);
      const rss = rssMb(server.child.pid!);
      console.log(
        `${'running instances in one process'.padEnd(34)}  ${health.runningInstances} running  RSS ${rss.toFixed(0)} MB (${before.toFixed(0)} MB before the ${target}, ${((rss - before) / target).toFixed(2)} MB each)  login to the last: ${login.out.trim() === 'ec2-user' ? 'ok' : `FAILED ${JSON.stringify(login.out)}`}`,
      );
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

main()
  .finally(() => agent.destroy())
  .catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
