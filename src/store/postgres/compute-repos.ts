// PostgreSQL repositories for instances and volumes (JSON documents, see ../json-records.ts).
// update() reads the row FOR UPDATE, so a change computed on one node never overwrites a change
// made meanwhile on another.
import type { PoolClient } from 'pg';
import type { Tag } from '../../domain/tags.js';
import { instanceFromJson, instanceToJson, volumeFromJson, volumeToJson } from '../json-records.js';
import { AttachmentConflictError, DuplicateClientTokenError, type InstanceQuery, type InstanceQueryField, type InstanceRecord, type InstanceRepository, type InstanceStateName, type Scope, type VolumeRecord, type VolumeRepository } from '../port.js';
import { codeOf, rows, upsertTagRows, type Db } from './db.js';

type Table = 'instances' | 'volumes';
const ID_COLUMN: Record<Table, string> = { instances: 'instance_id', volumes: 'volume_id' };

/** Rows of a document table with their tags (one statement: one snapshot), in creation order. */
async function listDocuments(
  c: PoolClient,
  table: Table,
  where: string,
  params: unknown[],
  limit?: number,
): Promise<{ account_id: string; region: string; id: string; seq: string; data: string; tags: Tag[] }[]> {
  const id = ID_COLUMN[table];
  return rows(
    c,
    `SELECT d.account_id, d.region, d.${id} AS id, d.seq, d.data::text AS data,
            coalesce(json_agg(json_build_object('key', t.key, 'value', t.value) ORDER BY t.seq)
                     FILTER (WHERE t.seq IS NOT NULL), '[]'::json) AS tags
       FROM ${table} d
       LEFT JOIN tags t ON t.account_id = d.account_id AND t.region = d.region AND t.resource_id = d.${id}
      WHERE ${where}
      GROUP BY d.seq
      ORDER BY d.seq${limit === undefined ? '' : ` LIMIT $${params.length + 1}`}`,
    limit === undefined ? params : [...params, limit],
  );
}

/** SQL for each store-side instance filter: a column, or a field of the JSON document. */
const INSTANCE_FIELD_SQL: Record<InstanceQueryField, string> = {
  'instance-id': 'd.instance_id',
  'instance-state-name': 'd.state',
  'key-name': "d.data->>'keyName'",
  'image-id': "d.data->>'imageId'",
  'availability-zone': "d.data->>'availabilityZone'",
  'instance-type': "d.data->>'instanceType'",
  'reservation-id': "d.data->>'reservationId'",
};

/** WHERE clause and parameters of an InstanceQuery. */
function instanceQueryWhere(scope: Scope, q: InstanceQuery): [string, unknown[]] {
  const params: unknown[] = [scope.accountId, scope.region];
  const p = (value: unknown) => `$${params.push(value)}`;
  const clauses = ['d.account_id = $1 AND d.region = $2'];
  const tagOf = 't.account_id = d.account_id AND t.region = d.region AND t.resource_id = d.instance_id';
  for (const f of q.fields ?? []) clauses.push(`${INSTANCE_FIELD_SQL[f.field]} = ANY(${p([...f.values])}::text[])`);
  for (const t of q.tags ?? []) {
    clauses.push(`EXISTS (SELECT 1 FROM tags t WHERE ${tagOf} AND t.key = ${p(t.key)} AND t.value = ANY(${p([...t.values])}::text[]))`);
  }
  for (const keys of q.tagKeys ?? []) clauses.push(`EXISTS (SELECT 1 FROM tags t WHERE ${tagOf} AND t.key = ANY(${p([...keys])}::text[]))`);
  if (q.after !== undefined) clauses.push(`d.seq > ${p(q.after)}`);
  return [clauses.join(' AND '), params];
}

/** WHERE clause and parameters: the scope's documents, or only those with the given ids. */
function scopedWhere(table: Table, scope: Scope, ids: readonly string[] | undefined): [string, unknown[]] {
  const where = 'd.account_id = $1 AND d.region = $2';
  if (!ids) return [where, [scope.accountId, scope.region]];
  return [`${where} AND d.${ID_COLUMN[table]} = ANY($3::text[])`, [scope.accountId, scope.region, [...ids]]];
}

/** Reads one document FOR UPDATE, applies `change`, writes it back: all in the caller's transaction. */
async function updateDocument<R extends { tags: Tag[] }>(
  c: PoolClient,
  table: Table,
  scope: Scope,
  id: string,
  fromJson: (json: string, tags: Tag[]) => R,
  toJson: (r: R) => string,
  change: (r: R) => R,
  extraColumn?: { name: 'state'; value: (r: R) => string },
): Promise<R | undefined> {
  const idColumn = ID_COLUMN[table];
  const [row] = await rows<{ data: string }>(
    c,
    `SELECT data::text AS data FROM ${table} WHERE account_id = $1 AND region = $2 AND ${idColumn} = $3 FOR UPDATE`,
    [scope.accountId, scope.region, id],
  );
  if (!row) return undefined;
  const tags = await rows<Tag>(
    c,
    'SELECT key, value FROM tags WHERE account_id = $1 AND region = $2 AND resource_id = $3 ORDER BY seq',
    [scope.accountId, scope.region, id],
  );
  const current = fromJson(row.data, tags);
  const next = change(current);
  if (next === current) return next; // unchanged (a conditional update that did not apply): no write
  const set = extraColumn ? `data = $4::jsonb, ${extraColumn.name} = $5` : 'data = $4::jsonb';
  const params = [scope.accountId, scope.region, id, toJson(next)];
  if (extraColumn) params.push(extraColumn.value(next));
  await c.query(`UPDATE ${table} SET ${set} WHERE account_id = $1 AND region = $2 AND ${idColumn} = $3`, params);
  return next;
}

async function existsIn(db: Db, table: Table, scope: Scope, id: string): Promise<boolean> {
  return db.read(async (c) => {
    const r = await c.query(`SELECT 1 FROM ${table} WHERE account_id = $1 AND region = $2 AND ${ID_COLUMN[table]} = $3`, [
      scope.accountId,
      scope.region,
      id,
    ]);
    return (r.rowCount ?? 0) > 0;
  });
}

export class PostgresInstances implements InstanceRepository {
  constructor(private readonly db: Db) {}

  insert(scope: Scope, instances: readonly InstanceRecord[], volumes: readonly VolumeRecord[], userData?: ReadonlyMap<string, string>): Promise<void> {
    return this.db.write(async (c) => {
      const token = instances[0]?.clientToken;
      if (token) {
        const claimed = await c.query(
          'INSERT INTO client_tokens (account_id, region, token, reservation_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
          [scope.accountId, scope.region, token, instances[0]!.reservationId],
        );
        if (claimed.rowCount !== 1) throw new DuplicateClientTokenError(token);
      }
      if (instances.length > 0) {
        await c.query(
          `INSERT INTO instances (account_id, region, instance_id, state, data, user_data)
           SELECT $1, $2, i.id, i.state, i.data::jsonb, i.user_data
             FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS i(id, state, data, user_data, n) ORDER BY i.n`,
          [
            scope.accountId,
            scope.region,
            instances.map((i) => i.instanceId),
            instances.map((i) => i.state),
            instances.map(instanceToJson),
            instances.map((i) => userData?.get(i.instanceId) ?? null),
          ],
        );
      }
      if (volumes.length > 0) {
        await c.query(
          `INSERT INTO volumes (account_id, region, volume_id, data)
           SELECT $1, $2, v.id, v.data::jsonb
             FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS v(id, data, n) ORDER BY v.n`,
          [scope.accountId, scope.region, volumes.map((v) => v.volumeId), volumes.map(volumeToJson)],
        );
      }
      await upsertTagRows(c, scope, [
        ...instances.flatMap((i) => i.tags.map((t) => ({ resourceId: i.instanceId, resourceType: 'instance', ...t }))),
        ...volumes.flatMap((v) => v.tags.map((t) => ({ resourceId: v.volumeId, resourceType: 'volume', ...t }))),
      ]);
    });
  }

  list(scope: Scope, ids?: readonly string[]): Promise<InstanceRecord[]> {
    return this.db.read(async (c) => {
      const [where, params] = scopedWhere('instances', scope, ids);
      return (await listDocuments(c, 'instances', where, params)).map((r) => instanceFromJson(r.data, r.tags));
    });
  }

  query(scope: Scope, query: InstanceQuery): Promise<{ instance: InstanceRecord; position: number }[]> {
    return this.db.read(async (c) => {
      const [where, params] = instanceQueryWhere(scope, query);
      return (await listDocuments(c, 'instances', where, params, query.limit)).map((r) => ({ instance: instanceFromJson(r.data, r.tags), position: Number(r.seq) }));
    });
  }

  update(scope: Scope, instanceId: string, change: (r: InstanceRecord) => InstanceRecord): Promise<InstanceRecord | undefined> {
    return this.db.write((c) =>
      updateDocument(c, 'instances', scope, instanceId, instanceFromJson, instanceToJson, change, { name: 'state', value: (r) => r.state }),
    );
  }

  userData(scope: Scope, instanceId: string): Promise<string | undefined> {
    return this.db.read(async (c) => {
      const [row] = await rows<{ user_data: string | null }>(
        c,
        'SELECT user_data FROM instances WHERE account_id = $1 AND region = $2 AND instance_id = $3',
        [scope.accountId, scope.region, instanceId],
      );
      return row?.user_data ?? undefined;
    });
  }

  setUserData(scope: Scope, instanceId: string, userData: string | undefined, state: InstanceStateName): Promise<boolean> {
    return this.db.write(async (c) => {
      const r = await c.query('UPDATE instances SET user_data = $4 WHERE account_id = $1 AND region = $2 AND instance_id = $3 AND state = $5', [
        scope.accountId,
        scope.region,
        instanceId,
        userData ?? null,
        state,
      ]);
      return r.rowCount === 1;
    });
  }

  listLive(): Promise<{ scope: Scope; instance: InstanceRecord }[]> {
    return this.db.read(async (c) =>
      (await listDocuments(c, 'instances', "d.state <> 'terminated'", [])).map((r) => ({
        scope: { accountId: r.account_id, region: r.region },
        instance: instanceFromJson(r.data, r.tags),
      })),
    );
  }

  exists(scope: Scope, instanceId: string): Promise<boolean> {
    return existsIn(this.db, 'instances', scope, instanceId);
  }
}

export class PostgresVolumes implements VolumeRepository {
  constructor(private readonly db: Db) {}

  insert(scope: Scope, v: VolumeRecord): Promise<void> {
    return this.db.write(async (c) => {
      await c.query('INSERT INTO volumes (account_id, region, volume_id, data) VALUES ($1, $2, $3, $4::jsonb)', [
        scope.accountId,
        scope.region,
        v.volumeId,
        volumeToJson(v),
      ]);
      await upsertTagRows(c, scope, v.tags.map((t) => ({ resourceId: v.volumeId, resourceType: 'volume', ...t })));
    });
  }

  remove(scope: Scope, volumeId: string): Promise<void> {
    return this.db.write(async (c) => {
      await c.query('DELETE FROM volumes WHERE account_id = $1 AND region = $2 AND volume_id = $3', [scope.accountId, scope.region, volumeId]);
      await c.query('DELETE FROM tags WHERE account_id = $1 AND region = $2 AND resource_id = $3', [scope.accountId, scope.region, volumeId]);
    });
  }

  list(scope: Scope, ids?: readonly string[]): Promise<VolumeRecord[]> {
    return this.db.read(async (c) => {
      const [where, params] = scopedWhere('volumes', scope, ids);
      return (await listDocuments(c, 'volumes', where, params)).map((r) => volumeFromJson(r.data, r.tags));
    });
  }

  attachedTo(scope: Scope, instanceIds: readonly string[]): Promise<VolumeRecord[]> {
    if (instanceIds.length === 0) return Promise.resolve([]);
    return this.db.read(async (c) => {
      const where = "d.account_id = $1 AND d.region = $2 AND d.data->'attachment'->>'instanceId' = ANY($3::text[])";
      const main = await listDocuments(c, 'volumes', where, [scope.accountId, scope.region, [...instanceIds]]);
      // Multi-Attach: volumes whose further attachments name one of them (volumes_multi_attach, migration 11).
      const more = await listDocuments(
        c,
        'volumes',
        `d.account_id = $1 AND d.region = $2 AND (d.data->>'multiAttachEnabled') = 'true' AND EXISTS (
           SELECT 1 FROM jsonb_array_elements(COALESCE(d.data->'moreAttachments', '[]'::jsonb)) a WHERE a->>'instanceId' = ANY($3::text[]))`,
        [scope.accountId, scope.region, [...instanceIds]],
      );
      const seen = new Set<string>();
      return [...main, ...more].map((r) => volumeFromJson(r.data, r.tags)).filter((v) => !seen.has(v.volumeId) && seen.add(v.volumeId));
    });
  }

  async update(scope: Scope, volumeId: string, change: (r: VolumeRecord) => VolumeRecord): Promise<VolumeRecord | undefined> {
    try {
      return await this.db.write((c) => updateDocument(c, 'volumes', scope, volumeId, volumeFromJson, volumeToJson, change));
    } catch (e) {
      if (codeOf(e) === '23505' && (e as { constraint?: string }).constraint === 'volumes_attachment_unique') throw new AttachmentConflictError(volumeId);
      throw e;
    }
  }

  exists(scope: Scope, volumeId: string): Promise<boolean> {
    return existsIn(this.db, 'volumes', scope, volumeId);
  }
}

/** Next value of a named counter: one atomic statement, so nodes never get the same value. */
export function nextSequence(db: Db, name: string): Promise<number> {
  return db.write(async (c) => {
    const [row] = await rows<{ value: string }>(
      c,
      `INSERT INTO counters (name, value) VALUES ($1, 1)
       ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value`,
      [name],
    );
    return Number(row!.value);
  });
}
