// node:http plumbing: body size limit (refused before it is buffered whole), the request log, the
// internal routes (./routes.ts: health, SSH info, console), and handing every other request to the
// EC2 Query handler.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Ec2Response } from '../protocol/ec2-query.js';
import type { RequestToAuthenticate } from '../protocol/identity.js';
import { errorXml } from '../protocol/xml.js';
import { catalogue } from '../errors/catalogue.js';
import type { RouteTable } from './routes.js';
import { judgeBrowserRequest, type BrowserGuardOptions } from './browser-guard.js';

export interface HttpServerOptions {
  readonly handle: (req: RequestToAuthenticate) => Promise<Ec2Response>;
  readonly maxBodyBytes: number;
  readonly requestId: () => string;
  readonly log: (line: string) => void;
  /** Non-API routes; anything they do not match goes to `handle`. */
  readonly routes: RouteTable;
  /** Called after an answer sent in many pieces (a large one) has been written or abandoned. */
  readonly afterLargeAnswer?: () => void;
  /** Browser requests: cross-site API calls and unknown Host names are refused (browser-guard.ts). */
  readonly browsers?: BrowserGuardOptions;
  /** WebSocket upgrades (the console terminal): true when handled; others are refused. */
  readonly onUpgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, headers: Readonly<Record<string, string>>, body: string | Uint8Array): void {
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Sends a body given in pieces: with a Content-Length when it fits in two pieces (almost every
 * answer), otherwise chunked, each piece written when the socket has taken the previous ones, so a
 * large answer never sits in memory whole. Resolves false when the client went away mid-answer.
 */
async function sendPieces(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: Iterable<string> | AsyncIterable<string>,
  afterLarge: () => void = () => {},
): Promise<boolean> {
  // A plain iterable is read with the same awaits (an await on a plain result costs a microtask).
  const pieces: Iterator<string> | AsyncIterator<string> = Symbol.asyncIterator in body ? body[Symbol.asyncIterator]() : body[Symbol.iterator]();
  let first: IteratorResult<string>;
  let second: IteratorResult<string>;
  try {
    first = await pieces.next();
    second = first.done ? first : await pieces.next();
  } catch (e) {
    await pieces.return?.();
    throw e;
  }
  if (second.done) {
    send(res, status, headers, first.done ? '' : first.value);
    return true;
  }
  try {
    return await sendManyPieces(res, status, headers, first.value as string, second, pieces);
  } finally {
    afterLarge();
  }
}

async function sendManyPieces(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  first: string,
  second: IteratorResult<string>,
  pieces: Iterator<string> | AsyncIterator<string>,
): Promise<boolean> {
  res.writeHead(status, headers);
  res.write(first);
  let next = second;
  try {
    while (!next.done) {
      // Asked now, not remembered from the last write: the socket may have drained while the next
      // piece was being made (a page read from PostgreSQL), and then no 'drain' is coming.
      if (res.writableNeedDrain) {
        const drained = await new Promise<boolean>((resolve) => {
          const done = (value: boolean) => {
            res.off('drain', onDrain);
            res.off('close', onClose);
            resolve(value);
          };
          const onDrain = () => done(true);
          const onClose = () => done(false);
          res.on('drain', onDrain);
          res.on('close', onClose);
        });
        if (!drained) {
          await pieces.return?.();
          return false;
        }
      }
      res.write(next.value);
      next = await pieces.next();
    }
  } catch (e) {
    // The status line is gone: a piece that fails (a page the store could not read) can only cut
    // the answer short, which clients see as a broken response and retry.
    res.destroy(e instanceof Error ? e : new Error(String(e)));
    throw e;
  }
  res.end();
  return true;
}

export function createHttpServer(opts: HttpServerOptions): Server {
  const server = createServer(async (req, res) => {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://localhost');
    let action = '-';
    let status = 500;
    try {
      const route = opts.routes.match(req.method ?? 'GET', url.pathname, url.searchParams);
      const refusal = judgeBrowserRequest(req.headers, !route, opts.browsers ?? { allowedHosts: [] });
      if (refusal) {
        status = refusal.status;
        action = route ? url.pathname : 'refused';
        send(res, refusal.status, { 'content-type': 'text/plain', vary: 'Origin, Sec-Fetch-Site' }, `${refusal.reason}\n`);
        req.resume();
        return;
      }
      if (route) {
        action = url.pathname;
        const answer = await route.handle({
          method: req.method!,
          path: url.pathname,
          params: route.params,
          query: url.searchParams,
          headers: req.headers,
        });
        status = answer.status;
        // node:http sends no body on a HEAD response; the length still says what GET would send.
        send(res, answer.status, answer.headers ?? {}, answer.body);
        return;
      }
      if (req.method !== 'POST' && req.method !== 'GET') {
        status = 405;
        send(res, 405, { allow: 'GET, POST', 'content-type': 'text/plain' }, 'Method Not Allowed\n');
        return;
      }
      let body: Buffer;
      try {
        body = await readBody(req, opts.maxBodyBytes);
      } catch (e) {
        if (!(e instanceof BodyTooLarge)) throw e;
        status = catalogue.RequestEntityTooLarge.status;
        res.setHeader('connection', 'close');
        send(
          res,
          status,
          { 'content-type': 'text/xml;charset=UTF-8', server: 'AmazonEC2' },
          errorXml('RequestEntityTooLarge', catalogue.RequestEntityTooLarge.message(String(opts.maxBodyBytes)), opts.requestId()),
        );
        req.resume();
        return;
      }
      const answer = await opts.handle({
        method: req.method,
        path: url.pathname,
        rawQuery: url.search.slice(1),
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body,
      });
      action = answer.action ?? '-';
      status = answer.status;
      // Server-Timing lets clients (and the bench) see the time spent inside the server.
      const dur = (Number(process.hrtime.bigint() - started) / 1e6).toFixed(3);
      const answerHeaders = { ...answer.headers, 'server-timing': `app;dur=${dur}` };
      if (typeof answer.body === 'string') send(res, answer.status, answerHeaders, answer.body);
      else if (!(await sendPieces(res, answer.status, answerHeaders, answer.body, opts.afterLargeAnswer))) status = 499; // the client left
    } catch (e) {
      status = 500;
      opts.log(`internal error: ${e instanceof Error ? e.stack : String(e)}`);
      if (!res.headersSent) send(res, 500, { 'content-type': 'text/plain' }, 'Internal Server Error\n');
      else res.destroy();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      opts.log(`${req.method} ${action} ${status} ${ms.toFixed(1)}ms`);
    }
  });
  server.keepAliveTimeout = 65_000;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    // A WebSocket is not bound by the same-origin policy: the handshake meets the same Host and
    // Origin rules as an API call (a rebound DNS name would otherwise pass an Origin == Host check).
    const refusal = judgeBrowserRequest(req.headers, true, opts.browsers ?? { allowedHosts: [] });
    if (refusal) {
      opts.log(`GET ${new URL(req.url ?? '/', 'http://localhost').pathname} ${refusal.status} (upgrade refused)`);
      const text = refusal.status === 421 ? 'Misdirected Request' : 'Forbidden';
      if (socket.writable) socket.end(`HTTP/1.1 ${refusal.status} ${text}\r\nconnection: close\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(refusal.reason) + 1}\r\n\r\n${refusal.reason}\n`);
      socket.destroy();
      return;
    }
    if (opts.onUpgrade?.(req, socket, head)) {
      opts.log(`GET ${new URL(req.url ?? '/', 'http://localhost').pathname} 101 (upgrade)`);
      return;
    }
    if (socket.writable) socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    socket.destroy();
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
  });
  return server;
}

export async function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}
