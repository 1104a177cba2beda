// SQLite key pairs. The per-region limit is read from key_pair_counts (kept by triggers) inside
// the insert's write transaction, after the insert: a concurrent writer waits for the lock.
import type Database from 'better-sqlite3';
import type { Tag } from '../../domain/tags.js';
import { DuplicateKeyNameError, KeyPairLimitError, type KeyPairQuery, type KeyPairQueryField, type KeyPairRecord, type KeyPairRepository, type Scope } from '../port.js';
import { groupTagRows, type TagRow } from '../tag-rows.js';
import { isUniqueViolation, statement, upsertTagRows, write, type Db } from './db.js';

interface KeyPairRow {
  key_pair_id: string;
  key_name: string;
  key_type: 'rsa' | 'ed25519';
  fingerprint: string;
  public_key: string;
  create_time: number;
}

export class SqliteKeyPairs implements KeyPairRepository {
  private readonly insertRow;
  private readonly countInScope;
  private readonly selectAll;
  private readonly selectSome;
  private readonly selectAllWithoutKeys;
  private readonly selectPage;
  private readonly selectPageWithoutKeys;
  private readonly selectSomeWithoutKeys;
  private readonly selectTags;
  private readonly selectTagsOfSome;
  private readonly selectByName;
  private readonly selectById;
  private readonly deleteRow;
  private readonly deleteTagsOf;

  constructor(private readonly db: Db) {
    this.insertRow = db.prepare(
      `INSERT INTO key_pairs (account_id, region, key_pair_id, key_name, key_type, fingerprint, public_key, create_time)
       VALUES (@accountId, @region, @keyPairId, @keyName, @keyType, @fingerprint, @publicKey, @createTime)`,
    );
    this.countInScope = db.prepare('SELECT n FROM key_pair_counts WHERE account_id = ? AND region = ?').pluck();
    const all = (columns: string) => db.prepare(`SELECT ${columns} FROM key_pairs WHERE account_id = ? AND region = ? ORDER BY seq`);
    // Names and ids arrive as JSON arrays so one prepared statement serves any count.
    const some = (columns: string) =>
      db.prepare(
        `SELECT ${columns} FROM key_pairs WHERE account_id = ? AND region = ?
         AND (key_name IN (SELECT value FROM json_each(?)) OR key_pair_id IN (SELECT value FROM json_each(?))) ORDER BY seq`,
      );
    const withoutKey = "key_pair_id, key_name, key_type, fingerprint, '' AS public_key, create_time";
    this.selectAll = all('*');
    this.selectSome = some('*');
    this.selectAllWithoutKeys = all(withoutKey);
    // Keyset paging on seq (the rowid): key_pairs_by_scope holds it, so a page costs its rows only.
    const page = (columns: string) =>
      db.prepare(`SELECT seq, ${columns} FROM key_pairs WHERE account_id = ? AND region = ? AND seq > ? ORDER BY seq LIMIT ?`);
    this.selectPage = page('key_pair_id, key_name, key_type, fingerprint, public_key, create_time');
    this.selectPageWithoutKeys = page(withoutKey);
    this.selectSomeWithoutKeys = some(withoutKey);
    this.selectTagsOfSome = db.prepare(
      `SELECT resource_id, resource_type, key, value FROM tags
       WHERE account_id = ? AND region = ? AND resource_id IN (SELECT value FROM json_each(?)) ORDER BY seq`,
    );
    this.selectTags = db.prepare(
      `SELECT resource_id, resource_type, key, value FROM tags
       WHERE account_id = ? AND region = ? AND resource_type = 'key-pair' ORDER BY seq`,
    );
    this.selectByName = db.prepare('SELECT * FROM key_pairs WHERE account_id = ? AND region = ? AND key_name = ?');
    this.selectById = db.prepare('SELECT * FROM key_pairs WHERE account_id = ? AND region = ? AND key_pair_id = ?');
    this.deleteRow = db.prepare('DELETE FROM key_pairs WHERE account_id = ? AND region = ? AND key_pair_id = ?');
    this.deleteTagsOf = db.prepare('DELETE FROM tags WHERE account_id = ? AND region = ? AND resource_id = ?');
  }

  async insert(scope: Scope, r: KeyPairRecord, limit: number): Promise<void> {
    write(this.db, () => {
        try {
          this.insertRow.run({
            accountId: scope.accountId,
            region: scope.region,
            keyPairId: r.keyPairId,
            keyName: r.keyName,
            keyType: r.keyType,
            fingerprint: r.fingerprint,
            publicKey: r.publicKey,
            createTime: r.createTime.getTime(),
          });
        } catch (e) {
          if (isUniqueViolation(e)) throw new DuplicateKeyNameError(r.keyName);
          throw e;
        }
        // Counted after the insert, inside the same write transaction: a concurrent writer waits.
        if ((this.countInScope.get(scope.accountId, scope.region) as number) > limit) throw new KeyPairLimitError();
        upsertTagRows(this.db, scope, r.tags.map((t) => ({ resourceId: r.keyPairId, resourceType: 'key-pair', ...t })));
    });
  }

  async list(scope: Scope, select?: { names?: readonly string[]; ids?: readonly string[] }, opts?: { publicKey?: boolean }): Promise<KeyPairRecord[]> {
    const { accountId, region } = scope;
    const withKeys = opts?.publicKey !== false;
    const rows = (
      select
        ? (withKeys ? this.selectSome : this.selectSomeWithoutKeys).all(accountId, region, JSON.stringify(select.names ?? []), JSON.stringify(select.ids ?? []))
        : (withKeys ? this.selectAll : this.selectAllWithoutKeys).all(accountId, region)
    ) as KeyPairRow[];
    const tagRows = (
      select
        ? this.selectTagsOfSome.all(accountId, region, JSON.stringify(rows.map((r) => r.key_pair_id)))
        : this.selectTags.all(accountId, region)
    ) as TagRow[];
    const tagsById = groupTagRows(tagRows);
    return rows.map((row) => toRecord(row, tagsById.get(row.key_pair_id) ?? []));
  }

  async page(scope: Scope, opts: { after?: number; limit: number; publicKey: boolean; where?: KeyPairQuery }): Promise<{ records: KeyPairRecord[]; next?: number }> {
    const { accountId, region } = scope;
    const rows = (
      opts.where && hasConditions(opts.where)
        ? this.queryPage(scope, opts.where, opts.publicKey, opts.after ?? 0, opts.limit)
        : (opts.publicKey ? this.selectPage : this.selectPageWithoutKeys).all(accountId, region, opts.after ?? 0, opts.limit)
    ) as (KeyPairRow & { seq: number })[];
    const tagsById = rows.length
      ? groupTagRows(this.selectTagsOfSome.all(accountId, region, JSON.stringify(rows.map((r) => r.key_pair_id))) as TagRow[])
      : new Map<string, Tag[]>();
    const records = rows.map((row) => toRecord(row, tagsById.get(row.key_pair_id) ?? []));
    return rows.length === opts.limit ? { records, next: rows[rows.length - 1]!.seq } : { records };
  }

  /**
   * A page of the key pairs matching `where`; value lists travel as JSON arrays (one statement per
   * shape). The first selective condition (names, ids, fingerprints, a tag's values) drives the
   * query through its index (CROSS JOIN fixes that order: SQLite would otherwise walk the scope
   * in seq order for the ORDER BY); the others, and key-type and tag-key, are checked on its rows.
   */
  private queryPage(scope: Scope, where: KeyPairQuery, publicKey: boolean, after: number, limit: number): unknown[] {
    const { accountId, region } = scope;
    let from = 'key_pairs k';
    const fromParams: unknown[] = [];
    const clauses = ['k.account_id = ? AND k.region = ? AND k.seq > ?'];
    const params: unknown[] = [accountId, region, after];
    const tagged = (condition: string) => `k.key_pair_id IN (SELECT t.resource_id FROM tags t WHERE t.account_id = ? AND t.region = ? AND ${condition})`;
    for (const f of where.fields ?? []) {
      const column = KEY_PAIR_FIELD_COLUMN[f.field];
      if (fromParams.length === 0 && f.field !== 'key-type') {
        from = `(SELECT DISTINCT value AS v FROM json_each(?)) w CROSS JOIN key_pairs k ON k.account_id = ? AND k.region = ? AND k.${column} = w.v`;
        fromParams.push(JSON.stringify(f.values), accountId, region);
        continue;
      }
      clauses.push(`k.${column} IN (SELECT value FROM json_each(?))`);
      params.push(JSON.stringify(f.values));
    }
    for (const t of where.tags ?? []) {
      if (fromParams.length === 0) {
        from = `(SELECT DISTINCT t.resource_id AS v FROM tags t WHERE t.account_id = ? AND t.region = ? AND t.key = ? AND t.value IN (SELECT value FROM json_each(?))) w
                CROSS JOIN key_pairs k ON k.key_pair_id = w.v`;
        fromParams.push(accountId, region, t.key, JSON.stringify(t.values));
        continue;
      }
      clauses.push(tagged('t.key = ? AND t.value IN (SELECT value FROM json_each(?))'));
      params.push(accountId, region, t.key, JSON.stringify(t.values));
    }
    for (const keys of where.tagKeys ?? []) {
      clauses.push(tagged('t.key IN (SELECT value FROM json_each(?))'));
      params.push(accountId, region, JSON.stringify(keys));
    }
    const columns = `k.key_pair_id, k.key_name, k.key_type, k.fingerprint, ${publicKey ? 'k.public_key' : "'' AS public_key"}, k.create_time`;
    return statement(this.db, `SELECT k.seq, ${columns} FROM ${from} WHERE ${clauses.join(' AND ')} ORDER BY k.seq LIMIT ?`).all(...fromParams, ...params, limit);
  }

  private deleteWhere(scope: Scope, select: Database.Statement, key: string): KeyPairRecord | undefined {
    return write(this.db, () => {
        const row = select.get(scope.accountId, scope.region, key) as KeyPairRow | undefined;
        if (!row) return undefined;
        this.deleteRow.run(scope.accountId, scope.region, row.key_pair_id);
        this.deleteTagsOf.run(scope.accountId, scope.region, row.key_pair_id);
        return toRecord(row, []);
    });
  }

  async deleteByName(scope: Scope, keyName: string): Promise<KeyPairRecord | undefined> {
    return this.deleteWhere(scope, this.selectByName, keyName);
  }

  async deleteById(scope: Scope, keyPairId: string): Promise<KeyPairRecord | undefined> {
    return this.deleteWhere(scope, this.selectById, keyPairId);
  }

  async exists(scope: Scope, keyPairId: string): Promise<boolean> {
    return this.selectById.get(scope.accountId, scope.region, keyPairId) !== undefined;
  }
}

/** Key pair filter → column (indexed: the name's unique key, the id's, key_pairs_by_fingerprint). */
const KEY_PAIR_FIELD_COLUMN: Record<KeyPairQueryField, string> = {
  'key-pair-id': 'key_pair_id',
  'key-name': 'key_name',
  fingerprint: 'fingerprint',
  'key-type': 'key_type',
};

const hasConditions = (q: KeyPairQuery) => !!(q.fields?.length || q.tags?.length || q.tagKeys?.length);

function toRecord(row: KeyPairRow, tags: Tag[]): KeyPairRecord {
  return {
    keyPairId: row.key_pair_id,
    keyName: row.key_name,
    keyType: row.key_type,
    fingerprint: row.fingerprint,
    publicKey: row.public_key,
    createTime: new Date(row.create_time),
    tags,
  };
}
