// `ec2lite serve`: start the API server and keep it running until SIGINT/SIGTERM.
import { authModeFrom, databaseChoice, defaultConfig, realInitFrom } from '../../app/config.js';
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
  --vpc-limit N      VPCs per account and Region, the default one included (env
                     EC2LITE_VPC_LIMIT; default 5, AWS's default quota)
  --address-limit N  Elastic IPs per account and Region (env EC2LITE_ADDRESS_LIMIT; default 5)
  --security-groups enforce|off  enforce (the default, as on AWS): an instance's SSH
                     endpoint serves only connections its security groups allow; off: every
                     connection (env EC2LITE_SECURITY_GROUPS)
  --instance-delay-ms N  how long pending/stopping/shutting-down show after the action
                     (env EC2LITE_INSTANCE_START_MS, _STOP_MS, _TERMINATE_MS; default 0)
  --heap lean|default  lean (the default) keeps V8's heap close to what is live (RSS about
                     half under large answers, some CPU more for them); default leaves V8's
                     own growth (env EC2LITE_HEAP)
  --storage-delay-ms N  time a volume spends creating/attaching/detaching and a snapshot
                     or image pending (env EC2LITE_STORAGE_DELAY_MS; default 500)
  --quiet            no request log on stderr (env EC2LITE_QUIET=1)
  --real-images LIST comma-separated images whose instances are real Linux processes under
                     crun (debian-12, or a key given to 'images import'; env
                     EC2LITE_REAL_IMAGES); their AMIs appear in
                     DescribeImages; needs root and 'ec2lite images build' (docs/real-instances.md)
  --image-cache DIR  where real images are built (env EC2LITE_IMAGE_CACHE)
  --real-init reaper|systemd  PID 1 of real instances: a reaper (the default, ~0.3 MB each)
                     or the image's systemd, for systemctl and units (~15 MB, ~1 s more to
                     boot; env EC2LITE_REAL_INIT)
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
Guest engines: EC2LITE_ENGINES (default simulated). Instances' SSH endpoints keep sshd's limits:
EC2LITE_SSH_LOGIN_GRACE_TIME (seconds, default 120), EC2LITE_SSH_MAX_STARTUPS (default
10:30:100), EC2LITE_SSH_MAX_SESSIONS (per connection, default 10), EC2LITE_SSH_MAX_INSTANCE_SESSIONS
(default 64) (docs/instances.md).
It also serves EC2 Instance Connect (aws ec2-instance-connect …) and the console terminal:
EC2LITE_INSTANCE_CONNECT_KEY_MS (default 60000) is how long a pushed key opens SSH,
EC2LITE_TERMINAL_IDLE_MS (default 1200000) ends an idle console terminal, and
EC2LITE_WINDOWS_PASSWORD_MS (default 4000) is when a Windows instance's password is ready.

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
    'security-groups': { type: 'string' },
    'vpc-limit': { type: 'string' },
    'address-limit': { type: 'string' },
    'instance-delay-ms': { type: 'string' },
    heap: { type: 'string' },
    'storage-delay-ms': { type: 'string' },
    'real-images': { type: 'string' },
    'real-init': { type: 'string' },
    'image-cache': { type: 'string' },
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
    if (values['vpc-limit'] !== undefined) config.vpcLimit = Number(values['vpc-limit']);
    if (values['address-limit'] !== undefined) config.addressLimit = Number(values['address-limit']);
    if (values['security-groups'] !== undefined) {
      if (values['security-groups'] !== 'enforce' && values['security-groups'] !== 'off') {
        io.stderr('ec2lite serve: --security-groups must be enforce or off\n');
        return 2;
      }
      config.enforceSecurityGroups = values['security-groups'] === 'enforce';
    }
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
    if (values['real-images'] !== undefined) config.realImages = values['real-images'].split(',').map((x) => x.trim()).filter(Boolean);
    if (values['image-cache'] !== undefined) config.imageCache = values['image-cache'];
    if (values['real-init'] !== undefined) {
      try {
        config.realInit = realInitFrom(values['real-init'], '--real-init');
      } catch (e) {
        io.stderr(`ec2lite serve: ${(e as Error).message}\n`);
        return 2;
      }
    }
    if (config.realImages.length > 0) {
      // Built-in images, and those `ec2lite images import` registered in the cache.
      const { ImageCache, REAL_IMAGES, defaultImageCache } = await import('../../app/real-engine-tools.js');
      const cache = new ImageCache(config.imageCache ?? defaultImageCache());
      const known = [...new Set([...REAL_IMAGES.map((d) => d.key), ...cache.list().filter((m) => m.imported).map((m) => m.key)])];
      for (const key of config.realImages) {
        if (!known.includes(key)) {
          io.stderr(`ec2lite serve: unknown real image '${key}' (known: ${known.join(', ')})\n`);
          return 2;
        }
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
