// PostgreSQL for tests: the server this kind of machine runs on 127.0.0.1:5432 (trust auth,
// database `test`), or EC2LITE_TEST_POSTGRES_URL. Each test run works in a database or schema of
// its own and drops it afterwards. In CI (env CI set) an unreachable server is a failure; outside
// CI the PostgreSQL tests are skipped with a loud message.
import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';

export const POSTGRES_URL = process.env.EC2LITE_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test';

const redact = (url: string) => url.replace(/\/\/[^@/]*@/, '//…@');

async function connect(url: string): Promise<Client> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** Runs SQL on its own short-lived connection. */
export async function sql(url: string, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = await connect(url);
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}

let probed: Promise<string | undefined> | undefined;

/**
 * `undefined` when PostgreSQL answers; otherwise the reason to skip, printed to stderr.
 * Throws in CI, where a missing PostgreSQL must fail the run.
 */
export function postgresSkipReason(): Promise<string | undefined> {
  return (probed ??= (async () => {
    try {
      await sql(POSTGRES_URL, 'SELECT 1');
      return undefined;
    } catch (e) {
      const reason = `PostgreSQL not reachable at ${redact(POSTGRES_URL)} (${(e as Error).message})`;
      if (process.env.CI) throw new Error(`CI: ${reason}; the PostgreSQL tests must run in CI`);
      process.stderr.write(`\n*** SKIPPING PostgreSQL tests: ${reason}. Start one (see .ci/run) or set EC2LITE_TEST_POSTGRES_URL. ***\n\n`);
      return reason;
    }
  })());
}

export const uniqueName = (prefix: string) => `${prefix}_${randomBytes(6).toString('hex')}`;

/** The same URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The same URL with `search_path` set to one schema, so every unqualified table lives there. */
export function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** A fresh database `ec2lite_test_<random>` on the test server; `drop()` removes it. */
export async function createTestDatabase(baseUrl = POSTGRES_URL): Promise<TestDatabase> {
  const name = uniqueName('ec2lite_test');
  await sql(baseUrl, `CREATE DATABASE ${name}`);
  return {
    url: withDatabase(baseUrl, name),
    drop: async () => {
      await sql(baseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** A schema in `databaseUrl` (fresh unless named); its URL selects it through search_path. */
export async function createSchema(databaseUrl: string, name = uniqueName('s')): Promise<TestDatabase> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad schema name ${name}`);
  await sql(databaseUrl, `CREATE SCHEMA IF NOT EXISTS ${name}`);
  return {
    url: withSearchPath(databaseUrl, name),
    drop: async () => {
      await sql(databaseUrl, `DROP SCHEMA IF EXISTS ${name} CASCADE`);
    },
  };
}
