// Reading a private key file of any supported format (for the CLI's fingerprint/public/convert/verify).

import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { toLf } from './encoding.js';
import { InvalidPrivateKeyError, PassphraseRequiredError, UnsupportedKeyError } from './errors.js';
import { readOpenSshPrivateKey } from './private-formats.js';
import { readPpk } from './ppk.js';
import type { KeyType } from './types.js';

export type PrivateKeyFormat = 'pkcs1' | 'pkcs8' | 'openssh' | 'ppk2' | 'ppk3';

export interface PrivateKeyFile {
  type: KeyType;
  privateKey: KeyObject;
  publicKey: KeyObject;
  comment?: string;
  format: PrivateKeyFormat;
}

const PEM_FORMATS: Record<string, PrivateKeyFormat> = {
  'RSA PRIVATE KEY': 'pkcs1',
  'PRIVATE KEY': 'pkcs8',
  'ENCRYPTED PRIVATE KEY': 'pkcs8',
};

function supportedType(key: KeyObject): KeyType {
  const t = key.asymmetricKeyType;
  if (t === 'rsa' || t === 'ed25519') return t;
  throw new UnsupportedKeyError(`unsupported key type ${t ?? 'unknown'} (only RSA and ED25519 are supported)`);
}

function fromPem(block: string, format: PrivateKeyFormat, passphrase: string | undefined): PrivateKeyFile {
  const encrypted = /^Proc-Type: 4,ENCRYPTED$/m.test(block) || block.startsWith('-----BEGIN ENCRYPTED PRIVATE KEY-----');
  if (encrypted && passphrase === undefined) throw new PassphraseRequiredError('this private key file is encrypted: a passphrase is required');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: block, format: 'pem', ...(encrypted ? { passphrase: passphrase! } : {}) });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MISSING_PASSPHRASE') throw new PassphraseRequiredError('this private key file is encrypted: a passphrase is required');
    throw new InvalidPrivateKeyError(
      encrypted ? 'cannot decrypt the private key: wrong passphrase or corrupted file' : `cannot parse the ${format.toUpperCase()} private key: ${(err as Error).message}`,
    );
  }
  if (format === 'pkcs1' && privateKey.asymmetricKeyType !== 'rsa') throw new InvalidPrivateKeyError('RSA PRIVATE KEY block holds a non-RSA key');
  return { type: supportedType(privateKey), privateKey, publicKey: createPublicKey(privateKey), format };
}

function fromDer(der: Buffer): PrivateKeyFile {
  for (const type of ['pkcs8', 'pkcs1'] as const) {
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey({ key: der, format: 'der', type });
    } catch {
      continue;
    }
    return { type: supportedType(privateKey), privateKey, publicKey: createPublicKey(privateKey), format: type };
  }
  throw new InvalidPrivateKeyError('binary data that is not a DER PKCS#8 or PKCS#1 private key');
}

/**
 * Read a private key file: PEM PKCS#1 / PKCS#8 (passphrase-protected PEM too), DER PKCS#8 / PKCS#1,
 * OpenSSH (unencrypted), PPK v2 (unencrypted or aes256-cbc) and PPK v3 (unencrypted). CRLF or LF.
 */
export function readPrivateKeyFile(data: Buffer | string, passphrase?: string): PrivateKeyFile {
  if (typeof data !== 'string' && data[0] === 0x30) return fromDer(data);
  const text = toLf(typeof data === 'string' ? data : data.toString('utf8')).replace(/^\ufeff/, '');
  const trimmed = text.trim();
  if (trimmed === '') throw new InvalidPrivateKeyError('empty key file');

  if (trimmed.startsWith('PuTTY-User-Key-File-')) {
    const k = readPpk(trimmed, passphrase);
    return { type: k.type, privateKey: k.privateKey, publicKey: k.publicKey, comment: k.comment, format: k.version === 2 ? 'ppk2' : 'ppk3' };
  }

  // The first PEM-style block (text before it, e.g. openssl's "Bag Attributes", is ignored).
  const m = /^-----BEGIN ([A-Z0-9 ]+)-----$/m.exec(trimmed);
  if (!m) {
    if (/^(ssh-|ecdsa-|sk-)\S+ AAAA/.test(trimmed) || trimmed.startsWith('---- BEGIN SSH2 PUBLIC KEY ----')) {
      throw new UnsupportedKeyError('this is a public key, not a private key');
    }
    throw new UnsupportedKeyError('unrecognised key file format (expected PEM, OpenSSH or PuTTY private key)');
  }
  const label = m[1]!;
  const endLine = `-----END ${label}-----`;
  const end = trimmed.indexOf(endLine, m.index);
  if (end < 0) throw new InvalidPrivateKeyError(`no "${endLine}" line`);
  const block = trimmed.slice(m.index, end + endLine.length) + '\n';

  if (label === 'OPENSSH PRIVATE KEY') {
    const k = readOpenSshPrivateKey(block);
    return { type: k.type, privateKey: k.privateKey, publicKey: k.publicKey, comment: k.comment, format: 'openssh' };
  }
  const format = PEM_FORMATS[label];
  if (format !== undefined) return fromPem(block, format, passphrase);
  if (label === 'EC PRIVATE KEY' || label === 'DSA PRIVATE KEY') {
    throw new UnsupportedKeyError(`${label.split(' ')[0]} keys are not supported (only RSA and ED25519)`);
  }
  if (/PUBLIC KEY|CERTIFICATE/.test(label)) throw new UnsupportedKeyError(`this is a ${label.toLowerCase()}, not a private key`);
  throw new UnsupportedKeyError(`unsupported PEM block "${label}"`);
}
