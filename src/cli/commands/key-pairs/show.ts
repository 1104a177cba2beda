// `ec2lite key-pairs show NAME|ID`: one key pair, with its public key and tags.
import { outputFormat, outputOption, } from '../../args.js';
import { defineCommand } from '../../command.js';
import { clientOptions, clientOptionsHelp, clientSettings, connect, type ClientSettings } from '../../client.js';
import { describeOne } from '../../describe.js';
import { fields, json } from '../../format.js';
import { keyPairView, tagsText, type KeyPairView } from '../../key-pair-view.js';

const COMMAND = 'key-pairs show';

export const usage = `Usage: ec2lite key-pairs show NAME|ID [options]

Show one key pair: name, ID, type, fingerprint, creation time, tags and public key (the line
EC2 puts in ~/.ssh/authorized_keys). An argument like key-0123456789abcdef0 is taken as an ID.

Options:
  --output table|json    output format (default table)
  -h, --help             this help
${clientOptionsHelp}

Examples:
  ec2lite key-pairs show my-key
  ec2lite key-pairs show key-0123456789abcdef0 --output json

Exit codes: 0 ok, 1 API error (e.g. InvalidKeyPair.NotFound) or network error, 2 usage error.
`;

export async function collectShow(settings: ClientSettings, nameOrId: string): Promise<KeyPairView> {
  const ec2 = await connect(settings, COMMAND);
  try {
    return keyPairView(await describeOne(ec2, nameOrId, true));
  } finally {
    ec2.close();
  }
}

export function renderShow(k: KeyPairView): string {
  return fields([
    ['Name', k.KeyName],
    ['ID', k.KeyPairId],
    ['Type', k.KeyType],
    ['Fingerprint', k.KeyFingerprint],
    ['Created', k.CreateTime],
    ['Tags', tagsText(k.Tags)],
    ['Public key', k.PublicKey],
  ]);
}

export default defineCommand({
  name: COMMAND,
  usage,
  options: { ...clientOptions, ...outputOption },
  positionals: ['NAME|ID'],
  async run({ values, positionals, io }) {
    const [nameOrId] = positionals as [string];
    const output = outputFormat(values.output, COMMAND);
    const k = await collectShow(clientSettings(values, COMMAND), nameOrId);
    io.stdout(output === 'json' ? json(k) : renderShow(k));
    return 0;
  },
});
