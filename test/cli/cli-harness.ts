// Running the ec2lite command in tests: in-process through main() (output captured), or as a
// child process (asynchronously: the test server usually runs in this same process).
import { runAsync } from '../helpers/tools.js';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import type { CommandIo } from '../../src/cli/io.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** ec2lite ARGS in this process. `secret` answers a passphrase prompt (as if typed on a terminal). */
export async function cli(args: string[], opts: { secret?: string } = {}): Promise<CliResult & { prompts: string[] }> {
  let stdout = '';
  let stderr = '';
  const prompts: string[] = [];
  const io: CommandIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readSecret: async (prompt) => {
      prompts.push(prompt);
      return opts.secret;
    },
  };
  const code = await main(args, io);
  return { code, stdout, stderr, prompts };
}

export const MAIN_JS = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** ec2lite ARGS as a child process (node dist/src/cli/main.js). */
export function spawnCli(args: string[], opts: { cwd?: string; env?: Record<string, string>; input?: string } = {}): Promise<CliResult> {
  return runAsync(process.execPath, [MAIN_JS, ...args], {
    cwd: opts.cwd,
    env: opts.env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
    input: opts.input ?? '',
  });
}

/** Permission bits of a file, e.g. 0o400. */
export function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}
