// `npm run bench`: figures for the key pairs API, printed, never asserted. The server runs as a
// child process (as users run it) so that its RSS is its own; requests go over keep-alive HTTP.
//   npm run bench [-- --database postgres://…] [-- --only create-rsa,import]
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPair, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';

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

async function startServer(extra: string[] = []): Promise<Server> {
  const started = performance.now();
  const argv = ['dist/src/cli/main.js', 'serve', '--port', '0', '--quiet', ...extra];
  if (args.database) argv.push('--database', args.database);
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

/** Each phase uses its own region (the credential scope chooses it) so the 5,000 limit applies per phase. */
const scope = (region: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIDBENCH/20260101/${region}/ec2/aws4_request, SignedHeaders=content-type;host, Signature=${'0'.repeat(64)}`;

async function call(url: string, params: Record<string, string>): Promise<{ status: number; body: string; serverMs: number }> {
  const { Region = 'us-east-1', ...rest } = params;
  params = rest;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: scope(Region) },
    body: new URLSearchParams({ Version: '2016-11-15', ...params }).toString(),
  });
  const body = await res.text();
  const timing = /dur=([0-9.]+)/.exec(res.headers.get('server-timing') ?? '');
  return { status: res.status, body, serverMs: timing ? Number(timing[1]) : NaN };
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
  console.log(`ec2lite bench — node ${process.version}, ${availableParallelism()} cores, store ${args.database ? 'postgres' : 'sqlite (memory)'}`);

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
    const baseline = await baselineRsaRate(60);
    await waitForPool(server.url, poolSize);
    const sustained = await load(server.url, 60 + poolSize, 4, (i) => ({ Action: 'CreateKeyPair', KeyName: `sustained-${i}` }));
    const rate = sustained.ops / sustained.seconds;
    report('CreateKeyPair rsa (sustained)', sustained, server, `= ${((rate / baseline) * 100).toFixed(0)}% of generateKeyPair alone (${baseline.toFixed(1)}/s)`);
  }
  if (wanted('create-ed25519')) {
    report('CreateKeyPair ed25519', await load(server.url, 2000, 8, (i) => ({ Region: 'eu-west-1', Action: 'CreateKeyPair', KeyName: `ed-${i}`, KeyType: 'ed25519' })), server);
  }
  const material = Buffer.from(
    (generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }) as string),
  ).toString('base64');
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
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
