// SQLite repositories for instances and volumes (JSON documents, see ../json-records.ts).
import type Database from 'better-sqlite3';
import type { Tag } from '../../domain/tags.js';
import { instanceFromJson, instanceToJson, volumeFromJson, volumeToJson } from '../json-records.js';
import { AttachmentConflictError, type InstanceRecord, type InstanceRepository, type Scope, type VolumeRecord, type VolumeRepository } from '../port.js';

type Db = Database.Database;

export function tagsByResource(db: Db, scope: Scope, ids: readonly string[]): Map<string, Tag[]> {
  const rows = db
    .prepare(
      `SELECT resource_id, key, value FROM tags WHERE account_id = ? AND region = ?
       AND resource_id IN (SELECT value FROM json_each(?)) ORDER BY seq`,
    )
    .all(scope.accountId, scope.region, JSON.stringify(ids)) as { resource_id: string; key: string; value: string }[];
  const out = new Map<string, Tag[]>();
  for (const r of rows) {
    let list = out.get(r.resource_id);
    if (!list) out.set(r.resource_id, (list = []));
    list.push({ key: r.key, value: r.value });
  }
  return out;
}

export class SqliteInstances implements InstanceRepository {
  constructor(private readonly db: Db) {}

  async insert(scope: Scope, instances: readonly InstanceRecord[], volumes: readonly VolumeRecord[]): Promise<void> {
    const insInstance = this.db.prepare('INSERT INTO instances (account_id, region, instance_id, state, data) VALUES (?, ?, ?, ?, ?)');
    const insVolume = this.db.prepare('INSERT INTO volumes (account_id, region, volume_id, data) VALUES (?, ?, ?, ?)');
    const insTag = this.db.prepare(
      'INSERT INTO tags (account_id, region, resource_id, resource_type, key, value) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.db
      .transaction(() => {
        for (const i of instances) {
          insInstance.run(scope.accountId, scope.region, i.instanceId, i.state, instanceToJson(i));
          for (const t of i.tags) insTag.run(scope.accountId, scope.region, i.instanceId, 'instance', t.key, t.value);
        }
        for (const v of volumes) {
          insVolume.run(scope.accountId, scope.region, v.volumeId, volumeToJson(v));
          for (const t of v.tags) insTag.run(scope.accountId, scope.region, v.volumeId, 'volume', t.key, t.value);
        }
      })
      .immediate();
  }

  async list(scope: Scope, ids?: readonly string[]): Promise<InstanceRecord[]> {
    const rows = (
      ids
        ? this.db
            .prepare(
              `SELECT instance_id, data FROM instances WHERE account_id = ? AND region = ?
               AND instance_id IN (SELECT value FROM json_each(?)) ORDER BY seq`,
            )
            .all(scope.accountId, scope.region, JSON.stringify(ids))
        : this.db.prepare('SELECT instance_id, data FROM instances WHERE account_id = ? AND region = ? ORDER BY seq').all(scope.accountId, scope.region)
    ) as { instance_id: string; data: string }[];
    const tags = tagsByResource(this.db, scope, rows.map((r) => r.instance_id));
    return rows.map((r) => instanceFromJson(r.data, tags.get(r.instance_id) ?? []));
  }

  async update(scope: Scope, instanceId: string, change: (r: InstanceRecord) => InstanceRecord): Promise<InstanceRecord | undefined> {
    return this.db
      .transaction(() => {
        const row = this.db
          .prepare('SELECT data FROM instances WHERE account_id = ? AND region = ? AND instance_id = ?')
          .get(scope.accountId, scope.region, instanceId) as { data: string } | undefined;
        if (!row) return undefined;
        const tags = tagsByResource(this.db, scope, [instanceId]).get(instanceId) ?? [];
        const next = change(instanceFromJson(row.data, tags));
        this.db
          .prepare('UPDATE instances SET state = ?, data = ? WHERE account_id = ? AND region = ? AND instance_id = ?')
          .run(next.state, instanceToJson(next), scope.accountId, scope.region, instanceId);
        return next;
      })
      .immediate();
  }

  async listLive(): Promise<{ scope: Scope; instance: InstanceRecord }[]> {
    const rows = this.db
      .prepare(`SELECT account_id, region, instance_id, data FROM instances WHERE state <> 'terminated' ORDER BY seq`)
      .all() as { account_id: string; region: string; instance_id: string; data: string }[];
    return rows.map((r) => {
      const scope = { accountId: r.account_id, region: r.region };
      const tags = tagsByResource(this.db, scope, [r.instance_id]).get(r.instance_id) ?? [];
      return { scope, instance: instanceFromJson(r.data, tags) };
    });
  }

  async exists(scope: Scope, instanceId: string): Promise<boolean> {
    return (
      this.db
        .prepare('SELECT 1 FROM instances WHERE account_id = ? AND region = ? AND instance_id = ?')
        .get(scope.accountId, scope.region, instanceId) !== undefined
    );
  }
}

export class SqliteVolumes implements VolumeRepository {
  constructor(private readonly db: Db) {}

  async insert(scope: Scope, v: VolumeRecord): Promise<void> {
    const insTag = this.db.prepare('INSERT INTO tags (account_id, region, resource_id, resource_type, key, value) VALUES (?, ?, ?, ?, ?, ?)');
    this.db
      .transaction(() => {
        this.db.prepare('INSERT INTO volumes (account_id, region, volume_id, data) VALUES (?, ?, ?, ?)').run(scope.accountId, scope.region, v.volumeId, volumeToJson(v));
        for (const t of v.tags) insTag.run(scope.accountId, scope.region, v.volumeId, 'volume', t.key, t.value);
      })
      .immediate();
  }

  async remove(scope: Scope, volumeId: string): Promise<void> {
    this.db
      .transaction(() => {
        this.db.prepare('DELETE FROM volumes WHERE account_id = ? AND region = ? AND volume_id = ?').run(scope.accountId, scope.region, volumeId);
        this.db.prepare('DELETE FROM tags WHERE account_id = ? AND region = ? AND resource_id = ?').run(scope.accountId, scope.region, volumeId);
      })
      .immediate();
  }

  async list(scope: Scope, ids?: readonly string[]): Promise<VolumeRecord[]> {
    const rows = (
      ids
        ? this.db
            .prepare(
              `SELECT volume_id, data FROM volumes WHERE account_id = ? AND region = ?
               AND volume_id IN (SELECT value FROM json_each(?)) ORDER BY seq`,
            )
            .all(scope.accountId, scope.region, JSON.stringify(ids))
        : this.db.prepare('SELECT volume_id, data FROM volumes WHERE account_id = ? AND region = ? ORDER BY seq').all(scope.accountId, scope.region)
    ) as { volume_id: string; data: string }[];
    const tags = tagsByResource(this.db, scope, rows.map((r) => r.volume_id));
    return rows.map((r) => volumeFromJson(r.data, tags.get(r.volume_id) ?? []));
  }

  async update(scope: Scope, volumeId: string, change: (r: VolumeRecord) => VolumeRecord): Promise<VolumeRecord | undefined> {
    try {
      return this.updateRow(scope, volumeId, change);
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new AttachmentConflictError(volumeId);
      throw e;
    }
  }

  private updateRow(scope: Scope, volumeId: string, change: (r: VolumeRecord) => VolumeRecord): VolumeRecord | undefined {
    return this.db
      .transaction(() => {
        const row = this.db
          .prepare('SELECT data FROM volumes WHERE account_id = ? AND region = ? AND volume_id = ?')
          .get(scope.accountId, scope.region, volumeId) as { data: string } | undefined;
        if (!row) return undefined;
        const tags = tagsByResource(this.db, scope, [volumeId]).get(volumeId) ?? [];
        const next = change(volumeFromJson(row.data, tags));
        this.db
          .prepare('UPDATE volumes SET data = ? WHERE account_id = ? AND region = ? AND volume_id = ?')
          .run(volumeToJson(next), scope.accountId, scope.region, volumeId);
        return next;
      })
      .immediate();
  }

  async exists(scope: Scope, volumeId: string): Promise<boolean> {
    return (
      this.db.prepare('SELECT 1 FROM volumes WHERE account_id = ? AND region = ? AND volume_id = ?').get(scope.accountId, scope.region, volumeId) !==
      undefined
    );
  }
}

export function nextSequence(db: Db, name: string): number {
  return db
    .transaction(() => {
      db.prepare('INSERT INTO counters (name, value) VALUES (?, 0) ON CONFLICT (name) DO NOTHING').run(name);
      return db.prepare('UPDATE counters SET value = value + 1 WHERE name = ? RETURNING value').pluck().get(name) as number;
    })
    .immediate();
}
