// DescribeKeyPairs: by names, ids and filters; every requested name or id must exist.
import { keyPairIdNotFound, keyPairNotFound } from '../domain/key-pair.js';
import { applyFilters, isLiteral, type Filter, type FilterSchema } from '../domain/filters.js';
import { tagSet } from '../domain/tags.js';
import { KEY_PAIR_QUERY_FIELDS, type KeyPairQuery, type KeyPairQueryField, type KeyPairRecord } from '../store/port.js';
import { checkDryRun, defineAction } from './action.js';
import { fields } from './input.js';
import type { ActionContext } from './context.js';
import { streamedList, type ActionOutput } from './output.js';
import { wholeSeconds } from '../domain/aws-time.js';

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
    const publicKey = input.includePublicKey === true;
    const view = (k: KeyPairRecord): ActionOutput => ({
      keyPairId: k.keyPairId,
      keyType: k.keyType,
      tagSet: tagSet(k.tags),
      publicKey: publicKey ? k.publicKey : undefined,
      keyName: k.keyName,
      keyFingerprint: k.fingerprint,
      createTime: k.createTime && wholeSeconds(k.createTime),
    });
    if (input.keyNames.length > 0 || input.keyPairIds.length > 0) {
      const pairs = await ctx.store.keyPairs.list(ctx.scope, { names: input.keyNames, ids: input.keyPairIds }, { publicKey });
      // Every requested name and id must exist; a present one does not mask a missing one.
      const names = new Set(pairs.map((k) => k.keyName));
      const missingName = input.keyNames.find((n) => !names.has(n));
      if (missingName !== undefined) throw keyPairNotFound(missingName);
      const ids = new Set(pairs.map((k) => k.keyPairId));
      const missingId = input.keyPairIds.find((id) => !ids.has(id));
      if (missingId !== undefined) throw keyPairIdNotFound(missingId);
      return { keySet: applyFilters(pairs, input.filters, filterSchema).map(view) };
    }
    // The whole scope (up to 5,000 keys): read in pages while the answer is written. The first page
    // is read and filtered now, so a failing store or a bad filter gets an EC2 error, not a cut-off answer.
    applyFilters([], input.filters, filterSchema); // unknown filter names are refused first
    // Exact values go to the store (index lookups); wildcards and tag-value match here, linearly.
    const { where, rest } = splitFilters(input.filters);
    const first = await ctx.store.keyPairs.page(ctx.scope, { limit: PAGE_SIZE, publicKey, where });
    const firstFiltered = applyFilters(first.records, rest, filterSchema);
    return { keySet: streamedList(pagesFrom(ctx, firstFiltered, first.next, publicKey, where, rest), view) };
  },
);

const QUERY_FIELDS = new Set<string>(KEY_PAIR_QUERY_FIELDS);

/** The filters the store answers (every value literal, a field it has or a tag) and the rest. */
function splitFilters(filters: readonly Filter[]): { where: KeyPairQuery; rest: Filter[] } {
  const fields: { field: KeyPairQueryField; values: string[] }[] = [];
  const tags: { key: string; values: string[] }[] = [];
  const tagKeys: string[][] = [];
  const rest: Filter[] = [];
  for (const f of filters) {
    if (!f.values.every(isLiteral)) rest.push(f);
    else if (QUERY_FIELDS.has(f.name)) fields.push({ field: f.name as KeyPairQueryField, values: f.values });
    else if (f.name.startsWith('tag:')) tags.push({ key: f.name.slice('tag:'.length), values: f.values });
    else if (f.name === 'tag-key') tagKeys.push(f.values);
    else rest.push(f);
  }
  return { where: { fields, tags, tagKeys }, rest };
}

/** Records per page of a whole-scope listing: ~0.5 MB with public keys. */
const PAGE_SIZE = 500;

async function* pagesFrom(
  ctx: ActionContext,
  first: KeyPairRecord[],
  after: number | undefined,
  publicKey: boolean,
  where: KeyPairQuery,
  filters: readonly Filter[],
): AsyncGenerator<KeyPairRecord[]> {
  yield first;
  while (after !== undefined) {
    const page = await ctx.store.keyPairs.page(ctx.scope, { after, limit: PAGE_SIZE, publicKey, where });
    yield applyFilters(page.records, filters, filterSchema);
    after = page.next;
  }
}
