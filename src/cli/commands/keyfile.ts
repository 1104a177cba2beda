// `ec2lite keyfile …`: local key tools (no server needed).
import { defineGroup } from '../command.js';

export const usage = `Usage: ec2lite keyfile <command> [options]

Local key tools: they read key files and never talk to a server.

Commands:
  fingerprint FILE   the fingerprint(s) the EC2 console shows for a key
  public FILE        the OpenSSH public key line (as 'ssh-keygen -y -f FILE' prints it)
  convert FILE       convert a private key between PEM, OpenSSH and PuTTY (PPK v2/v3)
  generate -o FILE   generate a key pair to import with 'ec2lite key-pairs import'

Private key files may be PEM (PKCS#1, PKCS#8), OpenSSH or PuTTY PPK v2/v3 (encrypted PPK v2 and
encrypted PEM with --passphrase-file or a prompt). Like ssh, ec2lite refuses a private key file
that group or others can access: fix it with 'chmod 400 FILE'.

Run 'ec2lite keyfile <command> --help' for a command's options.
`;

export default defineGroup({
  name: 'keyfile',
  usage,
  subcommands: {
    fingerprint: () => import('./keyfile/fingerprint.js'),
    public: () => import('./keyfile/public.js'),
    convert: () => import('./keyfile/convert.js'),
    generate: () => import('./keyfile/generate.js'),
  },
});
