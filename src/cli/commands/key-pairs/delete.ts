// `ec2lite key-pairs delete NAME|ID`: DeleteKeyPair, after checking that the key pair exists.
import { DeleteKeyPairCommand } from '@aws-sdk/client-ec2';
import { outputFormat, outputOption, } from '../../args.js';
import { defineCommand } from '../../command.js';
import { clientOptions, clientOptionsHelp, clientSettings, connect, type ClientSettings } from '../../client.js';
import { describeOne } from '../../describe.js';
import { json } from '../../format.js';

const COMMAND = 'key-pairs delete';

export const usage = `Usage: ec2lite key-pairs delete NAME|ID [options]

Delete a key pair: EC2's copy of the public key. Your private key file and instances already
launched with the key are not affected. An argument like key-0123456789abcdef0 is an ID.

EC2's DeleteKeyPair succeeds for a name that does not exist; this command looks the key pair
up first and fails with InvalidKeyPair.NotFound instead, so a typo does not go unnoticed.

Options:
  --output table|json    output format (default table)
  -h, --help             this help
${clientOptionsHelp}

Examples:
  ec2lite key-pairs delete my-key
  ec2lite key-pairs delete key-0123456789abcdef0

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

export default defineCommand({
  name: COMMAND,
  usage,
  options: { ...clientOptions, ...outputOption },
  positionals: ['NAME|ID'],
  async run({ values, positionals, io }) {
    const [nameOrId] = positionals as [string];
    const output = outputFormat(values.output, COMMAND);
    const d = await collectDelete(clientSettings(values, COMMAND), nameOrId);
    io.stdout(output === 'json' ? json(d) : renderDelete(d));
    return 0;
  },
});
