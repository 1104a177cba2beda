// SQLite repositories for snapshots, images and volume/snapshot contents (block data).
import type { Tag } from '../../domain/tags.js';
import { imageFromJson, imageToJson, snapshotFromJson, snapshotToJson } from '../json-records.js';
import {
  DuplicateImageNameError,
  type BlockDataRecord,
  type BlockDataRepository,
  type BlockRow,
  type ImageRecord,
  type ImageRepository,
  type Scope,
  type SnapshotRecord,
  type SnapshotRepository,
} from '../port.js';
import { groupTagRows, type TagRow } from '../tag-rows.js';
import { removeDocument } from './compute-repos.js';
import { isUniqueViolation, statement, upsertTagRows, write, type Db } from './db.js';

function insertTags(db: Db, scope: Scope, id: string, type: string, tags: readonly Tag[]): void {
  upsertTagRows(db, scope, tags.map((t) => ({ resourceId: id, resourceType: type, ...t })));
}

/** Tags of the given resources, by resource id. */
function tagsByResource(db: Db, scope: Scope, ids: readonly string[]): Map<string, Tag[]> {
  const rows = statement(
    db,
    `SELECT resource_id, key, value FROM tags WHERE account_id = ? AND region = ?
     AND resource_id IN (SELECT value FROM json_each(?)) ORDER BY seq`,
  ).all(scope.accountId, scope.region, JSON.stringify(ids)) as TagRow[];
  return groupTagRows(rows);
}

export class SqliteBlockData implements BlockDataRepository {
  constructor(private readonly db: Db) {}

  async load(id: string): Promise<BlockDataRecord | undefined> {
    const row = statement(this.db, 'SELECT base, data, released FROM block_data WHERE id = ?').get(id) as
      | { base: string | null; data: string; released: number }
      | undefined;
    return row && { base: row.base ?? undefined, data: JSON.parse(row.data) as unknown, ...(row.released ? { released: true } : {}) };
  }

  async save(id: string, record: BlockDataRecord): Promise<void> {
    this.db
      .prepare('INSERT INTO block_data (id, base, data) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET base = excluded.base, data = excluded.data')
      .run(id, record.base ?? null, JSON.stringify(record.data));
  }

  async remove(id: string): Promise<void> {
    write(this.db, () => {
      statement(this.db, 'DELETE FROM block_data WHERE id = ?').run(id);
      statement(this.db, 'DELETE FROM block_inodes WHERE id = ?').run(id);
    });
  }

  async saveRows(id: string, record: BlockDataRecord, rows: readonly BlockRow[], deletes: readonly number[], replace: boolean): Promise<void> {
    const upsert = statement(this.db, 'INSERT INTO block_inodes (id, ino, doc) VALUES (?, ?, ?) ON CONFLICT (id, ino) DO UPDATE SET doc = excluded.doc');
    const del = statement(this.db, 'DELETE FROM block_inodes WHERE id = ? AND ino = ?');
    write(this.db, () => {
      statement(this.db, 'INSERT INTO block_data (id, base, data) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET base = excluded.base, data = excluded.data').run(
        id,
        record.base ?? null,
        JSON.stringify(record.data),
      );
      if (replace) statement(this.db, 'DELETE FROM block_inodes WHERE id = ?').run(id);
      for (const r of rows) upsert.run(id, r.ino, r.doc);
      for (const ino of deletes) del.run(id, ino);
    });
  }

  async loadRows(id: string): Promise<BlockRow[]> {
    return statement(this.db, 'SELECT ino, doc FROM block_inodes WHERE id = ? ORDER BY ino').all(id) as BlockRow[];
  }

  async copy(fromId: string, toId: string): Promise<void> {
    write(this.db, () => {
      statement(this.db, 'INSERT INTO block_data (id, base, data) SELECT ?, base, data FROM block_data WHERE id = ?').run(toId, fromId);
      statement(this.db, 'INSERT INTO block_inodes (id, ino, doc) SELECT ?, ino, doc FROM block_inodes WHERE id = ?').run(toId, fromId);
    });
  }

  async release(id: string): Promise<void> {
    statement(this.db, 'UPDATE block_data SET released = 1 WHERE id = ?').run(id);
  }

  async hasDependents(id: string): Promise<boolean> {
    return statement(this.db, 'SELECT 1 FROM block_data WHERE base = ? LIMIT 1').get(id) !== undefined;
  }

  async size(id: string): Promise<number> {
    const doc = (statement(this.db, 'SELECT length(CAST(data AS BLOB)) FROM block_data WHERE id = ?').pluck().get(id) as number | undefined) ?? 0;
    const rows = (statement(this.db, 'SELECT total(length(CAST(doc AS BLOB)) + 8) FROM block_inodes WHERE id = ?').pluck().get(id) as number | undefined) ?? 0;
    return doc + rows;
  }
}

export class SqliteSnapshots implements SnapshotRepository {
  constructor(private readonly db: Db) {}

  async insert(scope: Scope, snapshots: readonly SnapshotRecord[]): Promise<void> {
    const ins = statement(this.db, 'INSERT INTO snapshots (account_id, region, snapshot_id, data) VALUES (?, ?, ?, ?)');
    write(this.db, () => {
        for (const s of snapshots) {
          ins.run(scope.accountId, scope.region, s.snapshotId, snapshotToJson(s));
          insertTags(this.db, scope, s.snapshotId, 'snapshot', s.tags);
        }
      });
  }

  async list(scope: Scope, ids?: readonly string[]): Promise<SnapshotRecord[]> {
    const rows = (
      ids
        ? statement(this.db, 
              `SELECT snapshot_id AS id, data FROM snapshots WHERE account_id = ? AND region = ?
               AND snapshot_id IN (SELECT value FROM json_each(?)) ORDER BY seq`,
            )
            .all(scope.accountId, scope.region, JSON.stringify(ids))
        : statement(this.db, 'SELECT snapshot_id AS id, data FROM snapshots WHERE account_id = ? AND region = ? ORDER BY seq').all(scope.accountId, scope.region)
    ) as { id: string; data: string }[];
    const tags = tagsByResource(this.db, scope, rows.map((r) => r.id));
    return rows.map((r) => snapshotFromJson(r.data, tags.get(r.id) ?? []));
  }

  async update(scope: Scope, snapshotId: string, change: (r: SnapshotRecord) => SnapshotRecord): Promise<SnapshotRecord | undefined> {
    return write(this.db, () => {
        const row = this.db
          .prepare('SELECT data FROM snapshots WHERE account_id = ? AND region = ? AND snapshot_id = ?')
          .get(scope.accountId, scope.region, snapshotId) as { data: string } | undefined;
        if (!row) return undefined;
        const next = change(snapshotFromJson(row.data, tagsByResource(this.db, scope, [snapshotId]).get(snapshotId) ?? []));
        this.db
          .prepare('UPDATE snapshots SET data = ? WHERE account_id = ? AND region = ? AND snapshot_id = ?')
          .run(snapshotToJson(next), scope.accountId, scope.region, snapshotId);
        return next;
      });
  }

  async remove(scope: Scope, snapshotId: string): Promise<void> {
    removeDocument(this.db, 'snapshots', scope, snapshotId);
  }

  async find(region: string, snapshotId: string): Promise<SnapshotRecord | undefined> {
    const row = statement(this.db, 'SELECT data FROM snapshots WHERE region = ? AND snapshot_id = ?').get(region, snapshotId) as { data: string } | undefined;
    return row && snapshotFromJson(row.data, []);
  }

  async listShared(scope: Scope): Promise<SnapshotRecord[]> {
    const rows = statement(
      this.db,
      `SELECT s.data FROM snapshots s WHERE s.region = ? AND s.account_id <> ? AND EXISTS (
         SELECT 1 FROM json_each(s.data, '$.createVolumePermissions') p
          WHERE json_extract(p.value, '$.userId') = ? OR json_extract(p.value, '$.group') = 'all')
       ORDER BY s.seq`,
    ).all(scope.region, scope.accountId, scope.accountId) as { data: string }[];
    return rows.map((r) => snapshotFromJson(r.data, []));
  }
}

export class SqliteImages implements ImageRepository {
  constructor(private readonly db: Db) {}

  async insert(scope: Scope, image: ImageRecord): Promise<void> {
    try {
      write(this.db, () => {
          statement(this.db, 'INSERT INTO images (account_id, region, image_id, name, data) VALUES (?, ?, ?, ?, ?)')
            .run(scope.accountId, scope.region, image.imageId, image.name, imageToJson(image));
          insertTags(this.db, scope, image.imageId, 'image', image.tags);
        });
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateImageNameError(image.name);
      throw e;
    }
  }

  async listVisible(scope: Scope): Promise<ImageRecord[]> {
    // Own images, and others' whose launch permissions name this account or everyone.
    const rows = this.db
      .prepare(
        `SELECT i.account_id, i.image_id AS id, i.data FROM images i WHERE i.region = ? AND (i.account_id = ? OR EXISTS (
           SELECT 1 FROM json_each(i.data, '$.launchPermissions') p
            WHERE json_extract(p.value, '$.userId') = ? OR json_extract(p.value, '$.group') = 'all'))
         ORDER BY i.seq`,
      )
      .all(scope.region, scope.accountId, scope.accountId) as { account_id: string; id: string; data: string }[];
    const own = tagsByResource(this.db, scope, rows.filter((r) => r.account_id === scope.accountId).map((r) => r.id));
    // Tags are the owner's: another account sees a shared image without them, as on AWS.
    return rows.map((r) => imageFromJson(r.data, own.get(r.id) ?? []));
  }

  async find(region: string, imageId: string): Promise<ImageRecord | undefined> {
    const row = statement(this.db, 'SELECT data FROM images WHERE region = ? AND image_id = ?').get(region, imageId) as { data: string } | undefined;
    return row && imageFromJson(row.data, []);
  }

  async update(scope: Scope, imageId: string, change: (r: ImageRecord) => ImageRecord): Promise<ImageRecord | undefined> {
    return write(this.db, () => {
        const row = this.db
          .prepare('SELECT data FROM images WHERE account_id = ? AND region = ? AND image_id = ?')
          .get(scope.accountId, scope.region, imageId) as { data: string } | undefined;
        if (!row) return undefined;
        const next = change(imageFromJson(row.data, tagsByResource(this.db, scope, [imageId]).get(imageId) ?? []));
        this.db
          .prepare('UPDATE images SET data = ? WHERE account_id = ? AND region = ? AND image_id = ?')
          .run(imageToJson(next), scope.accountId, scope.region, imageId);
        return next;
      });
  }

  async remove(scope: Scope, imageId: string): Promise<void> {
    removeDocument(this.db, 'images', scope, imageId);
  }
}
