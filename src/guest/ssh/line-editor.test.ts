import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type EditorEvent, LineEditor } from './line-editor.js';

function type(ed: LineEditor, s: string): EditorEvent[] {
  return [...s].flatMap((c) => ed.feed(c));
}
const lines = (evs: EditorEvent[]) => evs.filter((e) => e.t === 'line').map((e) => (e as { text: string }).text);

describe('LineEditor', () => {
  it('collects a line and echoes it', () => {
    const ed = new LineEditor();
    const evs = type(ed, 'ls -la\r');
    assert.deepEqual(lines(evs), ['ls -la']);
    assert.equal(evs.filter((e) => e.t === 'echo').map((e) => (e as { text: string }).text).join(''), 'ls -la\r\n');
  });

  it('edits with backspace, arrows, Ctrl-U and Ctrl-W', () => {
    const ed = new LineEditor();
    assert.deepEqual(lines(type(ed, 'whoamx\x7fi\r')), ['whoami']);
    assert.deepEqual(lines(type(ed, 'ac\x1b[Db\r')), ['abc']);
    assert.deepEqual(lines(type(ed, 'junk\x15pwd\r')), ['pwd']);
    assert.deepEqual(lines(type(ed, 'echo one two\x17three\r')), ['echo one three']);
    assert.deepEqual(lines(type(ed, 'a\r\nb\r')), ['a', 'b']);
  });

  it('recalls history and handles Ctrl-C and Ctrl-D', () => {
    const ed = new LineEditor();
    type(ed, 'first\r');
    ed.remember('first');
    assert.deepEqual(lines(type(ed, '\x1b[A\r')), ['first']);
    assert.ok(type(ed, 'abc\x03').some((e) => e.t === 'interrupt'));
    assert.equal(ed.line, '');
    assert.ok(type(ed, '\x04').some((e) => e.t === 'eof'));
  });
});
