// PostgreSQL key pairs. Name uniqueness is the key_pairs_name_unique constraint (23505 →
// DuplicateKeyNameError); the per-region limit is the count kept in the scope's row of `scopes`,
// bumped in the same statement as the insert, so two nodes never both take the last place.
import type { Tag } from '../../domain/tags.js';
import { DuplicateKeyNameError, KeyPairLimitError, type KeyPairQuery, type KeyPairQueryField, type KeyPairRecord, type KeyPairRepository, type Scope } from '../port.js';
import { codeOf, rows, type Db } from './db.js';

interface KeyPairRow {
  key_pair_id: string;
  key_name: string;
  key_type: 'rsa' | 'ed25519';
  fingerprint: string;
  public_key: string;
  create_time: Date;
}

function toRecord(row: KeyPairRow, tags: Tag[]): KeyPairRecord {
  return {
    keyPairId: row.key_pair_id,
    keyName: row.key_name,
    keyType: row.key_type,
    fingerprint: row.fingerprint,
    publicKey: row.public_key,
    createTime: row.create_time,
    tags,
  };
}

/** Key pair filter → column. */
const KEY_PAIR_FIELD_COLUMN: Record<KeyPairQueryField, string> = {
  'key-pair-id': 'key_pair_id',
  'key-name': 'key_name',
  fingerprint: 'fingerprint',
  'key-type': 'key_type',
};

const KEY_PAIR_COLUMNS = 'key_pair_id, key_name, key_type, fingerprint, public_key, create_time';

export class PostgresKeyPairs implements KeyPairRepository {
  constructor(private readonly db: Db) {}

  insert(scope: Scope, r: KeyPairRecord, limit: number): Promise<void> {
    return this.db.write(async (c) => {
      // One statement holds the scope's row lock only until COMMIT: the upsert bumps the count
      // while it is under the limit (no row comes back otherwise), the key pair and its tags are
      // inserted only if it did, and a duplicate name aborts the whole statement.
      let inserted: number;
      try {
        const [row] = await rows<{ n: number }>(
          c,
          `WITH s AS (
             INSERT INTO scopes AS sc (account_id, region, key_pairs) VALUES ($1, $2, 1)
             ON CONFLICT (account_id, region) DO UPDATE SET key_pairs = sc.key_pairs + 1 WHERE sc.key_pairs < $9
             RETURNING 1
           ), k AS (
             INSERT INTO key_pairs (account_id, region, key_pair_id, key_name, key_type, fingerprint, public_key, create_time)
             SELECT $1, $2, $3, $4, $5, $6, $7, $8 FROM s
             RETURNING key_pair_id
           ), t AS (
             INSERT INTO tags (account_id, region, resource_id, resource_type, key, value)
             SELECT $1, $2, k.key_pair_id, 'key-pair', x.key, x.value
               FROM k, unnest($10::text[], $11::text[]) WITH ORDINALITY AS x(key, value, ord)
              ORDER BY x.ord
           )
           SELECT count(*)::int AS n FROM k`,
          [
            scope.accountId,
            scope.region,
            r.keyPairId,
            r.keyName,
            r.keyType,
            r.fingerprint,
            r.publicKey,
            r.createTime,
            limit,
            r.tags.map((t) => t.key),
            r.tags.map((t) => t.value),
          ],
        );
        inserted = row!.n;
      } catch (e) {
        if (codeOf(e) === '23505' && (e as { constraint?: string }).constraint === 'key_pairs_name_unique') {
          throw new DuplicateKeyNameError(r.keyName);
        }
        throw e;
      }
      if (inserted === 0 || limit < 1) {
        // At the limit nothing was inserted; a name already taken is still reported as a duplicate.
        const taken = await rows(c, 'SELECT 1 FROM key_pairs WHERE account_id = $1 AND region = $2 AND key_name = $3', [
          scope.accountId,
          scope.region,
          r.keyName,
        ]);
        if (taken.length) throw new DuplicateKeyNameError(r.keyName);
        throw new KeyPairLimitError();
      }
    });
  }

  list(scope: Scope, select?: { names?: readonly string[]; ids?: readonly string[] }, opts?: { publicKey?: boolean }): Promise<KeyPairRecord[]> {
    const publicKey = opts?.publicKey === false ? "'' AS public_key" : 'k.public_key';
    // One statement, so key pairs and their tags come from one snapshot.
    return this.db.read(async (c) => {
      const result = await rows<KeyPairRow & { tags: Tag[] }>(
        c,
        `SELECT k.key_pair_id, k.key_name, k.key_type, k.fingerprint, ${publicKey}, k.create_time,
                coalesce(json_agg(json_build_object('key', t.key, 'value', t.value) ORDER BY t.seq)
                         FILTER (WHERE t.seq IS NOT NULL), '[]'::json) AS tags
           FROM key_pairs k
           LEFT JOIN tags t ON t.account_id = k.account_id AND t.region = k.region AND t.resource_id = k.key_pair_id
          WHERE k.account_id = $1 AND k.region = $2
            AND ($3::boolean OR k.key_name = ANY($4::text[]) OR k.key_pair_id = ANY($5::text[]))
          GROUP BY k.seq
          ORDER BY k.seq`,
        [scope.accountId, scope.region, select === undefined, [...(select?.names ?? [])], [...(select?.ids ?? [])]],
      );
      return result.map((row) => toRecord(row, row.tags));
    });
  }

  page(scope: Scope, opts: { after?: number; limit: number; publicKey: boolean; where?: KeyPairQuery }): Promise<{ records: KeyPairRecord[]; next?: number }> {
    const publicKey = opts.publicKey ? 'k.public_key' : "'' AS public_key";
    const params: unknown[] = [scope.accountId, scope.region, opts.after ?? 0, opts.limit];
    const p = (value: unknown) => `$${params.push(value)}`;
    // Filters with exact values (DescribeKeyPairs): names and ids by their unique keys, fingerprints
    // by key_pairs_by_fingerprint, tags by tags_by_key_value (migration 15).
    const clauses = (opts.where?.fields ?? []).map((f) => `k.${KEY_PAIR_FIELD_COLUMN[f.field]} = ANY(${p([...f.values])}::text[])`);
    const tagged = (condition: string) => `k.key_pair_id IN (SELECT t.resource_id FROM tags t WHERE t.account_id = $1 AND t.region = $2 AND ${condition})`;
    for (const t of opts.where?.tags ?? []) clauses.push(tagged(`t.key = ${p(t.key)} AND t.value = ANY(${p([...t.values])}::text[])`));
    for (const keys of opts.where?.tagKeys ?? []) clauses.push(tagged(`t.key = ANY(${p([...keys])}::text[])`));
    const where = clauses.map((c) => ` AND ${c}`).join('');
    // Keyset paging on seq (key_pairs_by_scope); each page is one statement, so one snapshot.
    return this.db.read(async (c) => {
      const result = await rows<KeyPairRow & { seq: string; tags: Tag[] }>(
        c,
        `SELECT k.seq, k.key_pair_id, k.key_name, k.key_type, k.fingerprint, ${publicKey}, k.create_time,
                coalesce((SELECT json_agg(json_build_object('key', t.key, 'value', t.value) ORDER BY t.seq)
                            FROM tags t
                           WHERE t.account_id = k.account_id AND t.region = k.region AND t.resource_id = k.key_pair_id), '[]'::json) AS tags
           FROM key_pairs k
          WHERE k.account_id = $1 AND k.region = $2 AND k.seq > $3${where}
          ORDER BY k.seq
          LIMIT $4`,
        params,
      );
      const records = result.map((row) => toRecord(row, row.tags));
      return result.length === opts.limit ? { records, next: Number(result[result.length - 1]!.seq) } : { records };
    });
  }

  private deleteWhere(scope: Scope, column: 'key_name' | 'key_pair_id', value: string): Promise<KeyPairRecord | undefined> {
    return this.db.write(async (c) => {
      const [row] = await rows<KeyPairRow>(
        c,
        `WITH d AS (
           DELETE FROM key_pairs WHERE account_id = $1 AND region = $2 AND ${column} = $3 RETURNING ${KEY_PAIR_COLUMNS}
         ), n AS (
           UPDATE scopes SET key_pairs = key_pairs - (SELECT count(*) FROM d)
            WHERE account_id = $1 AND region = $2 AND EXISTS (SELECT 1 FROM d)
         ), t AS (
           DELETE FROM tags WHERE account_id = $1 AND region = $2 AND resource_id IN (SELECT key_pair_id FROM d)
         )
         SELECT * FROM d`,
        [scope.accountId, scope.region, value],
      );
      return row ? toRecord(row, []) : undefined;
    });
  }

  deleteByName(scope: Scope, keyName: string): Promise<KeyPairRecord | undefined> {
    return this.deleteWhere(scope, 'key_name', keyName);
  }

  deleteById(scope: Scope, keyPairId: string): Promise<KeyPairRecord | undefined> {
    return this.deleteWhere(scope, 'key_pair_id', keyPairId);
  }

  exists(scope: Scope, keyPairId: string): Promise<boolean> {
    return this.db.read(async (c) => {
      const r = await c.query('SELECT 1 FROM key_pairs WHERE account_id = $1 AND region = $2 AND key_pair_id = $3', [
        scope.accountId,
        scope.region,
        keyPairId,
      ]);
      return (r.rowCount ?? 0) > 0;
    });
  }
}
