// SQLite adapter of the store port on better-sqlite3: WAL, synchronous=FULL so an acknowledged
// write survives a crash, and BEGIN IMMEDIATE transactions (./db.ts), which serialise writers
// (also across processes sharing the file) so a limit counted inside the transaction holds.
// Same files as ../postgres/: db.ts, key-pairs.ts, tags.ts, compute-repos.ts, image-repos.ts, migrations/.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Store } from '../port.js';
import { SqliteInstances, SqliteVolumes, nextSequence } from './compute-repos.js';
import { SqliteBlockData, SqliteImages, SqliteSnapshots } from './image-repos.js';
import { SqliteDocuments, SqliteLeases } from './document-repos.js';
import { migrate } from './db.js';
import { SqliteKeyPairs } from './key-pairs.js';
import { migrations } from './migrations/index.js';
import { SqliteNetwork } from './network-repos.js';
import { SqliteTags } from './tags.js';
import { SqlitePushedKeys } from './pushed-keys.js';

export interface SqliteOptions {
  /** A file path, or ':memory:' for an ephemeral store. */
  readonly path: string;
}

export function openSqliteStore({ path }: SqliteOptions): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db, migrations);
  return {
    engine: 'sqlite',
    keyPairs: new SqliteKeyPairs(db),
    tags: new SqliteTags(db),
    instances: new SqliteInstances(db),
    volumes: new SqliteVolumes(db),
    blockData: new SqliteBlockData(db),
    snapshots: new SqliteSnapshots(db),
    images: new SqliteImages(db),
    documents: new SqliteDocuments(db),
    leases: new SqliteLeases(db),
    network: new SqliteNetwork(db),
    pushedKeys: new SqlitePushedKeys(db),
    nextSequence: async (name) => nextSequence(db, name),
    close: async () => {
      db.close();
    },
  };
}
