// Errors thrown by src/keys. Callers map them to EC2 errors (InvalidKey.Format etc.) or CLI messages.

/** Public key material that ImportKeyPair must refuse (AWS answers InvalidKey.Format). */
export class InvalidPublicKeyError extends Error {
  override name = 'InvalidPublicKeyError';
}

/** A private key file in a format or with a feature this module does not handle. */
export class UnsupportedKeyError extends Error {
  override name = 'UnsupportedKeyError';
}

/** An encrypted private key file was given without a passphrase. */
export class PassphraseRequiredError extends Error {
  override name = 'PassphraseRequiredError';
}

/** A private key file that is corrupt, inconsistent, fails its MAC, or was decrypted with a wrong passphrase. */
export class InvalidPrivateKeyError extends Error {
  override name = 'InvalidPrivateKeyError';
}
