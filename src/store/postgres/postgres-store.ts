// PostgreSQL adapter of the store port on `pg` (node-postgres), for several ec2lite nodes sharing
// one database. `pg` is imported only when this adapter is opened, so SQLite users never load it.
//
// Rules that must hold across nodes live in the database:
// - name uniqueness: the key_pairs_name_unique constraint (23505 → DuplicateKeyNameError);
// - the per-(account, region) key pair limit and the per-resource tag limit: every write that can
//   grow a count first locks the scope's row in `scopes` (SELECT … FOR UPDATE), then writes, then
//   counts, all in one READ COMMITTED transaction. A second writer of the same scope, on any node,
//   waits for the lock and then counts the first one's committed rows.
// Every SQL dialect detail stays in this file and ./migrations.
import type { Pool, PoolClient, PoolConfig } from 'pg';
import type { Tag } from '../../domain/tags.js';
import {
  DuplicateKeyNameError,
  KeyPairLimitError,
  StoreUnavailableError,
  TagLimitError,
  type KeyPairRecord,
  type KeyPairRepository,
  type Scope,
  type Store,
  type TagRecord,
  type TagRepository,
} from '../port.js';
import { migrations } from './migrations/index.js';
import { PostgresInstances, PostgresVolumes, nextSequence } from './compute-repos.js';
import { PostgresDocuments, PostgresLeases } from './document-repos.js';
import { Db, codeOf, describe, isConnectionLoss, lockScope, rows, upsertTagRows } from './db.js';

export interface PostgresOptions {
  /** `postgres://user@host:port/db`; `?options=-c%20search_path%3Dname` selects a schema. */
  readonly url: string;
  /** Connections per node (default 10). */
  readonly poolSize?: number;
  /** Opening a connection, or waiting for a free one in the pool (default 5 s). */
  readonly connectionTimeoutMs?: number;
  /** Server-side limit on one statement, lock waits included (default 10 s). */
  readonly statementTimeoutMs?: number;
  /** Client-side limit on one query's answer, for a server that went silent (default statement + 5 s). */
  readonly queryTimeoutMs?: number;
}

/** Lock class for pg_advisory_xact_lock(class, hash of the schema) while migrating. */
const MIGRATION_LOCK = 0x6563326c; // 'ec2l'

async function migrate(pool: Pool): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    // Serialises nodes migrating the same schema at the same time; released at COMMIT/ROLLBACK.
    await c.query("SELECT pg_advisory_xact_lock($1, hashtext(coalesce(current_schema(), '')))", [MIGRATION_LOCK]);
    await c.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const applied = new Set((await rows<{ version: number }>(c, 'SELECT version FROM schema_migrations', [])).map((r) => r.version));
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await c.query(m.sql);
      await c.query('INSERT INTO schema_migrations (version) VALUES ($1)', [m.version]);
    }
    await c.query('COMMIT');
    c.release();
  } catch (e) {
    await c.query('ROLLBACK').catch(() => {});
    c.release(true);
    throw e;
  }
}

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

const KEY_PAIR_COLUMNS = 'key_pair_id, key_name, key_type, fingerprint, public_key, create_time';

/** Inserts (or overwrites) tags on resources, in order: resources, then tags. Last value of a repeated key wins. */
async function upsertTags(c: PoolClient, scope: Scope, resources: readonly { id: string; type: string }[], tags: readonly Tag[]): Promise<void> {
  const byId = new Map<string, string>();
  for (const r of resources) if (!byId.has(r.id)) byId.set(r.id, r.type);
  const byKey = new Map<string, string>();
  for (const t of tags) byKey.set(t.key, t.value);
  const rows = [...byId].flatMap(([resourceId, resourceType]) => [...byKey].map(([key, value]) => ({ resourceId, resourceType, key, value })));
  await upsertTagRows(c, scope, rows);
}

class PostgresKeyPairs implements KeyPairRepository {
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

  list(scope: Scope, select?: { names?: readonly string[]; ids?: readonly string[] }): Promise<KeyPairRecord[]> {
    // One statement, so key pairs and their tags come from one snapshot.
    return this.db.read(async (c) => {
      const result = await rows<KeyPairRow & { tags: Tag[] }>(
        c,
        `SELECT k.key_pair_id, k.key_name, k.key_type, k.fingerprint, k.public_key, k.create_time,
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

class PostgresTags implements TagRepository {
  constructor(private readonly db: Db) {}

  put(scope: Scope, resources: readonly { id: string; type: string }[], tags: readonly Tag[], max: number): Promise<void> {
    return this.db.write(async (c) => {
      await lockScope(c, scope);
      await upsertTags(c, scope, resources, tags);
      const counts = new Map(
        (
          await rows<{ resource_id: string; n: number }>(
            c,
            `SELECT resource_id, count(*)::int AS n FROM tags
              WHERE account_id = $1 AND region = $2 AND resource_id = ANY($3::text[]) GROUP BY resource_id`,
            [scope.accountId, scope.region, resources.map((r) => r.id)],
          )
        ).map((r) => [r.resource_id, r.n]),
      );
      for (const r of resources) if ((counts.get(r.id) ?? 0) > max) throw new TagLimitError(r.id);
    });
  }

  remove(scope: Scope, resourceIds: readonly string[], tags: readonly { key: string; value?: string }[]): Promise<void> {
    return this.db.write(async (c) => {
      if (tags.length === 0) {
        await c.query('DELETE FROM tags WHERE account_id = $1 AND region = $2 AND resource_id = ANY($3::text[])', [
          scope.accountId,
          scope.region,
          [...resourceIds],
        ]);
        return;
      }
      await c.query(
        `DELETE FROM tags t USING unnest($4::text[], $5::text[]) AS d(key, value)
          WHERE t.account_id = $1 AND t.region = $2 AND t.resource_id = ANY($3::text[])
            AND t.key = d.key AND (d.value IS NULL OR t.value = d.value)`,
        [scope.accountId, scope.region, [...resourceIds], tags.map((t) => t.key), tags.map((t) => t.value ?? null)],
      );
    });
  }

  list(scope: Scope): Promise<TagRecord[]> {
    return this.db.read(async (c) => {
      const result = await rows<{ resource_id: string; resource_type: string; key: string; value: string }>(
        c,
        `SELECT resource_id, resource_type, key, value FROM tags
          WHERE account_id = $1 AND region = $2 ORDER BY resource_id, seq`,
        [scope.accountId, scope.region],
      );
      return result.map((r) => ({ resourceId: r.resource_id, resourceType: r.resource_type, key: r.key, value: r.value }));
    });
  }
}

export async function openPostgresStore(options: PostgresOptions): Promise<Store> {
  const { default: pg } = await import('pg');
  const statementTimeout = options.statementTimeoutMs ?? 10_000;
  const config: PoolConfig = {
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: statementTimeout,
    query_timeout: options.queryTimeoutMs ?? statementTimeout + 5_000,
    // A node that dies mid-transaction must not hold a scope lock for long.
    idle_in_transaction_session_timeout: 30_000,
    keepAlive: true,
    application_name: 'ec2lite',
  };
  const pool = new pg.Pool(config);
  // An idle connection that dies (server restart, network) is dropped by the pool; the next
  // checkout opens a fresh one. Without a listener the 'error' event would crash the process.
  pool.on('error', () => {});
  // A connection lost while checked out also emits 'error' on its client; the failing query
  // rejects as well, and that rejection is what Db handles.
  pool.on('connect', (client) => client.on('error', () => {}));
  try {
    await migrate(pool);
  } catch (e) {
    await pool.end().catch(() => {});
    if (isConnectionLoss(e)) throw new StoreUnavailableError(`database unreachable: ${describe(e)}`, 'no', { cause: e });
    throw e;
  }
  const db = new Db(pool);
  let closed: Promise<void> | undefined;
  return {
    engine: 'postgres',
    keyPairs: new PostgresKeyPairs(db),
    tags: new PostgresTags(db),
    instances: new PostgresInstances(db),
    volumes: new PostgresVolumes(db),
    documents: new PostgresDocuments(db),
    leases: new PostgresLeases(db),
    nextSequence: (name) => nextSequence(db, name),
    close: () => (closed ??= pool.end()),
  };
}
