// Debian's AWS CLI (/usr/bin/aws), pointed at a test server with throwaway credentials.
import { runAsync } from './tools.js';

export const AWS_CLI = '/usr/bin/aws';

export interface CliResult { status: number; stdout: string; stderr: string }

/** Asynchronous on purpose: the server under test usually runs in this same process. */
export async function awsCli(endpoint: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const r = await runAsync(AWS_CLI, ['--endpoint-url', endpoint, '--no-cli-pager', ...args], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_MAX_ATTEMPTS: '1',
      AWS_EC2_METADATA_DISABLED: 'true',
      ...env,
    },
  });
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
}
