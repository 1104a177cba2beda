// Listings of a whole scope that may be large (DescribeKeyPairs of up to 5,000 keys) read all their
// records at once and hold them until the answer is written. One at a time per process: four in
// parallel held four copies (~4 MB each with public keys), which was most of the RSS peak, while
// two cores gain nothing from serialising four answers at once. A slot is held until the answer
// is written, so a client that reads slowly would hold the others up: nobody waits longer than
// `maxWaitMs`, after which it goes ahead beside the slow one (memory then, never a stall).
export class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(
    private readonly limit: number,
    private readonly maxWaitMs = 3000,
  ) {}

  /** Resolves with a release function once a slot is free (or after maxWaitMs); release is idempotent. */
  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(wake), 1);
          this.active++; // goes ahead beside the holder(s)
          resolve();
        }, this.maxWaitMs);
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        this.waiting.push(wake);
      });
    } else this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight on (active unchanged)
      else this.active--;
    };
  }
}

export const largeListings = new Gate(1);
