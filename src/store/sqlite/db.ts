// What every SQLite repository shares: prepared statements cached per connection, write
// transactions (BEGIN IMMEDIATE, which serialises writers, also across processes sharing the
// file), the migration runner, and the tag upsert. The PostgreSQL counterpart is ../postgres/db.ts.
import type Database from 'better-sqlite3';
import type { Scope } from '../port.js';

export type Db = Database.Database;

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/** The prepared statement for `sql` on this connection, prepared once. */
export function statement(db: Db, sql: string): Database.Statement {
  let byText = statements.get(db);
  if (!byText) statements.set(db, (byText = new Map()));
  let s = byText.get(sql);
  if (!s) byText.set(sql, (s = db.prepare(sql)));
  return s;
}

type Runner = Database.Transaction<(fn: () => unknown) => unknown>;
const runners = new WeakMap<Db, Runner>();

/**
 * Runs `fn` in one write transaction (BEGIN IMMEDIATE … COMMIT; ROLLBACK when it throws; a
 * savepoint when nested). One better-sqlite3 transaction function per connection, given `fn` as its
 * argument: making one per call (`db.transaction(fn)`) cost more than many of the writes it wrapped.
 */
export function write<T>(db: Db, fn: () => T): T {
  let run = runners.get(db);
  if (!run) runners.set(db, (run = db.transaction((f: () => unknown) => f())));
  return run.immediate(fn) as T;
}

/** Applies the migrations not yet recorded, each in its own transaction. Gaps in the numbers are fine. */
export function migrate(db: Db, migrations: readonly { version: number; sql: string }[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    write(db, () => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(m.version, Date.now());
    });
  }
}

export const isUniqueViolation = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';

/** Inserts tag rows, overwriting the value of a (resource, key) already there; rows keep their order. Call inside write(). */
export function upsertTagRows(
  db: Db,
  scope: Scope,
  tags: readonly { resourceId: string; resourceType: string; key: string; value: string }[],
): void {
  const upsert = statement(
    db,
    `INSERT INTO tags (account_id, region, resource_id, resource_type, key, value) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (account_id, region, resource_id, key) DO UPDATE SET value = excluded.value`,
  );
  for (const t of tags) upsert.run(scope.accountId, scope.region, t.resourceId, t.resourceType, t.key, t.value);
}
