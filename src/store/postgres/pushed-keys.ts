// PostgreSQL: EC2 Instance Connect's pushed keys. A push locks the scope's row (lockScope) before
// it counts, so the per-instance cap holds across nodes.
import type { PushedKeyRecord, PushedKeyRepository, Scope } from '../port.js';
import { lockScope, rows, type Db } from './db.js';

interface Row {
  instance_id: string;
  os_user: string;
  public_key: string;
  request_id: string;
  pushed_at: Date;
  expires_at: Date;
}

export class PostgresPushedKeys implements PushedKeyRepository {
  constructor(private readonly db: Db) {}

  push(scope: Scope, key: PushedKeyRecord, now: Date, max: number): Promise<boolean> {
    return this.db.write(async (c) => {
      await lockScope(c, scope);
      const p = [scope.accountId, scope.region, key.instanceId];
      await c.query('DELETE FROM pushed_keys WHERE account_id = $1 AND region = $2 AND instance_id = $3 AND expires_at <= $4', [...p, now]);
      const [held] = await rows<{ n: number }>(c, 'SELECT count(*)::int AS n FROM pushed_keys WHERE account_id = $1 AND region = $2 AND instance_id = $3', p);
      if ((held?.n ?? 0) >= max) return false;
      await c.query(
        'INSERT INTO pushed_keys (account_id, region, instance_id, os_user, public_key, request_id, pushed_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [...p, key.osUser, key.publicKey, key.requestId, key.pushedAt, key.expiresAt],
      );
      return true;
    });
  }

  active(scope: Scope, instanceId: string, now: Date, osUser?: string): Promise<PushedKeyRecord[]> {
    return this.db.read(async (c) =>
      (
        await rows<Row>(
          c,
          `SELECT instance_id, os_user, public_key, request_id, pushed_at, expires_at FROM pushed_keys
            WHERE account_id = $1 AND region = $2 AND instance_id = $3 AND expires_at > $4 AND ($5::text IS NULL OR os_user = $5) ORDER BY seq`,
          [scope.accountId, scope.region, instanceId, now, osUser ?? null],
        )
      ).map((r) => ({
        instanceId: r.instance_id,
        osUser: r.os_user,
        publicKey: r.public_key,
        requestId: r.request_id,
        pushedAt: new Date(r.pushed_at),
        expiresAt: new Date(r.expires_at),
      })),
    );
  }
}
