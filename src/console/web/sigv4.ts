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
