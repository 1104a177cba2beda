// Migration 4 on a store that already holds volumes: their filesystems (the `filesystem` column
// of migration 2) move whole into block_data, and a guest loads them as before. Both engines.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import pg from 'pg';
import { migrate as migrateSqlite } from '../../src/store/sqlite/db.js';
import { migrations as sqliteMigrations } from '../../src/store/sqlite/migrations/index.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { migrate as migratePostgres } from '../../src/store/postgres/db.js';
import { migrations as postgresMigrations } from '../../src/store/postgres/migrations/index.js';
import { closeOpenedStores, engines, freshSchemaUrl, openPostgres } from '../helpers/store-engines.js';
import { tempDir } from '../helpers/tools.js';

const dir = tempDir('ec2lite-migration-');
after(async () => {
  await closeOpenedStores();
  dir.cleanup();
});

const FS = { format: 'ec2lite-fs/1', partitioned: true, rootIno: 1, nextIno: 2, inodes: [{ ino: 1, type: 'dir', mode: 493, uid: 0, gid: 0, mtime: 0, ctime: 0, entries: [] }] };
const VOLUME = JSON.stringify({ volumeId: 'vol-0aaaaaaaaaaaaaaaa', size: 8, availabilityZone: 'us-east-1a', volumeType: 'gp3', createTime: '2025-01-15T00:00:00.000Z', state: 'in-use' });

describe('migration 4 keeps saved filesystems', () => {
  it('on SQLite', async () => {
    const path = dir.file('old.sqlite');
    const db = new Database(path);
    migrateSqlite(db, sqliteMigrations.filter((m) => m.version <= 3));
    db.prepare('INSERT INTO volumes (account_id, region, volume_id, data, filesystem) VALUES (?, ?, ?, ?, ?)').run('000000000000', 'us-east-1', 'vol-0aaaaaaaaaaaaaaaa', VOLUME, JSON.stringify(FS));
    db.close();
    const store = openSqliteStore({ path });
    try {
      assert.deepEqual(await store.blockData.load('vol-0aaaaaaaaaaaaaaaa'), { base: undefined, data: FS });
      assert.equal((await store.volumes.list({ accountId: '000000000000', region: 'us-east-1' }))[0]!.volumeId, 'vol-0aaaaaaaaaaaaaaaa');
    } finally {
      await store.close();
    }
  });

  const postgres = engines().find((e) => e.name === 'postgres')!;
  it('on PostgreSQL', { skip: postgres.skip }, async () => {
    const url = await freshSchemaUrl();
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      await migratePostgres(pool, postgresMigrations.filter((m) => m.version <= 3));
      await pool.query('INSERT INTO volumes (account_id, region, volume_id, data, filesystem) VALUES ($1, $2, $3, $4::jsonb, $5)', [
        '000000000000',
        'us-east-1',
        'vol-0aaaaaaaaaaaaaaaa',
        VOLUME,
        JSON.stringify(FS),
      ]);
    } finally {
      await pool.end();
    }
    const store = await openPostgres(url);
    assert.deepEqual(await store.blockData.load('vol-0aaaaaaaaaaaaaaaa'), { base: undefined, data: FS });
  });
});
