// SQLite repositories for instances and volumes (JSON documents, see ../json-records.ts). Both
// tables share one list/update/exists path, as on PostgreSQL (../postgres/compute-repos.ts).
import type { Tag } from '../../domain/tags.js';
import { instanceFromJson, instanceToJson, volumeFromJson, volumeToJson } from '../json-records.js';
import { AttachmentConflictError, DuplicateClientTokenError, type InstanceQuery, type InstanceQueryField, type InstanceRecord, type InstanceRepository, type InstanceStateName, type Scope, type VolumeRecord, type VolumeRepository } from '../port.js';
import { isUniqueViolation, statement, upsertTagRows, write, type Db } from './db.js';

type Table = 'instances' | 'volumes';
const ID_COLUMN: Record<Table, string> = { instances: 'instance_id', volumes: 'volume_id' };

/** Rows of a document table with their tags (one statement: one snapshot), in creation order. */
function listDocuments(
  db: Db,
  table: Table,
  where: string,
  params: unknown[],
  limit?: number,
): { account_id: string; region: string; id: string; seq: number; data: string; tags: Tag[] }[] {
  const id = ID_COLUMN[table];
  const rows = statement(
    db,
    `SELECT d.account_id, d.region, d.${id} AS id, d.seq, d.data,
            (SELECT json_group_array(json_object('key', t.key, 'value', t.value) ORDER BY t.seq)
               FROM tags t WHERE t.account_id = d.account_id AND t.region = d.region AND t.resource_id = d.${id}) AS tags
       FROM ${table} d
      WHERE ${where}
      ORDER BY d.seq${limit === undefined ? '' : ' LIMIT ?'}`,
  ).all(...params, ...(limit === undefined ? [] : [limit])) as { account_id: string; region: string; id: string; seq: number; data: string; tags: string }[];
  return rows.map((r) => ({ ...r, tags: JSON.parse(r.tags) as Tag[] }));
}

/** WHERE clause and parameters: the scope's documents, or only those with the given ids. */
function scopedWhere(table: Table, scope: Scope, ids: readonly string[] | undefined): [string, unknown[]] {
  const where = 'd.account_id = ? AND d.region = ?';
  if (!ids) return [where, [scope.accountId, scope.region]];
  // `+` keeps the planner off the scope index (it scanned the scope's documents for a few ids), onto the ids' unique index.
  return [`+d.account_id = ? AND +d.region = ? AND d.${ID_COLUMN[table]} IN (SELECT value FROM json_each(?))`, [scope.accountId, scope.region, JSON.stringify(ids)]];
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
    const current = fromJson(row.data, tags);
    const next = change(current);
    if (next === current) return next; // unchanged (a conditional update that did not apply): no write
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

/** SQL for each store-side instance filter: a column, or a field of the JSON document. */
const INSTANCE_FIELD_SQL: Record<InstanceQueryField, string> = {
  'instance-id': 'd.instance_id',
  'instance-state-name': 'd.state',
  'key-name': "json_extract(d.data, '$.keyName')",
  'image-id': "json_extract(d.data, '$.imageId')",
  'availability-zone': "json_extract(d.data, '$.availabilityZone')",
  'instance-type': "json_extract(d.data, '$.instanceType')",
  'reservation-id': "json_extract(d.data, '$.reservationId')",
};

/** WHERE clause and parameters of an InstanceQuery (value lists travel as JSON arrays). */
function instanceQueryWhere(scope: Scope, q: InstanceQuery): [string, unknown[]] {
  const clauses: string[] = [];
  const params: unknown[] = [scope.accountId, scope.region];
  // Ids and tag values select few rows: tags become `instance_id IN (…)`, and with either the scope
  // columns get a `+` so the planner starts from instance_id's unique index, not a scope scan.
  let byId = false;
  const taggedIn = (condition: string) => `d.instance_id IN (SELECT t.resource_id FROM tags t WHERE t.account_id = ? AND t.region = ? AND ${condition})`;
  for (const f of q.fields ?? []) {
    if (f.field === 'instance-state-name') {
      // instances_by_state (migration 15) gives the seqs of those states; rows are then read by
      // rowid in launch order, so a page stops at its end and nothing is sorted.
      byId = true;
      clauses.push('d.seq IN (SELECT s.seq FROM instances s WHERE s.account_id = ? AND s.region = ? AND s.state IN (SELECT value FROM json_each(?)))');
      params.push(scope.accountId, scope.region, JSON.stringify(f.values));
      continue;
    }
    byId ||= f.field === 'instance-id';
    clauses.push(`${INSTANCE_FIELD_SQL[f.field]} IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(f.values));
  }
  for (const t of q.tags ?? []) {
    byId = true;
    clauses.push(taggedIn('t.key = ? AND t.value IN (SELECT value FROM json_each(?))'));
    params.push(scope.accountId, scope.region, t.key, JSON.stringify(t.values));
  }
  for (const keys of q.tagKeys ?? []) {
    // Most instances may carry a key (Name): this one stays a filter on the scope's scan.
    clauses.push(taggedIn('t.key IN (SELECT value FROM json_each(?))'));
    params.push(scope.accountId, scope.region, JSON.stringify(keys));
  }
  if (q.after !== undefined) {
    clauses.push('d.seq > ?');
    params.push(q.after);
  }
  clauses.unshift(byId ? '+d.account_id = ? AND +d.region = ?' : 'd.account_id = ? AND d.region = ?');
  return [clauses.join(' AND '), params];
}

function existsIn(db: Db, table: Table, scope: Scope, id: string): boolean {
  return statement(db, `SELECT 1 FROM ${table} WHERE account_id = ? AND region = ? AND ${ID_COLUMN[table]} = ?`).get(scope.accountId, scope.region, id) !== undefined;
}

export class SqliteInstances implements InstanceRepository {
  constructor(private readonly db: Db) {}

  async insert(scope: Scope, instances: readonly InstanceRecord[], volumes: readonly VolumeRecord[], userData?: ReadonlyMap<string, string>): Promise<void> {
    const insInstance = statement(this.db, 'INSERT INTO instances (account_id, region, instance_id, state, data, user_data) VALUES (?, ?, ?, ?, ?, ?)');
    const insVolume = statement(this.db, 'INSERT INTO volumes (account_id, region, volume_id, data) VALUES (?, ?, ?, ?)');
    const claim = statement(this.db, 'INSERT INTO client_tokens (account_id, region, token, reservation_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
    write(this.db, () => {
      const token = instances[0]?.clientToken;
      if (token && claim.run(scope.accountId, scope.region, token, instances[0]!.reservationId).changes !== 1) throw new DuplicateClientTokenError(token);
      for (const i of instances) insInstance.run(scope.accountId, scope.region, i.instanceId, i.state, instanceToJson(i), userData?.get(i.instanceId) ?? null);
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

  async query(scope: Scope, query: InstanceQuery): Promise<{ instance: InstanceRecord; position: number }[]> {
    const [where, params] = instanceQueryWhere(scope, query);
    return listDocuments(this.db, 'instances', where, params, query.limit).map((r) => ({ instance: instanceFromJson(r.data, r.tags), position: r.seq }));
  }

  async update(scope: Scope, instanceId: string, change: (r: InstanceRecord) => InstanceRecord): Promise<InstanceRecord | undefined> {
    return updateDocument(this.db, 'instances', scope, instanceId, instanceFromJson, instanceToJson, change, { name: 'state', value: (r) => r.state });
  }

  async userData(scope: Scope, instanceId: string): Promise<string | undefined> {
    const row = statement(this.db, 'SELECT user_data FROM instances WHERE account_id = ? AND region = ? AND instance_id = ?').get(
      scope.accountId,
      scope.region,
      instanceId,
    ) as { user_data: string | null } | undefined;
    return row?.user_data ?? undefined;
  }

  async setUserData(scope: Scope, instanceId: string, userData: string | undefined, state: InstanceStateName): Promise<boolean> {
    const r = statement(this.db, 'UPDATE instances SET user_data = ? WHERE account_id = ? AND region = ? AND instance_id = ? AND state = ?').run(
      userData ?? null,
      scope.accountId,
      scope.region,
      instanceId,
      state,
    );
    return r.changes === 1;
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

  async attachedTo(scope: Scope, instanceIds: readonly string[]): Promise<VolumeRecord[]> {
    if (instanceIds.length === 0) return [];
    // `+` keeps the planner off the scope index, onto volumes_attachment_unique (led by this expression).
    const where = "+d.account_id = ? AND +d.region = ? AND json_extract(d.data, '$.attachment.instanceId') IN (SELECT value FROM json_each(?))";
    const ids = JSON.stringify(instanceIds);
    const main = listDocuments(this.db, 'volumes', where, [scope.accountId, scope.region, ids]);
    // Multi-Attach: volumes whose further attachments name one of them (volumes_multi_attach, migration 11).
    const more = listDocuments(
      this.db,
      'volumes',
      `d.account_id = ? AND d.region = ? AND json_extract(d.data, '$.multiAttachEnabled') = 1 AND EXISTS (
         SELECT 1 FROM json_each(d.data, '$.moreAttachments') a WHERE json_extract(a.value, '$.instanceId') IN (SELECT value FROM json_each(?)))`,
      [scope.accountId, scope.region, ids],
    );
    const seen = new Set<string>();
    return [...main, ...more]
      .map((r) => volumeFromJson(r.data, r.tags))
      .filter((v) => !seen.has(v.volumeId) && seen.add(v.volumeId));
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
