// Splits instance user data into parts as cloud-init's user-data handlers do: gzip is undone
// first, MIME multi-part messages are split by boundary, and each part is typed by its
// Content-Type or, for plain text, by its first line (`#!`, `#cloud-config`, …).
import { gunzipSync } from 'node:zlib';

export type PartKind = 'shellscript' | 'cloud-config' | 'boothook' | 'include' | 'unknown';

export interface UserDataPart {
  kind: PartKind;
  /** As cloud-init would name it: text/x-shellscript, text/cloud-config, … */
  contentType: string;
  /** Content-Disposition filename, if any (cloud-init names unnamed parts part-001, part-002, …). */
  filename?: string;
  body: Buffer;
}

/** A gzip bomb must not take the server's memory: cloud-init data is small. */
const MAX_EXPANDED_BYTES = 1 << 20;

const BY_FIRST_LINE: [string, PartKind, string][] = [
  ['#!', 'shellscript', 'text/x-shellscript'],
  ['#cloud-config', 'cloud-config', 'text/cloud-config'],
  ['#cloud-boothook', 'boothook', 'text/cloud-boothook'],
  ['#include', 'include', 'text/x-include-url'],
];

const BY_CONTENT_TYPE: Record<string, PartKind> = {
  'text/x-shellscript': 'shellscript',
  'text/cloud-config': 'cloud-config',
  'text/cloud-boothook': 'boothook',
  'text/x-include-url': 'include',
};

export function isGzip(data: Buffer): boolean {
  return data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
}

/** Throws when gzip data is corrupt or expands past 1 MiB. */
export function gunzipUserData(data: Buffer): Buffer {
  return isGzip(data) ? gunzipSync(data, { maxOutputLength: MAX_EXPANDED_BYTES }) : data;
}

export function splitUserData(raw: Buffer): UserDataPart[] {
  const data = gunzipUserData(raw);
  if (data.length === 0) return [];
  const text = data.toString('utf8');
  if (/^(content-type:\s*multipart\/|mime-version:)/i.test(text.trimStart())) return splitMime(text);
  return [typeByFirstLine(data)];
}

function typeByFirstLine(body: Buffer, filename?: string): UserDataPart {
  const head = body.subarray(0, 64).toString('utf8');
  for (const [prefix, kind, contentType] of BY_FIRST_LINE) {
    if (head.startsWith(prefix)) return { kind, contentType, filename, body };
  }
  if (isGzip(body)) return typeByFirstLine(gunzipUserData(body), filename);
  return { kind: 'unknown', contentType: 'text/x-not-multipart', filename, body };
}

interface Headers {
  get(name: string): string | undefined;
}

function parseHeaders(block: string): Headers {
  const map = new Map<string, string>();
  let last = '';
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && last) {
      map.set(last, `${map.get(last)} ${line.trim()}`);
      continue;
    }
    const i = line.indexOf(':');
    if (i <= 0) continue;
    last = line.slice(0, i).trim().toLowerCase();
    map.set(last, line.slice(i + 1).trim());
  }
  return { get: (n) => map.get(n.toLowerCase()) };
}

function param(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  const m = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(header);
  return m ? (m[1] ?? m[2]) : undefined;
}

function splitHead(text: string): [string, string] {
  const m = /\r?\n\r?\n/.exec(text);
  return m ? [text.slice(0, m.index), text.slice(m.index + m[0].length)] : [text, ''];
}

function splitMime(text: string): UserDataPart[] {
  const [headBlock, body] = splitHead(text.trimStart());
  const headers = parseHeaders(headBlock);
  const type = (headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!type.startsWith('multipart/')) return [leafPart(headers, body)];
  const boundary = param(headers.get('content-type'), 'boundary');
  if (!boundary) return [];
  const out: UserDataPart[] = [];
  const delimiter = `--${boundary}`;
  const pieces = body.split(new RegExp(`(?:^|\\r?\\n)${escapeRe(delimiter)}`));
  // pieces[0] is the preamble; a piece starting with "--" is the closing delimiter's tail.
  for (const piece of pieces.slice(1)) {
    if (piece.startsWith('--')) break;
    const part = piece.replace(/^[ \t]*\r?\n/, '');
    const [h, b] = splitHead(part);
    const ph = parseHeaders(h);
    const pType = (ph.get('content-type') ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
    if (pType.startsWith('multipart/')) out.push(...splitMime(part));
    else out.push(leafPart(ph, b));
  }
  return out;
}

function leafPart(headers: Headers, text: string): UserDataPart {
  const contentType = (headers.get('content-type') ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
  const filename = param(headers.get('content-disposition'), 'filename');
  const encoding = (headers.get('content-transfer-encoding') ?? '').toLowerCase();
  const body = encoding === 'base64' ? Buffer.from(text.replace(/\s+/g, ''), 'base64') : Buffer.from(text, 'utf8');
  const kind = BY_CONTENT_TYPE[contentType];
  if (kind) return { kind, contentType, filename, body };
  if (contentType === 'application/x-gzip' || contentType === 'application/gzip') return typeByFirstLine(gunzipUserData(body), filename);
  // text/plain and friends are typed by their first line, as cloud-init does
  const typed = typeByFirstLine(body, filename);
  return typed.kind === 'unknown' ? { ...typed, contentType } : typed;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
