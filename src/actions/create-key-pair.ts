// CreateKeyPair: generates an RSA-2048 or ED25519 key pair, stores only its public half and
// returns the private key once (PKCS#1 PEM, OpenSSH for ED25519 "pem", or PuTTY .ppk).
import {
  ed25519PrivateKeyToOpenSsh,
  fingerprintCreatedRsa,
  fingerprintEd25519,
  generateEd25519,
  privateKeyToPpk,
  rsaPrivateKeyToPkcs1Pem,
  sshPublicBlob,
} from '../keys/index.js';
import { storedPublicKey, validateKeyName } from '../domain/key-pair.js';
import { tagSet } from '../domain/tags.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { insertKeyPair } from './key-pair-insert.js';
import { tagsFor } from './tag-specifications.js';

export default defineAction(
  'CreateKeyPair',
  {
    keyName: fields.string('KeyName', { required: true }),
    keyType: fields.enum('KeyType', ['rsa', 'ed25519'] as const),
    keyFormat: fields.enum('KeyFormat', ['pem', 'ppk'] as const),
    tagSpecifications: fields.tagSpecifications(),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    validateKeyName(input.keyName);
    const tags = tagsFor(input.tagSpecifications, ['key-pair'], 'key-pair');
    checkDryRun(input.dryRun);

    const keyType = input.keyType ?? 'rsa';
    const { privateKey, publicKey } = keyType === 'rsa' ? await ctx.keys.rsaPool.take() : generateEd25519();
    const blob = sshPublicBlob(publicKey);
    const fingerprint = keyType === 'rsa' ? fingerprintCreatedRsa(privateKey) : fingerprintEd25519(blob);
    const record = await insertKeyPair(ctx, {
      keyName: input.keyName,
      keyType,
      fingerprint,
      publicKey: storedPublicKey(keyType === 'rsa' ? 'ssh-rsa' : 'ssh-ed25519', blob.toString('base64'), input.keyName),
      tags,
    });

    const keyMaterial =
      input.keyFormat === 'ppk'
        ? privateKeyToPpk(privateKey, input.keyName, ctx.keys.ppkVersion)
        : keyType === 'rsa'
          ? rsaPrivateKeyToPkcs1Pem(privateKey)
          : ed25519PrivateKeyToOpenSsh(privateKey);
    return {
      keyName: record.keyName,
      keyFingerprint: record.fingerprint,
      keyMaterial,
      keyPairId: record.keyPairId,
      tagSet: record.tags.length ? tagSet(record.tags) : undefined,
    };
  },
);
