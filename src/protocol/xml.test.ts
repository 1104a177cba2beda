import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { streamedList } from '../actions/output.js';
import { successXml, successXmlChunks } from './xml.js';

describe('successXmlChunks', () => {
  const output = {
    keySet: Array.from({ length: 3000 }, (_, i) => ({ keyPairId: `key-${i}`, keyName: `name <${i}> & more`, tagSet: [], createTime: new Date(Date.UTC(2024, 0, 1, 0, 0, i)) })),
    nextToken: undefined,
  };

  it('yields pieces that join to the whole document, each bounded', () => {
    const pieces = [...successXmlChunks('DescribeKeyPairs', '2016-11-15', 'req-1', output)];
    assert.ok(pieces.length > 5, `expected a large answer in several pieces, got ${pieces.length}`);
    for (const p of pieces) assert.ok(p.length < 40 * 1024, `piece of ${p.length} characters`);
    const whole = pieces.join('');
    assert.equal(whole, successXml('DescribeKeyPairs', '2016-11-15', 'req-1', output));
    assert.ok(whole.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<DescribeKeyPairsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">\n    <requestId>req-1</requestId>\n    <keySet>\n        <item>\n'));
    assert.ok(whole.includes('<keyName>name &lt;2999&gt; &amp; more</keyName>'));
    assert.ok(whole.endsWith('    </keySet>\n</DescribeKeyPairsResponse>'));
    assert.equal(whole.split('<item>').length - 1, 3000);
  });

  it('a small answer is one piece; an empty list is <name/>', () => {
    const pieces = [...successXmlChunks('DescribeKeyPairs', '2016-11-15', 'r', { keySet: [] })];
    assert.deepEqual(pieces, [
      '<?xml version="1.0" encoding="UTF-8"?>\n<DescribeKeyPairsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">\n    <requestId>r</requestId>\n    <keySet/>\n</DescribeKeyPairsResponse>',
    ]);
  });

  it('a streamed list writes the same document as the array, releasing each entry once written', () => {
    const source = output.keySet.map((item) => ({ ...item }));
    const seen: number[] = [];
    const list = streamedList(source, (item) => {
      // By the time an item's view is made, every earlier entry has been released.
      seen.push(source.findIndex((entry) => entry !== undefined));
      return item;
    });
    const whole = [...successXmlChunks('DescribeKeyPairs', '2016-11-15', 'req-1', { keySet: list, nextToken: undefined })].join('');
    assert.equal(whole, successXml('DescribeKeyPairs', '2016-11-15', 'req-1', output));
    assert.deepEqual(seen.slice(0, 3), [1, 2, 3]);
    assert.ok(source.every((entry) => entry === undefined), 'every entry released');
    const empty = [...successXmlChunks('DescribeKeyPairs', '2016-11-15', 'r', { keySet: streamedList([], (x: never) => x) })].join('');
    assert.ok(empty.includes('<keySet/>'));
  });
});
