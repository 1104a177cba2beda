// A pool of pre-generated RSA keys. Keys of the usual sizes are made by rsa-components.ts on worker
// threads (one per core by default: rsa-threads.ts), other sizes by crypto.generateKeyPair on libuv's
// thread pool, so the main thread stays free either way. Keys live only in memory, each is handed
// out once, and the pool refills itself in the background after every take().

import { availableParallelism } from 'node:os';
import { DEFAULT_RSA_BITS, generateRsa } from './generate.js';
import { MAX_COMPONENT_BITS, MIN_COMPONENT_BITS } from './rsa-components.js';
import { RsaThreads } from './rsa-threads.js';
import type { KeyPairObjects } from './types.js';

export interface RsaKeyPoolOptions {
  /** Number of keys kept ready (default 8). 0 means generate on demand only. */
  size?: number;
  /** Maximum generations in flight at once (default os.availableParallelism()). */
  concurrency?: number;
  /** Modulus size (default 2048). */
  bits?: number;
  /** Do not start filling until start() (or the first take()): lets a server answer first. */
  deferStart?: boolean;
  /** Called when a key-making thread has started (see RsaThreads). */
  onThreadStart?: () => void;
}

interface Waiter {
  resolve: (pair: KeyPairObjects) => void;
  reject: (err: Error) => void;
}

export class RsaKeyPool {
  private readonly size: number;
  private readonly concurrency: number;
  private readonly bits: number;
  private readonly generate: (bits: number) => Promise<KeyPairObjects>;
  private readonly threads: RsaThreads | undefined;
  private readonly keys: KeyPairObjects[] = [];
  private readonly waiters: Waiter[] = [];
  private inFlight = 0;
  private closed = false;
  /** Set when a generation failed; refilling pauses until the next take(). */
  private failed = false;

  constructor(opts: RsaKeyPoolOptions = {}) {
    this.size = opts.size ?? 8;
    this.concurrency = opts.concurrency ?? availableParallelism();
    this.bits = opts.bits ?? DEFAULT_RSA_BITS;
    if (!Number.isInteger(this.size) || this.size < 0) throw new RangeError('size must be a non-negative integer');
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) throw new RangeError('concurrency must be a positive integer');
    if (!Number.isInteger(this.bits) || this.bits < 512) throw new RangeError('bits must be an integer ≥ 512');
    const viaThreads = this.bits % 16 === 0 && this.bits >= MIN_COMPONENT_BITS && this.bits <= MAX_COMPONENT_BITS;
    this.threads = viaThreads ? new RsaThreads(this.concurrency, undefined, opts.onThreadStart) : undefined;
    this.generate = this.threads ? (bits) => this.threads!.generate(bits) : generateRsa;
    if (!opts.deferStart) this.refill();
  }

  /** Starts filling the pool (for a pool made with deferStart). */
  start(): void {
    this.refill();
  }

  /** A fresh key pair: immediately if one is ready, otherwise the next one generated. */
  take(): Promise<KeyPairObjects> {
    if (this.closed) return Promise.reject(new Error('RsaKeyPool is closed'));
    this.failed = false;
    const ready = this.keys.shift();
    const result = ready
      ? Promise.resolve(ready)
      : new Promise<KeyPairObjects>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.refill();
    return result;
  }

  /** Keys ready to hand out now. */
  available(): number {
    return this.keys.length;
  }

  /** Worker threads alive now (they stop when the pool has been full for a few seconds). */
  threadsRunning(): number {
    return this.threads?.running() ?? 0;
  }

  /** Generations currently running. */
  pending(): number {
    return this.inFlight;
  }

  /**
   * Stop refilling and drop the ready keys. Waiting take() calls are rejected. Generations already
   * running on libuv's thread pool finish on their own (they cannot be cancelled) and are discarded;
   * worker threads are terminated.
   */
  close(): void {
    this.closed = true;
    this.threads?.close();
    this.keys.length = 0;
    for (const w of this.waiters.splice(0)) w.reject(new Error('RsaKeyPool is closed'));
  }

  private refill(): void {
    while (
      !this.closed &&
      !this.failed &&
      this.inFlight < this.concurrency &&
      this.keys.length + this.inFlight < this.size + this.waiters.length
    ) {
      this.inFlight++;
      this.generate(this.bits).then(
        (pair) => this.arrived(pair),
        (err: unknown) => this.generationFailed(err instanceof Error ? err : new Error(String(err))),
      );
    }
  }

  private arrived(pair: KeyPairObjects): void {
    this.inFlight--;
    if (this.closed) return;
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(pair);
    else this.keys.push(pair);
    this.refill();
  }

  private generationFailed(err: Error): void {
    this.inFlight--;
    if (this.closed) return;
    this.failed = true;
    for (const w of this.waiters.splice(0)) w.reject(err);
  }
}
