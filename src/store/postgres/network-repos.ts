// PostgreSQL repository of network objects (issue 20), the counterpart of ../sqlite/network-repos.ts.
// initialise() inserts the scope's row with ON CONFLICT DO NOTHING: a second node doing the same
// waits on the primary key until the first commits, then finds the row and builds nothing.
// change() locks the scope's row in `scopes` first, so plans of one scope run one at a time on
// every node, and limits and overlaps they check hold.
import type { PoolClient } from 'pg';
import type { Tag } from '../../domain/tags.js';
import { NetUniqueError, type NetChanges, type NetKind, type NetObject, type NetView, type NetworkRepository, type Scope } from '../port.js';
import { codeOf, lockScope, rows, upsertTagRows, type Db } from './db.js';

const UNIQUE_VIOLATION = '23505';

interface Row {
  kind: NetKind;
  id: string;
  vpc_id: string | null;
  parent_id: string | null;
  unique_key: string | null;
  data: string;
  tags: string;
}

const fromRow = (r: Row): NetObject => ({
  kind: r.kind,
  id: r.id,
  ...(r.vpc_id === null ? {} : { vpcId: r.vpc_id }),
  ...(r.parent_id === null ? {} : { parentId: r.parent_id }),
  ...(r.unique_key === null ? {} : { unique: r.unique_key }),
  data: JSON.parse(r.data) as unknown,
  tags: JSON.parse(r.tags) as Tag[],
});

type Select = { ids?: readonly string[]; vpcId?: string; parentIds?: readonly string[] };

async function read(c: PoolClient, scope: Scope, kinds: readonly NetKind[], select: Select): Promise<NetObject[]> {
  const params: unknown[] = [scope.accountId, scope.region, [...kinds]];
  let sql = `SELECT o.kind, o.id, o.vpc_id, o.parent_id, o.unique_key, o.data::text AS data,
      coalesce((SELECT json_agg(json_build_object('key', t.key, 'value', t.value) ORDER BY t.seq)
         FROM tags t WHERE t.account_id = o.account_id AND t.region = o.region AND t.resource_id = o.id), '[]'::json)::text AS tags
    FROM network_objects o WHERE o.account_id = $1 AND o.region = $2 AND o.kind = ANY($3::text[])`;
  if (select.ids) {
    params.push([...select.ids]);
    sql += ` AND o.id = ANY($${params.length}::text[])`;
  }
  if (select.vpcId !== undefined) {
    params.push(select.vpcId);
    sql += ` AND o.vpc_id = $${params.length}`;
  }
  if (select.parentIds) {
    params.push([...select.parentIds]);
    sql += ` AND o.parent_id = ANY($${params.length}::text[])`;
  }
  return (await rows<Row>(c, `${sql} ORDER BY o.seq`, params)).map(fromRow);
}

async function apply(c: PoolClient, scope: Scope, changes: NetChanges): Promise<void> {
  if (changes.remove?.length) {
    const ids = [...changes.remove];
    await c.query('DELETE FROM network_objects WHERE account_id = $1 AND region = $2 AND id = ANY($3::text[])', [scope.accountId, scope.region, ids]);
    await c.query('DELETE FROM tags WHERE account_id = $1 AND region = $2 AND resource_id = ANY($3::text[])', [scope.accountId, scope.region, ids]);
  }
  for (const o of changes.put ?? []) {
    try {
      // A savepoint keeps the transaction usable when the unique index refuses the row.
      await c.query('SAVEPOINT net_put');
      await c.query(
        `INSERT INTO network_objects (account_id, region, kind, id, vpc_id, parent_id, unique_key, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)
         ON CONFLICT (id) DO UPDATE SET vpc_id = excluded.vpc_id, parent_id = excluded.parent_id, unique_key = excluded.unique_key, data = excluded.data`,
        [scope.accountId, scope.region, o.kind, o.id, o.vpcId ?? null, o.parentId ?? null, o.unique ?? null, JSON.stringify(o.data)],
      );
      await c.query('RELEASE SAVEPOINT net_put');
    } catch (e) {
      if (codeOf(e) === UNIQUE_VIOLATION) throw new NetUniqueError(o.kind, o.unique ?? o.id);
      throw e;
    }
  }
  for (const t of changes.tag ?? []) {
    await upsertTagRows(c, scope, t.tags.map((tag) => ({ resourceId: t.id, resourceType: t.kind, ...tag })));
  }
}

export class PostgresNetwork implements NetworkRepository {
  constructor(private readonly db: Db) {}

  initialise(scope: Scope, build: () => NetChanges): Promise<boolean> {
    return this.db.write(async (c) => {
      const r = await c.query('INSERT INTO network_scopes (account_id, region) VALUES ($1, $2) ON CONFLICT DO NOTHING', [scope.accountId, scope.region]);
      if (r.rowCount === 0) return false;
      await apply(c, scope, build());
      return true;
    });
  }

  list<T>(scope: Scope, kind: NetKind, select: Select = {}): Promise<NetObject<T>[]> {
    return this.db.read((c) => read(c, scope, [kind], select)) as Promise<NetObject<T>[]>;
  }

  addressesInUse(scope: Scope): Promise<Map<string, number>> {
    return this.db.read(async (c) => {
      const found = await rows<{ subnet: string | null; n: string }>(
        c,
        `SELECT data->>'subnetId' AS subnet,
                count(*) + coalesce(sum(CASE WHEN jsonb_typeof(data->'secondaryPrivateIps') = 'array' THEN jsonb_array_length(data->'secondaryPrivateIps') END), 0) AS n
           FROM network_objects WHERE account_id = $1 AND region = $2 AND kind = 'network-interface' GROUP BY 1`,
        [scope.accountId, scope.region],
      );
      return new Map(found.filter((r) => r.subnet !== null).map((r) => [r.subnet!, Number(r.n)]));
    });
  }

  change<T>(
    scope: Scope,
    need: readonly NetKind[],
    plan: (view: NetView) => { changes: NetChanges; result: T },
    only?: Partial<Record<NetKind, { parentIds: readonly string[] }>>,
  ): Promise<T> {
    return this.db.write(async (c) => {
      await lockScope(c, scope);
      const whole = need.filter((k) => !only?.[k]);
      const objects = whole.length ? await read(c, scope, whole, {}) : [];
      for (const k of need) if (only?.[k]) objects.push(...(await read(c, scope, [k], { parentIds: only[k]!.parentIds })));
      const view = new Map<NetKind, NetObject[]>(need.map((k) => [k, []]));
      for (const o of objects) view.get(o.kind)!.push(o);
      const { changes, result } = plan(view);
      await apply(c, scope, changes);
      return result;
    });
  }
}
