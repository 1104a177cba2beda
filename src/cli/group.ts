// A command with subcommands (`ec2lite key …`, `ec2lite keys …`), each in its own module.

import { UsageError } from './errors.js';
import type { Command, CommandIo } from './io.js';

export async function runGroup(
  group: string,
  subcommands: Record<string, () => Promise<Command>>,
  usage: string,
  argv: string[],
  io: CommandIo,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(usage);
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage);
    return 0;
  }
  const load = Object.hasOwn(subcommands, name) ? subcommands[name] : undefined;
  if (!load) throw new UsageError(`unknown command '${group} ${name}'`, group);
  return (await load()).run(rest, io);
}
