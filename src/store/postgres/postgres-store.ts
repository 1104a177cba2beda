// PostgreSQL adapter of the store port on `pg` (node-postgres), for several ec2lite nodes sharing
// one database. `pg` is imported only when this adapter is opened, so SQLite users never load it.
//
// Rules that must hold across nodes live in the database:
// - name uniqueness: the key_pairs_name_unique constraint (23505 → DuplicateKeyNameError);
// - the per-(account, region) key pair limit and the per-resource tag limit: every write that can
//   grow a count first locks the scope's row in `scopes` (SELECT … FOR UPDATE), then writes, then
//   counts, all in one READ COMMITTED transaction. A second writer of the same scope, on any node,
//   waits for the lock and then counts the first one's committed rows.
// Every SQL dialect detail stays in this folder. Same files as ../sqlite/: db.ts, key-pairs.ts, image-repos.ts,
// tags.ts, compute-repos.ts, migrations/.
import type { PoolConfig } from 'pg';
import { StoreUnavailableError, type Store } from '../port.js';
import { PostgresInstances, PostgresVolumes, nextSequence } from './compute-repos.js';
import { PostgresBlockData, PostgresImages, PostgresSnapshots } from './image-repos.js';
import { PostgresDocuments, PostgresLeases } from './document-repos.js';
import { Db, describe, isConnectionLoss, migrate } from './db.js';
import { PostgresKeyPairs } from './key-pairs.js';
import { migrations } from './migrations/index.js';
import { PostgresNetwork } from './network-repos.js';
import { PostgresTags } from './tags.js';
import { PostgresPushedKeys } from './pushed-keys.js';

export interface PostgresOptions {
  /** `postgres://user@host:port/db`; `?options=-c%20search_path%3Dname` selects a schema. */
  readonly url: string;
  /** Connections per node (default 10). */
  readonly poolSize?: number;
  /** Opening a connection, or waiting for a free one in the pool (default 5 s). */
  readonly connectionTimeoutMs?: number;
  /** Server-side limit on one statement, lock waits included (default 10 s). */
  readonly statementTimeoutMs?: number;
  /** Client-side limit on one query's answer, for a server that went silent (default statement + 5 s). */
  readonly queryTimeoutMs?: number;
}

export async function openPostgresStore(options: PostgresOptions): Promise<Store> {
  const { default: pg } = await import('pg');
  const statementTimeout = options.statementTimeoutMs ?? 10_000;
  const config: PoolConfig = {
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: statementTimeout,
    query_timeout: options.queryTimeoutMs ?? statementTimeout + 5_000,
    // A node that dies mid-transaction must not hold a scope lock for long.
    idle_in_transaction_session_timeout: 30_000,
    keepAlive: true,
    application_name: 'ec2lite',
  };
  const pool = new pg.Pool(config);
  // An idle connection that dies (server restart, network) is dropped by the pool; the next
  // checkout opens a fresh one. Without a listener the 'error' event would crash the process.
  pool.on('error', () => {});
  // A connection lost while checked out also emits 'error' on its client; the failing query
  // rejects as well, and that rejection is what Db handles.
  pool.on('connect', (client) => client.on('error', () => {}));
  try {
    await migrate(pool, migrations);
  } catch (e) {
    await pool.end().catch(() => {});
    if (isConnectionLoss(e)) throw new StoreUnavailableError(`database unreachable: ${describe(e)}`, 'no', { cause: e });
    throw e;
  }
  const db = new Db(pool);
  let closed: Promise<void> | undefined;
  return {
    engine: 'postgres',
    keyPairs: new PostgresKeyPairs(db),
    tags: new PostgresTags(db),
    instances: new PostgresInstances(db),
    volumes: new PostgresVolumes(db),
    blockData: new PostgresBlockData(db),
    snapshots: new PostgresSnapshots(db),
    images: new PostgresImages(db),
    documents: new PostgresDocuments(db),
    leases: new PostgresLeases(db),
    network: new PostgresNetwork(db),
    pushedKeys: new PostgresPushedKeys(db),
    nextSequence: (name) => nextSequence(db, name),
    close: () => (closed ??= pool.end()),
  };
}
