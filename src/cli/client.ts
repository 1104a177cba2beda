// The EC2 client behind `ec2lite key-pairs …`: AWS SDK v3 with the usual credential chain (env,
// profile, SSO, …), an endpoint that defaults to a local ec2lite, and friendly errors.

import type { EC2Client } from '@aws-sdk/client-ec2';
import { CliError, UsageError } from './errors.js';

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:8773';
/** Used against a local endpoint when no credentials are configured at all (ec2lite: account 000000000000). */
export const LOCAL_DUMMY_CREDENTIALS = { accessKeyId: '000000000000', secretAccessKey: 'ec2lite' };
export const LOCAL_DEFAULT_REGION = 'us-east-1';

export const clientOptions = {
  endpoint: { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
} as const;

export const clientOptionsHelp = `Connection options:
  --endpoint URL         EC2 endpoint (env EC2LITE_ENDPOINT; default ${DEFAULT_ENDPOINT})
  --region REGION        region (default: AWS_REGION, the profile's region, AWS_DEFAULT_REGION;
                         ${LOCAL_DEFAULT_REGION} for a local endpoint)
  --profile NAME         AWS profile for credentials and region (default AWS_PROFILE)
Credentials come from the usual AWS chain (environment, shared files, SSO, …). Against a local
endpoint (localhost, 127.x, ::1) with none configured, ec2lite uses dummy credentials.`;

export interface ClientSettings {
  endpoint: string;
  region?: string;
  profile?: string;
}

export function clientSettings(values: { endpoint?: string; region?: string; profile?: string }, command: string, env = process.env): ClientSettings {
  const endpoint = values.endpoint ?? (env.EC2LITE_ENDPOINT || DEFAULT_ENDPOINT);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UsageError(`--endpoint must be a URL such as ${DEFAULT_ENDPOINT} (got '${endpoint}')`, command);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--endpoint must be an http or https URL (got '${endpoint}')`, command);
  return { endpoint, ...(values.region ? { region: values.region } : {}), ...(values.profile ? { profile: values.profile } : {}) };
}

export function isLocalEndpoint(endpoint: string): boolean {
  const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1' || host === '0.0.0.0';
}

export interface Ec2 {
  client: EC2Client;
  endpoint: string;
  region: string;
  /** Runs fn (client.send …) with network and credential failures turned into CliError. */
  call<T>(fn: (client: EC2Client) => Promise<T>): Promise<T>;
  close(): void;
}

function connectionError(e: unknown, endpoint: string): CliError | undefined {
  const err = e as { code?: string; name?: string; message?: string; cause?: { code?: string }; $metadata?: unknown };
  if (err?.$metadata !== undefined && err.name !== 'TimeoutError' && !err.code) return undefined; // an API error
  const code = err?.code ?? err?.cause?.code;
  const hint = isLocalEndpoint(endpoint) ? " (is 'ec2lite serve' running? see --endpoint / EC2LITE_ENDPOINT)" : '';
  if (code === 'ECONNREFUSED') return new CliError(`cannot connect to ${endpoint}: connection refused${hint}`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new CliError(`cannot connect to ${endpoint}: host not found`);
  if (code === 'ECONNRESET' || code === 'ETIMEDOUT' || err?.name === 'TimeoutError') return new CliError(`cannot reach ${endpoint}: ${err.message ?? code}${hint}`);
  if (err?.name === 'CredentialsProviderError') {
    return new CliError(`no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use --profile (${err.message})`);
  }
  return undefined;
}

/** An EC2 client for the settings. Resolves the region first (so a missing one is a clear error). */
export async function connect(settings: ClientSettings, command: string, env = process.env): Promise<Ec2> {
  // The SDK warns on stderr about Node versions it will stop supporting; not the CLI user's concern.
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const [{ EC2Client }, { defaultProvider }] = await Promise.all([import('@aws-sdk/client-ec2'), import('@aws-sdk/credential-provider-node')]);
  const local = isLocalEndpoint(settings.endpoint);
  const profile = settings.profile;
  // For a local endpoint, do not wait long on the instance metadata service (not on EC2: no answer).
  const chain = defaultProvider({ ...(profile ? { profile } : {}), ...(local ? { timeout: 300, maxRetries: 0 } : {}) });
  // Without any configuration a local server still works; an explicit profile must exist.
  const credentials =
    local && !profile && !env.AWS_PROFILE
      ? async () => {
          try {
            return await chain();
          } catch {
            return LOCAL_DUMMY_CREDENTIALS;
          }
        }
      : chain;

  const make = (region: string | undefined) =>
    new EC2Client({
      endpoint: settings.endpoint,
      credentials,
      ...(region ? { region } : {}),
      ...(profile ? { profile } : {}),
      ...(local ? { maxAttempts: 1 } : {}),
    });
  let client = make(settings.region);
  let region: string | undefined;
  try {
    region = await client.config.region();
  } catch {
    region = undefined;
  }
  if (!region) {
    client.destroy();
    region = env.AWS_DEFAULT_REGION || (local ? LOCAL_DEFAULT_REGION : undefined);
    if (!region) throw new UsageError('no region configured: use --region, AWS_REGION or a profile with a region', command);
    client = make(region);
  }
  const resolvedRegion = region;
  return {
    client,
    endpoint: settings.endpoint,
    region: resolvedRegion,
    async call(fn) {
      try {
        return await fn(client);
      } catch (e) {
        throw connectionError(e, settings.endpoint) ?? e;
      }
    },
    close: () => client.destroy(),
  };
}

/** An argument that looks like a key pair ID (key-…) rather than a name. */
export function isKeyPairId(s: string): boolean {
  return /^key-[0-9a-f]{17}$/.test(s);
}
