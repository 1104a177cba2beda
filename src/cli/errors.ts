// Errors of the ec2lite command and how main() reports them. Exit codes (documented in
// `ec2lite --help`, docs/cli.md and the README):
//   0 success · 1 API, network, file or key error · 2 usage error · 3 `key-pairs verify`: no match.

import type { CommandIo } from './io.js';

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;
export const EXIT_MISMATCH = 3;

/** An error with a message meant for the user as is, and the exit code to end with. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT_ERROR,
  ) {
    super(message);
  }
}

/** Bad arguments: reported with a pointer to the command's --help, exit code 2. */
export class UsageError extends CliError {
  override name = 'UsageError';
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message, EXIT_USAGE);
  }
}

/** An error from an EC2 endpoint (an SDK ServiceException): `name` is the EC2 error code. */
function isServiceError(e: unknown): e is { name: string; message: string; $metadata: object } {
  return typeof e === 'object' && e !== null && '$metadata' in e && typeof (e as { name?: unknown }).name === 'string';
}

/** Print an error thrown by a command to stderr and return the exit code for it. */
export function reportError(e: unknown, io: CommandIo, command: string): number {
  if (e instanceof UsageError) {
    io.stderr(`error: ${e.message}\nRun 'ec2lite ${e.command ?? command} --help' for usage.\n`);
    return e.exitCode;
  }
  if (e instanceof CliError) {
    io.stderr(`error: ${e.message}\n`);
    return e.exitCode;
  }
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    io.stderr(`error: ${(e as Error).message}\nRun 'ec2lite ${command} --help' for usage.\n`);
    return EXIT_USAGE;
  }
  if (isServiceError(e)) {
    io.stderr(`error: ${e.name}: ${e.message}\n`);
    return EXIT_ERROR;
  }
  io.stderr(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  return EXIT_ERROR;
}
