// AWS Signature Version 4 in the browser, with Web Crypto: the console signs each API request as
// the AWS SDK for JavaScript does (header form; content-type, host, x-amz-content-sha256 and
// x-amz-date signed).
const enc = new TextEncoder();

const hex = (buf: ArrayBuffer): string => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');

async function sha256Hex(data: string): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', enc.encode(data)));
}

async function hmac(key: ArrayBuffer | Uint8Array<ArrayBuffer>, data: string): Promise<ArrayBuffer> {
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return crypto.subtle.sign('HMAC', k, enc.encode(data));
}

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface SignInput {
  readonly method: 'POST';
  readonly host: string;
  readonly path: string;
  readonly body: string;
  readonly contentType: string;
  readonly region: string;
  readonly service: string;
  readonly credentials: Credentials;
  readonly now?: Date;
}

/** The headers to send: content-type, x-amz-content-sha256, x-amz-date and authorization (the browser sets Host itself). */
export async function signRequest(input: SignInput): Promise<Record<string, string>> {
  const amzDate = (input.now ?? new Date()).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const bodyHash = await sha256Hex(input.body);
  // The headers the AWS SDK for JavaScript signs on a Query request, in canonical (sorted) order.
  const headers: [string, string][] = [
    ['content-type', input.contentType],
    ['host', input.host],
    ['x-amz-content-sha256', bodyHash],
    ['x-amz-date', amzDate],
  ];
  const signedHeaders = headers.map(([k]) => k).join(';');
  const canonical = [
    input.method,
    input.path,
    '',
    ...headers.map(([k, v]) => `${k}:${v.trim()}`),
    '',
    signedHeaders,
    bodyHash,
  ].join('\n');
  const scope = `${day}/${input.region}/${input.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, await sha256Hex(canonical)].join('\n');
  let key = await hmac(enc.encode(`AWS4${input.credentials.secretAccessKey}`), day);
  key = await hmac(key, input.region);
  key = await hmac(key, input.service);
  key = await hmac(key, 'aws4_request');
  const signature = hex(await hmac(key, toSign));
  return {
    'content-type': input.contentType,
    'x-amz-content-sha256': bodyHash,
    'x-amz-date': amzDate,
    authorization: `AWS4-HMAC-SHA256 Credential=${input.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export interface PresignInput {
  readonly host: string;
  readonly path: string;
  readonly params: Record<string, string>;
  readonly region: string;
  readonly service: string;
  readonly credentials: Credentials;
  readonly expiresS: number;
  readonly now?: Date;
}

/**
 * A presigned GET (query-string SigV4, only `host` signed, empty payload): what a WebSocket can
 * carry, since a browser cannot add an Authorization header to one. Returns the query string.
 */
export async function presignQuery(input: PresignInput): Promise<string> {
  const amzDate = (input.now ?? new Date()).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${input.region}/${input.service}/aws4_request`;
  const params: Record<string, string> = {
    ...input.params,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${input.credentials.accessKeyId}/${scope}`,
    'X-Amz-Date': amzDate,
    'X-Amz-Expires': String(input.expiresS),
    'X-Amz-SignedHeaders': 'host',
  };
  const query = Object.entries(params)
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonical = ['GET', input.path, query, `host:${input.host}`, '', 'host', await sha256Hex('')].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, await sha256Hex(canonical)].join('\n');
  let key = await hmac(enc.encode(`AWS4${input.credentials.secretAccessKey}`), day);
  key = await hmac(key, input.region);
  key = await hmac(key, input.service);
  key = await hmac(key, 'aws4_request');
  return `${query}&X-Amz-Signature=${hex(await hmac(key, toSign))}`;
}
