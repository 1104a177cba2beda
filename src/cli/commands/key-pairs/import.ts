// `ec2lite key-pairs import NAME --public-key FILE`: ImportKeyPair.
import { ImportKeyPairCommand } from '@aws-sdk/client-ec2';
import { outputFormat, outputOption, } from '../../args.js';
import { defineCommand } from '../../command.js';
import { clientOptions, clientOptionsHelp, clientSettings, connect, type ClientSettings } from '../../client.js';
import { CliError, UsageError } from '../../errors.js';
import { fields, json } from '../../format.js';
import { readInputFile, shellQuote } from '../../key-files.js';
import { tagSpecifications, tagsText, tagsView } from '../../key-pair-view.js';

const COMMAND = 'key-pairs import';

export const usage = `Usage: ec2lite key-pairs import NAME --public-key FILE [options]

Import the public key of a key pair made elsewhere (ssh-keygen, PuTTYgen, 'ec2lite keyfile
generate'). FILE may be an OpenSSH public key line, an RFC 4716 (SSH2) public key, or a base64
DER / PEM RSA public key: the formats ImportKeyPair accepts. The private key never leaves your
machine; give a private key file here and ec2lite refuses it.

Options:
  --public-key FILE      the public key file (required)
  --tag KEY=VALUE        tag the key pair (repeatable)
  --output table|json    output format (default table)
  -h, --help             this help
${clientOptionsHelp}

Examples:
  ec2lite key-pairs import laptop --public-key ~/.ssh/id_ed25519.pub
  ec2lite keyfile public my-key.ppk > my-key.pub && ec2lite key-pairs import my-key --public-key my-key.pub

Exit codes: 0 ok, 1 API error (e.g. InvalidKeyPair.Duplicate, InvalidKey.Format), file or
network error, 2 usage error.
`;

export interface ImportData {
  KeyName: string;
  KeyPairId: string;
  KeyFingerprint: string;
  Tags: { Key: string; Value: string }[];
}

export async function collectImport(settings: ClientSettings, name: string, publicKeyFile: string, tags?: string[]): Promise<ImportData> {
  const material = await readInputFile(publicKeyFile);
  const head = material.toString('utf8', 0, Math.min(material.length, 4096));
  if (/PRIVATE KEY-----/.test(head) || /^\s*PuTTY-User-Key-File-/.test(head)) {
    throw new CliError(
      `'${publicKeyFile}' is a private key; ImportKeyPair takes the public key only. ` +
        `Extract it with: ec2lite keyfile public ${shellQuote(publicKeyFile)} > key.pub`,
    );
  }
  const ec2 = await connect(settings, COMMAND);
  try {
    const tagSpecs = tagSpecifications(tags);
    const out = await ec2.call((c) => c.send(
      new ImportKeyPairCommand({ KeyName: name, PublicKeyMaterial: material, ...(tagSpecs ? { TagSpecifications: tagSpecs } : {}) }),
    ));
    return { KeyName: out.KeyName ?? name, KeyPairId: out.KeyPairId ?? '', KeyFingerprint: out.KeyFingerprint ?? '', Tags: tagsView(out.Tags) };
  } finally {
    ec2.close();
  }
}

export function renderImport(d: ImportData): string {
  return fields([
    ['Name', d.KeyName],
    ['ID', d.KeyPairId],
    ['Fingerprint', d.KeyFingerprint],
    ['Tags', tagsText(d.Tags)],
  ]);
}

export default defineCommand({
  name: COMMAND,
  usage,
  options: { 'public-key': { type: 'string' }, tag: { type: 'string', multiple: true }, ...clientOptions, ...outputOption },
  positionals: ['NAME'],
  async run({ values, positionals, io }) {
    const [name] = positionals as [string];
    if (values['public-key'] === undefined) throw new UsageError('--public-key FILE is required', COMMAND);
    const output = outputFormat(values.output, COMMAND);
    const d = await collectImport(clientSettings(values, COMMAND), name, values['public-key'], values.tag);
    io.stdout(output === 'json' ? json(d) : renderImport(d));
    return 0;
  },
});
