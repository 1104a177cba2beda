#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node
// (The #! line's setting counts only at start: see START_ENV in app/heap.ts.)
// The ec2lite command: one file per command under commands/, dispatched by name. `key` and `keys`,
// the first names of `keyfile` and `key-pairs`, stay as aliases.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { reportError } from './errors.js';
import { processIo, type Command, type CommandIo } from './io.js';

const commands: Record<string, () => Promise<{ default: Command }>> = {
  serve: () => import('./commands/serve.js'),
  keyfile: () => import('./commands/keyfile.js'),
  'key-pairs': () => import('./commands/key-pairs.js'),
  credentials: () => import('./commands/credentials.js'),
  ssh: () => import('./commands/ssh.js'),
  images: () => import('./commands/images.js'),
  doctor: () => import('./commands/doctor.js'),
};

/** Old names, still accepted (they differed by one letter). */
export const aliases: Readonly<Record<string, string>> = { key: 'keyfile', keys: 'key-pairs' };

const help = `Usage: ec2lite <command> [options]

Commands:
  serve        start the emulated EC2 API server
  keyfile      local key files: fingerprint, public, convert, generate (no server needed)
  key-pairs    key pairs on an EC2 endpoint: create, import, list, show, delete, verify
  credentials  manage the access keys strict mode accepts (add, list, remove)
  ssh          log in to a running instance with OpenSSH (ec2lite ssh INSTANCE_ID -i key.pem)
  images       build and list real root filesystems for the crun engine (images build debian-12)
  doctor       what this host lacks to run real instances, with the commands that fix it

Run 'ec2lite <command> --help' for a command's options. The old names 'key' (keyfile) and
'keys' (key-pairs) still work.

Exit codes:
  0  success
  1  error: from the EC2 API (printed as 'error: Code: message'), the network, a file or a key
  2  usage error (unknown command or option, missing argument)
  3  'ec2lite key-pairs verify': the private key does not match the key pair
`;

export async function main(argv: string[], io: CommandIo = processIo): Promise<number> {
  const [given, ...rest] = argv;
  const name = given !== undefined && Object.hasOwn(aliases, given) ? aliases[given]! : given;
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
    return await (await load()).default.run(rest, io);
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
