// Starts a real ec2lite server on a random port for a test file, with an SDK client and a raw
// HTTP helper for requests no SDK would send.
//
// Engine: SQLite (in memory, or in `dataDir` when `ephemeral: false`) unless
// EC2LITE_TEST_DATABASE_URL names a PostgreSQL database: then each server gets a fresh schema in
// it, dropped at close, or, when `ephemeral: false`, a schema named after `dataDir` that outlives
// the server (so a restart test finds its data; it goes when that database is dropped).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
import { EC2Client } from '@aws-sdk/client-ec2';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startApp, type RunningApp } from '../../src/app/app.js';
import { defaultConfig, type ServerConfig } from '../../src/app/config.js';
import { createSchema, sql } from './postgres.js';

/** The PostgreSQL database the wire tests run against, when set; SQLite otherwise. */
export const TEST_DATABASE_URL = process.env.EC2LITE_TEST_DATABASE_URL || undefined;

const schemaFor = (dataDir: string) => `d_${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`;

export interface TestServer {
  app: RunningApp;
  url: string;
  client(opts?: { region?: string; accessKeyId?: string }): EC2Client;
  raw(params: Record<string, string> | string, init?: { method?: string; headers?: Record<string, string> }): Promise<RawResponse>;
  /** The server's last log lines (kept, not printed: for a failure message that must explain itself). */
  recentLog(): string;
  close(): Promise<void>;
}

/** How many of a test server's last log lines are kept. */
const LOG_LINES_KEPT = 200;

export interface RawResponse {
  status: number;
  headers: Headers;
  body: string;
}

export async function startTestServer(overrides: Partial<ServerConfig> = {}): Promise<TestServer> {
  const logLines: string[] = [];
  const keep = (line: string) => logLines.push(line) > LOG_LINES_KEPT && logLines.shift();
  const config: ServerConfig = { ...defaultConfig(), port: 0, ephemeral: true, quiet: true, rsaPoolSize: 2, logTo: overrides.quiet === false ? undefined : keep, ...overrides };
  let dropSchema = async () => {};
  if (TEST_DATABASE_URL && !overrides.database) {
    const schema = config.ephemeral
      ? await createSchema(TEST_DATABASE_URL)
      : await createSchema(TEST_DATABASE_URL, schemaFor(config.dataDir));
    if (config.ephemeral) dropSchema = schema.drop;
    config.database = schema.url;
    config.ephemeral = false;
  }
  const app = await startApp(config);
  const clients: EC2Client[] = [];
  return {
    app,
    url: app.url,
    client({ region = 'us-east-1', accessKeyId = 'AKIDEXAMPLE' } = {}) {
      const c = new EC2Client({
        endpoint: app.url,
        region,
        credentials: { accessKeyId, secretAccessKey: 'secret' },
        maxAttempts: 1,
      });
      clients.push(c);
      return c;
    },
    async raw(params, init = {}) {
      const body = typeof params === 'string' ? params : new URLSearchParams(params).toString();
      const method = init.method ?? 'POST';
      const res = await fetch(method === 'GET' ? `${app.url}/?${body}` : app.url, {
        method,
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...init.headers },
        body: method === 'GET' ? undefined : body,
      });
      return { status: res.status, headers: res.headers, body: await res.text() };
    },
    recentLog: () => logLines.join('\n'),
    async close() {
      for (const c of clients) c.destroy();
      await app.close();
      await dropSchema();
    },
  };
}

/** Runs `fn` and returns the AWS error it throws (fails the test if it does not throw). */
export async function awsError(fn: () => Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await fn();
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

export const V = '2016-11-15';

/**
 * Everything a non-ephemeral server with this `dataDir` left in storage, as named byte blobs: the
 * files under `dataDir` on SQLite; on PostgreSQL, each table of its schema dumped as text.
 */
export async function persistedBytes(dataDir: string): Promise<{ name: string; bytes: Buffer }[]> {
  if (!TEST_DATABASE_URL) {
    const filesUnder = (path: string): string[] =>
      readdirSync(path).flatMap((name) => {
        const p = join(path, name);
        return statSync(p).isDirectory() ? filesUnder(p) : [p];
      });
    return filesUnder(dataDir).map((name) => ({ name, bytes: readFileSync(name) }));
  }
  const schema = schemaFor(dataDir);
  const tables = await sql(TEST_DATABASE_URL, 'SELECT tablename FROM pg_tables WHERE schemaname = $1', [schema]);
  const blobs: { name: string; bytes: Buffer }[] = [];
  for (const { tablename } of tables) {
    const table = `${schema}.${String(tablename)}`;
    const rows = await sql(TEST_DATABASE_URL, `SELECT t::text AS row FROM ${table} t`);
    blobs.push({ name: table, bytes: Buffer.from(rows.map((r) => String(r.row)).join('\n')) });
  }
  return blobs;
}
