// `ec2lite key-pairs create NAME`: CreateKeyPair, private key saved to NAME.pem / NAME.ppk with mode 0400.
import { CreateKeyPairCommand, DeleteKeyPairCommand } from '@aws-sdk/client-ec2';
import { choice, outputFormat, outputOption, } from '../../args.js';
import { defineCommand } from '../../command.js';
import { clientOptions, clientOptionsHelp, clientSettings, connect, type ClientSettings } from '../../client.js';
import { CliError, UsageError } from '../../errors.js';
import { fields, json } from '../../format.js';
import { PRIVATE_KEY_MODE, assertAbsent, writeNewFile } from '../../key-files.js';
import { tagSpecifications, tagsText, tagsView } from '../../key-pair-view.js';

const COMMAND = 'key-pairs create';

export const usage = `Usage: ec2lite key-pairs create NAME [options]

Create a key pair. EC2 keeps the public key; the private key is returned once and saved to
NAME.pem (or NAME.ppk with --format ppk, or -o FILE) with mode 0400, ready for ssh. An
existing file is never overwritten: that is checked before the key pair is created.

Options:
  --type rsa|ed25519      key type (default rsa: 2048-bit)
  --format pem|ppk        private key format (default pem: PKCS#1 PEM for RSA, OpenSSH for
                          ED25519; ppk: PuTTY)
  -o, --out FILE          where to save the private key ('-': print it on stdout and the
                          summary on stderr)
  --tag KEY=VALUE         tag the key pair (repeatable)
  --output table|json     output format (default table)
  -h, --help              this help
${clientOptionsHelp}

Examples:
  ec2lite key-pairs create my-key                      # writes ./my-key.pem
  ec2lite key-pairs create my-ed --type ed25519 -o ~/.ssh/my-ed
  ec2lite key-pairs create win-key --format ppk --tag team=ops
  ssh -i my-key.pem ec2-user@HOST

Exit codes: 0 ok, 1 API error (e.g. InvalidKeyPair.Duplicate), existing file or network error,
2 usage error.
`;

export interface CreateData {
  KeyName: string;
  KeyPairId: string;
  KeyType: 'rsa' | 'ed25519';
  KeyFormat: 'pem' | 'ppk';
  KeyFingerprint: string;
  /** Where the private key was saved; absent with -o - (printed on stdout). */
  KeyFile?: string;
  Tags: { Key: string; Value: string }[];
}

export interface CreateOptions {
  type: 'rsa' | 'ed25519';
  format: 'pem' | 'ppk';
  out?: string;
  tags?: string[];
}

/** The file the private key goes to: -o, else NAME.pem / NAME.ppk in the current directory. */
export function keyFilePath(name: string, opts: CreateOptions): string {
  if (opts.out !== undefined) return opts.out;
  if (name.includes('/') || name.includes('\\') || name.startsWith('.') || name.trim() !== name) {
    throw new UsageError(`the key name '${name}' does not make a safe file name: choose the file with -o FILE`, COMMAND);
  }
  return `${name}.${opts.format}`;
}

/** Creates the key pair and saves the private key; returns the summary and the key material. */
export async function collectCreate(settings: ClientSettings, name: string, opts: CreateOptions): Promise<{ data: CreateData; material: string }> {
  const file = keyFilePath(name, opts);
  const toStdout = file === '-';
  if (!toStdout) await assertAbsent(file);
  const ec2 = await connect(settings, COMMAND);
  try {
    const tagSpecs = tagSpecifications(opts.tags);
    const out = await ec2.call((c) => c.send(
      new CreateKeyPairCommand({
        KeyName: name,
        KeyType: opts.type,
        KeyFormat: opts.format,
        ...(tagSpecs ? { TagSpecifications: tagSpecs } : {}),
      }),
    ));
    const material = out.KeyMaterial ?? '';
    const data: CreateData = {
      KeyName: out.KeyName ?? name,
      KeyPairId: out.KeyPairId ?? '',
      KeyType: opts.type,
      KeyFormat: opts.format,
      KeyFingerprint: out.KeyFingerprint ?? '',
      ...(toStdout ? {} : { KeyFile: file }),
      Tags: tagsView(out.Tags),
    };
    if (!toStdout) {
      try {
        await writeNewFile(file, material.endsWith('\n') ? material : material + '\n', PRIVATE_KEY_MODE);
      } catch (e) {
        // The private key exists nowhere else: do not leave a key pair nobody can use.
        let undone = 'deleted the key pair again';
        try {
          await ec2.call((c) => c.send(new DeleteKeyPairCommand(data.KeyPairId ? { KeyPairId: data.KeyPairId } : { KeyName: name })));
        } catch {
          undone = `could not delete key pair '${name}' again: delete it with 'ec2lite key-pairs delete ${name}'`;
        }
        throw new CliError(`${(e as Error).message}; the private key could not be saved, so ec2lite ${undone}`);
      }
    }
    return { data, material };
  } finally {
    ec2.close();
  }
}

export function renderCreate(d: CreateData): string {
  return fields([
    ['Name', d.KeyName],
    ['ID', d.KeyPairId],
    ['Type', d.KeyType],
    ['Fingerprint', d.KeyFingerprint],
    ['Tags', tagsText(d.Tags)],
    ['Private key', d.KeyFile !== undefined ? `${d.KeyFile} (mode 0400, ${d.KeyFormat})` : undefined],
  ]);
}

export default defineCommand({
  name: COMMAND,
  usage,
  options: {
    type: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string', short: 'o' },
    tag: { type: 'string', multiple: true },
    ...clientOptions,
    ...outputOption,
    help: { type: 'boolean', short: 'h' },
  },
  positionals: ['NAME'],
  async run({ values, positionals, io }) {
    const [name] = positionals as [string];
    const opts: CreateOptions = {
      type: choice(values.type, ['rsa', 'ed25519'] as const, '--type', COMMAND, 'rsa'),
      format: choice(values.format, ['pem', 'ppk'] as const, '--format', COMMAND, 'pem'),
      ...(values.out !== undefined ? { out: values.out } : {}),
      ...(values.tag ? { tags: values.tag } : {}),
    };
    const output = outputFormat(values.output, COMMAND);
    const { data, material } = await collectCreate(clientSettings(values, COMMAND), name, opts);
    const summary = output === 'json' ? json(data) : renderCreate(data);
    if (data.KeyFile === undefined) {
      io.stdout(material.endsWith('\n') ? material : material + '\n');
      io.stderr(summary);
    } else {
      io.stdout(summary);
    }
    return 0;
  },
});
