// SQLite: EC2 Instance Connect's pushed keys. The per-instance cap is counted inside the write
// transaction that inserts, after expired keys are gone, so concurrent pushes cannot exceed it.
import type { PushedKeyRecord, PushedKeyRepository, Scope } from '../port.js';
import { statement, write, type Db } from './db.js';

interface Row {
  instance_id: string;
  os_user: string;
  public_key: string;
  request_id: string;
  pushed_at: number;
  expires_at: number;
}

const toRecord = (r: Row): PushedKeyRecord => ({
  instanceId: r.instance_id,
  osUser: r.os_user,
  publicKey: r.public_key,
  requestId: r.request_id,
  pushedAt: new Date(r.pushed_at),
  expiresAt: new Date(r.expires_at),
});

export class SqlitePushedKeys implements PushedKeyRepository {
  constructor(private readonly db: Db) {}

  async push(scope: Scope, key: PushedKeyRecord, now: Date, max: number): Promise<boolean> {
    const where = 'account_id = ? AND region = ? AND instance_id = ?';
    return write(this.db, () => {
      statement(this.db, `DELETE FROM pushed_keys WHERE ${where} AND expires_at <= ?`).run(scope.accountId, scope.region, key.instanceId, now.getTime());
      const held = statement(this.db, `SELECT count(*) FROM pushed_keys WHERE ${where}`).pluck().get(scope.accountId, scope.region, key.instanceId) as number;
      if (held >= max) return false;
      statement(
        this.db,
        'INSERT INTO pushed_keys (account_id, region, instance_id, os_user, public_key, request_id, pushed_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(scope.accountId, scope.region, key.instanceId, key.osUser, key.publicKey, key.requestId, key.pushedAt.getTime(), key.expiresAt.getTime());
      return true;
    });
  }

  async active(scope: Scope, instanceId: string, now: Date, osUser?: string): Promise<PushedKeyRecord[]> {
    const rows = statement(
      this.db,
      `SELECT instance_id, os_user, public_key, request_id, pushed_at, expires_at FROM pushed_keys
        WHERE account_id = ? AND region = ? AND instance_id = ? AND expires_at > ? AND (? IS NULL OR os_user = ?) ORDER BY seq`,
    ).all(scope.accountId, scope.region, instanceId, now.getTime(), osUser ?? null, osUser ?? null) as Row[];
    return rows.map(toRecord);
  }
}
