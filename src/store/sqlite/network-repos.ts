// SQLite repository of network objects (issue 20): one JSON row per object, the per-kind unique
// key in a UNIQUE index, and change() as one BEGIN IMMEDIATE transaction (writers serialised, also
// across processes sharing the file), so limits counted by the plan hold. The PostgreSQL
// counterpart is ../postgres/network-repos.ts.
import type { Tag } from '../../domain/tags.js';
import { NetUniqueError, type NetChanges, type NetKind, type NetObject, type NetView, type NetworkRepository, type Scope } from '../port.js';
import { isUniqueViolation, statement, upsertTagRows, write, type Db } from './db.js';

interface Row {
  kind: NetKind;
  id: string;
  vpc_id: string | null;
  parent_id: string | null;
  unique_key: string | null;
  data: string;
  tags: string;
}

const SELECT = `SELECT o.kind, o.id, o.vpc_id, o.parent_id, o.unique_key, o.data,
  (SELECT json_group_array(json_object('key', t.key, 'value', t.value) ORDER BY t.seq)
     FROM tags t WHERE t.account_id = o.account_id AND t.region = o.region AND t.resource_id = o.id) AS tags
  FROM network_objects o WHERE`;

const fromRow = (r: Row): NetObject => ({
  kind: r.kind,
  id: r.id,
  ...(r.vpc_id === null ? {} : { vpcId: r.vpc_id }),
  ...(r.parent_id === null ? {} : { parentId: r.parent_id }),
  ...(r.unique_key === null ? {} : { unique: r.unique_key }),
  data: JSON.parse(r.data) as unknown,
  tags: JSON.parse(r.tags) as Tag[],
});

export class SqliteNetwork implements NetworkRepository {
  constructor(private readonly db: Db) {}

  async initialise(scope: Scope, build: () => NetChanges): Promise<boolean> {
    return write(this.db, () => {
      const r = statement(this.db, 'INSERT INTO network_scopes (account_id, region, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(
        scope.accountId,
        scope.region,
        Date.now(),
      );
      if (r.changes === 0) return false;
      this.apply(scope, build());
      return true;
    });
  }

  async list<T>(scope: Scope, kind: NetKind, select: { ids?: readonly string[]; vpcId?: string; parentIds?: readonly string[] } = {}): Promise<NetObject<T>[]> {
    return this.read(scope, [kind], select) as NetObject<T>[];
  }

  async addressesInUse(scope: Scope): Promise<Map<string, number>> {
    const rows = statement(
      this.db,
      `SELECT json_extract(data, '$.subnetId') AS subnet, count(*) + coalesce(sum(json_array_length(data, '$.secondaryPrivateIps')), 0) AS n
         FROM network_objects WHERE account_id = ? AND region = ? AND kind = 'network-interface' GROUP BY subnet`,
    ).all(scope.accountId, scope.region) as { subnet: string | null; n: number }[];
    return new Map(rows.filter((r) => r.subnet !== null).map((r) => [r.subnet!, r.n]));
  }

  async change<T>(
    scope: Scope,
    need: readonly NetKind[],
    plan: (view: NetView) => { changes: NetChanges; result: T },
    only?: Partial<Record<NetKind, { parentIds: readonly string[] }>>,
  ): Promise<T> {
    return write(this.db, () => {
      const whole = need.filter((k) => !only?.[k]);
      const objects = whole.length ? this.read(scope, whole, {}) : [];
      for (const k of need) if (only?.[k]) objects.push(...this.read(scope, [k], { parentIds: only[k]!.parentIds }));
      const view = new Map<NetKind, NetObject[]>(need.map((k) => [k, []]));
      for (const o of objects) view.get(o.kind)!.push(o);
      const { changes, result } = plan(view);
      this.apply(scope, changes);
      return result;
    });
  }

  private read(scope: Scope, kinds: readonly NetKind[], select: { ids?: readonly string[]; vpcId?: string; parentIds?: readonly string[] }): NetObject[] {
    // By ids or parents, `+` keeps the planner off the kind index (it scanned every object of the
    // kinds in the region, then filtered), onto the unique id index or network_objects_by_parent.
    const scoped = select.ids || select.parentIds ? '+o.account_id = ? AND +o.region = ? AND +o.kind' : 'o.account_id = ? AND o.region = ? AND o.kind';
    let sql = `${SELECT} ${scoped} IN (SELECT value FROM json_each(?))`;
    const params: unknown[] = [scope.accountId, scope.region, JSON.stringify(kinds)];
    if (select.ids) {
      sql += ' AND o.id IN (SELECT value FROM json_each(?))';
      params.push(JSON.stringify(select.ids));
    }
    if (select.vpcId !== undefined) {
      sql += ' AND o.vpc_id = ?';
      params.push(select.vpcId);
    }
    if (select.parentIds) {
      sql += ' AND o.parent_id IN (SELECT value FROM json_each(?))';
      params.push(JSON.stringify(select.parentIds));
    }
    return (statement(this.db, `${sql} ORDER BY o.seq`).all(...params) as Row[]).map(fromRow);
  }

  /** Writes inside the caller's transaction. */
  private apply(scope: Scope, changes: NetChanges): void {
    const upsert = statement(
      this.db,
      `INSERT INTO network_objects (account_id, region, kind, id, vpc_id, parent_id, unique_key, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET vpc_id = excluded.vpc_id, parent_id = excluded.parent_id, unique_key = excluded.unique_key, data = excluded.data`,
    );
    const del = statement(this.db, 'DELETE FROM network_objects WHERE account_id = ? AND region = ? AND id = ?');
    const delTags = statement(this.db, 'DELETE FROM tags WHERE account_id = ? AND region = ? AND resource_id = ?');
    for (const id of changes.remove ?? []) {
      del.run(scope.accountId, scope.region, id);
      delTags.run(scope.accountId, scope.region, id);
    }
    for (const o of changes.put ?? []) {
      try {
        upsert.run(scope.accountId, scope.region, o.kind, o.id, o.vpcId ?? null, o.parentId ?? null, o.unique ?? null, JSON.stringify(o.data));
      } catch (e) {
        if (isUniqueViolation(e)) throw new NetUniqueError(o.kind, o.unique ?? o.id);
        throw e;
      }
    }
    for (const t of changes.tag ?? []) upsertTagRows(this.db, scope, t.tags.map((tag) => ({ resourceId: t.id, resourceType: t.kind, ...tag })));
  }
}
