// Small encoding helpers shared by the key modules: strict base64, line wrapping, PEM armour,
// big integers as unsigned big-endian bytes, and colon-separated hex.

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decode standard base64 strictly: only the base64 alphabet, correct '=' padding, and a canonical
 * encoding (unused trailing bits must be zero). Returns undefined when the text is not such base64.
 * Node's Buffer.from(s, 'base64') silently skips junk, which is why this exists.
 */
export function strictBase64Decode(text: string): Buffer | undefined {
  if (text.length === 0 || !BASE64_RE.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) return undefined;
  return bytes;
}

/** Split text into lines of at most `width` characters (no trailing newline). */
export function wrapLines(text: string, width: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += width) lines.push(text.slice(i, i + width));
  return lines;
}

/** PEM armour: "-----BEGIN label-----", base64 of der wrapped at `width`, "-----END label-----" (no trailing newline). */
export function pemArmor(label: string, der: Buffer, width = 64): string {
  return [`-----BEGIN ${label}-----`, ...wrapLines(der.toString('base64'), width), `-----END ${label}-----`].join('\n');
}

/** Normalise CRLF / lone CR line endings to LF. */
export function toLf(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/**
 * Find a single PEM block with the given label and return its decoded body, or undefined when the
 * armour is absent or malformed. Encapsulated headers (Proc-Type etc.) are not allowed here.
 */
export function pemBody(text: string, label: string): Buffer | undefined {
  const lines = toLf(text).trim().split('\n').map((l) => l.trim());
  if (lines.length < 3 || lines[0] !== `-----BEGIN ${label}-----` || lines[lines.length - 1] !== `-----END ${label}-----`) {
    return undefined;
  }
  return strictBase64Decode(lines.slice(1, -1).join(''));
}

/** Unsigned big-endian bytes (any leading zeros) → bigint. */
export function bufferToBigInt(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt('0x' + bytes.toString('hex'));
}

/** Non-negative bigint → minimal unsigned big-endian bytes (0 → empty buffer). */
export function bigIntToBuffer(value: bigint): Buffer {
  if (value < 0n) throw new RangeError('negative value');
  if (value === 0n) return Buffer.alloc(0);
  let hex = value.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  return Buffer.from(hex, 'hex');
}

/** Strip leading zero bytes. */
export function stripLeadingZeros(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  return bytes.subarray(i);
}

/** Left-pad with zero bytes to `length` (throws if already longer). */
export function leftPad(bytes: Buffer, length: number): Buffer {
  if (bytes.length > length) throw new RangeError(`value is longer than ${length} bytes`);
  return Buffer.concat([Buffer.alloc(length - bytes.length), bytes]);
}

/** "ab:cd:…" lower-case hex of a digest. */
export function colonHex(digest: Buffer): string {
  return digest.toString('hex').replace(/(..)(?!$)/g, '$1:');
}

/** Modular inverse of a mod m (m > 1), or undefined when gcd(a, m) ≠ 1. */
export function modInverse(a: bigint, m: bigint): bigint | undefined {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) return undefined;
  return ((oldS % m) + m) % m;
}
