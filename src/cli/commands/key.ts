// `ec2lite key …`: local key tools (no server needed).
import type { CommandIo } from '../io.js';
import { runGroup } from '../group.js';

export const usage = `Usage: ec2lite key <command> [options]

Local key tools: they read key files and never talk to a server.

Commands:
  fingerprint FILE   the fingerprint(s) the EC2 console shows for a key
  public FILE        the OpenSSH public key line (as 'ssh-keygen -y -f FILE' prints it)
  convert FILE       convert a private key between PEM, OpenSSH and PuTTY (PPK v2/v3)
  generate -o FILE   generate a key pair to import with 'ec2lite keys import'

Private key files may be PEM (PKCS#1, PKCS#8), OpenSSH or PuTTY PPK v2/v3 (encrypted PPK v2 and
encrypted PEM with --passphrase-file or a prompt). Like ssh, ec2lite refuses a private key file
that group or others can access: fix it with 'chmod 400 FILE'.

Run 'ec2lite key <command> --help' for a command's options.
`;

const subcommands = {
  fingerprint: () => import('./key/fingerprint.js'),
  public: () => import('./key/public.js'),
  convert: () => import('./key/convert.js'),
  generate: () => import('./key/generate.js'),
};

export function run(argv: string[], io: CommandIo): Promise<number> {
  return runGroup('key', subcommands, usage, argv, io);
}
