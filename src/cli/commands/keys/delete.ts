// `ec2lite keys delete NAME|ID`: DeleteKeyPair, after checking that the key pair exists.
import { DeleteKeyPairCommand } from '@aws-sdk/client-ec2';
import { outputFormat, outputOption, parseCommand, positionals } from '../../args.js';
import { clientOptions, clientOptionsHelp, clientSettings, connect, type ClientSettings } from '../../client.js';
import { describeOne } from '../../describe.js';
import { json } from '../../format.js';
import type { CommandIo } from '../../io.js';

const COMMAND = 'keys delete';

export const usage = `Usage: ec2lite keys delete NAME|ID [options]

Delete a key pair: EC2's copy of the public key. Your private key file and instances already
launched with the key are not affected. An argument like key-0123456789abcdef0 is an ID.

EC2's DeleteKeyPair succeeds for a name that does not exist; this command looks the key pair
up first and fails with InvalidKeyPair.NotFound instead, so a typo does not go unnoticed.

Options:
  --output table|json    output format (default table)
  -h, --help             this help
${clientOptionsHelp}

Examples:
  ec2lite keys delete my-key
  ec2lite keys delete key-0123456789abcdef0

Exit codes: 0 deleted, 1 API error (e.g. InvalidKeyPair.NotFound) or network error, 2 usage error.
`;

export interface DeleteData {
  KeyName: string;
  KeyPairId: string;
  Deleted: true;
}

export async function collectDelete(settings: ClientSettings, nameOrId: string): Promise<DeleteData> {
  const ec2 = await connect(settings, COMMAND);
  try {
    const k = await describeOne(ec2, nameOrId);
    const id = k.KeyPairId ?? nameOrId;
    await ec2.call((c) => c.send(new DeleteKeyPairCommand(k.KeyPairId ? { KeyPairId: id } : { KeyName: k.KeyName ?? nameOrId })));
    return { KeyName: k.KeyName ?? '', KeyPairId: id, Deleted: true };
  } finally {
    ec2.close();
  }
}

export function renderDelete(d: DeleteData): string {
  return `Deleted key pair '${d.KeyName}' (${d.KeyPairId}).\n`;
}

export async function run(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals: pos } = parseCommand(argv, { ...clientOptions, ...outputOption, help: { type: 'boolean', short: 'h' } }, COMMAND);
  if (values.help) {
    io.stdout(usage);
    return 0;
  }
  const [nameOrId] = positionals(pos, ['NAME|ID'], COMMAND) as [string];
  const output = outputFormat(values.output, COMMAND);
  const d = await collectDelete(clientSettings(values, COMMAND), nameOrId);
  io.stdout(output === 'json' ? json(d) : renderDelete(d));
  return 0;
}
