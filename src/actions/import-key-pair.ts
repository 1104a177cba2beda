// ImportKeyPair: accepts a third-party public key (OpenSSH, RFC 4716, DER, PEM; RSA or ED25519).
import { Ec2Error } from '../errors/ec2-error.js';
import {
  InvalidPublicKeyError,
  fingerprintEd25519,
  fingerprintImportedRsa,
  parseImportedPublicKey,
  type PublicKeyInfo,
} from '../keys/index.js';
import { storedPublicKey, validateKeyName } from '../domain/key-pair.js';
import { tagSet } from '../domain/tags.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { insertKeyPair } from './key-pair-insert.js';
import { tagsFor } from './tag-specifications.js';

function parse(material: Buffer): PublicKeyInfo {
  try {
    return parseImportedPublicKey(material);
  } catch (e) {
    if (e instanceof InvalidPublicKeyError) throw new Ec2Error('InvalidKey.Format');
    throw e;
  }
}

export default defineAction(
  'ImportKeyPair',
  {
    keyName: fields.string('KeyName', { required: true }),
    publicKeyMaterial: fields.blob('PublicKeyMaterial', { required: true }),
    tagSpecifications: fields.tagSpecifications(),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    validateKeyName(input.keyName);
    const tags = tagsFor(input.tagSpecifications, ['key-pair'], 'key-pair');
    const key = parse(input.publicKeyMaterial);
    checkDryRun(input.dryRun);

    const record = await insertKeyPair(ctx, {
      keyName: input.keyName,
      keyType: key.type,
      fingerprint: key.type === 'rsa' ? fingerprintImportedRsa(key.keyObject) : fingerprintEd25519(key.blob),
      publicKey: storedPublicKey(key.type === 'rsa' ? 'ssh-rsa' : 'ssh-ed25519', key.blob.toString('base64'), input.keyName),
      tags,
    });
    return {
      keyFingerprint: record.fingerprint,
      keyName: record.keyName,
      keyPairId: record.keyPairId,
      tagSet: record.tags.length ? tagSet(record.tags) : undefined,
    };
  },
);
