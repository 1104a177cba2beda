#!/usr/bin/env node
// The ec2lite command: one file per command under commands/, dispatched by name.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { reportError } from './errors.js';
import { processIo, type Command, type CommandIo } from './io.js';

const commands: Record<string, () => Promise<Command>> = {
  serve: () => import('./commands/serve.js'),
  key: () => import('./commands/key.js'),
  keys: () => import('./commands/keys.js'),
  credentials: () => import('./commands/credentials.js'),
  ssh: () => import('./commands/ssh.js'),
};

const help = `Usage: ec2lite <command> [options]

Commands:
  serve        start the emulated EC2 API server
  key          local key tools: fingerprint, public, convert, generate (no server needed)
  keys         manage key pairs on an EC2 endpoint: create, import, list, show, delete, verify
  credentials  manage the access keys strict mode accepts (add, list, remove)
  ssh          log in to a running instance with OpenSSH (ec2lite ssh INSTANCE_ID -i key.pem)

Run 'ec2lite <command> --help' for a command's options.

Exit codes:
  0  success
  1  error: from the EC2 API (printed as 'error: Code: message'), the network, a file or a key
  2  usage error (unknown command or option, missing argument)
  3  'ec2lite keys verify': the private key does not match the key pair
`;

export async function main(argv: string[], io: CommandIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    if (name) io.stdout(help);
    else io.stderr(help);
    return name ? 0 : 2;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    io.stderr(`ec2lite: unknown command '${name}'\n\n${help}`);
    return 2;
  }
  try {
    return await (await load()).run(rest, io);
  } catch (e) {
    return reportError(e, io, name);
  }
}

/** True when this module is the program being run (not imported, e.g. by tests). */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
