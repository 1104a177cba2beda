// `ec2lite ssh INSTANCE_ID`: looks the instance up through the API (DescribeInstances with the
// AWS SDK), learns its SSH port and default user from GET /_ec2lite/instances/<id>/ssh, then runs
// the real OpenSSH client: ssh -i KEY -p PORT -o StrictHostKeyChecking=accept-new USER@ADDRESS.
import { spawn } from 'node:child_process';
import { defineCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { sshRefusal } from '../ssh-admission.js';

export const usage = `Usage: ec2lite ssh INSTANCE_ID [options] [-- ssh arguments…]

Log in to a running instance with OpenSSH.

Options:
  -i, --identity FILE  private key (the .pem CreateKeyPair returned)
  -l, --login USER     user (default: the image's default user, e.g. ec2-user, ubuntu)
  --endpoint URL       API endpoint (env EC2LITE_ENDPOINT or AWS_ENDPOINT_URL; default http://127.0.0.1:8773)
  --region REGION      region (env AWS_REGION / AWS_DEFAULT_REGION; default us-east-1)
  --print              print the ssh command instead of running it
  -h, --help           this help

Anything after -- goes to ssh before the destination, e.g. a command:
  ec2lite ssh i-0123456789abcdef0 -i dev.pem -- -o ConnectTimeout=5
  ec2lite ssh i-0123456789abcdef0 -i dev.pem whoami
`;

export interface SshTarget { host: string; port: number; user: string; /** Why security groups refuse this host (issue 20). */ refusal?: string }

/** The ssh argv for a target: `-p` only when the port is not 22. */
export function sshArgs(target: SshTarget, opts: { identity?: string; user?: string; extra?: string[]; command?: string[] }): string[] {
  const args = [...(opts.extra ?? [])];
  if (opts.identity) args.push('-i', opts.identity);
  if (target.port !== 22) args.push('-p', String(target.port));
  args.push('-o', 'StrictHostKeyChecking=accept-new', `${opts.user ?? target.user}@${target.host}`, ...(opts.command ?? []));
  return args;
}

export async function resolveTarget(endpoint: string, region: string, instanceId: string): Promise<SshTarget> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { EC2Client, DescribeInstancesCommand } = await import('@aws-sdk/client-ec2');
  const client = new EC2Client({
    endpoint,
    region,
    maxAttempts: 1,
    // ec2lite's own credentials when none are configured (the server accepts any key by default)
    credentials:
      process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY
        ? { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY, sessionToken: process.env.AWS_SESSION_TOKEN }
        : { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'ec2lite' },
  });
  try {
    const out = await client.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    const instance = out.Reservations?.[0]?.Instances?.[0];
    if (!instance) throw new Error(`instance ${instanceId} not found`);
    const state = instance.State?.Name;
    if (state !== 'running') throw new Error(`instance ${instanceId} is ${state}, not running`);
    const res = await fetch(new URL(`/_ec2lite/instances/${instanceId}/ssh`, endpoint));
    if (res.ok) {
      const info = (await res.json()) as SshTarget & { securityGroups?: 'enforce' | 'off' };
      const refusal = info.securityGroups === 'enforce' ? await sshRefusal(client, instance) : undefined;
      return { host: info.host, port: info.port, user: info.user, ...(refusal ? { refusal } : {}) };
    }
    // An endpoint without the route (an older ec2lite): the public address on port 22.
    if (!instance.PublicIpAddress) throw new Error(`instance ${instanceId} has no public address`);
    return { host: instance.PublicIpAddress, port: 22, user: 'ec2-user' };
  } finally {
    client.destroy();
  }
}

export default defineCommand({
  name: 'ssh',
  usage,
  options: {
    identity: { type: 'string', short: 'i' },
    login: { type: 'string', short: 'l' },
    endpoint: { type: 'string' },
    region: { type: 'string' },
    print: { type: 'boolean' },
  },
  positionals: 'any', // INSTANCE_ID, then an optional remote command
  passthrough: true, // after --: arguments for ssh itself
  async run({ values, positionals, passthrough, io }) {
    const [instanceId, ...command] = positionals;
    if (!instanceId) throw new UsageError('missing INSTANCE_ID', 'ssh');
    const endpoint = values.endpoint ?? process.env.EC2LITE_ENDPOINT ?? process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:8773';
    const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    const target = await resolveTarget(endpoint, region, instanceId);
    if (target.refusal) {
      io.stderr(`ec2lite ssh: ${target.refusal}\n`);
      return 255; // what ssh answers when it cannot connect
    }
    const args = sshArgs(target, { identity: values.identity, user: values.login, extra: passthrough, command });
    if (values.print) {
      io.stdout(['ssh', ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ') + '\n');
      return 0;
    }
    const child = spawn('ssh', args, { stdio: 'inherit' });
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
  },
});
