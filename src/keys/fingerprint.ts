// Key fingerprints exactly as AWS computes them (the four algorithms of the EC2 User Guide's "Verify the fingerprint of your key pair").

import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { colonHex } from './encoding.js';

/** EC2-created RSA key: SHA-1 of the DER PKCS#8 PrivateKeyInfo, colon-hex (59 chars). */
export function fingerprintCreatedRsa(privateKey: KeyObject): string {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'rsa') throw new TypeError('expected an RSA private key');
  // Node re-encodes from the key itself (version 0, rsaEncryption + NULL, no attributes), whatever file it came from.
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  return colonHex(createHash('sha1').update(der).digest());
}

/** Imported RSA key: MD5 of the DER SubjectPublicKeyInfo, colon-hex (47 chars). */
export function fingerprintImportedRsa(publicKey: KeyObject): string {
  if (publicKey.asymmetricKeyType !== 'rsa') throw new TypeError('expected an RSA key');
  const pub = publicKey.type === 'private' ? createPublicKey(publicKey) : publicKey;
  const der = pub.export({ format: 'der', type: 'spki' });
  return colonHex(createHash('md5').update(der).digest());
}

/** ED25519 key (created or imported): base64 SHA-256 of the SSH wire blob, '=' padded, no prefix (44 chars). */
export function fingerprintEd25519(blob: Buffer): string {
  return createHash('sha256').update(blob).digest('base64');
}

/** OpenSSH's own "SHA256:…" form (unpadded), as ssh-keygen -l prints it. */
export function fingerprintOpensshSha256(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}
