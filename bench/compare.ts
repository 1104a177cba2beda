// `npm run bench -- --compare moto`: ec2lite and moto (server mode) side by side. Both servers are
// started fresh by the bench, filled alike, then the same rows run against both with the same
// client (bench/run.ts's keep-alive HTTP Query client), in interleaved rounds (the order of the two
// alternates each round), so a burst of load from elsewhere on the machine hits both. A row's
// figure is its p50 per round; the ratio is moto's p50 over ec2lite's within a round (> 1: ec2lite
// is faster), and the table shows its median over the rounds and how many rounds ec2lite led.
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import { opensshPublicKeyLine, sshPublicBlob } from '../src/keys/index.js';

export interface Target {
  name: 'ec2lite' | 'moto';
  url: string;
  pid: number;
}

type Call = (url: string, params: Record<string, string>) => Promise<{ status: number; body: string }>;

export interface CompareDeps {
  call: Call;
  startEc2lite: () => Promise<{ url: string; pid: number; startedMs: number; stop: () => Promise<void> }>;
  /** A sum of the processes' RSS: pages they share count once per process. */
  rssMb: (pid: number) => number;
  /** The distinct resident pages of the process and its children (each page once), or undefined when that cannot be read. */
  residentMb: (pid: number) => number | undefined;
  /** Proportional set size of the process and its children: shared pages split, so a multi-process server is not counted twice. */
  pssMb: (pid: number) => number;
  xmlValues: (body: string, tag: string) => string[];
  /** The real-engine row (ec2lite only): RunInstances → SSH ready p50, or why it was not measured. */
  realReady: () => Promise<{ ms: number; note: string } | { skipped: string }>;
}

export interface CompareOptions {
  rounds: number;
  /** Instances of the describe-with-instances rows (default 1,000). */
  instances: number;
  /** Key pairs of the filtered DescribeKeyPairs rows (default 5,000). */
  keys: number;
}

interface RowResult {
  name: string;
  /** p50 per round, per target. */
  p50: Record<Target['name'], number[]>;
  note?: string;
}

/** The median; of an even count, the mean of the middle two (two rounds: their mean, not the larger). */
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** moto 5.2.1's sample AMI, present in every region of its server. */
const MOTO_AMI = 'ami-12c6146b';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function startMoto(call: Call): Promise<{ target: Target; child: ChildProcess; startedMs: number; version: string }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn('python3', ['-m', 'moto.server', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`moto exited with ${code}: ${err}`))));
  const url = `http://127.0.0.1:${port}`;
  // Start-up ends at the first API answer, as for ec2lite.
  for (;;) {
    const ok = await Promise.race([call(url, { Action: 'DescribeKeyPairs' }).then(() => true, () => false), exited]);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const startedMs = performance.now() - started;
  const version = await new Promise<string>((resolve) => {
    const p = spawn('python3', ['-c', 'import moto; print(moto.__version__)'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    p.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    p.on('close', () => resolve(out.trim() || 'unknown'));
  });
  return { target: { name: 'moto', url, pid: child.pid! }, child, startedMs, version };
}

async function stopMoto(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

/** One row: what it does in a round against one target, as latencies in ms. */
interface Row {
  name: string;
  run: (t: Target, round: number) => Promise<number[]>;
}

export async function compareWithMoto(deps: CompareDeps, opts: CompareOptions): Promise<void> {
  const { call, xmlValues } = deps;
  const ok = async (t: Target, params: Record<string, string>) => {
    const r = await call(t.url, params);
    if (r.status !== 200) throw new Error(`${t.name} ${params.Action}: ${r.status} ${r.body.slice(0, 300)}`);
    return r;
  };
  const timed = async (t: Target, params: Record<string, string>) => {
    const s = performance.now();
    const r = await ok(t, params);
    return { ms: performance.now() - s, body: r.body };
  };
  const many = async (t: Target, n: number, make: (i: number) => Record<string, string>) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await timed(t, make(i))).ms);
    return out;
  };
  const ids = (params: Record<string, string>, list: string[]) => {
    list.forEach((id, i) => (params[`InstanceId.${i + 1}`] = id));
    return params;
  };
  const amiOf = new Map<string, string>();
  const ami = async (t: Target, Region: string) => {
    if (t.name === 'moto') return MOTO_AMI;
    const key = `${t.url} ${Region}`;
    if (!amiOf.has(key)) amiOf.set(key, xmlValues((await ok(t, { Region, Action: 'DescribeImages', 'Filter.1.Name': 'name', 'Filter.1.Value.1': 'al2023-*' })).body, 'imageId')[0]!);
    return amiOf.get(key)!;
  };
  const launch = async (t: Target, Region: string, n: number) =>
    xmlValues((await ok(t, { Region, Action: 'RunInstances', ImageId: await ami(t, Region), MinCount: String(n), MaxCount: String(n) })).body, 'instanceId');
  const stateOf = async (t: Target, Region: string, id: string) => /<instanceState>\s*<code>\d+<\/code>\s*<name>([a-z-]+)<\/name>/.exec((await ok(t, { Region, Action: 'DescribeInstances', 'InstanceId.1': id })).body)?.[1];
  const waitFor = async (t: Target, Region: string, id: string, state: string) => {
    for (let i = 0; i < 5000; i++) {
      if ((await stateOf(t, Region, id)) === state) return;
      await new Promise((r) => setTimeout(r, 2));
    }
    throw new Error(`${t.name}: ${id} never ${state}`);
  };

  // ---- servers ----
  const ec2lite = await deps.startEc2lite();
  const moto = await startMoto(call);
  const targets: Target[] = [{ name: 'ec2lite', url: ec2lite.url, pid: ec2lite.pid }, moto.target];
  const results: RowResult[] = [];
  const single = (name: string, e: number, m: number, note?: string) => results.push({ name, p50: { ec2lite: [e], moto: [m] }, note });
  single('start-up → first answer (ms)', ec2lite.startedMs, moto.startedMs, 'one start each');
  /**
   * Memory rows: RSS as the host's distinct resident pages of each server's processes (ec2lite's
   * guest processes map the same Node code as the server: a sum of RSS would count it three
   * times; the sum is shown in the note), and PSS. Each server's own process tree, measured alike.
   */
  const memoryRows = (when: string, note: string) => {
    const [e, m] = [deps.residentMb(ec2lite.pid), deps.residentMb(moto.target.pid)];
    const summed = `summed RSS ${deps.rssMb(ec2lite.pid).toFixed(0)} vs ${deps.rssMb(moto.target.pid).toFixed(0)} MB`;
    if (e !== undefined && m !== undefined) single(`RSS ${when} (MB), each page once`, e, m, `${note}${summed}`);
    else single(`RSS ${when} (MB), summed per process`, deps.rssMb(ec2lite.pid), deps.rssMb(moto.target.pid), `${note}pages not readable (not root)`);
    single(`PSS ${when} (MB)`, deps.pssMb(ec2lite.pid), deps.pssMb(moto.target.pid), 'guest processes included');
  };
  memoryRows('idle', '');
  console.log(`compare: ec2lite ${ec2lite.url} (pid ${ec2lite.pid}), moto ${moto.version} ${moto.target.url} (pid ${moto.target.pid}); ${opts.rounds} rounds`);

  try {
    // ---- fills, alike on both ----
    const KEYS = 'ap-south-1';
    const WRITES = 'eu-west-2';
    const LIFE = 'us-west-2';
    const MANY = 'eu-west-1';
    // Distinct public keys, so that a fingerprint selects one key pair, as in real use.
    const publicKeys = Array.from({ length: opts.keys }, () =>
      Buffer.from(`${opensshPublicKeyLine(sshPublicBlob(generateKeyPairSync('ed25519').publicKey), 'me@host')}\n`).toString('base64'),
    );
    const fingerprints = new Map<Target['name'], string[]>();
    for (const t of targets) {
      const fill = performance.now();
      let next = 0;
      const fps: string[] = new Array(opts.keys);
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < opts.keys) {
            const i = next++;
            const r = await ok(t, {
              Region: KEYS,
              Action: 'ImportKeyPair',
              KeyName: `fill-${i}`,
              PublicKeyMaterial: publicKeys[i]!,
              'TagSpecification.1.ResourceType': 'key-pair',
              'TagSpecification.1.Tag.1.Key': 'team',
              'TagSpecification.1.Tag.1.Value': `t${i % 50}`,
            });
            fps[i] = xmlValues(r.body, 'keyFingerprint')[0]!;
          }
        }),
      );
      fingerprints.set(t.name, fps);
      const launched = performance.now();
      for (let n = 0; n < opts.instances; n += 100) await launch(t, MANY, Math.min(100, opts.instances - n));
      console.log(`  ${t.name}: ${opts.keys} key pairs in ${((launched - fill) / 1000).toFixed(1)} s, ${opts.instances} instances in ${((performance.now() - launched) / 1000).toFixed(1)} s`);
    }
    memoryRows('after the fills', `${opts.keys} key pairs, ${opts.instances} instances; `);
    // The instance whose stop and start are timed.
    const cycling = new Map<Target['name'], string>();
    for (const t of targets) {
      const [id] = await launch(t, LIFE, 1);
      await waitFor(t, LIFE, id!, 'running');
      cycling.set(t.name, id!);
    }

    // ---- the rows ----
    /**
     * Five stop → stopped → start → running cycles of the row's instance, timing one part: the
     * StopInstances answer, the StartInstances answer, or StartInstances until `running` is seen.
     */
    const stopStartCycle = (measure: 'stop' | 'start' | 'start → running') => async (t: Target) => {
      const out: number[] = [];
      const id = cycling.get(t.name)!;
      for (let i = 0; i < 5; i++) {
        const stop = await timed(t, { Region: LIFE, Action: 'StopInstances', 'InstanceId.1': id });
        await waitFor(t, LIFE, id, 'stopped');
        const s = performance.now();
        const start = await timed(t, { Region: LIFE, Action: 'StartInstances', 'InstanceId.1': id });
        await waitFor(t, LIFE, id, 'running');
        out.push(measure === 'stop' ? stop.ms : measure === 'start' ? start.ms : performance.now() - s);
      }
      return out;
    };
    const rows: Row[] = [
      { name: 'CreateKeyPair ed25519', run: (t, r) => many(t, 20, (i) => ({ Region: WRITES, Action: 'CreateKeyPair', KeyName: `ed-${r}-${i}`, KeyType: 'ed25519' })) },
      { name: 'CreateKeyPair rsa', run: (t, r) => many(t, 8, (i) => ({ Region: WRITES, Action: 'CreateKeyPair', KeyName: `rsa-${r}-${i}` })) },
      { name: 'ImportKeyPair', run: (t, r) => many(t, 30, (i) => ({ Region: WRITES, Action: 'ImportKeyPair', KeyName: `imp-${r}-${i}`, PublicKeyMaterial: publicKeys[i]! })) },
      { name: 'DeleteKeyPair', run: (t, r) => many(t, 30, (i) => ({ Region: WRITES, Action: 'DeleteKeyPair', KeyName: `imp-${r}-${i}` })) },
      { name: `DescribeKeyPairs, all ${opts.keys}`, run: (t) => many(t, 5, () => ({ Region: KEYS, Action: 'DescribeKeyPairs' })) },
      { name: `DescribeKeyPairs KeyName.1 (of ${opts.keys})`, run: (t, r) => many(t, 30, (i) => ({ Region: KEYS, Action: 'DescribeKeyPairs', 'KeyName.1': `fill-${(r * 97 + i * 131) % opts.keys}` })) },
      {
        name: `DescribeKeyPairs filter key-name (of ${opts.keys})`,
        run: (t, r) => many(t, 30, (i) => ({ Region: KEYS, Action: 'DescribeKeyPairs', 'Filter.1.Name': 'key-name', 'Filter.1.Value.1': `fill-${(r * 89 + i * 137) % opts.keys}` })),
      },
      {
        name: `DescribeKeyPairs filter fingerprint (of ${opts.keys})`,
        run: (t, r) => many(t, 30, (i) => ({ Region: KEYS, Action: 'DescribeKeyPairs', 'Filter.1.Name': 'fingerprint', 'Filter.1.Value.1': fingerprints.get(t.name)![(r * 83 + i * 139) % opts.keys]! })),
      },
      {
        name: `DescribeKeyPairs filter tag:team (${Math.round(opts.keys / 50)} of ${opts.keys})`,
        run: (t, r) => many(t, 10, (i) => ({ Region: KEYS, Action: 'DescribeKeyPairs', 'Filter.1.Name': 'tag:team', 'Filter.1.Value.1': `t${(r + i) % 50}` })),
      },
      {
        name: 'RunInstances ×1',
        run: async (t) => {
          const ImageId = await ami(t, LIFE);
          return many(t, 5, () => ({ Region: LIFE, Action: 'RunInstances', ImageId, MinCount: '1', MaxCount: '1' }));
        },
      },
      {
        name: 'TerminateInstances ×1',
        run: async (t) => {
          const out: number[] = [];
          for (let i = 0; i < 5; i++) {
            const [id] = await launch(t, LIFE, 1);
            out.push((await timed(t, { Region: LIFE, Action: 'TerminateInstances', 'InstanceId.1': id! })).ms);
          }
          return out;
        },
      },
      { name: 'StopInstances', run: stopStartCycle('stop') },
      { name: 'StartInstances', run: stopStartCycle('start') },
      { name: 'StartInstances → running seen', run: stopStartCycle('start → running') },
      {
        name: 'RunInstances ×100',
        run: async (t) => {
          const run = await timed(t, { Region: LIFE, Action: 'RunInstances', ImageId: await ami(t, LIFE), MinCount: '100', MaxCount: '100' });
          stash.set(t.name, xmlValues(run.body, 'instanceId'));
          return [run.ms];
        },
      },
      { name: 'TerminateInstances ×100', run: async (t) => [(await timed(t, ids({ Region: LIFE, Action: 'TerminateInstances' }, stash.get(t.name)!))).ms] },
      { name: `DescribeInstances, all ${opts.instances}`, run: (t) => many(t, 3, () => ({ Region: MANY, Action: 'DescribeInstances' })) },
      { name: `DescribeInstances MaxResults=100 (of ${opts.instances})`, run: (t) => many(t, 10, () => ({ Region: MANY, Action: 'DescribeInstances', MaxResults: '100' })) },
      {
        name: `DescribeInstances filter instance-id (of ${opts.instances})`,
        run: async (t) => {
          const all = manyIds.get(t.name)!;
          return many(t, 20, (i) => ({ Region: MANY, Action: 'DescribeInstances', 'Filter.1.Name': 'instance-id', 'Filter.1.Value.1': all[(i * 37) % all.length]! }));
        },
      },
      { name: `DescribeSecurityGroups (${opts.instances} instances)`, run: (t) => many(t, 20, () => ({ Region: MANY, Action: 'DescribeSecurityGroups' })) },
      { name: `DescribeVpcs (${opts.instances} instances)`, run: (t) => many(t, 20, () => ({ Region: MANY, Action: 'DescribeVpcs' })) },
      { name: `DescribeSubnets (${opts.instances} instances)`, run: (t) => many(t, 20, () => ({ Region: MANY, Action: 'DescribeSubnets' })) },
    ];
    const stash = new Map<Target['name'], string[]>();
    const manyIds = new Map<Target['name'], string[]>();
    for (const t of targets) manyIds.set(t.name, xmlValues((await ok(t, { Region: MANY, Action: 'DescribeInstances' })).body, 'instanceId'));

    const byRow = new Map<string, RowResult>(rows.map((r) => [r.name, { name: r.name, p50: { ec2lite: [], moto: [] } }]));
    for (let round = 0; round < opts.rounds; round++) {
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      for (const row of rows) {
        for (const t of order) {
          const result = byRow.get(row.name)!;
          try {
            result.p50[t.name].push(median(await row.run(t, round)));
          } catch (e) {
            // A row one server cannot answer is shown as such; the others still run.
            result.p50[t.name].push(NaN);
            result.note = `${t.name}: ${(e instanceof Error ? e.message : String(e)).slice(0, 120)}`;
          }
        }
      }
      console.log(`  round ${round + 1}/${opts.rounds} done`);
    }
    results.push(...byRow.values());
    memoryRows('at the end', '');
  } finally {
    await ec2lite.stop();
    await stopMoto(moto.child);
  }

  // The real-engine row: ec2lite only (moto runs no guests).
  const real = await deps.realReady();

  // ---- the table ----
  const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  const lines = results.map((r) => {
    const e = median(r.p50.ec2lite);
    const m = median(r.p50.moto);
    const ratios = r.p50.ec2lite.map((x, i) => r.p50.moto[i]! / x);
    const led = ratios.filter((x) => x >= 1).length;
    return [r.name, fmt(e), fmt(m), `${median(ratios).toFixed(2)}×`, ratios.length > 1 ? `${led}/${ratios.length}` : led ? 'yes' : 'no', r.note ?? ''];
  });
  lines.push([
    'real: RunInstances → SSH ready (ms)',
    'ms' in real ? fmt(real.ms) : '—',
    'n/a',
    '',
    '',
    'ms' in real ? real.note : `not measured: ${real.skipped}`,
  ]);
  const header = ['row (p50 ms unless said)', 'ec2lite', `moto ${moto.version}`, 'moto/ec2lite', 'ec2lite ahead', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log('');
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const l of lines) console.log(line(l));
  console.log('\nmoto/ec2lite: the median over rounds of moto\'s p50 over ec2lite\'s in the same round (> 1: ec2lite faster or smaller).');
}
