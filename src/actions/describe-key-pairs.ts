// DescribeKeyPairs: by names, ids and filters; every requested name or id must exist.
import { keyPairIdNotFound, keyPairNotFound } from '../domain/key-pair.js';
import { applyFilters, type FilterSchema } from '../domain/filters.js';
import { tagSet } from '../domain/tags.js';
import type { KeyPairRecord } from '../store/port.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import { largeListings } from './large-listings.js';
import { streamedList } from './output.js';

const filterSchema: FilterSchema<KeyPairRecord> = {
  fields: {
    'key-pair-id': (k) => [k.keyPairId],
    'key-name': (k) => [k.keyName],
    fingerprint: (k) => [k.fingerprint],
    'key-type': (k) => [k.keyType],
  },
  tags: (k) => k.tags,
};

export default defineAction(
  'DescribeKeyPairs',
  {
    keyNames: fields.list('KeyName'),
    keyPairIds: fields.list('KeyPairId'),
    filters: fields.filters(),
    includePublicKey: fields.boolean('IncludePublicKey'),
    dryRun: fields.boolean('DryRun'),
  },
  async (ctx, input) => {
    checkDryRun(input.dryRun);
    const selective = input.keyNames.length > 0 || input.keyPairIds.length > 0;
    // A whole-scope listing may be 5,000 keys: one at a time (large-listings.ts), until written.
    const release = selective ? () => {} : await largeListings.acquire();
    let handedOver = false;
    try {
      let pairs = await ctx.store.keyPairs.list(ctx.scope, selective ? { names: input.keyNames, ids: input.keyPairIds } : undefined, {
        publicKey: input.includePublicKey === true,
      });
      if (selective) {
        // Every requested name and id must exist; a present one does not mask a missing one.
        const names = new Set(pairs.map((k) => k.keyName));
        const missingName = input.keyNames.find((n) => !names.has(n));
        if (missingName !== undefined) throw keyPairNotFound(missingName);
        const ids = new Set(pairs.map((k) => k.keyPairId));
        const missingId = input.keyPairIds.find((id) => !ids.has(id));
        if (missingId !== undefined) throw keyPairIdNotFound(missingId);
      }
      pairs = applyFilters(pairs, input.filters, filterSchema);
      handedOver = true;
      return {
        // Views are made as the answer is written, each record released once written; the slot
        // goes when the last one is written (or the answer is abandoned).
        keySet: streamedList(
          pairs,
          (k) => ({
            keyPairId: k.keyPairId,
            keyType: k.keyType,
            tagSet: tagSet(k.tags),
            publicKey: input.includePublicKey ? k.publicKey : undefined,
            keyName: k.keyName,
            keyFingerprint: k.fingerprint,
            createTime: k.createTime,
          }),
          release,
        ),
      };
    } finally {
      if (!handedOver) release();
    }
  },
);
