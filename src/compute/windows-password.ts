// The Administrator password of a Windows instance, as EC2Launch makes it at first boot: random,
// then encrypted to the launch key pair's RSA public key (PKCS#1 v1.5) and kept only in that form.
// The plaintext lives in this function's frame only; nothing can decrypt it but the key's owner.
import { constants, publicEncrypt, randomInt } from 'node:crypto';
import { parseImportedPublicKey } from '../keys/index.js';

const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SYMBOLS = '!$%&()*+,-.;=?@^_{}';
const ALL = LOWER + UPPER + DIGITS + SYMBOLS;
const LENGTH = 32;

/** A 32-character password with each class (Windows' complexity rule), uniform over the alphabet. */
function generatePassword(): string {
  for (;;) {
    let p = '';
    for (let i = 0; i < LENGTH; i++) p += ALL[randomInt(ALL.length)];
    if ([LOWER, UPPER, DIGITS, SYMBOLS].every((set) => [...p].some((c) => set.includes(c)))) return p;
  }
}

/**
 * A new password encrypted to `publicKeyLine` (an OpenSSH `ssh-rsa …` line), base64 as
 * GetPasswordData returns it. Throws for a key that is not RSA (RunInstances refuses those first).
 */
export function newEncryptedPassword(publicKeyLine: string): string {
  const info = parseImportedPublicKey(Buffer.from(publicKeyLine, 'utf8'));
  if (info.type !== 'rsa') throw new Error('a Windows password needs an RSA key');
  return publicEncrypt({ key: info.keyObject, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(generatePassword(), 'utf8')).toString('base64');
}
