// What a handler returns: a tree keyed by the model's element names, in the order AWS writes them.
// Actions never see XML; protocol/xml.ts writes this tree as EC2 XML (see its header for the mapping).
export type OutputValue = string | number | boolean | Date | null | undefined | OutputValue[] | ActionOutput | StreamedList;

/**
 * A list whose items are made one at a time as the writer reaches them, from a source array whose
 * entries are released once written: a 5,000-item answer never holds its records and all their
 * views at once, and what is already sent can be collected while the rest is still being written.
 */
export class StreamedList {
  constructor(
    private source: unknown[] | undefined,
    private readonly view: (entry: never) => OutputValue,
    /** Called once the items have been written, or abandoned (see items()). */
    private onDone?: () => void,
  ) {
    if (onDone) abandoned.register(this, onDone, this);
  }
  get empty(): boolean {
    return !this.source || this.source.length === 0;
  }
  /** Each item once; a second pass finds nothing (the source is gone). */
  *items(): Generator<OutputValue> {
    const source = this.source;
    this.source = undefined;
    try {
      if (!source) return;
      for (let i = 0; i < source.length; i++) {
        const entry = source[i];
        source[i] = undefined; // released once its view is written
        yield this.view(entry as never);
      }
    } finally {
      this.done();
    }
  }
  /** Ends the list without writing it (an answer that will not be sent). */
  done(): void {
    const onDone = this.onDone;
    this.onDone = undefined;
    this.source = undefined;
    if (onDone) {
      abandoned.unregister(this);
      onDone();
    }
  }
}

// A list dropped without being written (the request failed later on) still gets its onDone.
const abandoned = new FinalizationRegistry<() => void>((onDone) => onDone());

/** Lists `source` through `view` lazily (see StreamedList); `source` is consumed. */
export const streamedList = <T>(source: T[], view: (entry: T) => OutputValue, onDone?: () => void): StreamedList =>
  new StreamedList(source, view as (entry: never) => OutputValue, onDone);
export interface ActionOutput {
  [element: string]: OutputValue;
}
