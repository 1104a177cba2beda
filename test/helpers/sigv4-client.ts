// Signs requests the way AWS SDKs do, with the SDK's own signer (@smithy/signature-v4, shipped
// with @aws-sdk/client-ec2), so our verifier is tested against an independent implementation.
import { createHash, createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { RequestToAuthenticate } from '../../src/protocol/authenticate.js';

const toBytes = (d: string | ArrayBuffer | ArrayBufferView): string | Uint8Array =>
  typeof d === 'string' ? d : ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(d);

class Sha256 {
  private readonly h;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  reset(): void {}
}

export interface SignOptions {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region?: string;
  service?: string;
  date: Date;
  method?: string;
  host?: string;
  path?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  /** Presign (query-string auth) instead of an Authorization header. */
  expiresIn?: number;
}

const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** A signed request in the shape the server hands to authenticate(). */
export async function sign(o: SignOptions): Promise<RequestToAuthenticate> {
  const body = o.body ?? 'Action=DescribeKeyPairs&Version=2016-11-15';
  const host = o.host ?? '127.0.0.1:4566';
  const signer = new SignatureV4({
    credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey, sessionToken: o.sessionToken },
    region: o.region ?? 'us-east-1',
    service: o.service ?? 'ec2',
    sha256: Sha256,
  });
  const request = {
    method: o.method ?? 'POST',
    protocol: 'http:',
    hostname: host.split(':')[0]!,
    path: o.path ?? '/',
    query: { ...o.query },
    headers: { host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...o.headers },
    body,
  };
  const signed =
    o.expiresIn !== undefined
      ? await signer.presign(request, { signingDate: o.date, expiresIn: o.expiresIn })
      : await signer.sign(request, { signingDate: o.date });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
  const rawQuery = Object.entries(signed.query ?? {})
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${enc(k)}=${enc(String(x))}`))
    .join('&');
  return { method: signed.method, path: signed.path, rawQuery, headers, body: Buffer.from(body) };
}

export interface WireResponse {
  status: number;
  body: string;
  /** <Code> and <Message> of an EC2 error envelope, when there is one. */
  code?: string;
  message?: string;
}

/** Sends a request exactly as given (Host included), over a fresh connection. */
export function send(baseUrl: string, req: RequestToAuthenticate): Promise<WireResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const r = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.rawQuery ? `${req.path}?${req.rawQuery}` : req.path,
        headers: { ...(req.headers as Record<string, string>), 'content-length': String(req.body.length), connection: 'close' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const xml = (tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(body)?.[1];
          const unescape = (s: string | undefined) => s?.replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
          resolve({ status: res.statusCode ?? 0, body, code: xml('Code'), message: unescape(xml('Message')) });
        });
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(req.body);
  });
}
