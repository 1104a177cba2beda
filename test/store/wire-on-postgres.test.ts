// The whole wire suite (test/wire, the SDK against a real server) once more, with every server on
// PostgreSQL: a child `node --test dist/test/wire` with EC2LITE_TEST_DATABASE_URL pointing at a
// database made for this run (test/helpers/server.ts then gives each server a schema of its own).
// `npm test` thus runs the wire suite on both engines with one command, and a failure on PostgreSQL
// fails `npm test`, with the child's failing tests in the message.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, postgresSkipReason, sql, type TestDatabase } from '../helpers/postgres.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const skip = await postgresSkipReason();

function runWireSuite(databaseUrl: string): Promise<{ code: number; output: string }> {
  // Without NODE_TEST_CONTEXT (set by the runner running this file) the child is a runner of its own.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const child = spawn(process.execPath, ['--test', '--test-reporter=tap', '--test-concurrency=2', 'dist/test/wire'], {
    cwd: root,
    env: { ...env, EC2LITE_TEST_DATABASE_URL: databaseUrl, EC2LITE_DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

const summary = (output: string, name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(output)?.[1] ?? NaN);

describe('the wire suite on PostgreSQL', { skip }, () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(() => db?.drop());

  it('passes entirely with every server on PostgreSQL', async () => {
    const { code, output } = await runWireSuite(db.url);
    const failures = output.split('\n').filter((l) => /^\s*not ok /.test(l));
    assert.equal(code, 0, `wire suite on PostgreSQL failed:\n${failures.join('\n')}\n…\n${output.slice(-4000)}`);
    assert.equal(summary(output, 'fail'), 0);
    assert.ok(summary(output, 'pass') >= 50, `too few wire tests ran: ${summary(output, 'pass')}`);
    // The servers really were on PostgreSQL: the restart tests' schemas (kept until the database is
    // dropped) hold what they wrote: four key pairs (restart.test), one Auto Scaling group
    // (autoscaling-restart.test), an archived snapshot and no key pair or group (snapshot-tiers.test).
    const schemas = (await sql(db.url, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'd\\_%'")).map((r) => String(r.nspname));
    assert.equal(schemas.length, 3, 'three persistent (restart test) schemas');
    const counts = [];
    for (const schema of schemas) {
      const [k] = await sql(db.url, `SELECT count(*)::int AS n FROM ${schema}.key_pairs`);
      const [g] = await sql(db.url, `SELECT count(*)::int AS n FROM ${schema}.documents WHERE kind = 'auto-scaling-group'`);
      counts.push([k!.n, g!.n]);
    }
    assert.deepEqual(counts.sort(), [[0, 0], [1, 1], [4, 0]]);
  });
});
