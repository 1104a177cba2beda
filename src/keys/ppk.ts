// PuTTY private key files (PPK v2 and v3), after PuTTY's documentation, appendix C.
//
//   PuTTY-User-Key-File-<v>: <alg>
//   Encryption: none | aes256-cbc
//   Comment: <comment>
//   Public-Lines: <n>            then n lines of base64, 64 per line, of the SSH public blob
//   [v3 encrypted: Key-Derivation, Argon2-Memory, Argon2-Passes, Argon2-Parallelism, Argon2-Salt]
//   Private-Lines: <m>           then m lines of base64 of the private blob
//   Private-MAC: <hex>
//
// Private blob: RSA = mpint d ‖ mpint p ‖ mpint q ‖ mpint iqmp (q⁻¹ mod p);
// ED25519 = string(32-byte seed) (not an mpint: an mpint would gain a zero byte when the seed's top bit is set).
//
// MAC data = string(alg) ‖ string(encryption) ‖ string(comment) ‖ string(public) ‖ string(private).
// v2: HMAC-SHA1 keyed with SHA1("putty-private-key-file-mac-key" ‖ passphrase).
// v3 unencrypted: HMAC-SHA256 with an empty key. v3 encryption uses Argon2, absent from Node 20.

import { createDecipheriv, createHash, createHmac, createPublicKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { strictBase64Decode, toLf, wrapLines } from './encoding.js';
import { InvalidPrivateKeyError, PassphraseRequiredError, UnsupportedKeyError } from './errors.js';
import { ed25519PrivateKeyObject, ed25519PublicRaw, ed25519Seed, keyTypeOf, rsaPrivateComponents, rsaPrivateKeyObject } from './key-objects.js';
import { SSH_NAMES, sshPublicBlob } from './public-blob.js';
import { SshReader, SshWireError, sshMpint, sshString, sshUint32 } from './ssh-wire.js';
import type { KeyPairObjects, KeyType } from './types.js';

const PPK_WIDTH = 64;
const V2_MAC_KEY_PREFIX = 'putty-private-key-file-mac-key';

function macData(alg: string, encryption: string, comment: string, pub: Buffer, priv: Buffer): Buffer {
  return Buffer.concat([sshString(alg), sshString(encryption), sshString(comment), sshString(pub), sshString(priv)]);
}

function v2MacKey(passphrase: string): Buffer {
  return createHash('sha1').update(V2_MAC_KEY_PREFIX).update(passphrase, 'utf8').digest();
}

function privateBlob(privateKey: KeyObject): Buffer {
  if (keyTypeOf(privateKey) === 'rsa') {
    const c = rsaPrivateComponents(privateKey);
    return Buffer.concat([sshMpint(c.d), sshMpint(c.p), sshMpint(c.q), sshMpint(c.iqmp)]);
  }
  // ED25519: PuTTY writes its private integer little-endian as a *string* of exactly 32 bytes, which
  // is the RFC 8032 seed byte for byte (sshecc.c eddsa_private_blob). Not an mpint: no 0x00 is
  // prepended when the top bit is set and leading zero bytes are kept.
  return sshString(ed25519Seed(privateKey));
}

/** Unencrypted PPK v2 or v3, LF line endings, ending with "\n". The comment must be a single line. */
export function privateKeyToPpk(privateKey: KeyObject, comment: string, version: 2 | 3): string {
  if (privateKey.type !== 'private') throw new TypeError('expected a private key');
  if (version !== 2 && version !== 3) throw new RangeError('PPK version must be 2 or 3');
  if (/[\r\n]/.test(comment)) throw new TypeError('comment must not contain line breaks');
  const alg = SSH_NAMES[keyTypeOf(privateKey)];
  const pub = sshPublicBlob(privateKey);
  const priv = privateBlob(privateKey);
  const data = macData(alg, 'none', comment, pub, priv);
  const mac = version === 2 ? createHmac('sha1', v2MacKey('')).update(data).digest() : createHmac('sha256', Buffer.alloc(0)).update(data).digest();
  const pubLines = wrapLines(pub.toString('base64'), PPK_WIDTH);
  const privLines = wrapLines(priv.toString('base64'), PPK_WIDTH);
  return [
    `PuTTY-User-Key-File-${version}: ${alg}`,
    'Encryption: none',
    `Comment: ${comment}`,
    `Public-Lines: ${pubLines.length}`,
    ...pubLines,
    `Private-Lines: ${privLines.length}`,
    ...privLines,
    `Private-MAC: ${mac.toString('hex')}`,
    '',
  ].join('\n');
}

export interface ParsedPpk extends KeyPairObjects {
  type: KeyType;
  comment: string;
  version: 2 | 3;
}

interface PpkFields {
  version: number;
  alg: string;
  headers: Map<string, string>;
  pub: Buffer;
  priv: Buffer;
}

function parsePpkText(text: string): PpkFields {
  const lines = toLf(text).replace(/^\ufeff/, '').split('\n');
  let i = 0;
  const headers = new Map<string, string>();
  let version = 0;
  let alg = '';
  let pub: Buffer | undefined;
  let priv: Buffer | undefined;
  let first = true;
  const readBlock = (count: string, what: string): Buffer => {
    if (!/^\d{1,4}$/.test(count)) throw new InvalidPrivateKeyError(`bad ${what} line count`);
    const n = Number(count);
    if (i + n > lines.length) throw new InvalidPrivateKeyError(`${what} block is truncated`);
    const b64 = lines.slice(i, i + n).map((l) => l.trim()).join('');
    i += n;
    const bytes = strictBase64Decode(b64);
    if (bytes === undefined) throw new InvalidPrivateKeyError(`${what} block is not valid base64`);
    return bytes;
  };
  while (i < lines.length) {
    const line = lines[i++]!;
    if (line.trim() === '') continue;
    const m = /^([A-Za-z0-9-]+):(?: (.*))?$/.exec(line);
    if (!m) throw new InvalidPrivateKeyError(`malformed PPK line ${i}`);
    const key = m[1]!;
    const value = m[2] ?? '';
    if (first) {
      first = false;
      const vm = /^PuTTY-User-Key-File-(\d+)$/.exec(key);
      if (!vm) throw new InvalidPrivateKeyError('not a PuTTY key file');
      version = Number(vm[1]);
      alg = value;
      continue;
    }
    if (headers.has(key)) throw new InvalidPrivateKeyError(`duplicate PPK header ${key}`);
    if (key === 'Public-Lines') pub = readBlock(value, 'Public');
    else if (key === 'Private-Lines') priv = readBlock(value, 'Private');
    headers.set(key, value);
  }
  if (version === 0) throw new InvalidPrivateKeyError('not a PuTTY key file');
  if (version !== 2 && version !== 3) throw new UnsupportedKeyError(`PPK version ${version} is not supported (only versions 2 and 3)`);
  if (pub === undefined || priv === undefined || !headers.has('Private-MAC') || !headers.has('Encryption') || !headers.has('Comment')) {
    throw new InvalidPrivateKeyError('PPK file is missing required fields');
  }
  return { version, alg, headers, pub, priv };
}

/** Read a PPK v2/v3 file. Unencrypted files and aes256-cbc v2 files (with `passphrase`) are supported. */
export function readPpk(text: string, passphrase?: string): ParsedPpk {
  const f = parsePpkText(text);
  const encryption = f.headers.get('Encryption')!;
  const comment = f.headers.get('Comment')!;
  if (encryption !== 'none' && encryption !== 'aes256-cbc') throw new UnsupportedKeyError(`PPK encryption ${JSON.stringify(encryption)} is not supported`);
  const encrypted = encryption === 'aes256-cbc';
  if (f.alg !== 'ssh-rsa' && f.alg !== 'ssh-ed25519') {
    throw new UnsupportedKeyError(`unsupported key type ${JSON.stringify(f.alg)} (only RSA and ED25519 are supported)`);
  }
  if (encrypted && f.version === 3) {
    throw new UnsupportedKeyError(
      `encrypted PPK v3 files use ${f.headers.get('Key-Derivation') ?? 'Argon2'} key derivation, which Node 20's node:crypto does not provide; ` +
        're-save the key unencrypted or as PPK v2 (puttygen --ppk-param version=2)',
    );
  }
  if (encrypted && passphrase === undefined) throw new PassphraseRequiredError('this PuTTY key file is encrypted: a passphrase is required');
  const pass = encrypted ? passphrase! : '';

  let priv = f.priv;
  if (encrypted) {
    if (priv.length % 16 !== 0 || priv.length === 0) throw new InvalidPrivateKeyError('encrypted private blob is not a whole number of AES blocks');
    const sha = (n: number): Buffer => createHash('sha1').update(sshUint32(n)).update(pass, 'utf8').digest();
    const key = Buffer.concat([sha(0), sha(1)]).subarray(0, 32);
    const decipher = createDecipheriv('aes-256-cbc', key, Buffer.alloc(16));
    decipher.setAutoPadding(false);
    priv = Buffer.concat([decipher.update(priv), decipher.final()]);
  }

  const data = macData(f.alg, encryption, comment, f.pub, priv);
  const expected =
    f.version === 2 ? createHmac('sha1', v2MacKey(pass)).update(data).digest() : createHmac('sha256', Buffer.alloc(0)).update(data).digest();
  const given = Buffer.from(f.headers.get('Private-MAC')!, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new InvalidPrivateKeyError(encrypted ? 'PPK MAC check failed: wrong passphrase or corrupted file' : 'PPK MAC check failed: the file is corrupted');
  }

  try {
    const pubReader = new SshReader(f.pub);
    if (pubReader.text() !== f.alg) throw new InvalidPrivateKeyError('PPK public blob type does not match the header');
    const r = new SshReader(priv);
    let privateKey: KeyObject;
    let type: KeyType;
    if (f.alg === 'ssh-rsa') {
      type = 'rsa';
      const e = pubReader.mpint();
      const n = pubReader.mpint();
      pubReader.end();
      const d = r.mpint();
      const p = r.mpint();
      const q = r.mpint();
      const iqmp = r.mpint();
      privateKey = rsaPrivateKeyObject({ n, e, d, p, q, iqmp });
    } else {
      type = 'ed25519';
      const pk = pubReader.string();
      pubReader.end();
      const seed = r.string();
      if (seed.length !== 32) throw new InvalidPrivateKeyError('ED25519 private value is not 32 bytes');
      privateKey = ed25519PrivateKeyObject(seed);
      if (!ed25519PublicRaw(privateKey).equals(pk)) throw new InvalidPrivateKeyError('public key does not match the private key');
    }
    // Encrypted blobs are padded to the AES block size; unencrypted ones must be exact.
    if (encrypted ? r.remaining >= 16 : r.remaining !== 0) throw new InvalidPrivateKeyError('trailing bytes in the private blob');
    const publicKey = createPublicKey(privateKey);
    if (!sshPublicBlob(publicKey).equals(f.pub)) throw new InvalidPrivateKeyError('public key does not match the private key');
    return { type, privateKey, publicKey, comment, version: f.version as 2 | 3 };
  } catch (err) {
    if (err instanceof InvalidPrivateKeyError) throw err;
    if (err instanceof SshWireError || err instanceof RangeError) throw new InvalidPrivateKeyError(`malformed PPK key data: ${err.message}`);
    throw err;
  }
}
