// The console terminal's WebSocket server side against hand-made frames: the handshake answer,
// masked text/binary messages (also fragmented), ping → pong, and what a peer may not do (unmasked
// frames, oversized messages, continuation without a start) closing with 1002 / 1009.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { acceptWebSocket } from './websocket.js';

const KEY = randomBytes(16).toString('base64');

function setup(maxMessageBytes = 1024) {
  const socket = new PassThrough();
  const written: Buffer[] = [];
  const realWrite = socket.write.bind(socket);
  socket.write = ((chunk: Buffer | string) => {
    written.push(Buffer.from(chunk));
    return true;
  }) as typeof socket.write;
  socket.end = ((chunk?: Buffer | string) => {
    if (chunk) written.push(Buffer.from(chunk));
    return socket;
  }) as typeof socket.end;
  void realWrite;
  const req = { method: 'GET', headers: { upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': KEY } } as unknown as IncomingMessage;
  const ws = acceptWebSocket(req, socket, Buffer.alloc(0), maxMessageBytes)!;
  const messages: { data: string; text: boolean }[] = [];
  ws.onMessage = (data, text) => messages.push({ data: data.toString('utf8'), text });
  const send = (b: Buffer) => socket.emit('data', b);
  return { ws, written, messages, send };
}

/** A client frame: FIN, opcode, masked payload. */
function frame(opcode: number, payload: Buffer | string, { fin = true, mask = true } = {}): Buffer {
  const data = Buffer.from(payload);
  const m = randomBytes(4);
  const len = data.length;
  const head = len < 126 ? Buffer.from([(fin ? 0x80 : 0) | opcode, (mask ? 0x80 : 0) | len]) : Buffer.from([(fin ? 0x80 : 0) | opcode, (mask ? 0x80 : 0) | 126, len >> 8, len & 255]);
  const body = Buffer.from(data.map((b, i) => (mask ? b ^ m[i & 3]! : b)));
  return Buffer.concat([head, mask ? m : Buffer.alloc(0), body]);
}

const closeCode = (written: Buffer[]) => {
  const last = written[written.length - 1]!;
  assert.equal(last[0], 0x88, 'a close frame');
  return last.readUInt16BE(2);
};

describe('console WebSocket', () => {
  it('answers the handshake with the RFC 6455 accept value', () => {
    const { written } = setup();
    const accept = createHash('sha1').update(KEY + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
    const answer = written[0]!.toString();
    assert.ok(answer.startsWith('HTTP/1.1 101 Switching Protocols\r\n'));
    assert.ok(answer.includes(`\r\nsec-websocket-accept: ${accept}\r\n`));
    assert.ok(answer.endsWith('\r\n\r\n'));
  });

  it('reads masked text and binary messages, fragmented ones whole, and answers ping with pong', () => {
    const { written, messages, send } = setup();
    send(frame(1, '{"type":"resize"}'));
    send(Buffer.concat([frame(2, 'who', { fin: false }), frame(0, 'ami\r')]));
    send(frame(9, 'p'));
    assert.deepEqual(messages, [
      { data: '{"type":"resize"}', text: true },
      { data: 'whoami\r', text: false },
    ]);
    assert.deepEqual([...written[written.length - 1]!], [0x8a, 1, 'p'.charCodeAt(0)]);
  });

  it('sends unmasked frames, short and with 16-bit lengths', () => {
    const { ws, written } = setup();
    ws.send('hi');
    ws.send(Buffer.alloc(300, 1));
    assert.deepEqual([...written[1]!.subarray(0, 2)], [0x81, 2]);
    assert.deepEqual([...written[2]!.subarray(0, 4)], [0x82, 126, 1, 44]);
  });

  it('closes on unmasked frames (1002), oversized messages (1009) and stray continuations (1002)', () => {
    const a = setup();
    a.send(frame(2, 'x', { mask: false }));
    assert.equal(closeCode(a.written), 1002);
    const b = setup(16);
    b.send(frame(2, 'x'.repeat(17)));
    assert.equal(closeCode(b.written), 1009);
    const c = setup(16);
    c.send(Buffer.concat([frame(2, 'x'.repeat(10), { fin: false }), frame(0, 'y'.repeat(10))]));
    assert.equal(closeCode(c.written), 1009, 'the cap applies to the whole message');
    const d = setup();
    d.send(frame(0, 'x'));
    assert.equal(closeCode(d.written), 1002);
    assert.equal(d.messages.length, 0);
  });
});
