// The guest knobs (config.ts): guest processes under their current names, the names they had as
// worker threads still read when the new ones are unset, and the guests' CPU budget.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_GUEST_PROCESSES, defaultConfig } from './config.js';

const NAMES = ['EC2LITE_GUEST_PROCESSES', 'EC2LITE_GUEST_THREADS', 'EC2LITE_GUEST_HEAP_MB', 'EC2LITE_GUEST_THREAD_HEAP_MB', 'EC2LITE_GUEST_STALL_MS', 'EC2LITE_GUEST_CPU_MS'];
const saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]));

describe('guest configuration', () => {
  afterEach(() => {
    for (const n of NAMES) {
      if (saved[n] === undefined) delete process.env[n];
      else process.env[n] = saved[n];
    }
  });
  const withEnv = (vars: Record<string, string>) => {
    for (const n of NAMES) delete process.env[n];
    Object.assign(process.env, vars);
    return defaultConfig();
  };

  it('defaults: processes by core count, 1024 MiB, 30 s stall, 20 s of CPU per command line', () => {
    const c = withEnv({});
    assert.deepEqual(c.guestProcesses, { processes: DEFAULT_GUEST_PROCESSES, heapMb: 1024, stallMs: 30_000 });
    assert.equal(c.guestCpuMs, 20_000);
  });

  it('reads the current names', () => {
    const c = withEnv({ EC2LITE_GUEST_PROCESSES: '3', EC2LITE_GUEST_HEAP_MB: '512', EC2LITE_GUEST_STALL_MS: '5000', EC2LITE_GUEST_CPU_MS: '1500' });
    assert.deepEqual(c.guestProcesses, { processes: 3, heapMb: 512, stallMs: 5000 });
    assert.equal(c.guestCpuMs, 1500);
  });

  it('reads the worker-thread names when the new ones are unset, and prefers the new ones', () => {
    assert.deepEqual(withEnv({ EC2LITE_GUEST_THREADS: '0', EC2LITE_GUEST_THREAD_HEAP_MB: '256' }).guestProcesses, { processes: 0, heapMb: 256, stallMs: 30_000 });
    assert.deepEqual(withEnv({ EC2LITE_GUEST_THREADS: '0', EC2LITE_GUEST_PROCESSES: '4', EC2LITE_GUEST_THREAD_HEAP_MB: '256', EC2LITE_GUEST_HEAP_MB: '128' }).guestProcesses, {
      processes: 4,
      heapMb: 128,
      stallMs: 30_000,
    });
  });

  it('refuses a value that is not a non-negative integer, naming the variable it came from', () => {
    assert.throws(() => withEnv({ EC2LITE_GUEST_THREADS: 'two' }), /EC2LITE_GUEST_THREADS must be a non-negative integer, got 'two'/);
    assert.throws(() => withEnv({ EC2LITE_GUEST_PROCESSES: '-1' }), /EC2LITE_GUEST_PROCESSES must be a non-negative integer/);
    assert.throws(() => withEnv({ EC2LITE_GUEST_CPU_MS: '1.5' }), /EC2LITE_GUEST_CPU_MS must be a non-negative integer/);
  });
});
