import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { streamedList } from '../actions/output.js';
import { escapeXml, successXml, successXmlChunks } from './xml.js';

/** All pieces of an answer, read as the HTTP layer reads them (plain or async). */
async function collect(body: Iterable<string> | AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const piece of body) out.push(piece);
  return out;
}

describe('successXmlChunks', () => {
  const output = {
    keySet: Array.from({ length: 3000 }, (_, i) => ({ keyPairId: `key-${i}`, keyName: `name <${i}> & more`, tagSet: [], createTime: new Date(Date.UTC(2024, 0, 1, 0, 0, i)) })),
    nextToken: undefined,
  };

  it('yields pieces that join to the whole document, each bounded', async () => {
    const body = successXmlChunks('DescribeKeyPairs', '2016-11-15', 'req-1', output);
    assert.ok(Symbol.iterator in body, 'an answer without a streamed list is a plain iterable');
    const pieces = await collect(body);
    assert.ok(pieces.length > 5, `expected a large answer in several pieces, got ${pieces.length}`);
    for (const p of pieces) assert.ok(p.length < 40 * 1024, `piece of ${p.length} characters`);
    const whole = pieces.join('');
    assert.equal(whole, successXml('DescribeKeyPairs', '2016-11-15', 'req-1', output));
    assert.ok(whole.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<DescribeKeyPairsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">\n    <requestId>req-1</requestId>\n    <keySet>\n        <item>\n'));
    assert.ok(whole.includes('<keyName>name &lt;2999&gt; &amp; more</keyName>'));
    assert.ok(whole.endsWith('    </keySet>\n</DescribeKeyPairsResponse>'));
    assert.equal(whole.split('<item>').length - 1, 3000);
  });

  it('a small answer is one piece; an empty list is <name/>', async () => {
    const pieces = await collect(successXmlChunks('DescribeKeyPairs', '2016-11-15', 'r', { keySet: [] }));
    assert.deepEqual(pieces, [
      '<?xml version="1.0" encoding="UTF-8"?>\n<DescribeKeyPairsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">\n    <requestId>r</requestId>\n    <keySet/>\n</DescribeKeyPairsResponse>',
    ]);
  });

  it('a streamed list writes the same document as the array, reading a page only when the writer reaches it', async () => {
    const reads: number[] = [];
    let itemsWritten = 0;
    async function* pages() {
      for (let from = 0; from < output.keySet.length; from += 500) {
        // A page is read only once every item of the pages before it has been made into XML.
        reads.push(itemsWritten);
        yield output.keySet.slice(from, from + 500);
      }
    }
    const list = streamedList(pages(), (item: (typeof output.keySet)[number]) => {
      itemsWritten++;
      return item;
    });
    const body = successXmlChunks('DescribeKeyPairs', '2016-11-15', 'req-1', { keySet: list, nextToken: undefined });
    assert.ok(Symbol.asyncIterator in body, 'an answer with a streamed list is async');
    const whole = (await collect(body)).join('');
    assert.equal(whole, successXml('DescribeKeyPairs', '2016-11-15', 'req-1', output));
    assert.equal(reads.length, 6);
    assert.deepEqual(reads, [0, 500, 1000, 1500, 2000, 2500]);
  });

  it('a streamed list whose pages are all empty (filtered away) is <name/>', async () => {
    async function* pages() {
      yield [];
      yield [];
    }
    const whole = (await collect(successXmlChunks('DescribeKeyPairs', '2016-11-15', 'r', { keySet: streamedList(pages(), (x: never) => x) }))).join('');
    assert.ok(whole.includes('\n    <keySet/>\n'), whole);
  });

  it('an abandoned answer closes its pages', async () => {
    let closed = false;
    async function* pages() {
      try {
        for (;;) yield output.keySet.slice(0, 500);
      } finally {
        closed = true;
      }
    }
    const body = successXmlChunks('DescribeKeyPairs', '2016-11-15', 'r', { keySet: streamedList(pages(), (x: (typeof output.keySet)[number]) => x) }) as AsyncIterable<string>;
    const pieces = body[Symbol.asyncIterator]();
    await pieces.next();
    await pieces.next();
    await pieces.return?.();
    assert.equal(closed, true);
  });
});

describe('characters XML cannot carry (issue 19)', () => {
  it('become U+FFFD in text, so a value stored before they were refused keeps every answer well-formed', () => {
    assert.equal(escapeXml('a\u0001b<c>\uFFFF'), 'a\uFFFDb&lt;c&gt;\uFFFD');
    assert.equal(escapeXml('tab\tnew\nline'), 'tab\tnew\nline');
    assert.equal(escapeXml('pair \uD83D\uDE00 ok, lone \uD83D.'), 'pair \uD83D\uDE00 ok, lone \uFFFD.');
  });
});
