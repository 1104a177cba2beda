// PostgreSQL-only behaviour: migrations raced by several nodes, and what a lost or silent database
// does to reads (retried once), writes (StoreUnavailableError, never retried) and the API (503 /
// 500 in EC2's envelope), never a hang. Faults come from a TCP proxy between the store and the server.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CreateKeyPairCommand, DescribeKeyPairsCommand } from '@aws-sdk/client-ec2';
import { StoreUnavailableError, type KeyPairRecord, type Scope } from '../../src/store/port.js';
import { migrations } from '../../src/store/postgres/migrations/index.js';
import { awsError, startTestServer } from '../helpers/server.js';
import { sql } from '../helpers/postgres.js';
import { closeOpenedStores, engines, freshSchemaUrl, openPostgres } from '../helpers/store-engines.js';
import { startTcpProxy, throughProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const postgres = engines().find((e) => e.name === 'postgres')!;
const scope: Scope = { accountId: '123456789012', region: 'us-east-1' };
const record = (keyName: string): KeyPairRecord => ({
  keyPairId: `key-0${randomBytes(8).toString('hex')}`,
  keyName,
  keyType: 'ed25519',
  fingerprint: 'fp',
  publicKey: `ssh-ed25519 AAAA ${keyName}`,
  createTime: new Date(),
  tags: [],
});
const isCommit = (chunk: Buffer) => chunk.includes('COMMIT');
/** Rejects with StoreUnavailableError whose `applied` is as given. */
const unavailable = (applied: 'no' | 'unknown') => (e: unknown) => e instanceof StoreUnavailableError && e.applied === applied;

describe('PostgreSQL store: migrations and faults', { skip: postgres.skip, timeout: 60_000 }, () => {
  let proxy: TcpProxy;
  let url: string;
  before(async () => {
    const target = new URL(await freshSchemaUrl());
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    url = throughProxy(target.toString(), proxy);
  });
  afterEach(async () => {
    proxy.restore();
    await closeOpenedStores();
  });
  after(() => proxy?.close());

  it('applies migrations once when 6 nodes start at the same moment on an empty schema', async () => {
    const fresh = await freshSchemaUrl();
    const stores = await Promise.all(Array.from({ length: 6 }, () => openPostgres(fresh)));
    const schema = new URL(fresh).searchParams.get('options')!.split('=')[1]!;
    const versions = await sql(fresh, `SELECT version FROM ${schema}.schema_migrations ORDER BY version`);
    assert.deepEqual(versions.map((r) => r.version), migrations.map((m) => m.version));
    assert.ok(migrations.length >= 2);
    await stores[0]!.keyPairs.insert(scope, record('after-migrations'), 10);
    assert.equal((await stores[5]!.keyPairs.list(scope)).length, 1);
  });

  it('retries a read once when its connection is cut mid-query', async () => {
    const store = await openPostgres(url, { poolSize: 1 });
    await store.keyPairs.insert(scope, record('r1'), 10);
    const before = proxy.dropped;
    proxy.dropOnNextSend();
    assert.deepEqual((await store.keyPairs.list(scope)).map((k) => k.keyName), ['r1']);
    assert.equal(proxy.dropped, before + 1, 'the first attempt really lost its connection');
  });

  it('does not retry a write: a cut before COMMIT is StoreUnavailableError(applied: no) and nothing is stored', async () => {
    const store = await openPostgres(url, { poolSize: 1 });
    await store.keyPairs.list(scope); // one idle pooled connection
    proxy.dropOnNextSend();
    await assert.rejects(store.keyPairs.insert(scope, record('w-lost'), 10), unavailable('no'));
    assert.equal((await store.keyPairs.list(scope)).some((k) => k.keyName === 'w-lost'), false);
    await store.keyPairs.insert(scope, record('w-after'), 10); // the pool recovered
    assert.ok((await store.keyPairs.list(scope)).some((k) => k.keyName === 'w-after'));
  });

  it('a cut while COMMIT is in flight is StoreUnavailableError(applied: unknown)', async () => {
    const store = await openPostgres(url, { poolSize: 1 });
    await store.keyPairs.list(scope);
    proxy.dropOnNextSend(isCommit);
    await assert.rejects(store.keyPairs.insert(scope, record('w-commit'), 10), unavailable('unknown'));
    // Here the COMMIT never reached the server, so the transaction was rolled back.
    assert.equal((await store.keyPairs.list(scope)).some((k) => k.keyName === 'w-commit'), false);
  });

  it('a refused database fails reads and writes with StoreUnavailableError(applied: no)', async () => {
    const store = await openPostgres(url, { poolSize: 2 });
    proxy.refuse();
    await assert.rejects(store.keyPairs.list(scope), unavailable('no'));
    await assert.rejects(store.keyPairs.exists(scope, 'key-00000000000000000'), unavailable('no'));
    await assert.rejects(store.keyPairs.insert(scope, record('refused'), 10), unavailable('no'));
    await assert.rejects(store.tags.list(scope), unavailable('no'));
    proxy.restore();
    assert.ok(Array.isArray(await store.keyPairs.list(scope)));
  });

  it('a silent database ends in StoreUnavailableError through the query and connection timeouts, not a hang', async () => {
    const store = await openPostgres(url, { poolSize: 1, connectionTimeoutMs: 300, statementTimeoutMs: 300, queryTimeoutMs: 400 });
    await store.keyPairs.list(scope);
    proxy.silence();
    await assert.rejects(store.keyPairs.list(scope), unavailable('no')); // query timeout, then the retry's connect timeout
    await assert.rejects(store.keyPairs.insert(scope, record('silent'), 10), unavailable('no'));
  });

  it('a server on a lost database answers 503 Unavailable, and 500 InternalError when a write may have committed', async () => {
    const server = await startTestServer({ database: url, ephemeral: false });
    try {
      const client = server.client();
      await client.send(new CreateKeyPairCommand({ KeyName: 'before', KeyType: 'ed25519' }));
      proxy.dropOnNextSend(isCommit);
      const commitLost = await awsError(() => client.send(new CreateKeyPairCommand({ KeyName: 'during', KeyType: 'ed25519' })));
      assert.deepEqual([commitLost.name, commitLost.status], ['InternalError', 500]);
      proxy.refuse();
      const read = await awsError(() => client.send(new DescribeKeyPairsCommand({})));
      assert.deepEqual([read.name, read.status, read.message], ['Unavailable', 503, 'The server is currently unavailable. Please retry the request.']);
      const write = await awsError(() => client.send(new CreateKeyPairCommand({ KeyName: 'refused', KeyType: 'ed25519' })));
      assert.deepEqual([write.name, write.status], ['Unavailable', 503]);
      proxy.restore();
      const after = await client.send(new DescribeKeyPairsCommand({}));
      assert.ok(after.KeyPairs!.some((k) => k.KeyName === 'before'));
    } finally {
      await server.close();
    }
  });
});
