// Blank volume disks made ahead, one per size in use: a new volume's disk is then a rename, not a
// mkfs on the launch's critical path (~35 ms of a boot to SSH, and its CPU beside the guest's
// start). A spare is a fresh ext4 with the overlay's two empty directories that was never
// mounted: nothing of any volume is in it. Made under a temporary name and renamed when whole, so
// a crash leaves at most a `tmp-*` file, removed at the next run's first use.
//
//   <stateDir>/spare-disks/<size>g-<n>      ready
//   <stateDir>/spare-disks/tmp-<pid>-<n>    being made
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** How long after a spare is taken its replacement is made: after the boot that took it, not beside it. */
const REFILL_DELAY_MS = 1000;

export class SpareDisks {
  private readonly ready = new Map<number, string[]>();
  private readonly wanted = new Set<number>();
  private filling = false;
  private seq = 0;
  private closed = false;

  /** `make` writes a blank disk of `sizeGiB` at `file` (volume-disk.ts). */
  constructor(
    private readonly dir: string,
    private readonly make: (file: string, sizeGiB: number) => Promise<void>,
    private readonly log: (line: string) => void = () => {},
    private readonly refillDelayMs = REFILL_DELAY_MS,
  ) {}

  /** What a previous run left, read at first use (a server that never makes a volume, or a dead run's engine, never looks). */
  private loaded = false;
  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    mkdirSync(this.dir, { recursive: true });
    for (const name of readdirSync(this.dir)) {
      const m = /^(\d+)g-\d+-\d+$/.exec(name);
      if (m) this.listFor(Number(m[1])).push(join(this.dir, name));
      else rmSync(join(this.dir, name), { recursive: true, force: true });
    }
  }

  /** Moves a spare of `sizeGiB` to `file` (same filesystem): true, or false when none is ready. A new one follows. */
  take(sizeGiB: number, file: string): boolean {
    this.load();
    this.keep(sizeGiB);
    const spare = this.listFor(sizeGiB).pop();
    if (!spare) return false;
    try {
      renameSync(spare, file);
      return true;
    } catch (e) {
      this.log(`spare disk ${spare}: ${e instanceof Error ? e.message : String(e)}`);
      rmSync(spare, { force: true });
      return false;
    }
  }

  /** A spare of `sizeGiB` is to be ready (made in the background, one at a time). */
  keep(sizeGiB: number): void {
    this.load();
    this.wanted.add(sizeGiB);
    if (this.filling || this.closed) return;
    this.filling = true;
    setTimeout(() => void this.fill(), this.refillDelayMs).unref();
  }

  /** Spares ready now, by size (tests, the log). */
  readyCount(sizeGiB: number): number {
    this.load();
    return this.listFor(sizeGiB).length;
  }

  /** No more spares are made (the ready ones stay for the next start). */
  close(): void {
    this.closed = true;
  }

  private async fill(): Promise<void> {
    try {
      for (;;) {
        const size = [...this.wanted].find((s) => this.listFor(s).length === 0);
        if (size === undefined || this.closed) return;
        const name = `${size}g-${process.pid}-${++this.seq}`;
        const tmp = join(this.dir, `tmp-${process.pid}-${this.seq}`);
        try {
          await this.make(tmp, size);
          renameSync(tmp, join(this.dir, name));
          this.listFor(size).push(join(this.dir, name));
        } catch (e) {
          rmSync(tmp, { force: true });
          this.log(`spare disk of ${size} GiB not made: ${e instanceof Error ? e.message : String(e)}`);
          this.wanted.delete(size); // (not again in a loop: the next volume of that size asks anew)
        }
      }
    } finally {
      this.filling = false;
    }
  }

  private listFor(sizeGiB: number): string[] {
    let l = this.ready.get(sizeGiB);
    if (!l) this.ready.set(sizeGiB, (l = []));
    return l;
  }
}
