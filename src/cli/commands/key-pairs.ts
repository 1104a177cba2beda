// `ec2lite key-pairs …`: key pairs on an EC2 endpoint (a running ec2lite by default).
import { defineGroup } from '../command.js';
import { clientOptionsHelp } from '../client.js';

export const usage = `Usage: ec2lite key-pairs <command> [options]

Manage key pairs on an EC2 endpoint (by default a local 'ec2lite serve').

Commands:
  create NAME                      create a key pair; save the private key (mode 0400)
  import NAME --public-key FILE    import a public key made elsewhere
  list                             list key pairs
  show NAME|ID                     one key pair with its public key and tags
  delete NAME|ID                   delete a key pair
  verify NAME|ID PRIVATE_KEY_FILE  does a local private key match the key pair?

${clientOptionsHelp}

Output is a table by default; --output json prints the data for scripts. Errors go to stderr
with the EC2 error code, e.g. "error: InvalidKeyPair.NotFound: The key pair 'x' does not exist".

Exit codes: 0 ok, 1 API/network/file error, 2 usage error, 3 verify: no match.

Run 'ec2lite key-pairs <command> --help' for a command's options.
`;

export default defineGroup({
  name: 'key-pairs',
  usage,
  subcommands: {
    create: () => import('./key-pairs/create.js'),
    import: () => import('./key-pairs/import.js'),
    list: () => import('./key-pairs/list.js'),
    show: () => import('./key-pairs/show.js'),
    delete: () => import('./key-pairs/delete.js'),
    verify: () => import('./key-pairs/verify.js'),
  },
});
