// Public API of src/keys: pure key work on node:crypto. Other layers import from here only.

export type { KeyType, PublicKeyInfo, KeyPairObjects } from './types.js';
export { InvalidPublicKeyError, UnsupportedKeyError, PassphraseRequiredError, InvalidPrivateKeyError } from './errors.js';

export { generateEd25519, generateRsa, generateRsaSync, DEFAULT_RSA_BITS } from './generate.js';
export { RsaKeyPool, type RsaKeyPoolOptions } from './rsa-pool.js';

export { rsaPrivateKeyToPkcs1Pem, ed25519PrivateKeyToOpenSsh, ed25519RawToOpenSsh, privateKeyToOpenSsh, privateKeyToPem } from './private-formats.js';
export { privateKeyToPpk } from './ppk.js';

export { sshPublicBlob, opensshPublicKeyLine, publicKeyFromBlob, publicKeyInfo } from './public-blob.js';
export { parseImportedPublicKey, MIN_IMPORT_RSA_BITS, MAX_IMPORT_RSA_BITS } from './public-key.js';

export { fingerprintCreatedRsa, fingerprintImportedRsa, fingerprintEd25519, fingerprintOpensshSha256 } from './fingerprint.js';

export { readPrivateKeyFile, type PrivateKeyFile, type PrivateKeyFormat } from './private-key-file.js';
