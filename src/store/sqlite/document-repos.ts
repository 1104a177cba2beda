// SQLite repositories for named JSON documents (launch templates, Auto Scaling state) and leases.
import type Database from 'better-sqlite3';
import {
  DuplicateDocumentError,
  type DocumentKind,
  type DocumentRepository,
  type LeaseRepository,
  type Scope,
  type StoredDocument,
} from '../port.js';

import { statement } from './db.js';

type Db = Database.Database;

const isUniqueViolation = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && /^SQLITE_CONSTRAINT/.test(String((e as { code?: string }).code));

export class SqliteDocuments implements DocumentRepository {
  constructor(private readonly db: Db) {}

  async insert<T>(scope: Scope, kind: DocumentKind, doc: StoredDocument<T>): Promise<void> {
    try {
      statement(this.db, 'INSERT INTO documents (account_id, region, kind, name, parent, data) VALUES (?, ?, ?, ?, ?, ?)')
        .run(scope.accountId, scope.region, kind, doc.name, doc.parent ?? null, JSON.stringify(doc.data));
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateDocumentError(doc.name);
      throw e;
    }
  }

  async get<T>(scope: Scope, kind: DocumentKind, name: string): Promise<T | undefined> {
    const row = statement(this.db, 'SELECT data FROM documents WHERE account_id = ? AND region = ? AND kind = ? AND name = ?')
      .get(scope.accountId, scope.region, kind, name) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as T) : undefined;
  }

  async list<T>(scope: Scope, kind: DocumentKind, select: { names?: readonly string[]; parent?: string } = {}): Promise<T[]> {
    let sql = 'SELECT data FROM documents WHERE account_id = ? AND region = ? AND kind = ?';
    const params: unknown[] = [scope.accountId, scope.region, kind];
    if (select.names) {
      sql += ' AND name IN (SELECT value FROM json_each(?))';
      params.push(JSON.stringify(select.names));
    }
    if (select.parent !== undefined) {
      sql += ' AND parent = ?';
      params.push(select.parent);
    }
    const rows = statement(this.db, `${sql} ORDER BY seq`).all(...params) as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as T);
  }

  async listAll<T>(kind: DocumentKind): Promise<{ scope: Scope; data: T }[]> {
    const rows = statement(this.db, 'SELECT account_id, region, data FROM documents WHERE kind = ? ORDER BY seq').all(kind) as {
      account_id: string;
      region: string;
      data: string;
    }[];
    return rows.map((r) => ({ scope: { accountId: r.account_id, region: r.region }, data: JSON.parse(r.data) as T }));
  }

  async update<T>(scope: Scope, kind: DocumentKind, name: string, change: (current: T) => T | null): Promise<T | null | undefined> {
    return this.db
      .transaction(() => {
        const key = [scope.accountId, scope.region, kind, name];
        const row = statement(this.db, 'SELECT data FROM documents WHERE account_id = ? AND region = ? AND kind = ? AND name = ?')
          .get(...key) as { data: string } | undefined;
        if (!row) return undefined;
        const next = change(JSON.parse(row.data) as T);
        if (next === null) {
          statement(this.db, 'DELETE FROM documents WHERE account_id = ? AND region = ? AND kind = ? AND name = ?').run(...key);
        } else {
          statement(this.db, 'UPDATE documents SET data = ? WHERE account_id = ? AND region = ? AND kind = ? AND name = ?')
            .run(JSON.stringify(next), ...key);
        }
        return next;
      })
      .immediate();
  }

  async delete(scope: Scope, kind: DocumentKind, name: string): Promise<boolean> {
    const r = statement(this.db, 'DELETE FROM documents WHERE account_id = ? AND region = ? AND kind = ? AND name = ?')
      .run(scope.accountId, scope.region, kind, name);
    return r.changes > 0;
  }
}

export class SqliteLeases implements LeaseRepository {
  constructor(private readonly db: Db) {}

  async acquire(name: string, owner: string, ttlMs: number, info?: string): Promise<boolean> {
    const now = Date.now();
    // One statement: a free, expired or own lease is (re)taken; someone else's live one is left alone.
    statement(this.db, 
        `INSERT INTO leases (name, owner, expires_at, info) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at,
           info = COALESCE(excluded.info, leases.info),
           wanted_by = CASE WHEN leases.owner = excluded.owner THEN leases.wanted_by END
         WHERE leases.owner = excluded.owner OR leases.expires_at < ?`,
      )
      .run(name, owner, now + ttlMs, info ?? null, now);
    const holder = (statement(this.db, 'SELECT owner FROM leases WHERE name = ?').get(name) as { owner: string } | undefined)?.owner;
    return holder === owner;
  }

  async release(name: string, owner: string): Promise<void> {
    statement(this.db, 'DELETE FROM leases WHERE name = ? AND owner = ?').run(name, owner);
  }

  async renewAll(owner: string, prefix: string, ttlMs: number): Promise<{ name: string; wantedBy?: string }[]> {
    const rows = statement(this.db, 'UPDATE leases SET expires_at = ? WHERE owner = ? AND substr(name, 1, ?) = ? RETURNING name, wanted_by')
      .all(Date.now() + ttlMs, owner, prefix.length, prefix) as { name: string; wanted_by: string | null }[];
    return rows.map((r) => ({ name: r.name, ...(r.wanted_by ? { wantedBy: r.wanted_by } : {}) }));
  }

  async holder(name: string): Promise<{ owner: string; info?: string } | undefined> {
    const row = statement(this.db, 'SELECT owner, info FROM leases WHERE name = ? AND expires_at >= ?').get(name, Date.now()) as
      | { owner: string; info: string | null }
      | undefined;
    return row && { owner: row.owner, ...(row.info === null ? {} : { info: row.info }) };
  }

  async expired(prefix: string): Promise<{ name: string; info?: string }[]> {
    const rows = statement(this.db, 'SELECT name, info FROM leases WHERE substr(name, 1, ?) = ? AND expires_at < ? ORDER BY expires_at')
      .all(prefix.length, prefix, Date.now()) as { name: string; info: string | null }[];
    return rows.map((r) => ({ name: r.name, ...(r.info === null ? {} : { info: r.info }) }));
  }

  async want(name: string, by: string): Promise<void> {
    statement(this.db, 'UPDATE leases SET wanted_by = ? WHERE name = ? AND owner <> ?').run(by, name, by);
  }

  async handOver(name: string, from: string, ttlMs: number): Promise<boolean> {
    const r = statement(this.db, 'UPDATE leases SET owner = wanted_by, wanted_by = NULL, expires_at = ? WHERE name = ? AND owner = ? AND wanted_by IS NOT NULL')
      .run(Date.now() + ttlMs, name, from);
    return r.changes === 1;
  }
}
