// SigV4 primitives: canonical request, string to sign, signing key, signature, comparison.
// Pure functions over strings and bytes; authenticate.ts decides which inputs to feed them.
// Reference: AWS "Create a canonical request for Signature Version 4" and botocore auth.py.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const TERMINATOR = 'aws4_request';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** RFC 3986 encoding as SigV4 wants it: everything but A-Za-z0-9-_.~ becomes %XX (upper hex). */
export function uriEncode(s: string): string {
  // encodeURIComponent leaves !'()* alone; SigV4 does not.
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Decodes %XX without treating '+' as space (SigV4 clients encode spaces as %20). */
function uriDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // a stray '%' is kept literally; the client signed what it sent
  }
}

/**
 * Canonical URI: the decoded path, dot segments removed, each segment encoded once. This is
 * what the JS SDK (smithy) computes for non-S3 services; EC2 only ever uses "/".
 */
export function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const seg of rawPath.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segments.pop();
    else segments.push(uriEncode(uriDecode(seg)));
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return `/${segments.join('/')}${trailing}`;
}

/** Splits a raw query string into decoded [name, value] pairs, in order. */
export function parseQuery(rawQuery: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    pairs.push(eq < 0 ? [uriDecode(part), ''] : [uriDecode(part.slice(0, eq)), uriDecode(part.slice(eq + 1))]);
  }
  return pairs;
}

/** Canonical query string: pairs re-encoded, sorted by name then value. Presigned requests drop X-Amz-Signature. */
export function canonicalQuery(pairs: ReadonlyArray<readonly [string, string]>, excludeSignature: boolean): string {
  const encoded: Array<[string, string]> = [];
  for (const [k, v] of pairs) {
    if (excludeSignature && k === 'X-Amz-Signature') continue;
    encoded.push([uriEncode(k), uriEncode(v)]);
  }
  encoded.sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
  return encoded.map(([k, v]) => `${k}=${v}`).join('&');
}

/** Header value as signed: each occurrence trimmed, inner whitespace runs collapsed, occurrences joined by ','. */
export function canonicalHeaderValue(values: readonly string[]): string {
  return values.map((v) => v.trim().replace(/\s+/g, ' ')).join(',');
}

export interface CanonicalRequestParts {
  method: string;
  uri: string;
  query: string;
  /** Signed header names (lower case, sorted) with their canonical values. */
  headers: ReadonlyArray<readonly [string, string]>;
  payloadHash: string;
}

export function canonicalRequest(p: CanonicalRequestParts): string {
  const lines = p.headers.map(([n, v]) => `${n}:${v}\n`).join('');
  const names = p.headers.map(([n]) => n).join(';');
  return `${p.method}\n${p.uri}\n${p.query}\n${lines}\n${names}\n${p.payloadHash}`;
}

export const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

export const credentialScope = (date: string, region: string, service: string): string =>
  `${date}/${region}/${service}/${TERMINATOR}`;

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
}

// Deriving the key costs four HMACs; a key is valid for one (secret, day, region, service),
// so a small cache makes strict mode nearly as cheap as open mode.
const keyCache = new Map<string, Buffer>();
const KEY_CACHE_MAX = 256;

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const cacheKey = `${date}\0${region}\0${service}\0${secret}`;
  const hit = keyCache.get(cacheKey);
  if (hit) return hit;
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), TERMINATOR);
  if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
  keyCache.set(cacheKey, key);
  return key;
}

export const signature = (key: Buffer, toSign: string): string => createHmac('sha256', key).update(toSign).digest('hex');

/** Constant-time comparison of two signatures (hex strings); unequal lengths are simply unequal. */
export function signaturesEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  if (a.length !== b.length) {
    timingSafeEqual(a, a); // keep the time roughly independent of where the inputs differ
    return false;
  }
  return timingSafeEqual(a, b);
}

/** 20240102T030405Z ⇄ Date. Returns undefined for anything else (SigV4's "basic format" only). */
export function parseAmzDate(s: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se] = m.map(Number) as [number, number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, se);
  const date = new Date(t);
  // Reject rollovers such as month 13 or 25 o'clock.
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && date.getUTCHours() === h ? date : undefined;
}

export const formatAmzDate = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
