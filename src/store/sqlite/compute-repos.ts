// SQLite repositories for instances and volumes (JSON documents, see ../json-records.ts). Both
// tables share one list/update/exists path, as on PostgreSQL (../postgres/compute-repos.ts).
import type { Tag } from '../../domain/tags.js';
import { instanceFromJson, instanceToJson, volumeFromJson, volumeToJson } from '../json-records.js';
import { AttachmentConflictError, type InstanceRecord, type InstanceRepository, type Scope, type VolumeRecord, type VolumeRepository } from '../port.js';
import { isUniqueViolation, statement, upsertTagRows, write, type Db } from './db.js';

type Table = 'instances' | 'volumes';
const ID_COLUMN: Record<Table, string> = { instances: 'instance_id', volumes: 'volume_id' };

/** Rows of a document table with their tags (one statement: one snapshot), in creation order. */
function listDocuments(
  db: Db,
  table: Table,
  where: string,
  params: unknown[],
): { account_id: string; region: string; id: string; data: string; tags: Tag[] }[] {
  const id = ID_COLUMN[table];
  const rows = statement(
    db,
    `SELECT d.account_id, d.region, d.${id} AS id, d.data,
            (SELECT json_group_array(json_object('key', t.key, 'value', t.value) ORDER BY t.seq)
               FROM tags t WHERE t.account_id = d.account_id AND t.region = d.region AND t.resource_id = d.${id}) AS tags
       FROM ${table} d
      WHERE ${where}
      ORDER BY d.seq`,
  ).all(...params) as { account_id: string; region: string; id: string; data: string; tags: string }[];
  return rows.map((r) => ({ ...r, tags: JSON.parse(r.tags) as Tag[] }));
}

/** WHERE clause and parameters: the scope's documents, or only those with the given ids. */
function scopedWhere(table: Table, scope: Scope, ids: readonly string[] | undefined): [string, unknown[]] {
  const where = 'd.account_id = ? AND d.region = ?';
  if (!ids) return [where, [scope.accountId, scope.region]];
  return [`${where} AND d.${ID_COLUMN[table]} IN (SELECT value FROM json_each(?))`, [scope.accountId, scope.region, JSON.stringify(ids)]];
}

/** Reads one document, applies `change`, writes it back: all in one write transaction. */
function updateDocument<R extends { tags: Tag[] }>(
  db: Db,
  table: Table,
  scope: Scope,
  id: string,
  fromJson: (json: string, tags: Tag[]) => R,
  toJson: (r: R) => string,
  change: (r: R) => R,
  extraColumn?: { name: 'state'; value: (r: R) => string },
): R | undefined {
  const idColumn = ID_COLUMN[table];
  return write(db, () => {
    const row = statement(db, `SELECT data FROM ${table} WHERE account_id = ? AND region = ? AND ${idColumn} = ?`).get(
      scope.accountId,
      scope.region,
      id,
    ) as { data: string } | undefined;
    if (!row) return undefined;
    const tags = statement(db, 'SELECT key, value FROM tags WHERE account_id = ? AND region = ? AND resource_id = ? ORDER BY seq').all(
      scope.accountId,
      scope.region,
      id,
    ) as Tag[];
    const next = change(fromJson(row.data, tags));
    const set = extraColumn ? `data = ?, ${extraColumn.name} = ?` : 'data = ?';
    const values = extraColumn ? [toJson(next), extraColumn.value(next)] : [toJson(next)];
    statement(db, `UPDATE ${table} SET ${set} WHERE account_id = ? AND region = ? AND ${idColumn} = ?`).run(...values, scope.accountId, scope.region, id);
    return next;
  });
}

/** Deletes a document and its tags in one write transaction. */
export function removeDocument(db: Db, table: Table | 'snapshots' | 'images', scope: Scope, id: string): void {
  const idColumn = table === 'snapshots' ? 'snapshot_id' : table === 'images' ? 'image_id' : ID_COLUMN[table];
  write(db, () => {
    statement(db, `DELETE FROM ${table} WHERE account_id = ? AND region = ? AND ${idColumn} = ?`).run(scope.accountId, scope.region, id);
    statement(db, 'DELETE FROM tags WHERE account_id = ? AND region = ? AND resource_id = ?').run(scope.accountId, scope.region, id);
  });
}

function existsIn(db: Db, table: Table, scope: Scope, id: string): boolean {
  return statement(db, `SELECT 1 FROM ${table} WHERE account_id = ? AND region = ? AND ${ID_COLUMN[table]} = ?`).get(scope.accountId, scope.region, id) !== undefined;
}

export class SqliteInstances implements InstanceRepository {
  constructor(private readonly db: Db) {}

  async insert(scope: Scope, instances: readonly InstanceRecord[], volumes: readonly VolumeRecord[]): Promise<void> {
    const insInstance = statement(this.db, 'INSERT INTO instances (account_id, region, instance_id, state, data) VALUES (?, ?, ?, ?, ?)');
    const insVolume = statement(this.db, 'INSERT INTO volumes (account_id, region, volume_id, data) VALUES (?, ?, ?, ?)');
    write(this.db, () => {
      for (const i of instances) insInstance.run(scope.accountId, scope.region, i.instanceId, i.state, instanceToJson(i));
      for (const v of volumes) insVolume.run(scope.accountId, scope.region, v.volumeId, volumeToJson(v));
      upsertTagRows(this.db, scope, [
        ...instances.flatMap((i) => i.tags.map((t) => ({ resourceId: i.instanceId, resourceType: 'instance', ...t }))),
        ...volumes.flatMap((v) => v.tags.map((t) => ({ resourceId: v.volumeId, resourceType: 'volume', ...t }))),
      ]);
    });
  }

  async list(scope: Scope, ids?: readonly string[]): Promise<InstanceRecord[]> {
    const [where, params] = scopedWhere('instances', scope, ids);
    return listDocuments(this.db, 'instances', where, params).map((r) => instanceFromJson(r.data, r.tags));
  }

  async update(scope: Scope, instanceId: string, change: (r: InstanceRecord) => InstanceRecord): Promise<InstanceRecord | undefined> {
    return updateDocument(this.db, 'instances', scope, instanceId, instanceFromJson, instanceToJson, change, { name: 'state', value: (r) => r.state });
  }

  async listLive(): Promise<{ scope: Scope; instance: InstanceRecord }[]> {
    return listDocuments(this.db, 'instances', "d.state <> 'terminated'", []).map((r) => ({
      scope: { accountId: r.account_id, region: r.region },
      instance: instanceFromJson(r.data, r.tags),
    }));
  }

  async exists(scope: Scope, instanceId: string): Promise<boolean> {
    return existsIn(this.db, 'instances', scope, instanceId);
  }
}

export class SqliteVolumes implements VolumeRepository {
  constructor(private readonly db: Db) {}

  async insert(scope: Scope, v: VolumeRecord): Promise<void> {
    write(this.db, () => {
      statement(this.db, 'INSERT INTO volumes (account_id, region, volume_id, data) VALUES (?, ?, ?, ?)').run(scope.accountId, scope.region, v.volumeId, volumeToJson(v));
      upsertTagRows(this.db, scope, v.tags.map((t) => ({ resourceId: v.volumeId, resourceType: 'volume', ...t })));
    });
  }

  async remove(scope: Scope, volumeId: string): Promise<void> {
    removeDocument(this.db, 'volumes', scope, volumeId);
  }

  async list(scope: Scope, ids?: readonly string[]): Promise<VolumeRecord[]> {
    const [where, params] = scopedWhere('volumes', scope, ids);
    return listDocuments(this.db, 'volumes', where, params).map((r) => volumeFromJson(r.data, r.tags));
  }

  async update(scope: Scope, volumeId: string, change: (r: VolumeRecord) => VolumeRecord): Promise<VolumeRecord | undefined> {
    try {
      return updateDocument(this.db, 'volumes', scope, volumeId, volumeFromJson, volumeToJson, change);
    } catch (e) {
      // volumes_attachment_unique: one volume per device of an instance
      if (isUniqueViolation(e)) throw new AttachmentConflictError(volumeId);
      throw e;
    }
  }

  async exists(scope: Scope, volumeId: string): Promise<boolean> {
    return existsIn(this.db, 'volumes', scope, volumeId);
  }
}

/** Next value of a named counter: one write transaction, so processes sharing the file never get the same value. */
export function nextSequence(db: Db, name: string): number {
  return write(db, () => {
    statement(db, 'INSERT INTO counters (name, value) VALUES (?, 0) ON CONFLICT (name) DO NOTHING').run(name);
    return statement(db, 'UPDATE counters SET value = value + 1 WHERE name = ? RETURNING value').pluck().get(name) as number;
  });
}
