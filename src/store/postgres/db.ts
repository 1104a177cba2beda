// What every PostgreSQL repository shares: the connection pool with one rule for failures (a lost
// connection becomes StoreUnavailableError, never a hang: connect, statement and query timeouts
// bound every wait; idempotent reads are retried once on a fresh connection, writes never), the
// migration runner, the scope lock and the tag upsert. The SQLite counterpart is ../sqlite/db.ts.
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { StoreUnavailableError, type Scope } from '../port.js';

// SQLSTATEs (and node-postgres messages) meaning the connection is gone: nothing more will be
// answered on it. Class 08 = connection exception; 57P01..03 = server shutting down / starting.
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
]);
const CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|not queryable|Client was closed|Connection closed/i;
// The database refused this attempt but is healthy and rolled it back: statement or lock timeout,
// deadlock, serialisation failure.
const BUSY_SQLSTATES = new Set(['57014', '55P03', '40P01', '40001']);

export function codeOf(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null ? (e as { code?: string }).code : undefined;
}

export function isConnectionLoss(e: unknown): boolean {
  const code = codeOf(e);
  if (code && (code.startsWith('08') || CONNECTION_SQLSTATES.has(code) || CONNECTION_ERRNOS.has(code))) return true;
  return e instanceof Error && CONNECTION_MESSAGES.test(e.message);
}

export function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

type Mode = 'read' | 'write';

/** The pool, with one rule for failures: connection losses become StoreUnavailableError, reads are retried once. */
export class Db {
  constructor(readonly pool: Pool) {}

  /** An idempotent read: on a lost connection it is tried once more on a fresh connection. */
  async read<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    try {
      return await this.attempt('read', fn);
    } catch (e) {
      if (!(e instanceof StoreUnavailableError) || !isConnectionLoss(e.cause)) throw e;
      return this.attempt('read', fn);
    }
  }

  /** A transaction (BEGIN … COMMIT), never retried: a lost connection surfaces to the caller. */
  write<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    return this.attempt('write', fn);
  }

  private async attempt<T>(mode: Mode, fn: (c: PoolClient) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw new StoreUnavailableError(`database unreachable: ${describe(e)}`, 'no', { cause: e });
    }
    let committing = false;
    try {
      if (mode === 'write') await client.query('BEGIN');
      const result = await fn(client);
      if (mode === 'write') {
        committing = true;
        await client.query('COMMIT');
      }
      client.release();
      return result;
    } catch (e) {
      if (isConnectionLoss(e)) {
        client.release(e instanceof Error ? e : new Error(String(e))); // destroys the connection
        // Before COMMIT was sent the server rolls the transaction back when the connection drops.
        throw new StoreUnavailableError(`database connection lost: ${describe(e)}`, committing ? 'unknown' : 'no', { cause: e });
      }
      if (mode === 'write' && !committing) {
        try {
          await client.query('ROLLBACK');
          client.release();
        } catch (rollbackError) {
          client.release(rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError)));
        }
      } else {
        client.release();
      }
      if (BUSY_SQLSTATES.has(codeOf(e) ?? '')) throw new StoreUnavailableError(`database busy: ${describe(e)}`, 'no', { cause: e });
      throw e;
    }
  }
}

export async function rows<R extends QueryResultRow>(c: PoolClient, sql: string, params: unknown[]): Promise<R[]> {
  return (await c.query<R>(sql, params)).rows;
}

/** Locks the scope's row until the end of the transaction, creating it on first use. */
export async function lockScope(c: PoolClient, scope: Scope): Promise<void> {
  const select = 'SELECT 1 FROM scopes WHERE account_id = $1 AND region = $2 FOR UPDATE';
  const params = [scope.accountId, scope.region];
  if ((await c.query(select, params)).rowCount) return;
  await c.query('INSERT INTO scopes (account_id, region) VALUES ($1, $2) ON CONFLICT DO NOTHING', params);
  await c.query(select, params);
}

/** Inserts tag rows, overwriting the value of a (resource, key) already there; rows keep their order. */
export async function upsertTagRows(
  c: PoolClient,
  scope: Scope,
  tags: readonly { resourceId: string; resourceType: string; key: string; value: string }[],
): Promise<void> {
  if (tags.length === 0) return;
  await c.query(
    `INSERT INTO tags (account_id, region, resource_id, resource_type, key, value)
     SELECT $1, $2, t.id, t.type, t.key, t.value
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS t(id, type, key, value, n)
      ORDER BY t.n
     ON CONFLICT (account_id, region, resource_id, key) DO UPDATE SET value = excluded.value`,
    [
      scope.accountId,
      scope.region,
      tags.map((t) => t.resourceId),
      tags.map((t) => t.resourceType),
      tags.map((t) => t.key),
      tags.map((t) => t.value),
    ],
  );
}

/** Lock class for pg_advisory_xact_lock(class, hash of the schema) while migrating. */
const MIGRATION_LOCK = 0x6563326c; // 'ec2l'

/** Applies the migrations not yet recorded, in one transaction under a lock, so nodes starting together migrate once. Gaps in the numbers are fine. */
export async function migrate(pool: Pool, migrations: readonly { version: number; sql: string }[]): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    // Serialises nodes migrating the same schema at the same time; released at COMMIT/ROLLBACK.
    await c.query("SELECT pg_advisory_xact_lock($1, hashtext(coalesce(current_schema(), '')))", [MIGRATION_LOCK]);
    await c.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const applied = new Set((await rows<{ version: number }>(c, 'SELECT version FROM schema_migrations', [])).map((r) => r.version));
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
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
