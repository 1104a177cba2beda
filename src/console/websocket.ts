// A small RFC 6455 WebSocket server side, enough for the console terminal: the opening handshake,
// masked client frames (text, binary, continuation, ping, pong, close), unmasked server frames, and
// a cap on message size. No extensions, no subprotocols. Why not a package: the terminal needs this
// much and no more, and every byte it accepts is checked here.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface WebSocketConnection {
  /** Text frame for a string, binary frame for bytes. */
  send(data: string | Buffer): void;
  /** Sends a close frame (once) and ends the connection. */
  close(code?: number, reason?: string): void;
  /** Bytes queued on the socket (backpressure). */
  readonly buffered: number;
  onMessage: (data: Buffer, text: boolean) => void;
  onClose: () => void;
  /** The socket wants no more writes until it drains. */
  onDrain: () => void;
}

/** Answers a refused upgrade with a plain HTTP status and closes. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string, message: string): void {
  if (socket.writable) {
    const body = `${message}\n`;
    socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}

/** Completes the handshake, or refuses (400) a request that is not a version-13 WebSocket upgrade. */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, maxMessageBytes = 1 << 20): WebSocketConnection | undefined {
  const key = req.headers['sec-websocket-key'];
  if (
    req.method !== 'GET' ||
    String(req.headers.upgrade ?? '').toLowerCase() !== 'websocket' ||
    req.headers['sec-websocket-version'] !== '13' ||
    typeof key !== 'string' ||
    Buffer.from(key, 'base64').length !== 16
  ) {
    refuseUpgrade(socket, 400, 'Bad Request', 'a WebSocket (version 13) upgrade is expected here');
    return undefined;
  }
  const accept = createHash('sha1').update(key + GUID).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-accept: ${accept}\r\n\r\n`);
  (socket as Duplex & { setNoDelay?: (v: boolean) => void }).setNoDelay?.(true);

  let buffer: Buffer = head.length ? Buffer.from(head) : Buffer.alloc(0);
  let fragments: Buffer[] = [];
  let fragmentsText = false;
  let fragmentBytes = 0;
  let closed = false;

  const frame = (opcode: number, payload: Buffer): Buffer => {
    const len = payload.length;
    const header = len < 126 ? Buffer.from([0x80 | opcode, len]) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
    if (len >= 126) {
      header[0] = 0x80 | opcode;
      if (len < 65536) {
        header[1] = 126;
        header.writeUInt16BE(len, 2);
      } else {
        header[1] = 127;
        header.writeBigUInt64BE(BigInt(len), 2);
      }
    }
    return Buffer.concat([header, payload]);
  };

  const conn: WebSocketConnection = {
    send(data) {
      if (closed || !socket.writable) return;
      socket.write(frame(typeof data === 'string' ? 1 : 2, typeof data === 'string' ? Buffer.from(data, 'utf8') : data));
    },
    close(code = 1000, reason = '') {
      if (closed) return;
      closed = true;
      const r = Buffer.from(reason, 'utf8').subarray(0, 123);
      const payload = Buffer.alloc(2 + r.length);
      payload.writeUInt16BE(code, 0);
      r.copy(payload, 2);
      if (socket.writable) socket.end(frame(8, payload));
      setTimeout(() => socket.destroy(), 1000).unref();
    },
    get buffered() {
      return socket.writableLength;
    },
    onMessage: () => {},
    onClose: () => {},
    onDrain: () => {},
  };

  const fail = (code: number) => conn.close(code, code === 1009 ? 'message too big' : 'protocol error');

  const parse = () => {
    while (!closed) {
      if (buffer.length < 2) return;
      const b0 = buffer[0]!;
      const b1 = buffer[1]!;
      const fin = (b0 & 0x80) !== 0;
      const opcode = b0 & 0x0f;
      if ((b0 & 0x70) !== 0 || (b1 & 0x80) === 0) return fail(1002); // no extensions; clients must mask
      let len = b1 & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (buffer.length < 4) return;
        len = buffer.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (buffer.length < 10) return;
        const big = buffer.readBigUInt64BE(2);
        if (big > BigInt(maxMessageBytes)) return fail(1009);
        len = Number(big);
        offset = 10;
      }
      if (len > maxMessageBytes) return fail(1009);
      if (buffer.length < offset + 4 + len) return;
      const mask = buffer.subarray(offset, offset + 4);
      const payload = Buffer.from(buffer.subarray(offset + 4, offset + 4 + len));
      for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i & 3]!;
      buffer = buffer.subarray(offset + 4 + len);
      if (opcode >= 8) {
        if (!fin || len > 125) return fail(1002);
        if (opcode === 8) {
          conn.close(payload.length >= 2 ? payload.readUInt16BE(0) : 1000);
          return;
        }
        if (opcode === 9 && socket.writable) socket.write(frame(10, payload));
        continue; // pong: nothing to do
      }
      if (opcode === 0) {
        if (!fragments.length) return fail(1002);
      } else if (opcode === 1 || opcode === 2) {
        if (fragments.length) return fail(1002);
        fragmentsText = opcode === 1;
      } else {
        return fail(1002);
      }
      fragmentBytes += payload.length;
      if (fragmentBytes > maxMessageBytes) return fail(1009);
      fragments.push(payload);
      if (fin) {
        const message = Buffer.concat(fragments);
        fragments = [];
        fragmentBytes = 0;
        conn.onMessage(message, fragmentsText);
      }
    }
  };

  socket.on('data', (chunk: Buffer) => {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    if (buffer.length > maxMessageBytes + 14) {
      // a peer sending faster than we parse can only be far past one message: cut it off
      parse();
      if (buffer.length > maxMessageBytes + 14) fail(1009);
      return;
    }
    parse();
  });
  socket.on('drain', () => conn.onDrain());
  socket.on('error', () => socket.destroy());
  socket.on('close', () => {
    closed = true;
    conn.onClose();
  });
  if (buffer.length) queueMicrotask(parse);
  return conn;
}
