// SQLite adapter of the store port on better-sqlite3: WAL, synchronous=FULL so an acknowledged
// write survives a crash, and BEGIN IMMEDIATE transactions, which serialise writers (also across
// processes sharing the file) so a limit counted inside the transaction holds under concurrency.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Tag } from '../../domain/tags.js';
import {
  DuplicateKeyNameError,
  KeyPairLimitError,
  TagLimitError,
  type KeyPairRecord,
  type KeyPairRepository,
  type Scope,
  type Store,
  type TagRecord,
  type TagRepository,
} from '../port.js';
import { migrations } from './migrations/index.js';
import { SqliteInstances, SqliteVolumes, nextSequence } from './compute-repos.js';
import { SqliteDocuments, SqliteLeases } from './document-repos.js';

type Db = Database.Database;

interface KeyPairRow {
  key_pair_id: string;
  key_name: string;
  key_type: 'rsa' | 'ed25519';
  fingerprint: string;
  public_key: string;
  create_time: number;
}
interface TagRow { resource_id: string; resource_type: string; key: string; value: string }

function migrate(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
  );
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(m.version, Date.now());
    }).immediate();
  }
}

const isUniqueViolation = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';

class SqliteKeyPairs implements KeyPairRepository {
  private readonly insertRow;
  private readonly countInScope;
  private readonly insertTag;
  private readonly selectAll;
  private readonly selectSome;
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
    this.insertTag = db.prepare(
      `INSERT INTO tags (account_id, region, resource_id, resource_type, key, value) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (account_id, region, resource_id, key) DO UPDATE SET value = excluded.value`,
    );
    this.selectAll = db.prepare('SELECT * FROM key_pairs WHERE account_id = ? AND region = ? ORDER BY seq');
    // Names and ids arrive as JSON arrays so one prepared statement serves any count.
    this.selectSome = db.prepare(
      `SELECT * FROM key_pairs WHERE account_id = ? AND region = ?
       AND (key_name IN (SELECT value FROM json_each(?)) OR key_pair_id IN (SELECT value FROM json_each(?))) ORDER BY seq`,
    );
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
    this.db
      .transaction(() => {
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
        for (const t of r.tags) this.insertTag.run(scope.accountId, scope.region, r.keyPairId, 'key-pair', t.key, t.value);
      })
      .immediate();
  }

  async list(scope: Scope, select?: { names?: readonly string[]; ids?: readonly string[] }): Promise<KeyPairRecord[]> {
    const { accountId, region } = scope;
    const rows = (
      select
        ? this.selectSome.all(accountId, region, JSON.stringify(select.names ?? []), JSON.stringify(select.ids ?? []))
        : this.selectAll.all(accountId, region)
    ) as KeyPairRow[];
    const tagRows = (
      select
        ? this.selectTagsOfSome.all(accountId, region, JSON.stringify(rows.map((r) => r.key_pair_id)))
        : this.selectTags.all(accountId, region)
    ) as TagRow[];
    const tagsById = new Map<string, Tag[]>();
    for (const t of tagRows) {
      let list = tagsById.get(t.resource_id);
      if (!list) tagsById.set(t.resource_id, (list = []));
      list.push({ key: t.key, value: t.value });
    }
    return rows.map((row) => toRecord(row, tagsById.get(row.key_pair_id) ?? []));
  }

  private deleteWhere(scope: Scope, select: Database.Statement, key: string): KeyPairRecord | undefined {
    return this.db
      .transaction(() => {
        const row = select.get(scope.accountId, scope.region, key) as KeyPairRow | undefined;
        if (!row) return undefined;
        this.deleteRow.run(scope.accountId, scope.region, row.key_pair_id);
        this.deleteTagsOf.run(scope.accountId, scope.region, row.key_pair_id);
        return toRecord(row, []);
      })
      .immediate();
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

class SqliteTags implements TagRepository {
  constructor(private readonly db: Db) {}

  async put(scope: Scope, resources: readonly { id: string; type: string }[], tags: readonly Tag[], max: number): Promise<void> {
    const upsert = this.db.prepare(
      `INSERT INTO tags (account_id, region, resource_id, resource_type, key, value) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (account_id, region, resource_id, key) DO UPDATE SET value = excluded.value`,
    );
    const count = this.db
      .prepare('SELECT count(*) FROM tags WHERE account_id = ? AND region = ? AND resource_id = ?')
      .pluck();
    this.db
      .transaction(() => {
        for (const r of resources) {
          for (const t of tags) upsert.run(scope.accountId, scope.region, r.id, r.type, t.key, t.value);
          if ((count.get(scope.accountId, scope.region, r.id) as number) > max) throw new TagLimitError(r.id);
        }
      })
      .immediate();
  }

  async remove(scope: Scope, resourceIds: readonly string[], tags: readonly { key: string; value?: string }[]): Promise<void> {
    const all = this.db.prepare('DELETE FROM tags WHERE account_id = ? AND region = ? AND resource_id = ?');
    const byKey = this.db.prepare('DELETE FROM tags WHERE account_id = ? AND region = ? AND resource_id = ? AND key = ?');
    const byKeyValue = this.db.prepare(
      'DELETE FROM tags WHERE account_id = ? AND region = ? AND resource_id = ? AND key = ? AND value = ?',
    );
    this.db
      .transaction(() => {
        for (const id of resourceIds) {
          if (tags.length === 0) all.run(scope.accountId, scope.region, id);
          for (const t of tags) {
            if (t.value === undefined) byKey.run(scope.accountId, scope.region, id, t.key);
            else byKeyValue.run(scope.accountId, scope.region, id, t.key, t.value);
          }
        }
      })
      .immediate();
  }

  async list(scope: Scope): Promise<TagRecord[]> {
    const rows = this.db
      .prepare('SELECT resource_id, resource_type, key, value FROM tags WHERE account_id = ? AND region = ? ORDER BY resource_id, seq')
      .all(scope.accountId, scope.region) as TagRow[];
    return rows.map((r) => ({ resourceId: r.resource_id, resourceType: r.resource_type, key: r.key, value: r.value }));
  }
}

export interface SqliteOptions {
  /** A file path, or ':memory:' for an ephemeral store. */
  readonly path: string;
}

export function openSqliteStore({ path }: SqliteOptions): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return {
    engine: 'sqlite',
    keyPairs: new SqliteKeyPairs(db),
    tags: new SqliteTags(db),
    instances: new SqliteInstances(db),
    volumes: new SqliteVolumes(db),
    documents: new SqliteDocuments(db),
    leases: new SqliteLeases(db),
    nextSequence: async (name) => nextSequence(db, name),
    close: async () => {
      db.close();
    },
  };
}
