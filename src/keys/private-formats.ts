// Private key files: PKCS#1 PEM (what CreateKeyPair returns for RSA) and OpenSSH's
// "openssh-key-v1" format (PROTOCOL.key in the OpenSSH sources), written and read here.

import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { pemArmor, strictBase64Decode, toLf } from './encoding.js';
import { InvalidPrivateKeyError, UnsupportedKeyError } from './errors.js';
import {
  ed25519PrivateKeyObject,
  ed25519PublicRaw,
  ed25519Seed,
  keyTypeOf,
  rsaPrivateComponents,
  rsaPrivateKeyObject,
} from './key-objects.js';
import { sshPublicBlob } from './public-blob.js';
import { SshReader, SshWireError, sshMpint, sshString, sshUint32 } from './ssh-wire.js';
import type { KeyPairObjects, KeyType } from './types.js';

const OPENSSH_MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');
const OPENSSH_LABEL = 'OPENSSH PRIVATE KEY';
/** ssh-keygen wraps the base64 of OpenSSH private keys at 70 columns. */
const OPENSSH_WIDTH = 70;
/** Cipher block size used for padding the private section when unencrypted. */
const OPENSSH_BLOCK = 8;

/** PKCS#1 PEM (label "RSA PRIVATE KEY"), 64-column base64, no trailing newline after the END line. */
export function rsaPrivateKeyToPkcs1Pem(privateKey: KeyObject): string {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'rsa') throw new TypeError('expected an RSA private key');
  return pemArmor('RSA PRIVATE KEY', privateKey.export({ format: 'der', type: 'pkcs1' }), 64);
}

/** RSA or ED25519 private key → unencrypted openssh-key-v1 file text, ending with "\n". */
export function privateKeyToOpenSsh(privateKey: KeyObject, comment = ''): string {
  if (privateKey.type !== 'private') throw new TypeError('expected a private key');
  const type = keyTypeOf(privateKey);
  const pubBlob = sshPublicBlob(privateKey);
  let keyFields: Buffer;
  if (type === 'rsa') {
    const c = rsaPrivateComponents(privateKey);
    keyFields = Buffer.concat([sshString('ssh-rsa'), sshMpint(c.n), sshMpint(c.e), sshMpint(c.d), sshMpint(c.iqmp), sshMpint(c.p), sshMpint(c.q)]);
  } else {
    const pk = ed25519PublicRaw(privateKey);
    keyFields = Buffer.concat([sshString('ssh-ed25519'), sshString(pk), sshString(Buffer.concat([ed25519Seed(privateKey), pk]))]);
  }
  return opensshFile(pubBlob, keyFields, comment);
}

/**
 * ED25519 seed and raw public key → unencrypted OpenSSH private key: the same text as
 * ed25519PrivateKeyToOpenSsh without exporting them again from a KeyObject (hosts derive one per boot).
 */
export function ed25519RawToOpenSsh(seed: Buffer, publicRaw: Buffer, comment = ''): string {
  if (seed.length !== 32 || publicRaw.length !== 32) throw new TypeError('expected a 32-byte ED25519 seed and public key');
  const pubBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(publicRaw)]);
  const keyFields = Buffer.concat([sshString('ssh-ed25519'), sshString(publicRaw), sshString(Buffer.concat([seed, publicRaw]))]);
  return opensshFile(pubBlob, keyFields, comment);
}

function opensshFile(pubBlob: Buffer, keyFields: Buffer, comment: string): string {
  const checkint = randomBytes(4);
  let priv = Buffer.concat([checkint, checkint, keyFields, sshString(comment)]);
  const padLen = (OPENSSH_BLOCK - (priv.length % OPENSSH_BLOCK)) % OPENSSH_BLOCK;
  priv = Buffer.concat([priv, Buffer.from(Array.from({ length: padLen }, (_, i) => i + 1))]);
  const body = Buffer.concat([
    OPENSSH_MAGIC,
    sshString('none'),
    sshString('none'),
    sshString(''),
    sshUint32(1),
    sshString(pubBlob),
    sshString(priv),
  ]);
  return `${pemArmor(OPENSSH_LABEL, body, OPENSSH_WIDTH)}\n`;
}

/** ED25519 private key → unencrypted OpenSSH private key (70-column base64, trailing "\n"). */
export function ed25519PrivateKeyToOpenSsh(privateKey: KeyObject, comment = ''): string {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new TypeError('expected an ED25519 private key');
  return privateKeyToOpenSsh(privateKey, comment);
}

/** AWS's "pem" KeyFormat: RSA → PKCS#1 PEM (no trailing newline); ED25519 → OpenSSH format. */
export function privateKeyToPem(privateKey: KeyObject): string {
  return keyTypeOf(privateKey) === 'rsa' ? rsaPrivateKeyToPkcs1Pem(privateKey) : ed25519PrivateKeyToOpenSsh(privateKey);
}

export interface ParsedOpenSshKey extends KeyPairObjects {
  type: KeyType;
  comment: string;
}

/** Read an openssh-key-v1 private key (text with the BEGIN/END armour). Unencrypted only. */
export function readOpenSshPrivateKey(text: string): ParsedOpenSshKey {
  const lines = toLf(text).trim().split('\n').map((l) => l.trim());
  if (lines[0] !== `-----BEGIN ${OPENSSH_LABEL}-----` || lines[lines.length - 1] !== `-----END ${OPENSSH_LABEL}-----`) {
    throw new InvalidPrivateKeyError('malformed OpenSSH private key armour');
  }
  const body = strictBase64Decode(lines.slice(1, -1).join(''));
  if (body === undefined) throw new InvalidPrivateKeyError('OpenSSH private key body is not valid base64');
  if (!body.subarray(0, OPENSSH_MAGIC.length).equals(OPENSSH_MAGIC)) throw new InvalidPrivateKeyError('not an openssh-key-v1 file');
  try {
    const r = new SshReader(body.subarray(OPENSSH_MAGIC.length));
    const cipher = r.text();
    const kdf = r.text();
    r.string(); // kdf options
    const nkeys = r.uint32();
    if (cipher !== 'none' || kdf !== 'none') {
      throw new UnsupportedKeyError(
        `encrypted OpenSSH private keys are not supported (cipher ${cipher}, kdf ${kdf}: bcrypt_pbkdf is not in node:crypto); ` +
          `remove the passphrase with "ssh-keygen -p -N '' -f FILE" or convert it to PKCS#8 PEM`,
      );
    }
    if (nkeys !== 1) throw new UnsupportedKeyError(`OpenSSH private key files holding ${nkeys} keys are not supported`);
    const pubBlob = r.string();
    const priv = new SshReader(r.string());
    r.end();
    if (priv.remaining % OPENSSH_BLOCK !== 0) throw new InvalidPrivateKeyError('private section is not padded to the block size');
    if (priv.uint32() !== priv.uint32()) throw new InvalidPrivateKeyError('check integers differ (corrupt file or wrong passphrase)');
    const keyName = priv.text();
    let privateKey: KeyObject;
    let type: KeyType;
    if (keyName === 'ssh-rsa') {
      type = 'rsa';
      const n = priv.mpint();
      const e = priv.mpint();
      const d = priv.mpint();
      const iqmp = priv.mpint();
      const p = priv.mpint();
      const q = priv.mpint();
      privateKey = rsaPrivateKeyObject({ n, e, d, p, q, iqmp });
    } else if (keyName === 'ssh-ed25519') {
      type = 'ed25519';
      const pk = priv.string();
      const sk = priv.string();
      if (pk.length !== 32 || sk.length !== 64 || !sk.subarray(32).equals(pk)) throw new InvalidPrivateKeyError('malformed ED25519 private key');
      privateKey = ed25519PrivateKeyObject(sk.subarray(0, 32));
      if (!ed25519PublicRaw(privateKey).equals(pk)) throw new InvalidPrivateKeyError('ED25519 public half does not match the seed');
    } else {
      throw new UnsupportedKeyError(`unsupported key type ${JSON.stringify(keyName)} (only RSA and ED25519 are supported)`);
    }
    const comment = priv.text();
    const padding = priv.rest();
    if (!padding.every((b, i) => b === i + 1)) throw new InvalidPrivateKeyError('bad padding in private section');
    const publicKey = createPublicKey(privateKey);
    if (!sshPublicBlob(publicKey).equals(pubBlob)) throw new InvalidPrivateKeyError('public key does not match the private key');
    return { type, privateKey, publicKey, comment };
  } catch (err) {
    if (err instanceof UnsupportedKeyError || err instanceof InvalidPrivateKeyError) throw err;
    if (err instanceof SshWireError || err instanceof RangeError) throw new InvalidPrivateKeyError(`malformed OpenSSH private key: ${err.message}`);
    throw err;
  }
}
