// Composition root: config → store, key services, action registry, protocol handler, HTTP server.
import { join } from 'node:path';
import type { Server } from 'node:http';
import { keyPairActions } from '../actions/registry.js';
import type { ActionContext } from '../actions/context.js';
import { randomIds, requestId } from '../domain/ids.js';
import { createHttpServer, listen } from '../http/server.js';
import { RsaKeyPool } from '../keys/index.js';
import { createEc2QueryHandler } from '../protocol/ec2-query.js';
import { setUpAuth } from './auth-mode.js';
import type { AuthMode } from '../protocol/authenticate.js';
import { openPostgresStore } from '../store/postgres/postgres-store.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/port.js';
import { databaseChoice, type ServerConfig } from './config.js';
import { InstanceRuntime } from '../compute/instance-runtime.js';
import { handleSshInfo } from '../compute/ssh-info-route.js';
import { consoleRoute } from '../console/serve.js';

export interface RunningApp {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly store: Store;
  readonly auth: AuthMode;
  readonly runtime: InstanceRuntime;
  close(): Promise<void>;
}

export async function startApp(config: ServerConfig): Promise<RunningApp> {
  const log = config.quiet ? () => {} : (line: string) => process.stderr.write(`${line}\n`);
  // Before anything is opened: a refused auth configuration must not leave a store or pool behind.
  const auth = setUpAuth(config);
  for (const notice of auth.notices) log(notice);
  const database = databaseChoice(config);
  const store: Store =
    database.engine === 'postgres'
      ? await openPostgresStore({ url: database.url }) // loads `pg` only now
      : openSqliteStore({ path: config.ephemeral ? ':memory:' : join(config.dataDir, 'ec2lite.sqlite') });
  const rsaPool = new RsaKeyPool({ size: config.rsaPoolSize, deferStart: true });
  const keys = { rsaPool, ppkVersion: config.ppkVersion };
  const limits = { keyPairsPerRegion: config.keyPairLimit };
  const runtime = new InstanceRuntime({ store, delays: config.instanceDelays, sshPort: config.sshPort, log });
  const context = (scope: ActionContext['scope']): ActionContext => ({
    scope,
    now: () => new Date(),
    ids: randomIds,
    store,
    keys,
    limits,
    runtime,
  });
  const handle = createEc2QueryHandler({
    registry: keyPairActions,
    authenticate: auth.authenticate,
    context,
    requestId,
    onInternalError: (e, action) => log(`internal error in ${action ?? '-'}: ${e instanceof Error ? e.stack : String(e)}`),
  });
  const server: Server = createHttpServer({
    handle,
    maxBodyBytes: config.maxBodyBytes,
    requestId,
    log,
    health: () => ({ engine: store.engine, rsaPool: rsaPool.available(), runningInstances: runtime.runningCount(), auth: auth.mode }),
  });
  // The SSH endpoint route (GET /_ec2lite/instances/<id>/ssh) sits in front of the API listener.
  const [api] = server.listeners('request') as ((...args: unknown[]) => void)[];
  server.removeAllListeners('request');
  const webConsole = consoleRoute();
  server.on('request', (req, res) => {
    if (!handleSshInfo(runtime, req, res) && !webConsole(req, res)) api!.call(server, req, res);
  });
  const address = await listen(server, config.host, config.port);
  // Instances that were running before a restart come back with their SSH endpoints.
  await runtime.resume();
  // Filled once the server answers: RSA generation would otherwise compete with start-up for the CPU.
  rsaPool.start();
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    host: address.address,
    port: address.port,
    store,
    auth: auth.mode,
    runtime,
    async close() {
      rsaPool.close();
      await runtime.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}
