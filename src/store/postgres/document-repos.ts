// PostgreSQL repositories for named JSON documents (launch templates, Auto Scaling state) and
// leases. update() reads the row FOR UPDATE, so nodes changing one document take turns; lease
// expiry uses the database's clock, so nodes' clocks need not agree.
import {
  DuplicateDocumentError,
  type DocumentKind,
  type DocumentRepository,
  type LeaseRepository,
  type Scope,
  type StoredDocument,
} from '../port.js';
import { codeOf, rows, type Db } from './db.js';

const UNIQUE_VIOLATION = '23505';

export class PostgresDocuments implements DocumentRepository {
  constructor(private readonly db: Db) {}

  async insert<T>(scope: Scope, kind: DocumentKind, doc: StoredDocument<T>): Promise<void> {
    try {
      await this.db.write((c) =>
        c.query('INSERT INTO documents (account_id, region, kind, name, parent, data) VALUES ($1, $2, $3, $4, $5, $6::jsonb)', [
          scope.accountId,
          scope.region,
          kind,
          doc.name,
          doc.parent ?? null,
          JSON.stringify(doc.data),
        ]),
      );
    } catch (e) {
      if (codeOf(e) === UNIQUE_VIOLATION) throw new DuplicateDocumentError(doc.name);
      throw e;
    }
  }

  get<T>(scope: Scope, kind: DocumentKind, name: string): Promise<T | undefined> {
    return this.db.read(async (c) => {
      const [row] = await rows<{ data: string }>(
        c,
        'SELECT data::text AS data FROM documents WHERE account_id = $1 AND region = $2 AND kind = $3 AND name = $4',
        [scope.accountId, scope.region, kind, name],
      );
      return row ? (JSON.parse(row.data) as T) : undefined;
    });
  }

  list<T>(scope: Scope, kind: DocumentKind, select: { names?: readonly string[]; parent?: string } = {}): Promise<T[]> {
    return this.db.read(async (c) => {
      let sql = 'SELECT data::text AS data FROM documents WHERE account_id = $1 AND region = $2 AND kind = $3';
      const params: unknown[] = [scope.accountId, scope.region, kind];
      if (select.names) {
        params.push([...select.names]);
        sql += ` AND name = ANY($${params.length}::text[])`;
      }
      if (select.parent !== undefined) {
        params.push(select.parent);
        sql += ` AND parent = $${params.length}`;
      }
      return (await rows<{ data: string }>(c, `${sql} ORDER BY seq`, params)).map((r) => JSON.parse(r.data) as T);
    });
  }

  listAll<T>(kind: DocumentKind): Promise<{ scope: Scope; data: T }[]> {
    return this.db.read(async (c) =>
      (
        await rows<{ account_id: string; region: string; data: string }>(
          c,
          'SELECT account_id, region, data::text AS data FROM documents WHERE kind = $1 ORDER BY seq',
          [kind],
        )
      ).map((r) => ({ scope: { accountId: r.account_id, region: r.region }, data: JSON.parse(r.data) as T })),
    );
  }

  update<T>(scope: Scope, kind: DocumentKind, name: string, change: (current: T) => T | null): Promise<T | null | undefined> {
    return this.db.write(async (c) => {
      const key = [scope.accountId, scope.region, kind, name];
      const where = 'account_id = $1 AND region = $2 AND kind = $3 AND name = $4';
      const [row] = await rows<{ data: string }>(c, `SELECT data::text AS data FROM documents WHERE ${where} FOR UPDATE`, key);
      if (!row) return undefined;
      const next = change(JSON.parse(row.data) as T);
      if (next === null) await c.query(`DELETE FROM documents WHERE ${where}`, key);
      else await c.query(`UPDATE documents SET data = $5::jsonb WHERE ${where}`, [...key, JSON.stringify(next)]);
      return next;
    });
  }

  delete(scope: Scope, kind: DocumentKind, name: string): Promise<boolean> {
    return this.db.write(async (c) => {
      const r = await c.query('DELETE FROM documents WHERE account_id = $1 AND region = $2 AND kind = $3 AND name = $4', [
        scope.accountId,
        scope.region,
        kind,
        name,
      ]);
      return (r.rowCount ?? 0) > 0;
    });
  }
}

export class PostgresLeases implements LeaseRepository {
  constructor(private readonly db: Db) {}

  acquire(name: string, owner: string, ttlMs: number, info?: string): Promise<boolean> {
    return this.db.write(async (c) => {
      // One statement: a free, expired or own lease is (re)taken; a live one of another node is left.
      const result = await rows<{ owner: string }>(
        c,
        `INSERT INTO leases (name, owner, expires_at, info) VALUES ($1, $2, clock_timestamp() + $3 * interval '1 millisecond', $4)
         ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at,
           info = COALESCE(excluded.info, leases.info),
           wanted_by = CASE WHEN leases.owner = excluded.owner THEN leases.wanted_by END
         WHERE leases.owner = excluded.owner OR leases.expires_at < clock_timestamp()
         RETURNING owner`,
        [name, owner, ttlMs, info ?? null],
      );
      return result.length === 1 && result[0]!.owner === owner;
    });
  }

  async release(name: string, owner: string): Promise<void> {
    await this.db.write((c) => c.query('DELETE FROM leases WHERE name = $1 AND owner = $2', [name, owner]));
  }

  renewAll(owner: string, prefix: string, ttlMs: number): Promise<{ name: string; wantedBy?: string }[]> {
    return this.db.write(async (c) =>
      (
        await rows<{ name: string; wanted_by: string | null }>(
          c,
          `UPDATE leases SET expires_at = clock_timestamp() + $3 * interval '1 millisecond'
           WHERE owner = $1 AND left(name, length($2)) = $2 RETURNING name, wanted_by`,
          [owner, prefix, ttlMs],
        )
      ).map((r) => ({ name: r.name, ...(r.wanted_by ? { wantedBy: r.wanted_by } : {}) })),
    );
  }

  holder(name: string): Promise<{ owner: string; info?: string } | undefined> {
    return this.db.read(async (c) => {
      const [row] = await rows<{ owner: string; info: string | null }>(
        c,
        'SELECT owner, info FROM leases WHERE name = $1 AND expires_at >= clock_timestamp()',
        [name],
      );
      return row && { owner: row.owner, ...(row.info === null ? {} : { info: row.info }) };
    });
  }

  expired(prefix: string): Promise<{ name: string; info?: string }[]> {
    return this.db.read(async (c) =>
      (
        await rows<{ name: string; info: string | null }>(
          c,
          'SELECT name, info FROM leases WHERE left(name, length($1)) = $1 AND expires_at < clock_timestamp() ORDER BY expires_at',
          [prefix],
        )
      ).map((r) => ({ name: r.name, ...(r.info === null ? {} : { info: r.info }) })),
    );
  }

  async want(name: string, by: string): Promise<void> {
    await this.db.write((c) => c.query('UPDATE leases SET wanted_by = $2 WHERE name = $1 AND owner <> $2', [name, by]));
  }

  handOver(name: string, from: string, ttlMs: number): Promise<boolean> {
    return this.db.write(async (c) => {
      const result = await c.query(
        `UPDATE leases SET owner = wanted_by, wanted_by = NULL, expires_at = clock_timestamp() + $3 * interval '1 millisecond'
         WHERE name = $1 AND owner = $2 AND wanted_by IS NOT NULL`,
        [name, from, ttlMs],
      );
      return (result.rowCount ?? 0) === 1;
    });
  }
}
