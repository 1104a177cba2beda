// Debian's AWS CLI (/usr/bin/aws), pointed at a test server with throwaway credentials.
import { spawnSync } from 'node:child_process';

export const AWS_CLI = '/usr/bin/aws';

export interface CliResult { status: number; stdout: string; stderr: string }

export function awsCli(endpoint: string, args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(AWS_CLI, ['--endpoint-url', endpoint, '--no-cli-pager', ...args], {
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
    encoding: 'utf8',
  });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
