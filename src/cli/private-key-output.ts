// Encoding a private key for a file, shared by `key convert` and `key generate`.

import type { KeyObject } from 'node:crypto';
import { privateKeyToOpenSsh, privateKeyToPpk, rsaPrivateKeyToPkcs1Pem } from '../keys/index.js';

export type PrivateKeyFormatName = 'pem' | 'openssh' | 'ppk';
export const PRIVATE_KEY_FORMATS = ['pem', 'openssh', 'ppk'] as const;

/** The comment PuTTYgen gives a key loaded from a file without one (PEM). */
export const PUTTYGEN_DEFAULT_COMMENT = 'imported-openssh-key';

/**
 * pem: what EC2 returns for KeyFormat=pem and PuTTYgen's "Export OpenSSH key" writes: PKCS#1
 * PEM for RSA, the OpenSSH format for ED25519 (which has no traditional PEM form).
 * openssh: openssh-key-v1 for both. ppk: PuTTY v2 or v3, unencrypted.
 * Always ends with a newline.
 */
export function encodePrivateKey(key: KeyObject, format: PrivateKeyFormatName, comment: string, ppkVersion: 2 | 3 = 2): string {
  let text: string;
  if (format === 'ppk') text = privateKeyToPpk(key, comment, ppkVersion);
  else if (format === 'pem' && key.asymmetricKeyType === 'rsa') text = rsaPrivateKeyToPkcs1Pem(key);
  else text = privateKeyToOpenSsh(key, comment);
  return text.endsWith('\n') ? text : text + '\n';
}

export function describeFormat(key: KeyObject, format: PrivateKeyFormatName, ppkVersion: 2 | 3): string {
  if (format === 'ppk') return `PuTTY PPK v${ppkVersion}`;
  if (format === 'pem' && key.asymmetricKeyType === 'rsa') return 'PEM (PKCS#1)';
  return 'OpenSSH';
}
