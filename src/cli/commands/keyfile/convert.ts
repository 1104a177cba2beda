// `ec2lite keyfile convert FILE --to pem|openssh|ppk`: PEM/OpenSSH ⇄ PuTTY, as PuTTYgen does.
import type { KeyType } from '../../../keys/index.js';
import { choice, outputFormat, outputOption, } from '../../args.js';
import { defineCommand } from '../../command.js';
import { CliError, UsageError } from '../../errors.js';
import { fields, json } from '../../format.js';
import { PRIVATE_KEY_MODE, readKeyInput, writeNewFile } from '../../key-files.js';
import { PRIVATE_KEY_FORMATS, PUTTYGEN_DEFAULT_COMMENT, describeFormat, encodePrivateKey, type PrivateKeyFormatName } from '../../private-key-output.js';

const COMMAND = 'keyfile convert';

export const usage = `Usage: ec2lite keyfile convert FILE --to pem|openssh|ppk [options]

Convert a private key file (PEM PKCS#1/PKCS#8, OpenSSH, PuTTY PPK v2/v3) to another format,
both ways between PEM/OpenSSH and PuTTY, as PuTTYgen does ('Load', then 'Save private key' or
'Conversions > Export OpenSSH key'). The output is never encrypted.

  --to pem       what EC2 returns for KeyFormat=pem: PKCS#1 PEM ("BEGIN RSA PRIVATE KEY") for
                 RSA, the OpenSSH format for ED25519 (= puttygen FILE -O private-openssh)
  --to openssh   OpenSSH format ("BEGIN OPENSSH PRIVATE KEY") for both key types
  --to ppk       PuTTY private key file, version 2 (default; every PuTTY since 0.52) or 3
                 (PuTTY 0.75+) with --ppk-version 3 (= puttygen FILE -o OUT.ppk)

Options:
  --to FORMAT              pem, openssh or ppk (required)
  --ppk-version 2|3        PPK version (default 2)
  --comment TEXT           key comment (default: the file's comment, else
                           "${PUTTYGEN_DEFAULT_COMMENT}" as PuTTYgen writes)
  -o, --out OUT            write to the new file OUT with mode 0400 (never overwritten);
                           without -o the key is printed on stdout
  --passphrase-file FILE   passphrase of an encrypted input (first line of FILE); without it
                           ec2lite asks on the terminal
  --output table|json      how to report (default table); with json and no -o the key text
                           is in the PrivateKey field
  -h, --help               this help

Examples:
  ec2lite keyfile convert my-key.pem --to ppk -o my-key.ppk
  ec2lite keyfile convert my-key.pem --to ppk --ppk-version 3 -o my-key-v3.ppk
  ec2lite keyfile convert my-key.ppk --to pem -o my-key.pem
  ec2lite keyfile convert encrypted.ppk --passphrase-file pass.txt --to openssh -o id_rsa

Exit codes: 0 ok, 1 unreadable or unsupported key or existing OUT, 2 usage error.
`;

export interface ConvertData {
  File: string;
  KeyType: KeyType;
  Format: PrivateKeyFormatName;
  FormatDescription: string;
  PpkVersion?: 2 | 3;
  Comment: string;
  OutputFile?: string;
  Mode?: string;
  PrivateKey?: string;
}

export function renderConvert(data: ConvertData): string {
  if (data.OutputFile === undefined) return data.PrivateKey ?? '';
  return fields([
    ['Wrote', `${data.OutputFile} (mode ${data.Mode})`],
    ['Format', data.FormatDescription],
    ['Key type', data.KeyType],
    ['Comment', data.Comment],
  ]);
}

export default defineCommand({
  name: COMMAND,
  usage,
  options: {
    to: { type: 'string' },
    'ppk-version': { type: 'string' },
    comment: { type: 'string' },
    out: { type: 'string', short: 'o' },
    'passphrase-file': { type: 'string' },
    ...outputOption,
    help: { type: 'boolean', short: 'h' },
  },
  positionals: ['FILE'],
  async run({ values, positionals, io }) {
    const [file] = positionals as [string];
    if (values.to === undefined) throw new UsageError('--to pem|openssh|ppk is required', COMMAND);
    const format = choice(values.to, PRIVATE_KEY_FORMATS, '--to', COMMAND, 'pem');
    const ppkArg = choice(values['ppk-version'], ['2', '3'] as const, '--ppk-version', COMMAND);
    if (ppkArg !== undefined && format !== 'ppk') throw new UsageError('--ppk-version only applies to --to ppk', COMMAND);
    const ppkVersion = ppkArg === '3' ? 3 : 2;
    const output = outputFormat(values.output, COMMAND);
    if (values.comment !== undefined && /[\r\n]/.test(values.comment)) throw new UsageError('--comment must be a single line', COMMAND);

    const input = await readKeyInput(file, { passphraseFile: values['passphrase-file'], io });
    if (input.kind !== 'private') {
      throw new CliError(`'${file}' is a public key; convert takes a private key (for the OpenSSH public key line use 'ec2lite keyfile public ${file}')`);
    }
    const key = input.key;
    const comment = values.comment ?? (key.comment || PUTTYGEN_DEFAULT_COMMENT);
    const text = encodePrivateKey(key.privateKey, format, comment, ppkVersion);
    const data: ConvertData = {
      File: file,
      KeyType: key.type,
      Format: format,
      FormatDescription: describeFormat(key.privateKey, format, ppkVersion),
      ...(format === 'ppk' ? { PpkVersion: ppkVersion } : {}),
      Comment: comment,
    };
    if (values.out !== undefined) {
      await writeNewFile(values.out, text, PRIVATE_KEY_MODE);
      data.OutputFile = values.out;
      data.Mode = '0400';
    } else {
      data.PrivateKey = text;
    }
    io.stdout(output === 'json' ? json(data) : renderConvert(data));
    return 0;
  },
});
