// PostgreSQL repositories for snapshots, images and volume/snapshot contents (block data).
import type { PoolClient } from 'pg';
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
import { codeOf, rows, upsertTagRows, type Db } from './db.js';

async function tagsOf(c: PoolClient, scope: Scope, ids: readonly string[]): Promise<Map<string, Tag[]>> {
  if (!ids.length) return new Map();
  const found = await rows<TagRow>(
    c,
    'SELECT resource_id, key, value FROM tags WHERE account_id = $1 AND region = $2 AND resource_id = ANY($3::text[]) ORDER BY seq',
    [scope.accountId, scope.region, [...ids]],
  );
  return groupTagRows(found);
}

export class PostgresBlockData implements BlockDataRepository {
  constructor(private readonly db: Db) {}

  load(id: string): Promise<BlockDataRecord | undefined> {
    return this.db.read(async (c) => {
      const [row] = await rows<{ base: string | null; data: string; released: boolean }>(c, 'SELECT base, data, released FROM block_data WHERE id = $1', [id]);
      return row && { base: row.base ?? undefined, data: JSON.parse(row.data) as unknown, ...(row.released ? { released: true } : {}) };
    });
  }

  save(id: string, record: BlockDataRecord): Promise<void> {
    return this.db.write(async (c) => {
      await c.query(
        'INSERT INTO block_data (id, base, data) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET base = excluded.base, data = excluded.data',
        [id, record.base ?? null, JSON.stringify(record.data)],
      );
    });
  }

  remove(id: string): Promise<void> {
    return this.db.write(async (c) => {
      await c.query('DELETE FROM block_data WHERE id = $1', [id]);
      await c.query('DELETE FROM block_inodes WHERE id = $1', [id]);
    });
  }

  saveRows(id: string, record: BlockDataRecord, upserts: readonly BlockRow[], deletes: readonly number[], replace: boolean): Promise<void> {
    return this.db.write(async (c) => {
      await c.query(
        'INSERT INTO block_data (id, base, data) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET base = excluded.base, data = excluded.data',
        [id, record.base ?? null, JSON.stringify(record.data)],
      );
      if (replace) await c.query('DELETE FROM block_inodes WHERE id = $1', [id]);
      // in batches: one statement per few hundred rows, not one per inode
      for (let i = 0; i < upserts.length; i += 500) {
        const batch = upserts.slice(i, i + 500);
        await c.query(
          `INSERT INTO block_inodes (id, ino, doc) SELECT $1, * FROM unnest($2::int[], $3::text[])
           ON CONFLICT (id, ino) DO UPDATE SET doc = excluded.doc`,
          [id, batch.map((r) => r.ino), batch.map((r) => r.doc)],
        );
      }
      if (deletes.length) await c.query('DELETE FROM block_inodes WHERE id = $1 AND ino = ANY($2::int[])', [id, [...deletes]]);
    });
  }

  loadRows(id: string): Promise<BlockRow[]> {
    return this.db.read((c) => rows<BlockRow>(c, 'SELECT ino, doc FROM block_inodes WHERE id = $1 ORDER BY ino', [id]));
  }

  copy(fromId: string, toId: string): Promise<void> {
    return this.db.write(async (c) => {
      await c.query('INSERT INTO block_data (id, base, data) SELECT $1, base, data FROM block_data WHERE id = $2', [toId, fromId]);
      await c.query('INSERT INTO block_inodes (id, ino, doc) SELECT $1, ino, doc FROM block_inodes WHERE id = $2', [toId, fromId]);
    });
  }

  release(id: string): Promise<void> {
    return this.db.write(async (c) => {
      await c.query('UPDATE block_data SET released = true WHERE id = $1', [id]);
    });
  }

  hasDependents(id: string): Promise<boolean> {
    return this.db.read(async (c) => ((await c.query('SELECT 1 FROM block_data WHERE base = $1 LIMIT 1', [id])).rowCount ?? 0) > 0);
  }

  size(id: string): Promise<number> {
    return this.db.read(async (c) => {
      const [row] = await rows<{ n: number }>(c, 'SELECT octet_length(data) AS n FROM block_data WHERE id = $1', [id]);
      const [inodes] = await rows<{ n: number | null }>(c, 'SELECT sum(coalesce(octet_length(doc), 0) + 8) AS n FROM block_inodes WHERE id = $1', [id]);
      return (row ? Number(row.n) : 0) + Number(inodes?.n ?? 0);
    });
  }
}

export class PostgresSnapshots implements SnapshotRepository {
  constructor(private readonly db: Db) {}

  insert(scope: Scope, snapshots: readonly SnapshotRecord[]): Promise<void> {
    return this.db.write(async (c) => {
      for (const s of snapshots) {
        await c.query('INSERT INTO snapshots (account_id, region, snapshot_id, data) VALUES ($1, $2, $3, $4::jsonb)', [
          scope.accountId,
          scope.region,
          s.snapshotId,
          snapshotToJson(s),
        ]);
      }
      await upsertTagRows(c, scope, snapshots.flatMap((s) => s.tags.map((t) => ({ resourceId: s.snapshotId, resourceType: 'snapshot', ...t }))));
    });
  }

  list(scope: Scope, ids?: readonly string[]): Promise<SnapshotRecord[]> {
    return this.db.read(async (c) => {
      const found = ids
        ? await rows<{ id: string; data: string }>(
            c,
            'SELECT snapshot_id AS id, data::text AS data FROM snapshots WHERE account_id = $1 AND region = $2 AND snapshot_id = ANY($3::text[]) ORDER BY seq',
            [scope.accountId, scope.region, [...ids]],
          )
        : await rows<{ id: string; data: string }>(
            c,
            'SELECT snapshot_id AS id, data::text AS data FROM snapshots WHERE account_id = $1 AND region = $2 ORDER BY seq',
            [scope.accountId, scope.region],
          );
      const tags = await tagsOf(c, scope, found.map((r) => r.id));
      return found.map((r) => snapshotFromJson(r.data, tags.get(r.id) ?? []));
    });
  }

  update(scope: Scope, snapshotId: string, change: (r: SnapshotRecord) => SnapshotRecord): Promise<SnapshotRecord | undefined> {
    return this.db.write(async (c) => {
      const [row] = await rows<{ data: string }>(
        c,
        'SELECT data::text AS data FROM snapshots WHERE account_id = $1 AND region = $2 AND snapshot_id = $3 FOR UPDATE',
        [scope.accountId, scope.region, snapshotId],
      );
      if (!row) return undefined;
      const next = change(snapshotFromJson(row.data, (await tagsOf(c, scope, [snapshotId])).get(snapshotId) ?? []));
      await c.query('UPDATE snapshots SET data = $4::jsonb WHERE account_id = $1 AND region = $2 AND snapshot_id = $3', [
        scope.accountId,
        scope.region,
        snapshotId,
        snapshotToJson(next),
      ]);
      return next;
    });
  }

  remove(scope: Scope, snapshotId: string): Promise<void> {
    return this.db.write(async (c) => {
      await c.query('DELETE FROM snapshots WHERE account_id = $1 AND region = $2 AND snapshot_id = $3', [scope.accountId, scope.region, snapshotId]);
      await c.query('DELETE FROM tags WHERE account_id = $1 AND region = $2 AND resource_id = $3', [scope.accountId, scope.region, snapshotId]);
    });
  }

  find(region: string, snapshotId: string): Promise<SnapshotRecord | undefined> {
    return this.db.read(async (c) => {
      const [row] = await rows<{ data: string }>(c, 'SELECT data::text AS data FROM snapshots WHERE region = $1 AND snapshot_id = $2', [region, snapshotId]);
      return row && snapshotFromJson(row.data, []);
    });
  }

  listShared(scope: Scope): Promise<SnapshotRecord[]> {
    return this.db.read(async (c) => {
      const found = await rows<{ data: string }>(
        c,
        `SELECT data::text AS data FROM snapshots
          WHERE region = $1 AND account_id <> $2 AND (data->'createVolumePermissions' @> jsonb_build_array(jsonb_build_object('userId', $2::text))
                                 OR data->'createVolumePermissions' @> '[{"group":"all"}]'::jsonb)
          ORDER BY seq`,
        [scope.region, scope.accountId],
      );
      return found.map((r) => snapshotFromJson(r.data, []));
    });
  }
}

export class PostgresImages implements ImageRepository {
  constructor(private readonly db: Db) {}

  async insert(scope: Scope, image: ImageRecord): Promise<void> {
    try {
      await this.db.write(async (c) => {
        await c.query('INSERT INTO images (account_id, region, image_id, name, data) VALUES ($1, $2, $3, $4, $5::jsonb)', [
          scope.accountId,
          scope.region,
          image.imageId,
          image.name,
          imageToJson(image),
        ]);
        await upsertTagRows(c, scope, image.tags.map((t) => ({ resourceId: image.imageId, resourceType: 'image', ...t })));
      });
    } catch (e) {
      if (codeOf(e) === '23505' && (e as { constraint?: string }).constraint === 'images_name_unique') throw new DuplicateImageNameError(image.name);
      throw e;
    }
  }

  listVisible(scope: Scope): Promise<ImageRecord[]> {
    return this.db.read(async (c) => {
      // Own images, and others' whose launch permissions name this account or everyone.
      const found = await rows<{ account_id: string; id: string; data: string }>(
        c,
        `SELECT account_id, image_id AS id, data::text AS data FROM images
          WHERE region = $1 AND (account_id = $2 OR data->'launchPermissions' @> jsonb_build_array(jsonb_build_object('userId', $2::text))
                                 OR data->'launchPermissions' @> '[{"group":"all"}]'::jsonb)
          ORDER BY seq`,
        [scope.region, scope.accountId],
      );
      // Tags are the owner's: another account sees a shared image without them, as on AWS.
      const tags = await tagsOf(c, scope, found.filter((r) => r.account_id === scope.accountId).map((r) => r.id));
      return found.map((r) => imageFromJson(r.data, tags.get(r.id) ?? []));
    });
  }

  find(region: string, imageId: string): Promise<ImageRecord | undefined> {
    return this.db.read(async (c) => {
      const [row] = await rows<{ data: string }>(c, 'SELECT data::text AS data FROM images WHERE region = $1 AND image_id = $2', [region, imageId]);
      return row && imageFromJson(row.data, []);
    });
  }

  update(scope: Scope, imageId: string, change: (r: ImageRecord) => ImageRecord): Promise<ImageRecord | undefined> {
    return this.db.write(async (c) => {
      const [row] = await rows<{ data: string }>(
        c,
        'SELECT data::text AS data FROM images WHERE account_id = $1 AND region = $2 AND image_id = $3 FOR UPDATE',
        [scope.accountId, scope.region, imageId],
      );
      if (!row) return undefined;
      const next = change(imageFromJson(row.data, (await tagsOf(c, scope, [imageId])).get(imageId) ?? []));
      await c.query('UPDATE images SET data = $4::jsonb WHERE account_id = $1 AND region = $2 AND image_id = $3', [
        scope.accountId,
        scope.region,
        imageId,
        imageToJson(next),
      ]);
      return next;
    });
  }

  remove(scope: Scope, imageId: string): Promise<void> {
    return this.db.write(async (c) => {
      await c.query('DELETE FROM images WHERE account_id = $1 AND region = $2 AND image_id = $3', [scope.accountId, scope.region, imageId]);
      await c.query('DELETE FROM tags WHERE account_id = $1 AND region = $2 AND resource_id = $3', [scope.accountId, scope.region, imageId]);
    });
  }
}
