// SQLite tags: CreateTags/DeleteTags/DescribeTags storage. The per-resource limit is counted
// inside the same write transaction as the upsert.
import type { Tag } from '../../domain/tags.js';
import { TagLimitError, type Scope, type TagRecord, type TagRepository } from '../port.js';
import { statement, upsertTagRows, write, type Db } from './db.js';

interface TagRow {
  resource_id: string;
  resource_type: string;
  key: string;
  value: string;
}

export class SqliteTags implements TagRepository {
  constructor(private readonly db: Db) {}

  async put(scope: Scope, resources: readonly { id: string; type: string }[], tags: readonly Tag[], max: number): Promise<void> {
    const count = statement(this.db, 'SELECT count(*) FROM tags WHERE account_id = ? AND region = ? AND resource_id = ?').pluck();
    write(this.db, () => {
      for (const r of resources) {
        upsertTagRows(this.db, scope, tags.map((t) => ({ resourceId: r.id, resourceType: r.type, ...t })));
        // Counted after the upsert, inside the write transaction: the limit holds under concurrency.
        if ((count.get(scope.accountId, scope.region, r.id) as number) > max) throw new TagLimitError(r.id);
      }
    });
  }

  async remove(scope: Scope, resourceIds: readonly string[], tags: readonly { key: string; value?: string }[]): Promise<void> {
    const all = statement(this.db, 'DELETE FROM tags WHERE account_id = ? AND region = ? AND resource_id = ?');
    const byKey = statement(this.db, 'DELETE FROM tags WHERE account_id = ? AND region = ? AND resource_id = ? AND key = ?');
    const byKeyValue = statement(this.db, 'DELETE FROM tags WHERE account_id = ? AND region = ? AND resource_id = ? AND key = ? AND value = ?');
    write(this.db, () => {
      for (const id of resourceIds) {
        if (tags.length === 0) all.run(scope.accountId, scope.region, id);
        for (const t of tags) {
          if (t.value === undefined) byKey.run(scope.accountId, scope.region, id, t.key);
          else byKeyValue.run(scope.accountId, scope.region, id, t.key, t.value);
        }
      }
    });
  }

  async list(scope: Scope): Promise<TagRecord[]> {
    const rows = statement(this.db, 'SELECT resource_id, resource_type, key, value FROM tags WHERE account_id = ? AND region = ? ORDER BY resource_id, seq').all(
      scope.accountId,
      scope.region,
    ) as TagRow[];
    return rows.map((r) => ({ resourceId: r.resource_id, resourceType: r.resource_type, key: r.key, value: r.value }));
  }
}
