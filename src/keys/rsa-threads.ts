// Worker threads that make RSA keys with rsa-components.ts, one job at a time each. Threads start
// on demand (up to `threads`) and stop after `idleMs` without work, so an idle server holds none.

import { createPrivateKey, createPublicKey } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { KeyPairObjects } from './types.js';
import type { RsaJob, RsaJobResult } from './rsa-worker.js';

interface Job {
  id: number;
  bits: number;
  resolve: (pair: KeyPairObjects) => void;
  reject: (err: Error) => void;
}

interface Thread {
  worker: Worker;
  job?: Job;
  idleTimer?: NodeJS.Timeout;
}

/** KeyObjects from a PKCS#1 private key DER, which is zeroed afterwards. */
export function rsaKeyPairFromPkcs1(der: Uint8Array): KeyPairObjects {
  try {
    const privateKey = createPrivateKey({ key: Buffer.from(der.buffer, der.byteOffset, der.byteLength), format: 'der', type: 'pkcs1' });
    return { privateKey, publicKey: createPublicKey(privateKey) };
  } finally {
    der.fill(0);
  }
}

export class RsaThreads {
  private readonly threads: Thread[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly maxThreads: number,
    // A thread holds ~7 MB (its own V8 isolate). Under a sustained drain it never idles, so a short
    // idle costs only a restart (tens of ms, in the background: the pool answers first) while an
    // idle server gets that memory back soon after its pool is full.
    private readonly idleMs = 1000,
    /** Called once each thread is running (Node resets V8 flags set at run time when a worker starts). */
    private readonly onThreadStart: () => void = () => {},
  ) {
    if (!Number.isInteger(maxThreads) || maxThreads < 1) throw new RangeError('threads must be a positive integer');
  }

  generate(bits: number): Promise<KeyPairObjects> {
    if (this.closed) return Promise.reject(new Error('RSA threads are closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, bits, resolve, reject });
      this.dispatch();
    });
  }

  /** Threads alive now (busy or idle). */
  running(): number {
    return this.threads.length;
  }

  close(): void {
    this.closed = true;
    const err = new Error('RSA threads are closed');
    for (const job of this.queue.splice(0)) job.reject(err);
    for (const t of this.threads.splice(0)) {
      clearTimeout(t.idleTimer);
      t.job?.reject(err);
      void t.worker.terminate();
    }
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let thread = this.threads.find((t) => !t.job);
      if (!thread) {
        if (this.threads.length >= this.maxThreads) return;
        thread = this.spawn();
      }
      const job = this.queue.shift()!;
      clearTimeout(thread.idleTimer);
      thread.job = job;
      thread.worker.postMessage({ id: job.id, bits: job.bits } satisfies RsaJob);
    }
  }

  private spawn(): Thread {
    // A key maker holds a few bigints at a time: a small heap keeps each thread's RSS down.
    // A key maker holds a few bigints at a time: a small heap keeps each thread's RSS down.
    const worker = new Worker(new URL('./rsa-worker.js', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 32 } });
    worker.unref(); // an idle key maker never keeps the process alive
    worker.once('online', () => this.onThreadStart());
    const thread: Thread = { worker };
    this.threads.push(thread);
    worker.on('message', (msg: RsaJobResult) => {
      const job = thread.job;
      thread.job = undefined;
      if (job && job.id === msg.id) {
        if ('der' in msg) {
          try {
            job.resolve(rsaKeyPairFromPkcs1(msg.der));
          } catch (e) {
            job.reject(e instanceof Error ? e : new Error(String(e)));
          }
        } else job.reject(new Error(msg.error));
      }
      if (!this.closed) {
        thread.idleTimer = setTimeout(() => this.retire(thread), this.idleMs).unref();
        this.dispatch();
      }
    });
    const fail = (err: Error) => {
      this.remove(thread);
      thread.job?.reject(err);
      thread.job = undefined;
      if (!this.closed) this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`RSA worker exited with code ${code}`)));
    return thread;
  }

  private retire(thread: Thread): void {
    if (thread.job) return;
    this.remove(thread);
    void thread.worker.terminate();
  }

  private remove(thread: Thread): void {
    const i = this.threads.indexOf(thread);
    if (i >= 0) this.threads.splice(i, 1);
  }
}
