// Reads and stats of files inside real instances, resolved within each instance's root by one
// long-lived helper process (`ec2lite-crun-helper rootd`, openat2 RESOLVE_IN_ROOT): a login's
// passwd, group, home and authorized_keys lookups cost no process spawn each. Requests are answered
// in order; if the helper dies, what was pending answers "absent" and the next request starts a new one.
import { type ChildProcess, spawn } from 'node:child_process';

export interface RootStat {
  /** The owner as the host sees it (guest uid + the instances' base). */
  uid: number;
  mode: number;
  type: 'd' | 'f' | 'o';
}

type Pending = { kind: 'c'; resolve: (b: Buffer | undefined) => void } | { kind: 's'; resolve: (s: RootStat | undefined) => void };

export class RootReader {
  private child: ChildProcess | undefined;
  private readonly pending: Pending[] = [];
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly helper: () => Promise<string>) {}

  /** A regular file's last `maxBytes` (at most 1 MiB) inside the root of process `pid`. */
  read(pid: number, path: string, maxBytes: number): Promise<Buffer | undefined> {
    return new Promise((resolve) => void this.send(`c\t${pid}\t${maxBytes}\t${path}\n`, { kind: 'c', resolve }, () => resolve(undefined)));
  }

  stat(pid: number, path: string): Promise<RootStat | undefined> {
    return new Promise((resolve) => void this.send(`s\t${pid}\t${path}\n`, { kind: 's', resolve }, () => resolve(undefined)));
  }

  close(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }

  private async send(line: string, p: Pending, refuse: () => void): Promise<void> {
    // a path that would break the line protocol is not one a login looks up
    if (/[\n\0]/.test(line.slice(0, -1)) || line.length > 8000) return refuse();
    let child: ChildProcess;
    try {
      child = this.child ?? (await this.start());
    } catch {
      return refuse();
    }
    this.pending.push(p);
    child.stdin!.write(line);
  }

  private async start(): Promise<ChildProcess> {
    const bin = await this.helper();
    if (this.child) return this.child;
    const child = spawn(bin, ['rootd'], { stdio: ['pipe', 'pipe', 'ignore'] });
    this.child = child;
    child.stdin!.on('error', () => undefined);
    child.stdout!.on('data', (d: Buffer) => this.onData(d));
    const gone = () => {
      if (this.child === child) this.child = undefined;
      this.buf = Buffer.alloc(0);
      for (const p of this.pending.splice(0)) p.resolve(undefined);
    };
    child.once('exit', gone);
    child.once('error', gone);
    child.unref();
    (child.stdout as unknown as { unref?: () => void }).unref?.();
    return child;
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    for (;;) {
      const nl = this.buf.indexOf(0x0a);
      if (nl < 0) return;
      const head = this.buf.subarray(0, nl).toString('latin1').split(' ');
      const p = this.pending[0];
      if (!p) return;
      if (head[0] !== '0') {
        this.buf = this.buf.subarray(nl + 1);
        this.pending.shift();
        p.resolve(undefined);
        continue;
      }
      if (p.kind === 's') {
        this.buf = this.buf.subarray(nl + 1);
        this.pending.shift();
        p.resolve({ uid: Number(head[1]), mode: parseInt(head[2]!, 8), type: head[3] as RootStat['type'] });
        continue;
      }
      const len = Number(head[1]);
      if (this.buf.length < nl + 1 + len) return;
      const body = Buffer.from(this.buf.subarray(nl + 1, nl + 1 + len));
      this.buf = this.buf.subarray(nl + 1 + len);
      this.pending.shift();
      p.resolve(body);
    }
  }
}
