// Composition root: config → store, guest engines, key services, action registry, protocol handler, HTTP server.
import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { apiActions } from '../actions/registry.js';
import { autoScalingActions } from '../actions/autoscaling/registry.js';
import { AutoScalingReconciler } from '../autoscaling/reconciler.js';
import { createAutoScalingQueryHandler } from '../protocol/autoscaling-query.js';
import { createServiceRouter } from '../protocol/service-router.js';
import { createStsQueryHandler } from '../protocol/sts-query.js';
import { createInstanceConnectHandler } from '../protocol/instance-connect-json.js';
import { instanceConnectActions } from '../actions/instance-connect/registry.js';
import { connectionAdmit, memberRules, securityGroupAdmit } from '../compute/network/admission.js';
import type { ActionContext } from '../actions/context.js';
import { randomIds, requestId } from '../domain/ids.js';
import { createHttpServer, listen } from '../http/server.js';
import { json, RouteTable } from '../http/routes.js';
import { openFilesLimit, RESERVED_FILES } from './open-files.js';
import { LEAN_HEAP_FLAGS, afterLargeAnswer, applyHeapProfile } from './heap.js';
import { RsaKeyPool } from '../keys/index.js';
import { createEc2QueryHandler } from '../protocol/ec2-query.js';
import { setUpAuth } from './auth-mode.js';
import type { AuthMode } from '../protocol/authenticate.js';
import { openPostgresStore } from '../store/postgres/postgres-store.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/port.js';
import { databaseChoice, type ServerConfig } from './config.js';
import { InstanceRuntime, type InstanceRef } from '../compute/instance-runtime.js';
import { guestEngines } from './engines.js';
import { addEngineImages } from '../compute/image-catalogue.js';
import type { GuestEngine } from '../compute/guest-engine.js';
import { CONSOLE_ASSET_PATH, CONSOLE_PAGE_PATH, consoleFiles } from '../console/serve.js';
import { terminalUpgrade } from '../console/terminal.js';

export const HEALTH_PATH = '/_ec2lite/health';
/** GET → {"instanceId","host","port","user","node"} for a running instance (whichever node runs it), else 404 {"error"}. */
export const SSH_INFO_PATH = /^\/_ec2lite\/instances\/(i-[0-9a-f]{8,17})\/ssh$/;

export interface RunningApp {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly store: Store;
  readonly auth: AuthMode;
  readonly runtime: InstanceRuntime;
  readonly reconciler: AutoScalingReconciler;
  /** The guest engines wired (tests reach the worker engine's shards through `loaded()`). */
  readonly engines: readonly GuestEngine[];
  close(): Promise<void>;
}

export async function startApp(config: ServerConfig): Promise<RunningApp> {
  // A safety net under the server's own regular expressions (issue 19): one that backtracks past
  // V8's threshold on some input is re-run by V8's linear-time engine. Tenant patterns never reach
  // V8's engine (src/domain/regex/); this covers a validation or parsing RegExp we missed.
  setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
  const log = config.logTo ?? (config.quiet ? () => {} : (line: string) => process.stderr.write(`${line}\n`));
  // Before anything is opened: a refused auth configuration must not leave a store or pool behind.
  const auth = setUpAuth(config);
  for (const notice of auth.notices) log(notice);
  const database = databaseChoice(config);
  const store: Store =
    database.engine === 'postgres'
      ? await openPostgresStore({ url: database.url }) // loads `pg` only now
      : openSqliteStore({ path: config.ephemeral ? ':memory:' : join(config.dataDir, 'ec2lite.sqlite') });
  // The heap profile (heap.ts) applies to the whole process; starting a worker thread resets V8
  // flags set at run time, so each RSA thread's start applies it again.
  applyHeapProfile(config.heap);
  const rsaPool = new RsaKeyPool({ size: config.rsaPoolSize, deferStart: true, onThreadStart: () => applyHeapProfile(config.heap) });
  const keys = { rsaPool, ppkVersion: config.ppkVersion };
  const limits = { keyPairsPerRegion: config.keyPairLimit, vpcsPerRegion: config.vpcLimit, addressesPerRegion: config.addressLimit };
  // One SQLite file serves one process, so its node keeps one name across restarts and takes its
  // instances back at start; on PostgreSQL each process is a node of its own (docs/scaling.md).
  const nodeId = store.engine === 'sqlite' ? 'sqlite' : randomUUID();
  // Real instances (crun, issue 24): only when asked for, so a server without them loads none of it.
  // guest processes get the server's heap profile (their heaps hold the guests' garbage)
  const engines = guestEngines({ store, log, names: config.engines, guestProcesses: { ...config.guestProcesses, runtimeFlags: config.heap === 'lean' ? LEAN_HEAP_FLAGS : [] }, guestCpuMs: config.guestCpuMs });
  let removeEngineImages: (() => void) | undefined;
  let releaseEngineState: (() => void) | undefined;
  if (config.realImages.length > 0) {
    const { crunGuestEngine } = await import('../engines/crun/real-engine.js');
    const { defaultImageCache } = await import('../engines/crun/images.js');
    const { MetadataService } = await import('../guest/imds.js');
    const { claimStateDir } = await import('../engines/crun/state-dir.js');
    // A directory of its own: a server clears its directory's leftovers at start, which would end another live server's instances.
    const state = claimStateDir(
      join(config.dataDir, 'crun'),
      store.engine === 'postgres' ? { kind: 'node', nodeId } : config.ephemeral ? { kind: 'ephemeral' } : { kind: 'persistent' },
    );
    releaseEngineState = () => state.release();
    const crun = crunGuestEngine({
      stateDir: state.dir,
      staleStateDirs: state.stale,
      imageCache: config.imageCache ?? defaultImageCache(),
      imageKeys: config.realImages,
      init: config.realInit,
      log,
      metadataService: (md, options) => new MetadataService(md, options),
    });
    // A killed server's instances died with it (parent-death signals); what crun and the cgroups kept goes before any resumes.
    const cleared = await crun.clearLeftovers();
    if (cleared.length) log(`real instances: cleared what a previous run left of ${cleared.join(', ')}`);
    removeEngineImages = addEngineImages(crun.images());
    engines.push(crun);
    for (const key of config.realImages) {
      const why = crun.unfit(key);
      log(why ? `real image ${key}: launches will be refused: ${why}` : `real image ${key}: instances run under crun`);
    }
  }
  // EC2 Instance Connect: keys pushed through any node, read from the store at each use (sshd's
  // AuthorizedKeysCommand and IMDS managed-ssh-keys), expiring by the login clock (tests move it).
  const loginClock = config.login.now ?? (() => new Date());
  const pushedKeys = (ref: InstanceRef, user?: string) => store.pushedKeys.active(ref.scope, ref.instanceId, loginClock(), user);
  const runtime = new InstanceRuntime({
    store,
    engines,
    delays: config.instanceDelays,
    storageDelayMs: config.storageDelayMs,
    sshPort: config.sshPort,
    ssh: {
      limits: config.sshLimits,
      // Security groups (issue 20): each new connection is checked against the instance's groups now.
      admit: config.enforceSecurityGroups ? securityGroupAdmit(store, log) : undefined,
      extraAuthorizedKeys: async (ref, user) => (await pushedKeys(ref, user)).map((k) => k.publicKey),
    },
    pushedKeys: (ref) => pushedKeys(ref),
    // A real guest network's connections (published ports, instance to instance): the same groups.
    traffic: config.enforceSecurityGroups ? connectionAdmit(store) : undefined,
    trafficRules: config.enforceSecurityGroups ? memberRules(store) : undefined,
    log,
    nodeId,
    leases: config.instanceLeases,
  });
  // The reconciler and the actions know each other only through `autoScaling.wake()`.
  let reconciler: AutoScalingReconciler | undefined;
  const autoScaling = { wake: () => reconciler?.wake(), launchConfigurationsEnabled: config.autoScaling.launchConfigurations };
  const context = (scope: ActionContext['scope']): ActionContext => ({
    scope,
    now: () => new Date(),
    ids: randomIds,
    store,
    keys,
    limits,
    runtime,
    autoScaling,
    login: config.login,
  });
  reconciler = new AutoScalingReconciler({ store, context, timings: config.autoScaling, log });
  const onInternalError = (e: unknown, action: string | undefined) =>
    log(`internal error in ${action ?? '-'}: ${e instanceof Error ? e.stack : String(e)}`);
  // One port, two Query services: EC2 and Auto Scaling, told apart by the SigV4 scope's service.
  const handle = createServiceRouter({
    ec2: createEc2QueryHandler({ registry: apiActions, authenticate: auth.authenticate, context, requestId, onInternalError }),
    autoScaling: createAutoScalingQueryHandler({ registry: autoScalingActions, authenticate: auth.authenticate, context, requestId, onInternalError }),
    isAutoScalingAction: (a) => autoScalingActions.get(a) !== undefined,
    isEc2Action: (a) => apiActions.get(a) !== undefined,
    sts: createStsQueryHandler({ authenticate: auth.authenticate, requestId }),
    instanceConnect: createInstanceConnectHandler({ actions: instanceConnectActions, authenticate: auth.authenticate, context, requestId, onInternalError }),
  });
  // Everything that is not the EC2 API (docs/architecture.md, "Internal routes").
  const webConsole = consoleFiles();
  const fileLimit = openFilesLimit();
  if (fileLimit !== undefined && fileLimit - RESERVED_FILES < 4096) {
    log(`open files limit ${fileLimit}: at most about ${Math.max(0, fileLimit - RESERVED_FILES)} running instances (raise the hard limit: ulimit -Hn, LimitNOFILE)`);
  }
  const routes = new RouteTable()
    .get(HEALTH_PATH, () =>
      json(200, {
        status: 'ok',
        engine: store.engine,
        rsaPool: rsaPool.available(),
        runningInstances: runtime.runningCount(),
        openFilesLimit: fileLimit === Number.POSITIVE_INFINITY ? 'unlimited' : (fileLimit ?? null),
        auth: auth.mode,
        autoScalingNode: reconciler!.nodeId,
        instanceNode: runtime.nodeId,
      }),
    )
    .get(SSH_INFO_PATH, async ({ params: [id] }) => {
      // How `ec2lite ssh` learns the port when it is not 22; nothing secret (DescribeInstances has the
      // address). Any node answers: the owning node publishes its endpoint in the instance's lease.
      const info = await runtime.locate(id!);
      return info ? json(200, { instanceId: id, ...info, securityGroups: config.enforceSecurityGroups ? 'enforce' : 'off' }) : json(404, { error: `instance ${id} is not running` });
    })
    // The web console: its page at / and its bundle (src/console; it speaks the API as any client).
    .get(CONSOLE_PAGE_PATH, webConsole.page)
    .get(CONSOLE_ASSET_PATH, webConsole.asset);
  // The console terminal (a WebSocket on this port): EC2 Instance Connect with a key made per session.
  const terminal = terminalUpgrade({ authenticate: auth.authenticate, context, runtime, idleMs: config.login.terminalIdleMs, log });
  const server: Server = createHttpServer({
    handle,
    maxBodyBytes: config.maxBodyBytes,
    requestId,
    log,
    routes,
    afterLargeAnswer: afterLargeAnswer(config.heap),
    browsers: { allowedHosts: config.allowedHosts },
    onUpgrade: terminal.upgrade,
  });
  const address = await listen(server, config.host, config.port);
  // Instances that were running before a restart come back with their SSH endpoints.
  await runtime.resume();
  // Groups pick up where they were (after the instances they count on are back).
  reconciler.start();
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
    reconciler,
    engines,
    async close() {
      rsaPool.close();
      await reconciler!.close();
      terminal.closeAll();
      await runtime.close();
      releaseEngineState?.();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      removeEngineImages?.();
    },
  };
}
