// `ec2lite serve`: start the API server and keep it running until SIGINT/SIGTERM.
import { authModeFrom, databaseChoice, defaultConfig } from '../../app/config.js';
import { startApp } from '../../app/app.js';
import { heapProfileFrom } from '../../app/heap.js';
import { defineCommand } from '../command.js';

export const usage = `Usage: ec2lite serve [options]

Start the emulated EC2 API (EC2 Query protocol) on one HTTP listener; the instances
it runs get their own SSH endpoints.

Options:
  --host HOST        address to listen on (env EC2LITE_HOST; default 127.0.0.1)
  --port PORT        port (env EC2LITE_PORT; default 8773; 0 picks a free one)
  --data-dir DIR     where state is kept (env EC2LITE_DATA_DIR; default ./.ec2lite)
  --database DB      'sqlite' (default) or a postgres://user@host:port/db URL that
                     several nodes share (env EC2LITE_DATABASE_URL); see docs/scaling.md
  --ephemeral        keep state in memory only, SQLite only (env EC2LITE_EPHEMERAL=1)
  --key-pair-limit N key pairs per account and region (env EC2LITE_KEY_PAIR_LIMIT; default 5000)
  --ppk-version 2|3  PuTTY format for KeyFormat=ppk (env EC2LITE_PPK_VERSION; default 2)
  --rsa-pool-size N  pre-generated RSA keys held in memory (env EC2LITE_RSA_POOL_SIZE; default 8)
  --ssh-port N       port instances' SSH endpoints try first on their own 127.x.y.z
                     address (env EC2LITE_SSH_PORT; default 22; falls back to a free port)
  --instance-delay-ms N  how long pending/stopping/shutting-down show after the action
                     (env EC2LITE_INSTANCE_START_MS, _STOP_MS, _TERMINATE_MS; default 0)
  --heap lean|default  lean (the default) keeps V8's heap close to what is live (RSS about
                     half under large answers, some CPU more for them); default leaves V8's
                     own growth (env EC2LITE_HEAP)
  --storage-delay-ms N  time a volume spends creating/attaching/detaching and a snapshot
                     or image pending (env EC2LITE_STORAGE_DELAY_MS; default 500)
  --quiet            no request log on stderr (env EC2LITE_QUIET=1)
  --auth open|strict open: any well-formed SigV4 signature is accepted and the access key id
                     picks the account (a 12-digit id is the account, else 000000000000);
                     strict: keys from --credentials, signatures verified (env EC2LITE_AUTH;
                     default open on a loopback address, strict on any other)
  --credentials FILE strict mode's keys (env EC2LITE_CREDENTIALS; default
                     ./.ec2lite/credentials.json); manage it with 'ec2lite credentials'
  --allow-open-on-network
                     permit --auth open on a non-loopback address (env
                     EC2LITE_ALLOW_OPEN_ON_NETWORK=1)
  -h, --help         this help

The same port serves Auto Scaling (aws autoscaling …). Its reconciler is tuned by environment:
EC2LITE_AUTOSCALING_INTERVAL_MS, _LEASE_MS, _BACKOFF_MS, _MAX_BACKOFF_MS; and
EC2LITE_LAUNCH_CONFIGURATIONS=0 makes CreateLaunchConfiguration unavailable (docs/autoscaling.md).
Nodes on one PostgreSQL database share instances through leases: EC2LITE_INSTANCE_LEASE_RENEW_MS
(default 2000) and EC2LITE_INSTANCE_LEASE_MS (default 10000) (docs/scaling.md).

Examples:
  ec2lite serve --port 8773
  aws --endpoint-url http://127.0.0.1:8773 ec2 describe-key-pairs
  aws --endpoint-url http://127.0.0.1:8773 autoscaling describe-auto-scaling-groups

  ec2lite credentials add --name alice --account 111122223333
  ec2lite serve --host 0.0.0.0 --auth strict --credentials ./.ec2lite/credentials.json
`;

export default defineCommand({
  name: 'serve',
  usage,
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    database: { type: 'string' },
    ephemeral: { type: 'boolean' },
    'key-pair-limit': { type: 'string' },
    'ppk-version': { type: 'string' },
    'rsa-pool-size': { type: 'string' },
    quiet: { type: 'boolean' },
    auth: { type: 'string' },
    credentials: { type: 'string' },
    'allow-open-on-network': { type: 'boolean' },
    'ssh-port': { type: 'string' },
    'instance-delay-ms': { type: 'string' },
    heap: { type: 'string' },
    'storage-delay-ms': { type: 'string' },
  },
  positionals: [],
  async run({ values, io }) {
    const config = defaultConfig();
    if (values.host) config.host = values.host;
    if (values.port !== undefined) config.port = Number(values.port);
    if (values['data-dir']) config.dataDir = values['data-dir'];
    if (values.database !== undefined) config.database = values.database;
    if (values.ephemeral) config.ephemeral = true;
    if (values.quiet) config.quiet = true;
    if (values.auth !== undefined) config.auth = authModeFrom(values.auth, '--auth');
    if (values.credentials) config.credentialsFile = values.credentials;
    if (values['allow-open-on-network']) config.allowOpenOnNetwork = true;
    if (values['key-pair-limit'] !== undefined) config.keyPairLimit = Number(values['key-pair-limit']);
    if (values['ssh-port'] !== undefined) config.sshPort = Number(values['ssh-port']);
    if (values['instance-delay-ms'] !== undefined) {
      const ms = Number(values['instance-delay-ms']);
      config.instanceDelays = { start: ms, stop: ms, terminate: ms };
    }
    if (values.heap !== undefined) {
      try {
        config.heap = heapProfileFrom(values.heap, '--heap') ?? config.heap;
      } catch (e) {
        io.stderr(`ec2lite serve: ${(e as Error).message}\n`);
        return 2;
      }
    }
    if (values['storage-delay-ms'] !== undefined) config.storageDelayMs = Number(values['storage-delay-ms']);
    if (values['rsa-pool-size'] !== undefined) config.rsaPoolSize = Number(values['rsa-pool-size']);
    if (values['ppk-version'] !== undefined) config.ppkVersion = values['ppk-version'] === '3' ? 3 : 2;
    if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) {
      io.stderr(`ec2lite serve: invalid --port\n`);
      return 2;
    }
    try {
      databaseChoice(config);
    } catch (e) {
      io.stderr(`ec2lite serve: ${(e as Error).message}\n`);
      return 2;
    }
    const app = await startApp(config);
    // A machine-readable line for scripts that start the server on port 0.
    io.stdout(`ec2lite listening on ${app.url}\n`);
    if (!config.quiet) io.stderr(`web console: ${app.url}/\n`);
    // A signal that comes twice (Ctrl-C reaches both `npm start`'s wrapper and the server, and the
    // wrapper passes it on) must not cut the graceful close short: later ones are ignored.
    await new Promise<void>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => resolve());
    });
    await app.close();
    return 0;
  },
});
