// PostgreSQL tags: CreateTags/DeleteTags/DescribeTags storage. A write that can grow a resource's
// tag count first locks the scope's row (lockScope), so the count after the upsert holds across nodes.
import type { PoolClient } from 'pg';
import type { Tag } from '../../domain/tags.js';
import { TagLimitError, type Scope, type TagRecord, type TagRepository } from '../port.js';
import { lockScope, rows, upsertTagRows, type Db } from './db.js';

/** Inserts (or overwrites) tags on resources, in order: resources, then tags. Last value of a repeated key wins. */
async function upsertTags(c: PoolClient, scope: Scope, resources: readonly { id: string; type: string }[], tags: readonly Tag[]): Promise<void> {
  const byId = new Map<string, string>();
  for (const r of resources) if (!byId.has(r.id)) byId.set(r.id, r.type);
  const byKey = new Map<string, string>();
  for (const t of tags) byKey.set(t.key, t.value);
  const rows = [...byId].flatMap(([resourceId, resourceType]) => [...byKey].map(([key, value]) => ({ resourceId, resourceType, key, value })));
  await upsertTagRows(c, scope, rows);
}

export class PostgresTags implements TagRepository {
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
