// A memory sampler to preload into a server under a bench, never loaded by ec2lite itself:
//   node dist/bench/run.js --soak 10m --server-node-flags="--import ./dist/bench/memory-probe.js --expose-gc"
// Every 10 s it appends one JSON line to $EC2LITE_PROBE_OUT (default ./memory-probe.jsonl):
// RSS, V8's heap (total, used, per space: committed/used MB), external memory and array buffers,
// anonymous and file-backed RSS, and the major collections so far with the live size after the last
// one. RSS minus the heap total tells native memory (SQLite, OpenSSL, glibc) from V8's. SIGUSR2
// writes a heap snapshot after a full collection (with --expose-gc) next to the output file.
import { appendFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, getHeapStatistics, writeHeapSnapshot } from 'node:v8';

const out = process.env.EC2LITE_PROBE_OUT ?? 'memory-probe.jsonl';
const started = Date.now();
const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
const seconds = () => Math.round((Date.now() - started) / 1000);

function kernel(): Record<string, number> {
  const kb = (text: string, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  const status = readFileSync('/proc/self/status', 'utf8');
  return { anonymousMb: mb(kb(status, 'RssAnon') * 1024), fileMb: mb(kb(status, 'RssFile') * 1024) };
}

let majors = 0;
let majorMs = 0;
let liveAfterMajor = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if ((e as unknown as { detail?: { kind?: number } }).detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
    majors++;
    majorMs += e.duration;
    liveAfterMajor = getHeapStatistics().used_heap_size; // read just after the collection: near its live size
  }
}).observe({ entryTypes: ['gc'] });

setInterval(() => {
  const m = process.memoryUsage();
  const spaces: Record<string, [number, number]> = {};
  for (const s of getHeapSpaceStatistics()) spaces[s.space_name.replace(/_space$/, '')] = [mb(s.space_size), mb(s.space_used_size)];
  const line = {
    t: seconds(),
    rssMb: mb(m.rss),
    heapTotalMb: mb(m.heapTotal),
    heapUsedMb: mb(m.heapUsed),
    externalMb: mb(m.external),
    arrayBuffersMb: mb(m.arrayBuffers),
    ...kernel(),
    majors,
    majorMs: Math.round(majorMs),
    liveAfterMajorMb: mb(liveAfterMajor),
    spaces,
  };
  appendFileSync(out, `${JSON.stringify(line)}\n`);
}, 10_000).unref();

process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.();
  const file = writeHeapSnapshot(join(dirname(out), `heap-${seconds()}.heapsnapshot`));
  appendFileSync(out, `${JSON.stringify({ t: seconds(), snapshot: file })}\n`);
});
