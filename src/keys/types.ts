import type { KeyObject } from 'node:crypto';

export type KeyType = 'rsa' | 'ed25519';

/** A parsed public key: its SSH wire blob is the canonical form. */
export interface PublicKeyInfo {
  type: KeyType;
  /** SSH wire blob: string "ssh-rsa", mpint e, mpint n | string "ssh-ed25519", string pk32. */
  blob: Buffer;
  /** RSA modulus size in bits (absent for ED25519). */
  bits?: number;
  keyObject: KeyObject;
  /** The comment carried by the imported material (OpenSSH line or RFC 4716 Comment header), if any. */
  comment?: string;
}

export interface KeyPairObjects {
  privateKey: KeyObject;
  publicKey: KeyObject;
}
