#!/usr/bin/env node
// The ec2lite command: one file per command under commands/, dispatched by name.
import { processIo, type CommandIo } from './io.js';

type Command = { run(argv: string[], io: CommandIo): Promise<number>; usage: string };

const commands: Record<string, () => Promise<Command>> = {
  serve: () => import('./commands/serve.js'),
  ssh: () => import('./commands/ssh.js'),
};

const help = `Usage: ec2lite <command> [options]

Commands:
  serve     start the EC2 key pairs API server
  ssh       log in to a running instance with OpenSSH (ec2lite ssh INSTANCE_ID -i key.pem)

Run 'ec2lite <command> --help' for a command's options.
`;

export async function main(argv: string[], io: CommandIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    io.stderr(`ec2lite: unknown command '${name}'\n\n${help}`);
    return 2;
  }
  try {
    return await (await load()).run(rest, io);
  } catch (e) {
    io.stderr(`ec2lite ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
