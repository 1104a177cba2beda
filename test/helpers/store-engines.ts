// The storage engines a store test loops over: `for (const engine of engines()) describe(engine.name, …)`.
// SQLite runs in memory (or in a temporary file when several stores must share it); PostgreSQL
// runs in one database created for the test file, a fresh schema per opened storage.
import { after } from 'node:test';
import { openPostgresStore, type PostgresOptions } from '../../src/store/postgres/postgres-store.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { InstanceRecord, Store, VolumeRecord } from '../../src/store/port.js';
import { createSchema, createTestDatabase, postgresSkipReason, type TestDatabase } from './postgres.js';
import { tempDir } from './tools.js';

export interface Engine {
  readonly name: 'sqlite' | 'postgres';
  /** Set when the engine is not available here (never in CI). */
  readonly skip: string | undefined;
  /** A store on fresh, empty storage. Closed by closeOpenedStores() or after the test file. */
  open(): Promise<Store>;
  /** `n` stores on one fresh storage, as `n` nodes would share it. Closed like open()'s. */
  openShared(n: number): Promise<Store[]>;
}

const opened: Store[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
/** Closes every store opened so far (each holds a pool of connections on PostgreSQL). */
export async function closeOpenedStores(): Promise<void> {
  await Promise.all(opened.splice(0).map((s) => s.close()));
}
after(async () => {
  await closeOpenedStores();
  for (const c of cleanups.splice(0).reverse()) await c();
});
const track = (s: Store): Store => (opened.push(s), s);

const sqlite: Engine = {
  name: 'sqlite',
  skip: undefined,
  open: async () => track(openSqliteStore({ path: ':memory:' })),
  openShared: async (n) => {
    const dir = tempDir('ec2lite-store-');
    cleanups.push(() => dir.cleanup());
    return Array.from({ length: n }, () => track(openSqliteStore({ path: dir.file('shared.sqlite') })));
  },
};

let database: Promise<TestDatabase> | undefined;
/** The PostgreSQL database of this test file, created on first use, dropped after the file. */
export function testDatabase(): Promise<TestDatabase> {
  if (!database) {
    database = createTestDatabase();
    cleanups.unshift(async () => (await database!).drop()); // runs last: after every store closed
  }
  return database;
}

/** A fresh schema in this file's database; its URL selects the schema. */
export async function freshSchemaUrl(): Promise<string> {
  const schema = await createSchema((await testDatabase()).url);
  return schema.url;
}

export async function openPostgres(url: string, options: Omit<PostgresOptions, 'url'> = {}): Promise<Store> {
  return track(await openPostgresStore({ url, ...options }));
}

const postgresSkip = await postgresSkipReason();

const postgres: Engine = {
  name: 'postgres',
  skip: postgresSkip,
  open: async () => openPostgres(await freshSchemaUrl()),
  openShared: async (n) => {
    const url = await freshSchemaUrl();
    const stores: Store[] = [];
    for (let i = 0; i < n; i++) stores.push(await openPostgres(url));
    return stores;
  },
};

export function engines(): Engine[] {
  return [sqlite, postgres];
}

/** The root volume an instance record of a store test boots from: 8 GiB gp3 at /dev/xvda, attached at launch. */
export function rootVolumeOf(instance: InstanceRecord): VolumeRecord {
  return {
    volumeId: instance.rootVolumeId,
    size: 8,
    availabilityZone: instance.availabilityZone,
    volumeType: 'gp3',
    createTime: instance.launchTime,
    state: 'in-use',
    attachment: { instanceId: instance.instanceId, device: '/dev/xvda', state: 'attached', attachTime: instance.launchTime, deleteOnTermination: true },
    tags: [],
  };
}
