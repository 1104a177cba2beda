// RSAES-PKCS1-v1_5 decryption in the browser, for "Get Windows password": Web Crypto has RSA-OAEP
// only, so this reads the private key (PKCS#1 "RSA PRIVATE KEY", PKCS#8 "PRIVATE KEY", or an
// unencrypted OpenSSH key) and decrypts with BigInt arithmetic (CRT). The key stays in this tab.

interface RsaKey {
  n: bigint;
  d: bigint;
  p?: bigint;
  q?: bigint;
}

export class KeyReadError extends Error {}

const b64 = (text: string): Uint8Array => Uint8Array.from(atob(text.replace(/[^A-Za-z0-9+/=]/g, '')), (c) => c.charCodeAt(0));

const toBigInt = (bytes: Uint8Array): bigint => {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
};

/** A minimal DER reader: tag, length, contents. */
class Der {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}
  next(expectTag: number): Uint8Array {
    if (this.buf[this.pos] !== expectTag) throw new KeyReadError('not a DER structure this page knows');
    this.pos++;
    let len = this.buf[this.pos++]!;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n < 1 || n > 4) throw new KeyReadError('bad DER length');
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + this.buf[this.pos++]!;
    }
    const out = this.buf.subarray(this.pos, this.pos + len);
    if (out.length !== len) throw new KeyReadError('truncated key');
    this.pos += len;
    return out;
  }
  int(): bigint {
    return toBigInt(this.next(0x02));
  }
}

/** RSAPrivateKey ::= SEQUENCE { version, n, e, d, p, q, dp, dq, qinv } */
function fromPkcs1(der: Uint8Array): RsaKey {
  const seq = new Der(new Der(der).next(0x30));
  seq.int();
  const n = seq.int();
  seq.int();
  const d = seq.int();
  const p = seq.int();
  const q = seq.int();
  return { n, d, p, q };
}

/** PrivateKeyInfo ::= SEQUENCE { version, AlgorithmIdentifier, OCTET STRING (RSAPrivateKey) } */
function fromPkcs8(der: Uint8Array): RsaKey {
  const seq = new Der(new Der(der).next(0x30));
  seq.int();
  const alg = new Der(seq.next(0x30)).next(0x06);
  // 1.2.840.113549.1.1.1 rsaEncryption
  if (Array.from(alg).join(',') !== '42,134,72,134,247,13,1,1,1') throw new KeyReadError('this is not an RSA key');
  return fromPkcs1(seq.next(0x04));
}

/** openssh-key-v1, unencrypted, first key RSA: n, e, d, iqmp, p, q. */
function fromOpenSsh(blob: Uint8Array): RsaKey {
  const magic = 'openssh-key-v1\0';
  if (new TextDecoder().decode(blob.subarray(0, magic.length)) !== magic) throw new KeyReadError('not an OpenSSH key');
  let pos = magic.length;
  const u32 = () => {
    const v = ((blob[pos]! << 24) | (blob[pos + 1]! << 16) | (blob[pos + 2]! << 8) | blob[pos + 3]!) >>> 0;
    pos += 4;
    return v;
  };
  const bytes = () => {
    const len = u32();
    const out = blob.subarray(pos, pos + len);
    if (out.length !== len) throw new KeyReadError('truncated key');
    pos += len;
    return out;
  };
  const text = () => new TextDecoder().decode(bytes());
  if (text() !== 'none') throw new KeyReadError('the key is protected by a passphrase: remove it first (ssh-keygen -p)');
  text();
  bytes();
  if (u32() < 1) throw new KeyReadError('no key in the file');
  bytes();
  const priv = bytes();
  blob = priv;
  pos = 8; // two check integers
  if (text() !== 'ssh-rsa') throw new KeyReadError('this is not an RSA key (Windows passwords need the RSA key the instance was launched with)');
  const n = toBigInt(bytes());
  bytes();
  const d = toBigInt(bytes());
  bytes();
  const p = toBigInt(bytes());
  const q = toBigInt(bytes());
  return { n, d, p, q };
}

/** Reads a private key file's text. Throws KeyReadError with a reason a person can act on. */
export function readRsaPrivateKey(pem: string): RsaKey {
  const m = /-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/.exec(pem);
  if (!m) throw new KeyReadError('no PEM private key found: expected -----BEGIN RSA PRIVATE KEY-----');
  const body = m[2]!;
  if (/Proc-Type:\s*4,ENCRYPTED/.test(body)) throw new KeyReadError('the key is protected by a passphrase: remove it first');
  const der = b64(body.replace(/^[A-Za-z-]+:.*$/gm, ''));
  switch (m[1]) {
    case 'RSA PRIVATE KEY':
      return fromPkcs1(der);
    case 'PRIVATE KEY':
      return fromPkcs8(der);
    case 'OPENSSH PRIVATE KEY':
      return fromOpenSsh(der);
    case 'ENCRYPTED PRIVATE KEY':
      throw new KeyReadError('the key is protected by a passphrase: remove it first');
    default:
      throw new KeyReadError(`a ${m[1]!.toLowerCase()} cannot decrypt a Windows password`);
  }
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  base %= mod;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % mod;
    base = (base * base) % mod;
    exp >>= 1n;
  }
  return result;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [m, ((a % m) + m) % m, 0n, 1n];
  while (r1 !== 0n) {
    const qt = r0 / r1;
    [r0, r1] = [r1, r0 - qt * r1];
    [s0, s1] = [s1, s0 - qt * s1];
  }
  return ((s0 % m) + m) % m;
}

/** Decrypts base64 `data` (GetPasswordData's passwordData) with `key`; the UTF-8 plaintext. */
export function decryptPkcs1v15(key: RsaKey, data: string): string {
  const c = toBigInt(b64(data));
  if (c >= key.n) throw new KeyReadError('this key did not encrypt the password (wrong key pair?)');
  let m: bigint;
  if (key.p && key.q) {
    // CRT: two half-size exponentiations
    const mp = modPow(c, key.d % (key.p - 1n), key.p);
    const mq = modPow(c, key.d % (key.q - 1n), key.q);
    const h = (modInverse(key.q, key.p) * (((mp - mq) % key.p) + key.p)) % key.p;
    m = mq + h * key.q;
  } else {
    m = modPow(c, key.d, key.n);
  }
  const k = (key.n.toString(16).length + 1) >> 1;
  const hex = m.toString(16).padStart(k * 2, '0');
  const em = Uint8Array.from({ length: k }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
  // EM = 00 02 PS(>= 8 non-zero bytes) 00 M
  const sep = em.indexOf(0, 2);
  if (em[0] !== 0 || em[1] !== 2 || sep < 10) throw new KeyReadError('this key did not encrypt the password (wrong key pair?)');
  return new TextDecoder().decode(em.subarray(sep + 1));
}
