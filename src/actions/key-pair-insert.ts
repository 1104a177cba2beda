// Shared by CreateKeyPair and ImportKeyPair: store a new key pair, mapping the store's
// constraint violations to AWS's errors.
import { Ec2Error } from '../errors/ec2-error.js';
import type { Tag } from '../domain/tags.js';
import { DuplicateKeyNameError, KeyPairLimitError, type KeyPairRecord, type KeyType } from '../store/port.js';
import type { ActionContext } from './context.js';

export async function insertKeyPair(
  ctx: ActionContext,
  pair: { keyName: string; keyType: KeyType; fingerprint: string; publicKey: string; tags: Tag[] },
): Promise<KeyPairRecord> {
  const record: KeyPairRecord = { ...pair, keyPairId: ctx.ids.next('key'), createTime: ctx.now() };
  try {
    await ctx.store.keyPairs.insert(ctx.scope, record, ctx.limits.keyPairsPerRegion);
  } catch (e) {
    if (e instanceof DuplicateKeyNameError) throw new Ec2Error('InvalidKeyPair.Duplicate', pair.keyName);
    if (e instanceof KeyPairLimitError) throw new Ec2Error('KeyPairLimitExceeded');
    throw e;
  }
  return record;
}
