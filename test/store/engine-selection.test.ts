// Choosing the engine: `--database` / EC2LITE_DATABASE_URL, SQLite by default, `pg` loaded only
// for a postgres:// URL, and --ephemeral refused with PostgreSQL.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { databaseChoice } from '../../src/app/config.js';
import { freshSchemaUrl, engines } from '../helpers/store-engines.js';
import { runAsync, type ProcessResult } from '../helpers/tools.js';

const root = fileURLToPath(new URL('../../../', import.meta.url)); // dist/test/store → repository root
const postgres = engines().find((e) => e.name === 'postgres')!;

const node = (args: string[], env: Record<string, string> = {}): Promise<ProcessResult> =>
  runAsync(process.execPath, args, { cwd: root, env: { ...process.env, ...env } });

/** Starts the app in a fresh process and prints its engine and whether node-postgres got loaded. */
const probe = (config: Record<string, unknown>) => `
  import { createRequire } from 'node:module';
  import { startApp } from './dist/src/app/app.js';
  import { defaultConfig } from './dist/src/app/config.js';
  const app = await startApp({ ...defaultConfig(), port: 0, quiet: true, rsaPoolSize: 1, ...${JSON.stringify(config)} });
  const loaded = Object.keys(createRequire(import.meta.url).cache).some((p) => p.includes('/node_modules/pg/'));
  console.log(JSON.stringify({ engine: app.store.engine, pgLoaded: loaded }));
  await app.close();
`;

describe('engine selection', () => {
  it('reads the database setting: sqlite by default, postgres:// and postgresql:// URLs, nothing else', () => {
    assert.deepEqual(databaseChoice({ database: 'sqlite', ephemeral: true }), { engine: 'sqlite' });
    assert.deepEqual(databaseChoice({ database: '', ephemeral: false }), { engine: 'sqlite' });
    const url = 'postgresql://u:secret@db:5432/ec2lite';
    assert.deepEqual(databaseChoice({ database: url, ephemeral: false }), { engine: 'postgres', url });
    assert.throws(() => databaseChoice({ database: url, ephemeral: true }), /--ephemeral applies to SQLite only/);
    assert.throws(() => databaseChoice({ database: 'mysql://u:secret@db/x', ephemeral: false }), (e: Error) => {
      assert.match(e.message, /must be 'sqlite' or a postgres:\/\/ URL/);
      assert.doesNotMatch(e.message, /secret/, 'the password is not echoed');
      return true;
    });
  });

  it('ec2lite serve refuses --ephemeral with a PostgreSQL --database, and documents --database', async () => {
    const refused = await node(['dist/src/cli/main.js', 'serve', '--port', '0', '--ephemeral', '--database', 'postgres://x@127.0.0.1/none']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--ephemeral applies to SQLite only/);
    const help = await node(['dist/src/cli/main.js', 'serve', '--help']);
    assert.match(help.stdout, /--database DB +'sqlite' \(default\) or a postgres:\/\/.*EC2LITE_DATABASE_URL/s);
  });

  it('never loads node-postgres on SQLite', async () => {
    const out = await node(['--input-type=module', '-e', probe({ ephemeral: true })], { EC2LITE_DATABASE_URL: '' });
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(JSON.parse(out.stdout), { engine: 'sqlite', pgLoaded: false });
  });

  it('loads node-postgres for a postgres:// URL (from the environment too)', { skip: postgres.skip }, async () => {
    const url = await freshSchemaUrl();
    const out = await node(['--input-type=module', '-e', probe({ database: url })]);
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(JSON.parse(out.stdout), { engine: 'postgres', pgLoaded: true });
    const fromEnv = await node(['--input-type=module', '-e', probe({})], { EC2LITE_DATABASE_URL: url });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    assert.deepEqual(JSON.parse(fromEnv.stdout), { engine: 'postgres', pgLoaded: true });
  });
});
