// Server configuration: flags over environment over defaults.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { AuthMode } from '../protocol/authenticate.js';
import { heapProfileFrom, type HeapProfile } from './heap.js';
import { parseMaxStartups, type SshLimits } from '../compute/ssh/limits.js';

export interface ServerConfig {
  host: string;
  port: number;
  /** Where the SQLite database lives; ignored when `ephemeral` or on PostgreSQL. */
  dataDir: string;
  /** `sqlite` (the default: a file in `dataDir`) or a `postgres://…` URL shared by several nodes. */
  database: string;
  /** Keep all state in memory (lost on exit). SQLite only. */
  ephemeral: boolean;
  quiet: boolean;
  /** Where log lines go instead of stderr (an embedding program, a test keeping them for its failure messages). */
  logTo?: (line: string) => void;
  keyPairLimit: number;
  /** Network quotas per account and Region (issue 20): AWS's defaults, raisable as through Service Quotas. */
  vpcLimit: number;
  addressLimit: number;
  ppkVersion: 2 | 3;
  rsaPoolSize: number;
  maxBodyBytes: number;
  /** undefined: `open` when listening on loopback only, `strict` otherwise. */
  auth: AuthMode | undefined;
  /** Strict mode's credentials file; undefined means EC2LITE_CREDENTIALS or ./.ec2lite/credentials.json. */
  credentialsFile: string | undefined;
  /** Explicit consent to serve `open` (unverified) auth beyond loopback. */
  allowOpenOnNetwork: boolean;
  /** Host names browsers may reach the server by, besides addresses, localhost and the machine's name (DNS rebinding). */
  allowedHosts: string[];
  /** Milliseconds an instance spends in pending / stopping / shutting-down. */
  instanceDelays: { start: number; stop: number; terminate: number };
  /** Milliseconds a volume spends creating/attaching/detaching, a snapshot pending, an image pending. */
  storageDelayMs: number;
  /** Port each instance's SSH endpoint tries first on its own loopback address (22, as on AWS). */
  sshPort: number;
  /** Security groups filter connections to instances (issue 20, as on AWS); false serves every connection. */
  enforceSecurityGroups: boolean;
  /** Guest engines this server runs, preferred first (app/engines.ts; each image lists those that can run it). */
  engines: string[];
  /**
   * The simulated guests off the API's process (guest/worker-engine.ts): guest worker processes
   * (0: the guests run on the API's thread), each process's heap cap (MiB), and how long a process
   * may go without a heartbeat before it is killed and its instances boot again (ms).
   */
  guestProcesses: { processes: number; heapMb: number; stallMs: number };
  /** CPU time one command line of a simulated guest may use before it is killed (ms; SIGXCPU, status 152). */
  guestCpuMs: number;
  /** sshd-like limits of instances' SSH endpoints (compute/ssh/limits.ts; docs/instances.md). */
  sshLimits: Partial<SshLimits>;
  /** V8 heap settings `ec2lite serve` applies (heap.ts). */
  heap: HeapProfile;
  /** Instance leases across nodes (docs/scaling.md): renewal period and lifetime. */
  instanceLeases: { renewMs: number; leaseMs: number };
  /** Images whose instances are real processes under crun (serve --real-images; docs/real-instances.md). */
  realImages: string[];
  /** Where real images are built (ec2lite images build); undefined = the engine's default. */
  imageCache: string | undefined;
  /** PID 1 of real instances: a reaper (the cheap default) or the image's systemd (serve --real-init; docs/real-instances.md). */
  realInit: 'reaper' | 'systemd';
  /** Windows password delay and EC2 Instance Connect key lifetime (ms). */
  login: { windowsPasswordDelayMs: number; instanceConnectKeyLifetimeMs: number; terminalIdleMs?: number; now?: () => Date };
  /** Auto Scaling: the reconciler's timings, and whether CreateLaunchConfiguration is available. */
  autoScaling: {
    intervalMs: number;
    leaseMs: number;
    backoffMs: number;
    maxBackoffMs: number;
    launchConfigurations: boolean;
  };
}

export function authModeFrom(value: string | undefined, name: string): AuthMode | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'open' || value === 'strict') return value;
  throw new Error(`${name} must be 'open' or 'strict', got '${value}'`);
}

const env = process.env;

function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got '${value}'`);
  return n;
}

/** Guest worker processes unless EC2LITE_GUEST_PROCESSES says otherwise: two, or one on a single core. */
export const DEFAULT_GUEST_PROCESSES = Math.min(2, availableParallelism());

/** A knob under its current name, or else under the name it had when guests ran in worker threads (still accepted). */
function renamedIntFrom(current: string, old: string, fallback: number): number {
  const value = env[current];
  if (value !== undefined && value !== '') return intFrom(value, fallback, current);
  return intFrom(env[old], fallback, old);
}

/** `reaper` or `systemd` (unset: reaper). */
export function realInitFrom(value: string | undefined, what: string): 'reaper' | 'systemd' {
  if (value === undefined || value === '' || value === 'reaper') return 'reaper';
  if (value === 'systemd') return 'systemd';
  throw new Error(`${what} must be reaper or systemd, not '${value}'`);
}

export function defaultConfig(): ServerConfig {
  const ppk = intFrom(env.EC2LITE_PPK_VERSION, 2, 'EC2LITE_PPK_VERSION');
  return {
    host: env.EC2LITE_HOST || '127.0.0.1',
    port: intFrom(env.EC2LITE_PORT, 8773, 'EC2LITE_PORT'),
    dataDir: env.EC2LITE_DATA_DIR || join(process.cwd(), '.ec2lite'),
    database: env.EC2LITE_DATABASE_URL || 'sqlite',
    ephemeral: env.EC2LITE_EPHEMERAL === '1' || env.EC2LITE_EPHEMERAL === 'true',
    quiet: env.EC2LITE_QUIET === '1' || env.EC2LITE_QUIET === 'true',
    keyPairLimit: intFrom(env.EC2LITE_KEY_PAIR_LIMIT, 5000, 'EC2LITE_KEY_PAIR_LIMIT'),
    vpcLimit: intFrom(env.EC2LITE_VPC_LIMIT, 5, 'EC2LITE_VPC_LIMIT'),
    addressLimit: intFrom(env.EC2LITE_ADDRESS_LIMIT, 5, 'EC2LITE_ADDRESS_LIMIT'),
    ppkVersion: ppk === 3 ? 3 : 2,
    rsaPoolSize: intFrom(env.EC2LITE_RSA_POOL_SIZE, 8, 'EC2LITE_RSA_POOL_SIZE'),
    maxBodyBytes: intFrom(env.EC2LITE_MAX_BODY_BYTES, 1024 * 1024, 'EC2LITE_MAX_BODY_BYTES'),
    auth: authModeFrom(env.EC2LITE_AUTH, 'EC2LITE_AUTH'),
    credentialsFile: env.EC2LITE_CREDENTIALS || undefined,
    allowOpenOnNetwork: env.EC2LITE_ALLOW_OPEN_ON_NETWORK === '1' || env.EC2LITE_ALLOW_OPEN_ON_NETWORK === 'true',
    allowedHosts: (env.EC2LITE_ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim()).filter(Boolean),
    instanceDelays: {
      start: intFrom(env.EC2LITE_INSTANCE_START_MS, 0, 'EC2LITE_INSTANCE_START_MS'),
      stop: intFrom(env.EC2LITE_INSTANCE_STOP_MS, 0, 'EC2LITE_INSTANCE_STOP_MS'),
      terminate: intFrom(env.EC2LITE_INSTANCE_TERMINATE_MS, 0, 'EC2LITE_INSTANCE_TERMINATE_MS'),
    },
    realImages: (env.EC2LITE_REAL_IMAGES ?? '').split(',').map((x) => x.trim()).filter(Boolean),
    imageCache: env.EC2LITE_IMAGE_CACHE || undefined,
    realInit: realInitFrom(env.EC2LITE_REAL_INIT, 'EC2LITE_REAL_INIT'),
    storageDelayMs: intFrom(env.EC2LITE_STORAGE_DELAY_MS, 500, 'EC2LITE_STORAGE_DELAY_MS'),
    sshPort: intFrom(env.EC2LITE_SSH_PORT, 22, 'EC2LITE_SSH_PORT'),
    enforceSecurityGroups: !(env.EC2LITE_SECURITY_GROUPS === 'off'),
    sshLimits: sshLimitsFrom(env),
    guestProcesses: {
      // off the API's process by default (issue 19: a guest that never yields or fills its heap ends
      // its process, not the server); 0: on the API's thread. Measured in docs/architecture.md.
      processes: renamedIntFrom('EC2LITE_GUEST_PROCESSES', 'EC2LITE_GUEST_THREADS', DEFAULT_GUEST_PROCESSES),
      heapMb: renamedIntFrom('EC2LITE_GUEST_HEAP_MB', 'EC2LITE_GUEST_THREAD_HEAP_MB', 1024),
      // long: a process starved of CPU on a loaded machine is not stalled (a false stall reboots every
      // instance of its process); a process really stuck costs only its own instances the wait
      stallMs: intFrom(env.EC2LITE_GUEST_STALL_MS, 30_000, 'EC2LITE_GUEST_STALL_MS'),
    },
    guestCpuMs: intFrom(env.EC2LITE_GUEST_CPU_MS, 20_000, 'EC2LITE_GUEST_CPU_MS'),
    engines: (env.EC2LITE_ENGINES || 'simulated').split(',').map((x) => x.trim()).filter(Boolean),
    heap: heapProfileFrom(env.EC2LITE_HEAP, 'EC2LITE_HEAP') ?? 'lean',
    instanceLeases: {
      renewMs: intFrom(env.EC2LITE_INSTANCE_LEASE_RENEW_MS, 2000, 'EC2LITE_INSTANCE_LEASE_RENEW_MS'),
      leaseMs: intFrom(env.EC2LITE_INSTANCE_LEASE_MS, 10_000, 'EC2LITE_INSTANCE_LEASE_MS'),
    },
    login: {
      windowsPasswordDelayMs: intFrom(env.EC2LITE_WINDOWS_PASSWORD_MS, 4000, 'EC2LITE_WINDOWS_PASSWORD_MS'),
      instanceConnectKeyLifetimeMs: intFrom(env.EC2LITE_INSTANCE_CONNECT_KEY_MS, 60_000, 'EC2LITE_INSTANCE_CONNECT_KEY_MS'),
      terminalIdleMs: intFrom(env.EC2LITE_TERMINAL_IDLE_MS, 20 * 60_000, 'EC2LITE_TERMINAL_IDLE_MS'),
    },
    autoScaling: {
      intervalMs: intFrom(env.EC2LITE_AUTOSCALING_INTERVAL_MS, 1000, 'EC2LITE_AUTOSCALING_INTERVAL_MS'),
      leaseMs: intFrom(env.EC2LITE_AUTOSCALING_LEASE_MS, 15_000, 'EC2LITE_AUTOSCALING_LEASE_MS'),
      backoffMs: intFrom(env.EC2LITE_AUTOSCALING_BACKOFF_MS, 10_000, 'EC2LITE_AUTOSCALING_BACKOFF_MS'),
      maxBackoffMs: intFrom(env.EC2LITE_AUTOSCALING_MAX_BACKOFF_MS, 300_000, 'EC2LITE_AUTOSCALING_MAX_BACKOFF_MS'),
      // AWS refuses launch configurations to accounts created after 2024-10-01.
      launchConfigurations: !(env.EC2LITE_LAUNCH_CONFIGURATIONS === '0' || env.EC2LITE_LAUNCH_CONFIGURATIONS === 'false'),
    },
  };
}

/** EC2LITE_SSH_LOGIN_GRACE_TIME (seconds, 0 = none), EC2LITE_SSH_MAX_STARTUPS (start:rate:full), EC2LITE_SSH_MAX_SESSIONS, EC2LITE_SSH_MAX_INSTANCE_SESSIONS. */
function sshLimitsFrom(e: NodeJS.ProcessEnv): Partial<SshLimits> {
  const out: Partial<SshLimits> = {};
  if (e.EC2LITE_SSH_LOGIN_GRACE_TIME) out.loginGraceTimeMs = intFrom(e.EC2LITE_SSH_LOGIN_GRACE_TIME, 120, 'EC2LITE_SSH_LOGIN_GRACE_TIME') * 1000;
  if (e.EC2LITE_SSH_MAX_STARTUPS) out.maxStartups = parseMaxStartups(e.EC2LITE_SSH_MAX_STARTUPS);
  if (e.EC2LITE_SSH_MAX_SESSIONS) out.maxSessionsPerConnection = intFrom(e.EC2LITE_SSH_MAX_SESSIONS, 10, 'EC2LITE_SSH_MAX_SESSIONS');
  if (e.EC2LITE_SSH_MAX_INSTANCE_SESSIONS) out.maxSessionsPerInstance = intFrom(e.EC2LITE_SSH_MAX_INSTANCE_SESSIONS, 64, 'EC2LITE_SSH_MAX_INSTANCE_SESSIONS');
  return out;
}

export type DatabaseChoice = { engine: 'sqlite' } | { engine: 'postgres'; url: string };

/** Reads the `database` setting: `sqlite`, or a `postgres://` / `postgresql://` URL. */
export function databaseChoice(config: Pick<ServerConfig, 'database' | 'ephemeral'>): DatabaseChoice {
  const value = config.database.trim();
  if (value === '' || value === 'sqlite') return { engine: 'sqlite' };
  if (/^postgres(ql)?:\/\//i.test(value)) {
    if (config.ephemeral) throw new Error('--ephemeral applies to SQLite only; it cannot be combined with a PostgreSQL --database');
    return { engine: 'postgres', url: value };
  }
  throw new Error(`--database must be 'sqlite' or a postgres:// URL, got '${value.replace(/\/\/[^@/]*@/, '//…@')}'`);
}
