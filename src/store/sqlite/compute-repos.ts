// SQLite repositories for instances and volumes (JSON documents, see ../json-records.ts).
import type Database from 'better-sqlite3';
import type { Tag } from '../../domain/tags.js';
import { instanceFromJson, instanceToJson, volumeFromJson, volumeToJson } from '../json-records.js';
import type { InstanceRecord, InstanceRepository, InstanceStateName, Scope, VolumeRecord, VolumeRepository } from '../port.js';

type Db = Database.Database;

function tagsByResource(db: Db, scope: Scope, ids: readonly string[]): Map<string, Tag[]> {
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

  async insert(scope: Scope, instances: readonly InstanceRecord[], volumes: readonly VolumeRecord[], userData?: ReadonlyMap<string, string>): Promise<void> {
    const insInstance = this.db.prepare('INSERT INTO instances (account_id, region, instance_id, state, data, user_data) VALUES (?, ?, ?, ?, ?, ?)');
    const insVolume = this.db.prepare('INSERT INTO volumes (account_id, region, volume_id, data) VALUES (?, ?, ?, ?)');
    const insTag = this.db.prepare(
      'INSERT INTO tags (account_id, region, resource_id, resource_type, key, value) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.db
      .transaction(() => {
        for (const i of instances) {
          insInstance.run(scope.accountId, scope.region, i.instanceId, i.state, instanceToJson(i), userData?.get(i.instanceId) ?? null);
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

  async userData(scope: Scope, instanceId: string): Promise<string | undefined> {
    const row = this.db
      .prepare('SELECT user_data FROM instances WHERE account_id = ? AND region = ? AND instance_id = ?')
      .get(scope.accountId, scope.region, instanceId) as { user_data: string | null } | undefined;
    return row?.user_data ?? undefined;
  }

  async setUserData(scope: Scope, instanceId: string, userData: string | undefined, state: InstanceStateName): Promise<boolean> {
    const r = this.db
      .prepare('UPDATE instances SET user_data = ? WHERE account_id = ? AND region = ? AND instance_id = ? AND state = ?')
      .run(userData ?? null, scope.accountId, scope.region, instanceId, state);
    return r.changes === 1;
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

  async loadFilesystem(volumeId: string): Promise<unknown | undefined> {
    const row = this.db.prepare('SELECT filesystem FROM volumes WHERE volume_id = ?').get(volumeId) as { filesystem: string | null } | undefined;
    return row?.filesystem ? JSON.parse(row.filesystem) : undefined;
  }

  async saveFilesystem(volumeId: string, filesystem: unknown): Promise<void> {
    const result = this.db.prepare('UPDATE volumes SET filesystem = ? WHERE volume_id = ?').run(JSON.stringify(filesystem), volumeId);
    if (result.changes === 0) {
      // Volumes the guest creates on its own (none today) would land here; refuse rather than lose data silently.
      throw new Error(`no volume ${volumeId} to save a filesystem to`);
    }
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
