// Parsing ImportKeyPair material (the formats of the README's actions table): the bytes of the
// user's public key file, already base64-decoded from the wire. Accepted: an OpenSSH public key
// line, RFC 4716, base64 DER, raw DER and PEM (SubjectPublicKeyInfo or PKCS#1 RSAPublicKey).
// Anything else throws InvalidPublicKeyError, which the API reports as InvalidKey.Format.

import { createPublicKey, type KeyObject } from 'node:crypto';
import { pemBody, strictBase64Decode, toLf } from './encoding.js';
import { InvalidPublicKeyError } from './errors.js';
import { blobTypeName, publicKeyFromBlob, sshPublicBlob } from './public-blob.js';
import type { PublicKeyInfo } from './types.js';

export const MIN_IMPORT_RSA_BITS = 1024;
export const MAX_IMPORT_RSA_BITS = 16384;
/** Generous cap on material size: a 16384-bit key in RFC 4716 with headers is well under 8 KiB. */
const MAX_MATERIAL_BYTES = 64 * 1024;

const RFC4716_BEGIN = '---- BEGIN SSH2 PUBLIC KEY ----';
const RFC4716_END = '---- END SSH2 PUBLIC KEY ----';

function fail(message: string): never {
  throw new InvalidPublicKeyError(message);
}

/** Explain why a known-but-refused key type name is refused. */
function refusedTypeReason(name: string): string {
  if (name.endsWith('-cert-v01@openssh.com')) return `certificates are not accepted (${name})`;
  if (name.startsWith('sk-')) return `security-key (FIDO) keys are not accepted (${name})`;
  if (name === 'ssh-dss') return 'DSA keys are not accepted';
  if (name.startsWith('ecdsa-sha2-')) return `ECDSA keys are not accepted (${name})`;
  return `unsupported key type ${JSON.stringify(name)}`;
}

/** Apply the import policy (RSA 1024..16384 bits, ED25519) to a parsed key. */
function checkPolicy(info: PublicKeyInfo): PublicKeyInfo {
  if (info.type === 'rsa') {
    const bits = info.bits ?? 0;
    if (bits < MIN_IMPORT_RSA_BITS) fail(`RSA key of ${bits} bits is too small (minimum ${MIN_IMPORT_RSA_BITS})`);
    if (bits > MAX_IMPORT_RSA_BITS) fail(`RSA key of ${bits} bits is too large (maximum ${MAX_IMPORT_RSA_BITS})`);
  }
  return info;
}

function fromBlob(blob: Buffer, expectedName?: string): PublicKeyInfo {
  const name = blobTypeName(blob);
  if (name === undefined) fail('malformed SSH public key blob');
  if (name !== 'ssh-rsa' && name !== 'ssh-ed25519') fail(refusedTypeReason(name));
  if (expectedName !== undefined && name !== expectedName) fail(`key type ${expectedName} does not match the blob's type ${name}`);
  return publicKeyFromBlob(blob);
}

/**
 * DER SubjectPublicKeyInfo or PKCS#1 RSAPublicKey of an RSA key. The DER must re-encode to exactly
 * the input bytes: this refuses trailing junk, non-canonical encodings, and private keys (which
 * node:crypto would otherwise quietly turn into their public half).
 */
function fromDer(der: Buffer): PublicKeyInfo {
  let key: KeyObject | undefined;
  for (const type of ['spki', 'pkcs1'] as const) {
    let candidate: KeyObject;
    try {
      candidate = createPublicKey({ key: der, format: 'der', type });
    } catch {
      continue;
    }
    if (candidate.asymmetricKeyType !== 'rsa') {
      fail(`DER public keys are accepted for RSA only, not ${candidate.asymmetricKeyType ?? 'this type'}`);
    }
    const reencoded = type === 'spki' ? candidate.export({ format: 'der', type: 'spki' }) : candidate.export({ format: 'der', type: 'pkcs1' });
    if (reencoded.equals(der)) {
      key = candidate;
      break;
    }
  }
  if (key === undefined) fail('not a DER-encoded RSA public key (SubjectPublicKeyInfo or PKCS#1)');
  return publicKeyFromBlob(sshPublicBlob(key));
}

/** Split "Header-Tag: value" lines (with backslash continuations) from the base64 body of RFC 4716. */
function fromRfc4716(lines: string[]): PublicKeyInfo {
  // lines[0] is BEGIN; the last is END.
  if (lines[lines.length - 1] !== RFC4716_END) fail('RFC 4716 key without its END line');
  const inner = lines.slice(1, -1);
  let i = 0;
  let comment: string | undefined;
  while (i < inner.length && (inner[i]!.includes(':') || inner[i] === '')) {
    let header = inner[i++]!;
    while (header.endsWith('\\')) {
      if (i >= inner.length) fail('RFC 4716 header continuation runs past the body');
      header = header.slice(0, -1) + inner[i++]!;
    }
    if (header === '') continue;
    const colon = header.indexOf(':');
    const tag = header.slice(0, colon);
    if (!/^[\x21-\x39\x3b-\x7e]{1,64}$/.test(tag)) fail('malformed RFC 4716 header line');
    let value = header.slice(colon + 1).replace(/^ /, '');
    if (tag.toLowerCase() === 'comment') {
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      comment = value;
    }
  }
  const body = inner.slice(i).join('').replace(/\s+/g, '');
  if (body === '') fail('RFC 4716 key without a body');
  const blob = strictBase64Decode(body);
  if (blob === undefined) fail('RFC 4716 body is not valid base64');
  const info = fromBlob(blob);
  return comment === undefined ? info : { ...info, comment };
}

/** "type base64 [comment]" — a single authorized_keys-style line without options. */
function fromOpensshLine(line: string): PublicKeyInfo {
  const m = /^(\S+)[ \t]+(\S+)(?:[ \t]+(.*))?$/.exec(line);
  if (!m) fail('not an OpenSSH public key line');
  const [, name, b64, rest] = m as unknown as [string, string, string, string | undefined];
  if (name !== 'ssh-rsa' && name !== 'ssh-ed25519') {
    if (/^(ssh-|ecdsa-|sk-)/.test(name)) fail(refusedTypeReason(name));
    fail('not an OpenSSH public key line (options before the key type are not accepted)');
  }
  const blob = strictBase64Decode(b64);
  if (blob === undefined) fail('the key part of the line is not valid base64');
  const info = fromBlob(blob, name);
  const comment = rest?.trim();
  return comment ? { ...info, comment } : info;
}

/** Parse ImportKeyPair material. Throws InvalidPublicKeyError when AWS would refuse it. */
export function parseImportedPublicKey(material: Buffer): PublicKeyInfo {
  if (material.length === 0) fail('empty key material');
  if (material.length > MAX_MATERIAL_BYTES) fail('key material is too large');

  // Raw DER: an ASN.1 SEQUENCE. No accepted text form starts with '0' (0x30), so this is unambiguous.
  if (material[0] === 0x30) return checkPolicy(fromDer(material));

  let text = material.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(material)) fail('key material is neither text nor DER');
  if (text.startsWith('\ufeff')) text = text.slice(1);
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text)) fail('key material contains control characters');
  text = toLf(text).trim();
  if (text === '') fail('empty key material');

  // trailing blanks trimmed by a backward loop: /[ \t]+$/ is quadratic in V8 on a long inner run
  const lines = text.split('\n').map((l) => {
    let end = l.length;
    while (end > 0 && (l[end - 1] === ' ' || l[end - 1] === '\t')) end--;
    return l.slice(0, end);
  });
  const first = lines[0]!;

  if (first === RFC4716_BEGIN) return checkPolicy(fromRfc4716(lines));

  if (first.startsWith('-----BEGIN ')) {
    for (const label of ['PUBLIC KEY', 'RSA PUBLIC KEY']) {
      if (first === `-----BEGIN ${label}-----`) {
        const der = pemBody(text, label);
        if (der === undefined) fail(`malformed PEM ${label}`);
        return checkPolicy(fromDer(der));
      }
    }
    if (/PRIVATE KEY/.test(first)) fail('this is a private key; import the public key instead');
    fail(`unsupported PEM block ${JSON.stringify(first)}`);
  }

  // Base64 text of DER, possibly wrapped over several lines.
  if (/^[A-Za-z0-9+/=\s]+$/.test(text)) {
    const bytes = strictBase64Decode(text.replace(/\s+/g, ''));
    if (bytes === undefined) fail('not valid base64');
    if (bytes[0] !== 0x30) fail('base64 text that is not DER (was the material base64-encoded twice?)');
    return checkPolicy(fromDer(bytes));
  }

  if (lines.length > 1) fail('more than one line: expected a single OpenSSH public key');
  return checkPolicy(fromOpensshLine(first));
}
