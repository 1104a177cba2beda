// `ec2lite key-pairs list`: DescribeKeyPairs as a table.
import { DescribeKeyPairsCommand } from '@aws-sdk/client-ec2';
import { outputFormat, outputOption, } from '../../args.js';
import { defineCommand } from '../../command.js';
import { clientOptions, clientOptionsHelp, clientSettings, connect, type ClientSettings } from '../../client.js';
import { json, table } from '../../format.js';
import { keyPairView, tagsText, type KeyPairView } from '../../key-pair-view.js';

const COMMAND = 'key-pairs list';

export const usage = `Usage: ec2lite key-pairs list [options]

List the key pairs in the region, sorted by name: name, ID, type, fingerprint, creation time.

Options:
  --output table|json    output format (default table); json is an array of key pairs
  -h, --help             this help
${clientOptionsHelp}

Examples:
  ec2lite key-pairs list
  ec2lite key-pairs list --region eu-west-1 --output json
  ec2lite key-pairs list --endpoint https://ec2.us-east-1.amazonaws.com --profile prod

Exit codes: 0 ok, 1 API or network error, 2 usage error.
`;

export async function collectList(settings: ClientSettings): Promise<KeyPairView[]> {
  const ec2 = await connect(settings, COMMAND);
  try {
    const out = await ec2.call((c) => c.send(new DescribeKeyPairsCommand({})));
    return (out.KeyPairs ?? []).map(keyPairView).sort((a, b) => (a.KeyName < b.KeyName ? -1 : a.KeyName > b.KeyName ? 1 : 0));
  } finally {
    ec2.close();
  }
}

export function renderList(keys: KeyPairView[]): string {
  if (keys.length === 0) return 'No key pairs.\n';
  return table(
    ['NAME', 'ID', 'TYPE', 'FINGERPRINT', 'CREATED', 'TAGS'],
    keys.map((k) => [k.KeyName, k.KeyPairId, k.KeyType, k.KeyFingerprint, k.CreateTime, tagsText(k.Tags)]),
  );
}

export default defineCommand({
  name: COMMAND,
  usage,
  options: { ...clientOptions, ...outputOption },
  positionals: [],
  async run({ values, io }) {
    const output = outputFormat(values.output, COMMAND);
    const keys = await collectList(clientSettings(values, COMMAND));
    io.stdout(output === 'json' ? json(keys) : renderList(keys));
    return 0;
  },
});
