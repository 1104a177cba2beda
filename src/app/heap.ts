// V8 heap settings for a server process. A server's garbage is short-lived request garbage; V8's
// defaults (young generation growing to 3 × 16 MB, old generation growing ~2× between collections)
// keep RSS far above what is live. `lean` keeps the young generation from growing, grows the old
// one by 15% and collects it right after a large answer: with 5,000 key pairs and repeated
// 5,000-key DescribeKeyPairs (read in pages, actions/describe-key-pairs.ts), peak RSS ~84 MB
// instead of ~160–170 MB, for more CPU per 5,000-key describe and none measurable per small
// request. `default` leaves V8 alone.
//
// glibc reads MALLOC_ARENA_MAX once, at start: the `ec2lite` command's #! line (cli/main.ts) and
// `npm start` (scripts/start.js) start node with START_ENV; a test keeps them equal. (The young
// generation needs no start flag: --semi-space-growth-factor=1 set at run time keeps it small;
// --max-semi-space-size=1 at start lowered the peak below by only ~1 MB, for ~15% more CPU.)
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export type HeapProfile = 'lean' | 'default';

export const LEAN_HEAP_FLAGS = ['--max-semi-space-size=2', '--semi-space-growth-factor=1', '--heap-growing-percent=15'];

/**
 * Environment for the start line: two malloc arenas instead of up to 8 per core. Each thread that
 * allocates (libuv's pool, the RSA worker threads) otherwise gets an arena of its own, whose freed
 * memory stays resident after the thread is gone: measured, 4–5 MB of the peak below and ~8 MB of
 * the RSS that remains after it.
 */
export const START_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

export function heapProfileFrom(value: string | undefined, name: string): HeapProfile | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'lean' || value === 'default') return value;
  throw new Error(`${name} must be lean or default`);
}

/** Applies a profile to this process (V8 honours these flags at run time: they steer future growth). */
export function applyHeapProfile(profile: HeapProfile): void {
  if (profile === 'lean') for (const flag of LEAN_HEAP_FLAGS) setFlagsFromString(flag);
}

/**
 * What to do once a large answer (a 5,000-key DescribeKeyPairs, a DescribeInstances of thousands)
 * has been sent. Its records were read at once, so they outlived the young generation and sit in
 * the old one after the answer; with the lean heap the old generation is collected only once it
 * has grown by 15%, so three or four such answers in a row left ~20 MB of dead records and RSS
 * above 100 MB. `lean` collects them right after the answer (one full collection, a few ms, at
 * most every `minIntervalMs`, coalescing answers that end together); `default` does nothing.
 */
export function afterLargeAnswer(profile: HeapProfile, minIntervalMs = 200): (() => void) | undefined {
  if (profile !== 'lean') return undefined;
  setFlagsFromString('--expose-gc');
  // A context made after the flag is set has `gc`; the main one keeps its globals as they were.
  const gc = runInNewContext('gc') as (() => void) | undefined;
  if (typeof gc !== 'function') return undefined;
  let last = 0;
  let timer: NodeJS.Timeout | undefined;
  const collect = () => {
    timer = undefined;
    last = performance.now();
    gc();
  };
  return () => {
    if (timer) return; // one is already due
    timer = setTimeout(collect, Math.max(0, last + minIntervalMs - performance.now())).unref();
  };
}
