// `ec2lite credentials add|list|remove`: manage the access keys strict mode accepts.
// The secret is printed once, at creation; list never shows it.
import {
  credentialsPath,
  generateAccountId,
  generateCredential,
  readCredentials,
  writeCredentials,
} from '../../auth/credentials-file.js';
import { defineCommand } from '../command.js';
import { CliError, UsageError } from '../errors.js';

export const usage = `Usage: ec2lite credentials <add|list|remove> [options]

Manage the access keys that 'ec2lite serve --auth strict' accepts. The file is a JSON array of
{"accessKeyId", "secretAccessKey", "accountId", "name"?}, written with mode 0600.

Commands:
  add [--name NAME] [--account ID]   create a key; prints the secret (shown only this once)
  list                               key ids, accounts and names (never secrets)
  remove ACCESS_KEY_ID               delete a key

Options:
  --file FILE     credentials file (env EC2LITE_CREDENTIALS; default ./.ec2lite/credentials.json)
  --account ID    12-digit account the key acts in (default: a new random account)
  --name NAME     a label for the key
  -h, --help      this help

Examples:
  ec2lite credentials add --name alice --account 111122223333
  ec2lite credentials add --account 000000000000     # share the open-mode default account
  ec2lite credentials list
  ec2lite credentials remove AKIAIOSFODNN7EXAMPLE
  ec2lite serve --host 0.0.0.0 --auth strict --credentials ./.ec2lite/credentials.json
`;

const COMMAND = 'credentials';

export default defineCommand({
  name: COMMAND,
  usage,
  // Options may come before or after the subcommand, which is the first positional.
  options: {
    file: { type: 'string' },
    account: { type: 'string' },
    name: { type: 'string' },
  },
  positionals: 'any',
  async run({ values, positionals, io }) {
    const [sub, ...rest] = positionals;
    if (!sub) {
      io.stderr(usage);
      return 2;
    }
    const file = credentialsPath(values.file);
    switch (sub) {
      case 'add': {
        if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`, COMMAND);
        const account = values.account ?? generateAccountId();
        if (!/^\d{12}$/.test(account)) throw new UsageError(`--account must be 12 digits, got '${account}'`, COMMAND);
        const creds = readCredentials(file);
        const cred = generateCredential(account, values.name);
        writeCredentials(file, [...creds, cred]);
        io.stdout(
          `Added access key ${cred.accessKeyId} for account ${cred.accountId}${cred.name ? ` (${cred.name})` : ''} to ${file}.\n` +
            `The secret access key is shown only now; store it somewhere safe.\n\n` +
            `[ec2lite]\n` +
            `aws_access_key_id = ${cred.accessKeyId}\n` +
            `aws_secret_access_key = ${cred.secretAccessKey}\n`,
        );
        return 0;
      }
      case 'list': {
        if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`, COMMAND);
        const creds = readCredentials(file);
        if (creds.length === 0) {
          io.stdout(`No access keys in ${file}.\n`);
          return 0;
        }
        const rows = [['ACCESS KEY ID', 'ACCOUNT', 'NAME'], ...creds.map((c) => [c.accessKeyId, c.accountId, c.name ?? ''])];
        const width = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
        io.stdout(rows.map((r) => r.map((cell, i) => cell.padEnd(width[i]!)).join('  ').trimEnd()).join('\n') + '\n');
        return 0;
      }
      case 'remove': {
        const [id, ...extra] = rest;
        if (!id || extra.length > 0) throw new UsageError('remove takes exactly one ACCESS_KEY_ID', COMMAND);
        const creds = readCredentials(file);
        const kept = creds.filter((c) => c.accessKeyId !== id);
        if (kept.length === creds.length) throw new CliError(`no access key ${id} in ${file}`);
        writeCredentials(file, kept);
        io.stdout(`Removed access key ${id} from ${file}.\n`);
        return 0;
      }
      default:
        throw new UsageError(`unknown subcommand '${sub}'`, COMMAND);
    }
  },
});
