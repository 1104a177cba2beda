// Server configuration: flags over environment over defaults.
import { join } from 'node:path';
import type { AuthMode } from '../protocol/authenticate.js';
import { heapProfileFrom, type HeapProfile } from './heap.js';

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
  keyPairLimit: number;
  ppkVersion: 2 | 3;
  rsaPoolSize: number;
  maxBodyBytes: number;
  /** undefined: `open` when listening on loopback only, `strict` otherwise. */
  auth: AuthMode | undefined;
  /** Strict mode's credentials file; undefined means EC2LITE_CREDENTIALS or ./.ec2lite/credentials.json. */
  credentialsFile: string | undefined;
  /** Explicit consent to serve `open` (unverified) auth beyond loopback. */
  allowOpenOnNetwork: boolean;
  /** Milliseconds an instance spends in pending / stopping / shutting-down. */
  instanceDelays: { start: number; stop: number; terminate: number };
  /** Milliseconds a volume spends creating/attaching/detaching, a snapshot pending, an image pending. */
  storageDelayMs: number;
  /** Port each instance's SSH endpoint tries first on its own loopback address (22, as on AWS). */
  sshPort: number;
  /** V8 heap settings `ec2lite serve` applies (heap.ts). */
  heap: HeapProfile;
  /** Instance leases across nodes (docs/scaling.md): renewal period and lifetime. */
  instanceLeases: { renewMs: number; leaseMs: number };
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
    ppkVersion: ppk === 3 ? 3 : 2,
    rsaPoolSize: intFrom(env.EC2LITE_RSA_POOL_SIZE, 8, 'EC2LITE_RSA_POOL_SIZE'),
    maxBodyBytes: intFrom(env.EC2LITE_MAX_BODY_BYTES, 1024 * 1024, 'EC2LITE_MAX_BODY_BYTES'),
    auth: authModeFrom(env.EC2LITE_AUTH, 'EC2LITE_AUTH'),
    credentialsFile: env.EC2LITE_CREDENTIALS || undefined,
    allowOpenOnNetwork: env.EC2LITE_ALLOW_OPEN_ON_NETWORK === '1' || env.EC2LITE_ALLOW_OPEN_ON_NETWORK === 'true',
    instanceDelays: {
      start: intFrom(env.EC2LITE_INSTANCE_START_MS, 0, 'EC2LITE_INSTANCE_START_MS'),
      stop: intFrom(env.EC2LITE_INSTANCE_STOP_MS, 0, 'EC2LITE_INSTANCE_STOP_MS'),
      terminate: intFrom(env.EC2LITE_INSTANCE_TERMINATE_MS, 0, 'EC2LITE_INSTANCE_TERMINATE_MS'),
    },
    storageDelayMs: intFrom(env.EC2LITE_STORAGE_DELAY_MS, 500, 'EC2LITE_STORAGE_DELAY_MS'),
    sshPort: intFrom(env.EC2LITE_SSH_PORT, 22, 'EC2LITE_SSH_PORT'),
    heap: heapProfileFrom(env.EC2LITE_HEAP, 'EC2LITE_HEAP') ?? 'lean',
    instanceLeases: {
      renewMs: intFrom(env.EC2LITE_INSTANCE_LEASE_RENEW_MS, 2000, 'EC2LITE_INSTANCE_LEASE_RENEW_MS'),
      leaseMs: intFrom(env.EC2LITE_INSTANCE_LEASE_MS, 10_000, 'EC2LITE_INSTANCE_LEASE_MS'),
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
