// What a handler returns: a tree keyed by the model's element names, in the order AWS writes them.
// Actions never see XML; protocol/xml.ts writes this tree as EC2 XML (see its header for the mapping).
export type OutputValue = string | number | boolean | Date | null | undefined | OutputValue[] | ActionOutput | StreamedList;

/**
 * A list read in pages while the answer is written: a 5,000-key DescribeKeyPairs holds one page of
 * records (and their views) at a time, never the whole scope, and what is sent can be collected
 * while the rest is read. `pages` yields arrays of entries (a page may be empty once filtered);
 * each entry becomes an item through `view` when the writer reaches it. Only at the top level of
 * an answer, which is then written asynchronously (protocol/xml.ts).
 */
export class StreamedList {
  constructor(
    private source: AsyncIterator<unknown[]> | undefined,
    /** Makes an entry's item; the writer calls it when it reaches the entry. */
    readonly view: (entry: never) => OutputValue,
  ) {}
  /**
   * The pages, once; a second pass finds nothing. The writer loops over each page itself: one await
   * per page, not per item (5,000 awaits cost more than the paging saves). A consumer that stops
   * early (a client that left) closes the source through the generator's return().
   */
  async *pages(): AsyncGenerator<readonly unknown[]> {
    const source = this.source;
    this.source = undefined;
    if (!source) return;
    let finished = false;
    try {
      for (let page = await source.next(); !page.done; page = await source.next()) yield page.value;
      finished = true;
    } finally {
      if (!finished) await source.return?.();
    }
  }
}

/** Lists the entries of `pages` through `view` lazily (see StreamedList). */
export const streamedList = <T>(pages: AsyncIterator<T[]>, view: (entry: T) => OutputValue): StreamedList =>
  new StreamedList(pages, view as (entry: never) => OutputValue);

/** A list whose members the model names otherwise than `item` (e.g. `<groupSet><groupId>…`): see namedMembers. */
export const MEMBER_NAME = Symbol('memberName');

/** `values` written as `<name>` elements instead of `<item>`. */
export const namedMembers = (name: string, values: OutputValue[]): OutputValue[] => Object.assign([...values], { [MEMBER_NAME]: name });

export interface ActionOutput {
  [element: string]: OutputValue;
}
