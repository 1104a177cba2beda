// Byte streams between guest commands: a pull-based Input (stdin) that keeps
// what a reader did not consume for the next one (`read` takes one line, the
// rest stays), in-memory pipes with a high-water mark (writers wait, readers
// that quit make writers fail with EPIPE as a closed pipe does), and sinks.
import { randomBytes } from 'node:crypto';

/** Where a command writes (stdout, stderr, a pipe, a file). */
export interface Sink {
  /** Synchronous; throws BrokenPipe when the reader of a pipe is gone. */
  write(data: string | Buffer): void;
  /** Resolves when the reader has caught up (pipes, the SSH channel): big writers await it. */
  drain?(): Promise<void>;
}

/** A writer to a pipe whose reader is gone: the process gets SIGPIPE. */
export class BrokenPipe extends Error {
  constructor() {
    super('Broken pipe');
  }
}

/** A reader holding more than it may (a command reading an endless stream whole): "memory exhausted". */
export class InputTooLarge extends RangeError {
  constructor() {
    super('memory exhausted');
  }
}

/** What one read may hold in memory (`sort`, `read` of one line, `$(…)`…). */
export const MAX_READ_BYTES = 32 * 1024 * 1024;

export class Input {
  private pending: Buffer[] = [];
  private ended = false;

  constructor(private readonly source: () => Promise<Buffer | null>) {}

  static empty(): Input {
    return new Input(async () => null);
  }

  /** /dev/zero, /dev/urandom: endless, read in 4 KiB chunks (readers take what they need). */
  static device(path: string): Input {
    return new Input(async () => (path === '/dev/zero' ? Buffer.alloc(4096) : randomBytes(4096)));
  }

  static of(data: Buffer | string): Input {
    let given = false;
    return new Input(async () => {
      if (given) return null;
      given = true;
      return typeof data === 'string' ? Buffer.from(data) : data;
    });
  }

  /** The next chunk, or null at end of input. */
  async read(): Promise<Buffer | null> {
    const p = this.pending.shift();
    if (p) return p;
    if (this.ended) return null;
    for (;;) {
      const chunk = await this.source();
      if (chunk === null) {
        this.ended = true;
        return null;
      }
      if (chunk.length) return chunk;
    }
  }

  /** Give back bytes a reader took but did not use. */
  unread(b: Buffer): void {
    if (b.length) this.pending.unshift(b);
  }

  /** Everything up to end of input. */
  async readAll(maxBytes = MAX_READ_BYTES): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let n = 0;
    for (;;) {
      const c = await this.read();
      if (!c) break;
      chunks.push(c);
      n += c.length;
      if (n > maxBytes) throw new InputTooLarge();
    }
    return Buffer.concat(chunks);
  }

  /** One line without its newline; null at end of input. A last line without newline is returned as is. */
  async readLine(delimiter = 0x0a, maxBytes = MAX_READ_BYTES): Promise<{ line: string; complete: boolean } | null> {
    const parts: Buffer[] = [];
    let n = 0;
    for (;;) {
      const c = await this.read();
      if (!c) {
        if (!parts.length) return null;
        return { line: Buffer.concat(parts).toString('utf8'), complete: false };
      }
      const i = c.indexOf(delimiter);
      if (i >= 0) {
        parts.push(c.subarray(0, i));
        this.unread(c.subarray(i + 1));
        return { line: Buffer.concat(parts).toString('utf8'), complete: true };
      }
      parts.push(c);
      n += c.length;
      if (n > maxBytes) throw new InputTooLarge();
    }
  }

  /** Up to n bytes (fewer at end of input). */
  async readBytes(n: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let got = 0;
    while (got < n) {
      const c = await this.read();
      if (!c) break;
      const take = c.subarray(0, n - got);
      parts.push(take);
      got += take.length;
      if (take.length < c.length) this.unread(c.subarray(take.length));
    }
    return Buffer.concat(parts);
  }
}

/** A pipe: `writer` is the left command's stdout, `input` the right command's stdin. */
export class Pipe {
  private chunks: Buffer[] = [];
  private size = 0;
  private writeClosed = false;
  private readClosed = false;
  private readerWaiting: (() => void) | undefined;
  private writersWaiting: (() => void)[] = [];
  readonly input: Input;
  readonly writer: Sink;

  constructor(private readonly highWater = 64 * 1024) {
    this.input = new Input(() => this.take());
    this.writer = {
      write: (d) => {
        if (this.readClosed) throw new BrokenPipe();
        const b = typeof d === 'string' ? Buffer.from(d) : d;
        if (!b.length) return;
        this.chunks.push(b);
        this.size += b.length;
        this.wakeReader();
      },
      drain: () => this.drained(),
    };
  }

  private wakeReader(): void {
    const r = this.readerWaiting;
    this.readerWaiting = undefined;
    r?.();
  }

  private async take(): Promise<Buffer | null> {
    while (!this.chunks.length) {
      if (this.writeClosed || this.readClosed) return null;
      await new Promise<void>((resolve) => (this.readerWaiting = resolve));
    }
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = [];
    this.size = 0;
    for (const w of this.writersWaiting.splice(0)) w();
    return all;
  }

  private drained(): Promise<void> {
    if (this.readClosed) return Promise.reject(new BrokenPipe());
    if (this.size < this.highWater) return Promise.resolve();
    return new Promise<void>((resolve, reject) => this.writersWaiting.push(() => (this.readClosed ? reject(new BrokenPipe()) : resolve())));
  }

  /** The writer ended: the reader sees end of input once the buffer is read. */
  closeWrite(): void {
    this.writeClosed = true;
    this.wakeReader();
  }

  /** The reader ended: buffered data is dropped and writers get EPIPE. */
  closeRead(): void {
    this.readClosed = true;
    this.chunks = [];
    this.size = 0;
    for (const w of this.writersWaiting.splice(0)) w();
    this.wakeReader();
  }
}

export class BufferSink implements Sink {
  chunks: Buffer[] = [];
  size = 0;
  constructor(private readonly maxBytes = Infinity) {}
  write(d: string | Buffer): void {
    const b = typeof d === 'string' ? Buffer.from(d) : d;
    this.size += b.length;
    if (this.size > this.maxBytes) throw new RangeError('output too large');
    this.chunks.push(b);
  }
  get data(): Buffer {
    return Buffer.concat(this.chunks);
  }
  text(): string {
    return this.data.toString('utf8');
  }
}

export const NULL_SINK: Sink = { write() {} };
